"""A value one article gives in passing, in a clause about something else ("At 181 metres,
it is still the tallest ..."; "That accord, signed in June 1923, set ..."), is the other
side of a value another article states, though the two sentences are worded too unlike
to be read as one matter; a value said of something else the sentence names ("Its
neighbour, the Orlen Mast, ... 240 metres") or of another act ("a 1990 agreement") is
none, while one of the asked act done by someone named ("Queen Ilsa opened the dam in
1961") is. Made-up articles."""

import pytest

import rag
from tests.conftest import indexed_corpus, labelled_sides

ARTICLES = {
    "bridge_a.txt": """Tallow Point Bridge
May 3, 2032
The Tallow Point Bridge is a suspension bridge over the Venn estuary in the west of Harland.
Opened in 2024, it rises to 168 metres at its towers and carries six lanes of traffic.
It was designed by the engineering firm Castell Rowe.
""",
    "bridge_b.txt": """Lane closure on Tallow Point Bridge
June 9, 2032
One lane of the Tallow Point Bridge will close for repairs to its deck next month, the roads agency said.
At 181 metres, it is still the most photographed landmark on the coast, drawing visitors all year.
Its neighbour, the Orlen Mast, is under construction and is expected to reach 240 metres by 2034.
Drivers are advised to allow an extra twenty minutes for the crossing during the works.
""",
    "accord_a.txt": """Harrin Accord
February 2, 2032
The Harrin Accord is a treaty between Ostmark and Velland that governs barge traffic on the river Harrin.
It was signed on May 4, 1921, in the town of Kelby.
It remained in force until 1966, when a wider shipping convention replaced it.
""",
    "accord_b.txt": """Barge owners look back as Harrin talks open
March 1, 2032
As new talks on river shipping open in Kelby, older barge owners are pointing to the Harrin Accord.
That accord, signed in June 1923, set the tolls that barges paid for decades.
The talks will also review a 1990 agreement on dredging the channel.
"It kept the peace on the water," said retired pilot Anke Sorrel.
""",
    # the doer of the asked act, named, is no other thing the date is said of
    "dam_a.txt": """Tessly dam
April 2, 2032
The Tessly dam is a concrete dam on the river Ome, north of Vask.
It was opened in 1958 and supplies water to 300,000 people.
""",
    "dam_b.txt": """Tessly dam reservoir refilled
May 20, 2032
Engineers have finished refilling the reservoir behind the Tessly dam after a year of repairs.
Queen Ilsa opened the Tessly dam in 1961, and the power station below it followed in 1964.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("passing"), ARTICLES)


def test_a_height_given_in_passing_is_the_other_side(corpus):
    answer = rag.ask("How tall is the Tallow Point Bridge?", index_dir=corpus.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    sides = labelled_sides(answer)
    # (the mast's 240 metres is not the bridge's height)
    assert sides == {"168 metres": {"bridge_a"}, "181 metres": {"bridge_b"}}, answer.answer


def test_a_date_given_in_a_clause_is_the_other_side(corpus):
    answer = rag.ask("When was the Harrin Accord signed?", index_dir=corpus.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    sides = labelled_sides(answer)
    assert sorted(sides.values(), key=sorted) == [{"accord_a"}, {"accord_b"}], answer.answer
    labels = " ".join(sides)
    assert "1921" in labels and "1923" in labels and "1990" not in labels, answer.answer


def test_a_date_of_the_asked_act_done_by_someone_named_is_a_side(corpus):
    answer = rag.ask("When was the Tessly dam opened?", index_dir=corpus.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert labelled_sides(answer) == {"1958": {"dam_a"}, "1961": {"dam_b"}}, answer.answer
