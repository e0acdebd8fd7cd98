"""The hand-written pairs of evals/qa.yaml: enough of them, of every kind. The gate `make
test` applies to them (every pair through rag.ask against evals/baseline.json) is
tests/evals/test_report.py::test_qa_set_passes_its_gate, whose run the report tests read."""

from evals.run import load_cases


def test_qa_set_is_big_and_varied():
    cases = load_cases()
    assert len(cases) >= 60
    categories = {c.category for c in cases}
    assert {
        "factoid",
        "who-said-what",
        "date",
        "conflict",
        "duplicate",
        "follow-up",
        "unanswerable",
    } <= categories
    assert sum(c.refuse for c in cases) >= 10
    assert sum(len(c.history) >= 2 for c in cases) >= 2  # multi-turn conversations
