"""A question asking the value of a thing a noun names ("What salary ...?") is answered by
a sentence about that thing, or by an amount the sentence does not say is of something
else; an amount of another thing in the same article is no answer."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "pay.txt": (
        "Harbour chief paid bonus\nHarbour Board chief executive Tom Reyes was paid a bonus of "
        "£40,000 last year.\nThe board said the payment was agreed in March.\n"
    ),
    "wage.txt": (
        "Dock pay rules\nThe minimum dock wage is set at £9.50 an hour, the harbour board said.\n"
        "Dock workers on night shifts get more.\n"
    ),
    "flat.txt": (
        "Harbour flat sold\nThe harbour-view flat on Pier Road sold for £339,000 on Monday, the "
        "agents said.\nIt had been on the market since May.\n"
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("valued"), ARTICLES)


@pytest.mark.parametrize(
    "question",
    [
        # the article gives his bonus, not his salary
        "What salary was Harbour Board chief executive Tom Reyes on?",
        # the amount is the wage's, said so by the sentence
        "How much will the weekly allowance for dock workers be?",
    ],
)
def test_an_amount_of_another_thing_does_not_answer(corpus, question):
    answer = rag.ask(question, index_dir=corpus.index_dir)
    assert answer.refused and not answer.citations, answer.answer


def test_an_amount_the_sentence_gives_no_other_thing_answers(corpus):
    # "sold for £339,000" says no word of a price, and the amount is of nothing else
    answer = rag.ask(
        "What price did the harbour-view flat on Pier Road sell for?", index_dir=corpus.index_dir
    )
    assert not answer.refused and "£339,000" in answer.answer, answer.answer
