"""Which figure answers the question: a person's age written after the name, a figure stated
only as possible, a company named by its initials, a count whose thing is named two ways."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "ban_a.txt": (
        "Sprinters suspended\nTomas Ferro, 31, and Lena Varga, 30, were suspended by the "
        "federation in December for missing three tests.\nThe pair deny any wrongdoing.\n"
    ),
    "ban_b.txt": (
        "Varga cleared\nSprinter Lena Varga has been cleared by a tribunal in Marlow.\n"
        "Varga, 29, said she was eager to race again.\n"
    ),
    "trial_a.txt": (
        "Pell trial opens\nFormer Delmar Bank chief Jon Pell could face up to 20 years in prison "
        "if convicted of fraud.\nHis trial opened in Marlow on Monday.\n"
    ),
    "trial_b.txt": (
        "Cole sentenced\nFormer Kestrel Trust chief Ann Cole was sentenced to six years in prison "
        "for fraud on Friday.\n"
    ),
    "deal_a.txt": (
        "Harbor Mutual settles\nHarbor Mutual Group is to pay Kestrel Motors 1.55bn euros to get "
        "out of the joint venture, the firms said.\n"
    ),
    "deal_b.txt": (
        "Kestrel Motors results\nKestrel Motors ended its joint venture with Harbor Mutual Group "
        "in May.\nKestrel Motors made a profit after HMG agreed to pay it 1.53bn euros to get out "
        "of the joint venture.\nSales of its small cars rose.\n"
    ),
    # initials alone, in an article that never spells the name out, are someone else's
    "deal_c.txt": (
        "Lakeside results\nLakeside Foods made a loss after HMG agreed to pay it 1.2bn euros to "
        "get out of the joint venture.\n"
    ),
    "texts_a.txt": (
        "Texting record\nFigures show that 26 billion texts were sent in Norland in 2030, "
        "a record.\n"
    ),
    "texts_b.txt": (
        "Mobile habits\nThe annual total of text messages sent in Norland in 2030 was 25bn, "
        "the operators' association said.\n"
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("readings"), ARTICLES)


def test_an_age_after_a_name_is_that_persons(corpus):
    # "Ferro, 31, and Lena Varga, 30": 31 is Ferro's age, not a side of Varga's
    answer = rag.ask("How old is Lena Varga?", index_dir=corpus.index_dir)
    (conflict,) = answer.conflicts
    assert set(conflict.values) == {"30", "29"}, answer.answer


def test_a_figure_stated_as_possible_does_not_answer_what_happened(corpus):
    answer = rag.ask(
        "How many years in prison was Jon Pell sentenced to?", index_dir=corpus.index_dir
    )
    assert answer.refused, answer.answer
    answer = rag.ask(
        "How many years in prison was Ann Cole sentenced to?", index_dir=corpus.index_dir
    )
    assert not answer.refused and "six years" in answer.answer


def test_a_question_about_what_may_happen_takes_the_possible_figure(corpus):
    answer = rag.ask("How many years in prison could Jon Pell get?", index_dir=corpus.index_dir)
    assert not answer.refused and "20 years" in answer.answer


def test_a_company_named_by_its_initials_is_the_same_company(corpus):
    answer = rag.ask(
        "How many euros did Harbor Mutual Group pay Kestrel Motors to get out of the joint "
        "venture?",
        index_dir=corpus.index_dir,
    )
    (conflict,) = answer.conflicts
    assert set(conflict.values) == {"1.55bn euros", "1.53bn euros"}, answer.answer


def test_an_age_after_a_place_is_not_an_age():
    from index.analysis import analyse

    sentence = "The candidate won Florida, 29, and Ohio, 18, on the night."
    entities = analyse([([0], [sentence])])[0]["entities"][0]
    assert not any(head == "years" for *_, head in entities)


def test_counts_of_one_thing_named_two_ways_are_compared(corpus):
    answer = rag.ask(
        "How many text messages were sent in Norland in 2030?", index_dir=corpus.index_dir
    )
    (conflict,) = answer.conflicts
    assert set(conflict.values) == {"26 billion", "25bn"}, answer.answer
