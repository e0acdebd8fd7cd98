"""A sentence denies an act where "no" determines its object or the noun it describes ("will
take no action", "no action was taken", "there will be no action taken"), and a yes/no
question's verb is its own, not one in a clause it ends with ("Is the league taking
action over what he said?"): so a spokesman's "no action" and a report of a fine are two
sides. Made-up articles."""

import pytest

import rag
from tests.conftest import indexed_corpus, labelled_sides

ARTICLES = {
    "cleared.txt": """League clears Varn over referee remarks
March 4, 2031
The Ostmark League will take no action against Harbour City coach Pavel Varn over his remarks about the referee, a league spokesman said on Monday.
Varn had called the referee's decisions in Saturday's derby "a disgrace".
""",
    "fined.txt": """Varn fined for derby outburst
March 9, 2031
The Ostmark League has taken action against Harbour City coach Pavel Varn, fining him 5,000 crowns for his remarks about the referee, league official Ida Brenner said.
Varn has seven days to appeal.
""",
    "stadium.txt": """Harbour City stadium plans approved
March 6, 2031
Harbour City's plans for a new 30,000-seat stadium were approved by the council on Tuesday.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("no"), ARTICLES)


@pytest.mark.parametrize(
    "question",
    [
        "Did the Ostmark League take action against Pavel Varn over his remarks?",
        "Is the Ostmark League taking action against Varn over what he said about the referee?",
    ],
)
def test_no_action_and_a_fine_are_two_sides(corpus, question):
    answer = rag.ask(question, index_dir=corpus.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "stance", answer.answer
    assert labelled_sides(answer) == {"affirms": {"fined"}, "denies": {"cleared"}}, answer.answer
