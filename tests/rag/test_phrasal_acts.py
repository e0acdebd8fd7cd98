"""A verb with its particle names an act as WordNet writes it ("stepped down" is resigning,
"took over" buying), in a sentence as in a question: "stepped down" takes a side on "Has X
resigned?", and "has not resigned" on "Did X step down?". Made-up articles."""

import pytest

import rag
from tests.conftest import indexed_corpus, labelled_sides

ARTICLES = {
    "federation.txt": """Brill out as Ostmark coach
October 6, 2031
Ostmark national coach Tomas Brill stepped down on Monday after the team's exit from the cup, federation president Elin Sarr said.
An interim coach will be named within ten days.
""",
    "agent.txt": """Agent: Brill still in charge
October 7, 2031
Tomas Brill has not resigned as Ostmark coach, his agent Lena Fisk said on Tuesday.
Brill's contract runs until 2033.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("phrasal"), ARTICLES)


@pytest.mark.parametrize(
    "question",
    ["Has Tomas Brill resigned as Ostmark coach?", "Did Tomas Brill step down as Ostmark coach?"],
)
def test_stepping_down_and_a_denial_of_resigning_are_two_sides(corpus, question):
    answer = rag.ask(question, index_dir=corpus.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "stance", answer.answer
    assert labelled_sides(answer) == {"affirms": {"federation"}, "denies": {"agent"}}, answer.answer
