"""A sentence that names what a "how many" question counts, yet counts something else by
name ("11 nominations" beside "this year's awards", "two of its four producers"), gives
no count of it: no side of a dispute. Made-up articles."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "won.txt": """Ember Road takes four prizes
March 2, 2031
The drama Ember Road won four awards at the Kessland Film Prizes on Saturday night.
Its director thanked the cast from the stage.
""",
    "nominated.txt": """Ember Road leads prize race
January 20, 2031
The drama Ember Road is leading the field at this year's awards with 11 nominations.
""",
    "producers.txt": """Prize producers named
February 1, 2031
The awards organisers have picked two of Ember Road's four producers to be nominated for best film.
""",
    "members.txt": """Tollan co-op grows
June 8, 2031
The Tollan Dairy Cooperative now counts 1,450 member farms, its board said on Friday.
""",
    "members_b.txt": """Dairy co-op in talks
July 30, 2031
The Tollan Dairy Cooperative says its membership has reached 1,900 farms after a merger.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("counts"), ARTICLES)


def test_a_count_of_nominations_is_no_count_of_awards(corpus):
    answer = rag.ask("How many awards did Ember Road win?", index_dir=corpus.index_dir)
    assert not answer.conflicts, answer.answer
    assert "four awards" in answer.answer


def test_a_count_of_member_farms_counts_members(corpus):
    answer = rag.ask(
        "How many members does the Tollan Dairy Cooperative have?", index_dir=corpus.index_dir
    )
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert set(answer.conflicts[0].values) == {"1,450", "1,900"}
