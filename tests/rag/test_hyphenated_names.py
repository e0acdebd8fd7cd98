"""A hyphenated name the parser splits into a proper noun and a common one ("Half-Life 2")
is still the question's subject: figures that sentences give of another game are no dispute
about it. Made-up articles."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "chart.txt": """Moon Hunter sells four million copies
June 2, 2031
Orbit Games is celebrating bumper sales of its console shooter, Moon Hunter.
The game has sold four million copies worldwide since it went on sale in March, the company said.
In this week's chart, Moon Hunter dropped one place to five, while Half-Life 2 fell to number nine.
""",
    "sales.txt": """Orbit Games profits soar
June 20, 2031
Orbit Games said profits had tripled thanks to Moon Hunter.
The game, which can be played online, has sold 4.6 million copies since its release.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("hyphen"), ARTICLES)


def test_another_games_sales_are_no_dispute_about_the_asked_one(corpus):
    answer = rag.ask("How many copies of Half-Life 2 have been sold?", index_dir=corpus.index_dir)
    assert not answer.conflicts, answer.answer


def test_the_games_own_sales_still_disagree(corpus):
    answer = rag.ask("How many copies of Moon Hunter have been sold?", index_dir=corpus.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
