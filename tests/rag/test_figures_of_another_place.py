"""A figure a sentence sets in another place than the one the question asks of answers
another question, however close its words: no side of a dispute. Made-up products; the
places are real, as WordNet knows them."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "japan.txt": """Kavari sets Zento Pad launch
October 2, 2031
The Zento Pad handheld will go on sale in Japan on 12 December, its maker Kavari said.
The company expects to ship two million of the consoles by the end of the year.
""",
    "us_a.txt": """Zento Pad heads west
November 20, 2031
The Zento Pad will go on sale in the United States on 24 March, Kavari announced on Thursday.
Retailers have already taken thousands of advance orders.
""",
    "us_b.txt": """Kavari console date
November 22, 2031
The Zento Pad will go on sale in America on 31 March, a Kavari spokesman said.
It will cost $249 with one game.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("another_place"), ARTICLES)


def test_a_date_in_another_country_is_no_side_and_another_name_of_the_asked_one_is(corpus):
    answer = rag.ask("When does the Zento Pad go on sale in the US?", index_dir=corpus.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert set(answer.conflicts[0].values) == {"24 March", "31 March"}
    assert "12 December" not in answer.answer
