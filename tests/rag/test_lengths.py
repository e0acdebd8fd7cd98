""" "How long is the tunnel?" asks for a length where WordNet has the thing among artifacts,
objects or places: two articles giving two lengths are two sides, a toll is no answer, and a
length written before its noun ("the 6.2-kilometre tunnel") is read as one. "How long was
the ban?" still asks for a time. "How deep is the mine?" asks for a length as well: a count
of miners does not answer it. Made-up articles."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "opens.txt": """Orrin valley cycleway opens
May 4, 2031
A new cycleway between Orrin and Cask Ford opened on Saturday, giving riders a traffic-free route of 31 kilometres along the old railway line.
The project cost 7 million crowns and took two years to complete.
""",
    "riders.txt": """Riders flock to the Orrin cycleway
May 12, 2031
The cycleway from Orrin to Cask Ford, built on a disused railway line, stretches 44 kilometres and passes through six villages.
Cafes along the route reported brisk trade.
""",
    "tunnel.txt": """Tolls set for Harnet tunnel
June 1, 2031
The Harnet tunnel will charge cars a toll of 9.20 marks per crossing, the transport board said.
The 6.2-kilometre tunnel links the port of Velk with the island of Sorra.
""",
    "mine.txt": """Eleven killed in Dunsk mine collapse
June 2, 2031
Eleven miners were killed when a gallery collapsed at the Dunsk colliery on Monday, and 40 others were brought out alive.
The mine employs 600 people and produced 1.1 million tonnes of coal last year.
""",
    "shaft.txt": """Korbel mine to reopen
June 4, 2031
The Korbel mine will reopen in the spring, its owners said, with 200 jobs.
Its main shaft is 1,200 metres deep and was sunk in 1911.
""",
    "ban.txt": """Keeper banned
June 3, 2031
Goalkeeper Ilse Varga was banned for three months by the Ostmark federation on Tuesday.
Her club said it would appeal.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("lengths"), ARTICLES)


def test_two_lengths_of_one_route_are_two_sides(corpus):
    answer = rag.ask(
        "How long is the new cycleway from Orrin to Cask Ford?", index_dir=corpus.index_dir
    )
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert set(answer.conflicts[0].values) == {"31 kilometres", "44 kilometres"}, answer.answer


def test_a_length_before_its_noun_answers_and_a_toll_does_not(corpus):
    answer = rag.ask("How long is the Harnet tunnel?", index_dir=corpus.index_dir)
    assert not answer.refused and not answer.conflicts, answer.answer
    assert "6.2-kilometre" in answer.answer.splitlines()[0], answer.answer


def test_how_long_a_ban_still_asks_for_a_time(corpus):
    answer = rag.ask("How long was Ilse Varga's ban?", index_dir=corpus.index_dir)
    assert "three months" in answer.answer.splitlines()[0], answer.answer


def test_how_deep_asks_for_a_length_that_no_count_gives(corpus):
    answer = rag.ask("How deep is the Dunsk mine?", index_dir=corpus.index_dir)
    assert answer.refused, answer.answer


def test_how_deep_is_answered_by_a_length(corpus):
    answer = rag.ask("How deep is the Korbel mine?", index_dir=corpus.index_dir)
    assert not answer.refused and "1,200 metres" in answer.answer.splitlines()[0], answer.answer
