"""A share of a whole ("debt is about 120% of GDP") says nothing of how much that whole
changed: it is no side against the figure that does, even where the parser takes the
question's verb for a noun ("By how much did Ostmark's GDP shrink ...?"). Made-up
articles."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "gdp.txt": """Ostmark economy shrinks
February 14, 2032
Ostmark's gross domestic product (GDP) shrank 0.4% in the last three months of 2031, the statistics office said.
Exports fell for a second quarter.
""",
    "debt.txt": """Ostmark debt warning
February 20, 2032
After a decade of stagnation and deficit spending, Ostmark's public debt is already about 120% of the country's gross domestic product (GDP).
The finance ministry said it would publish a plan to cut borrowing.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("shares"), ARTICLES)


def test_a_share_of_gdp_is_no_side_on_how_much_gdp_shrank(corpus):
    answer = rag.ask(
        "By how much did Ostmark's GDP shrink in the last quarter of 2031?",
        index_dir=corpus.index_dir,
    )
    assert not answer.conflicts, answer.answer
    assert "0.4%" in answer.answer.splitlines()[0], answer.answer
