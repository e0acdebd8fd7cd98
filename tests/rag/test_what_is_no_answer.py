"""Sentences near a question in words that still do not answer it: a count with no figure, a
person's age, a name beside no such role; and money counted in a currency the value parser
does not know. Made-up articles: nothing is tuned to a real corpus."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "console.txt": """First look at the Tessa 2 chip
March 3, 2031
Details of the chip inside Orbo's Tessa 2 console have been released.
The chip in the Tessa 2 console will be able to carry out trillions of calculations per second.
The Tessa 2 is expected in 2032, but developers will get early versions this year.
""",
    "handheld.txt": """Orbo handheld goes on sale
March 9, 2031
Orbo's Pocket handheld went on sale in Kessel on Thursday.
When it goes on sale in Orla, the Pocket is likely to cost between 130 and 200 crowns.
""",
    "trial.txt": """Former Lenn Telecom boss on trial
April 2, 2031
Former Lenn Telecom boss Ivo Brandt is on trial, accused of overseeing a fraud at the firm.
Mr Hale, 42, pleaded guilty last year to his part in the fraud at Ivo Brandt's Lenn Telecom.
Mr Brandt denies all the charges against him.
""",
    "water.txt": """Water board criticised over bills
May 5, 2031
MPs have criticised the Orla Water Board over a billing system that sent out wrong bills.
The committee said the National Audit Office should look into why the Orla Water Board's billing system had failed.
The board's former chief executive Lena Dorn quit last autumn, saying she was disappointed.
""",
    "album.txt": """Lantern Days
March 2, 2031
Lantern Days is the third album by the singer Ada Morrow, released in 2029.
""",
    "tram.txt": """Marsh tram approved
June 1, 2031
The regional assembly has approved the Marsh tram line, with a budget of 1.5bn crowns.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("no_answer"), ARTICLES)


def test_a_count_with_no_figure_is_not_a_price(corpus):
    # "trillions of calculations" gives no amount; the handheld's price is another product's
    answer = rag.ask("How much will the Tessa 2 console cost?", index_dir=corpus.index_dir)
    assert answer.refused, answer.answer


def test_an_age_set_off_after_a_name_is_no_length_of_a_sentence(corpus):
    # "Mr Hale, 42," is his age; "last year" is when, not how many years
    answer = rag.ask(
        "How many years in prison was Ivo Brandt sentenced to?", index_dir=corpus.index_dir
    )
    assert answer.refused, answer.answer


def test_a_name_beside_no_such_role_does_not_say_who_holds_it(corpus):
    # the audit office is named, but not as the board's chief executive; Lena Dorn left
    answer = rag.ask(
        "Who is the new chief executive of the Orla Water Board replacing Lena Dorn?",
        index_dir=corpus.index_dir,
    )
    assert answer.refused, answer.answer


def test_an_amount_in_a_currency_named_by_a_word_answers_what_it_costs(corpus):
    answer = rag.ask("How much will the Marsh tram line cost?", index_dir=corpus.index_dir)
    assert not answer.refused, answer.answer
    assert "1.5bn crowns" in answer.citations[0].quote, answer.answer


def test_a_name_after_by_on_a_work_says_who_made_it(corpus):
    # "the third album by the singer Ada Morrow" names the artist without the word "artist"
    answer = rag.ask("Who is the artist of the album Lantern Days?", index_dir=corpus.index_dir)
    assert not answer.refused and "Ada Morrow" in answer.answer, answer.answer
