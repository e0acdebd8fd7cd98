""" "When did the storm happen?" asks when the storm was, told by whatever verb a sentence
uses ("hit", "struck"): a verb WordNet puts with happen ("occur", "take place") leaves the
act to its subject's noun, so two articles' dates are two sides, and another event's date
is none. Made-up articles."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "storm_a.txt": """Storm batters Marden
March 6, 2032
The storm hit Marden on March 3, after a day of gales along the coast.
Power was cut to 4,000 homes.
""",
    "storm_b.txt": """Marden clean-up continues
March 8, 2032
Volunteers are still clearing streets in Marden after the storm that struck the town on the night of March 1.
The council has asked for emergency funds.
""",
    # another event told with "take place": its date is no side
    "council.txt": """Marden council to meet
March 9, 2032
A council meeting on the emergency funds will take place in Marden on March 12.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("happened"), ARTICLES)


@pytest.mark.parametrize(
    "question",
    ["When did the storm in Marden happen?", "When did the Marden storm take place?"],
)
def test_two_dates_of_one_event_are_two_sides_whatever_verb_tells_them(corpus, question):
    answer = rag.ask(question, index_dir=corpus.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    first, second = sorted(answer.conflicts[0].values, key=lambda v: "March 1" in v)
    assert "March 3" in first and "March 1" in second, answer.answer
