"""The metrics on hand-made answers: retrieval definitions, the support check, refusals."""

import pytest

from core.types import Citation
from evals.cases import Case
from evals.metrics import overall, percentile, retrieval_metrics, score
from index.embedding import get_embedder
from rag.support import check_support, sentence_support

TEXT = {
    "doc-a": "The port of Eastmouth will reopen on 14 April, the harbour master said.",
    "doc-b": "The union said the port will not reopen before the summer.",
}


def _cite(n, doc, **more):
    text = TEXT[doc]
    return {
        "n": n,
        "doc_id": doc,
        "quote": text,
        "start": 0,
        "end": len(text),
        "title": "t",
        "outlet": "o",
        "date": "2026-01-01",
        "also_in": [],
        **more,
    }


def _answer(text, citations, refused=False, retrieved=()):
    return {
        "answer": text,
        "refused": refused,
        "citations": citations,
        "conflicts": [],
        "retrieved": [{"doc_id": d} for d in retrieved],
        "timings_ms": {"total": 5.0},
    }


@pytest.fixture(scope="module")
def embed():
    return get_embedder().encode


def test_retrieval_metrics_follow_the_llama_index_definitions():
    case = Case("c", "factoid", "q", must_cite=(("doc-a",), ("doc-b",)))
    m = retrieval_metrics(case, _answer("", [], retrieved=["doc-x", "doc-x", "doc-b", "doc-y"]))
    assert m == {"hit_rate": 1.0, "recall_at_k": 0.5, "mrr": 0.5}  # doc-b is 2nd distinct doc
    m = retrieval_metrics(case, _answer("", [], retrieved=["doc-x"]))
    assert m == {"hit_rate": 0.0, "recall_at_k": 0.0, "mrr": 0.0}
    assert retrieval_metrics(Case("r", "u", "q", refuse=True), _answer("", []))["mrr"] is None


def test_support_check_on_scripted_replies(embed):
    cites = [
        Citation(**{k: v for k, v in _cite(1, "doc-a").items()}),
        Citation(**_cite(2, "doc-b")),
    ]
    reply = (
        "The port of Eastmouth will reopen on 14 April, the harbour master said [1]. "
        "The mayor resigned after a corruption scandal [1]. "
        "The union said the port will reopen in April [2]. "
        "The harbour master expects the reopening on 14 April [3]."
    )
    correct, invented, flipped, nowhere = [
        checks[0][1] for _, checks in sentence_support(reply, cites, embed)
    ]
    assert correct.supported
    assert not invented.supported
    assert not flipped.supported and not flipped.polarity_ok
    assert nowhere is None  # [3] points to no citation
    wrong_date = check_support("The port reopens on 15 April [1].", TEXT["doc-a"], embed=embed)
    assert not wrong_date.supported and not wrong_date.numbers_ok


def test_score_counts_precision_fidelity_facts_and_refusals(embed):
    case = Case("c", "factoid", "When?", must_cite=(("doc-a",),), facts=("14 April",))
    good = score(case, _answer(f"{TEXT['doc-a']} [1]", [_cite(1, "doc-a")]), TEXT.get, embed)
    assert good.passed and good.metrics["citation_precision"] == 1.0
    assert good.metrics["quote_fidelity"] == 1.0 and good.metrics["key_facts"] == 1.0
    tampered = _cite(1, "doc-a", quote="The port of Eastmouth will reopen on 15 April.")
    bad = score(case, _answer("It reopens in May. [1]", [tampered]), TEXT.get, embed)
    assert bad.metrics["quote_fidelity"] == 0.0 and bad.metrics["citation_precision"] == 0.0
    assert bad.metrics["key_facts"] == 0.0 and not bad.passed
    refused = score(
        case, _answer("The sources don't cover this.", [], refused=True), TEXT.get, embed
    )
    assert refused.outcome == "false_refusal"
    unanswerable = Case("u", "unanswerable", "Who won?", refuse=True)
    answered = score(
        unanswerable, _answer(f"{TEXT['doc-a']} [1]", [_cite(1, "doc-a")]), TEXT.get, embed
    )
    assert answered.outcome == "false_answer"
    o = overall([good, bad, refused, answered])
    assert o["false_refusal"] == 1 and o["false_answer"] == 1 and o["refusal_accuracy"] == 0.5
    assert o["passed"] == 1 and o["latency_ms"]["total"]["p50"] == 5.0


def test_percentile_is_nearest_rank():
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([], 50) is None
