"""A bare number counts what a "how many" question asks where its sentence names the asked
act by a noun ("bringing the death toll to 14" for "How many people died?"), so two
articles that give different tolls are two sides; a number beside another act is none.
Made-up articles."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "toll.txt": """Rescuers end search at Harl quarry
April 3, 2031
Rescue teams at the Harl quarry ended their search on Wednesday, bringing the death toll from Monday's rockfall to 11.
The quarry's owner said operations would stay suspended until an inspection.
""",
    "inquiry.txt": """Inquiry into Harl rockfall begins
April 20, 2031
An inquiry opened on Thursday into the rockfall at the Harl quarry, in which nine workers died.
Investigators will examine blasting records from the week before.
""",
    "trains.txt": """Tarn valley line reopens
May 2, 2031
The Tarn valley railway reopened on Friday after repairs, bringing the number of daily trains back to 40.
""",
    "trains_b.txt": """Tarn valley timetable
May 9, 2031
Passengers on the Tarn valley railway can take one of 40 trains a day, the operator said.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("acts"), ARTICLES)


def test_a_death_toll_and_a_count_of_the_dead_are_two_sides(corpus):
    answer = rag.ask(
        "How many workers died in the Harl quarry rockfall?", index_dir=corpus.index_dir
    )
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    (conflict,) = answer.conflicts
    by_n = {c.n: c for c in answer.citations}
    sides = {
        v: {by_n[n].doc_id for n in side}
        for v, side in zip(conflict.values, conflict.sides, strict=True)
    }
    assert sides == {"11": {"toll"}, "nine": {"inquiry"}}, answer.answer


def test_one_count_in_two_articles_is_no_dispute(corpus):
    answer = rag.ask("How many trains run on the Tarn valley railway?", index_dir=corpus.index_dir)
    assert not answer.conflicts, answer.answer
    assert "40" in answer.answer
