"""Deterministic answer-quality metrics: per question, then over the set. No LLM judge.

Each metric is defined in DEFINITIONS (the report prints them). Per-question values are
None where a metric does not apply (no gold documents, no citations, ...); the overall
figure is the mean over the questions where it applies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from core.markers import markers
from evals.cases import Case
from rag.support import (
    LEXICAL_ALONE,
    LEXICAL_WITH_MEANING,
    PHRASE,
    SEMANTIC,
    Support,
    about,
    check_support,
    split_claims,
)

DEFINITIONS = {
    "hit_rate": "Retrieval: 1 if any gold document is among the retrieved passages, else 0 "
    "(llama-index RetrieverEvaluator's hit rate). Answerable questions with gold documents.",
    "recall_at_k": "Retrieval: share of gold document groups with a document among the top-k "
    "retrieved passages (llama-index's recall).",
    "mrr": "Retrieval: 1/rank of the first retrieved document (distinct documents, in "
    "retrieval order) that is gold, 0 if none (llama-index's MRR).",
    "citation_recall": "Share of gold document groups the answer cites (1.0 = every group).",
    "citation_precision": "ALCE-style: share of the answer's citations whose quote supports "
    "the claim that cites it. Support (rag/support.py, the check that also filters LLM "
    "answers): every number of the claim is in the evidence; claim and quote agree on "
    "negation/denial; the quote holds at least half of the claim's content words (two or "
    f"more); and either {LEXICAL_ALONE:.0%} of the content words are in the quote or its "
    f"attribution with {PHRASE:.0%} of the claim's consecutive word pairs found together in "
    f"the quote, or {LEXICAL_WITH_MEANING:.0%} of the words with an embedding cosine of at "
    f"least {SEMANTIC} (all-MiniLM-L6-v2).",
    "quote_fidelity": "Share of citations whose quote equals the document text at its "
    "offsets. Must stay 1.0.",
    "key_facts": "Share of the gold key facts (strings) that the answer contains.",
    "refusal_accuracy": "Share of questions refused exactly when the gold says the corpus "
    "cannot answer. False refusals and false answers are counted apart.",
    "conflict_coverage": "Where the gold says the sources disagree: 1 if the answer reports a "
    "conflict with two cited sides (and, where gold sides are given, each gold side is cited "
    "on its own side).",
    "false_conflict": "Answerable pairs whose gold reports no conflict: 1 if the answer "
    "reports one. Lower is better. Fails the pair only in the 'agree' category, written to "
    "show sources that agree; elsewhere the gold may be silent on a real conflict.",
    "duplicate_handling": "Where the gold says a cited sentence has wire copies: 1 if no two "
    "citations quote the same sentence from different copies and a citation names the copies "
    "(also_in), so a copy is counted once.",
    "pass_rate": "Share of questions with no failure at all.",
}
QUALITY = list(DEFINITIONS)  # the order of the report's table
LOWER_IS_BETTER = frozenset({"false_conflict"})


@dataclass
class Scored:
    """One question's answer, its metric values and what failed."""

    case: Case
    answer: dict
    metrics: dict[str, float | None] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    support: list[dict] = field(default_factory=list)  # per claim and citation
    outcome: str = ""  # correct_answer, correct_refusal, false_refusal, false_answer
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures


def _matches(doc_id: str, group: tuple[str, ...]) -> bool:
    return any(doc_id.startswith(p) for p in group)


def retrieval_metrics(case: Case, answer: dict) -> dict[str, float | None]:
    if case.refuse or not case.must_cite:
        return {"hit_rate": None, "recall_at_k": None, "mrr": None}
    ranked: list[str] = []
    for p in answer.get("retrieved", []):
        if p["doc_id"] not in ranked:
            ranked.append(p["doc_id"])
    found = [g for g in case.must_cite if any(_matches(d, g) for d in ranked)]
    first = next(
        (i for i, d in enumerate(ranked, 1) if any(_matches(d, g) for g in case.must_cite)), None
    )
    return {
        "hit_rate": 1.0 if found else 0.0,
        "recall_at_k": len(found) / len(case.must_cite),
        "mrr": 1.0 / first if first else 0.0,
    }


def _citation(d: dict):
    from core.types import Citation

    keep = {k: v for k, v in d.items() if k in Citation.__dataclass_fields__}
    keep["also_in"] = tuple(keep.get("also_in", ()))
    keep["also_reported_by"] = tuple(keep.get("also_reported_by", ()))
    return Citation(**keep)


def _near_same(a: str, b: str) -> bool:
    ta, tb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.8


def score(
    case: Case,
    answer: dict,
    texts: Callable[[str], str | None],
    embed=None,
) -> Scored:
    """All metrics of one answer; ``texts(doc_id)`` gives a document's text (for quotes)."""
    s = Scored(case, answer)
    m = s.metrics
    cites = answer["citations"]
    refused = answer["refused"]
    # refusals
    if case.refuse:
        s.outcome = "correct_refusal" if refused else "false_answer"
    else:
        s.outcome = "false_refusal" if refused else "correct_answer"
    m["refusal_accuracy"] = 1.0 if s.outcome.startswith("correct") else 0.0
    if s.outcome == "false_answer":
        s.failures.append("answered a question the corpus cannot answer")
    if s.outcome == "false_refusal":
        s.failures.append("refused a question the corpus answers")
    m.update(retrieval_metrics(case, answer))
    # citations
    cited = [c["doc_id"] for c in cites]
    if case.must_cite and not case.refuse:
        got = [g for g in case.must_cite if any(_matches(d, g) for d in cited)]
        m["citation_recall"] = len(got) / len(case.must_cite)
        for g in case.must_cite:
            if g not in got and not refused:
                s.failures.append(f"cites none of {'/'.join(g)}")
    else:
        m["citation_recall"] = None
    exact = [
        texts(c["doc_id"]) is not None and texts(c["doc_id"])[c["start"] : c["end"]] == c["quote"]
        for c in cites
    ]
    m["quote_fidelity"] = sum(exact) / len(exact) if exact else None
    for c, ok in zip(cites, exact, strict=True):
        if not ok:
            s.failures.append(f"[{c['n']}] quote is not the text of {c['doc_id']} at its offsets")
    m["citation_precision"] = _precision(s, answer, embed)
    # facts
    text = answer["answer"].lower()
    if case.facts and not case.refuse:
        have = [f for f in case.facts if f.lower() in text]
        m["key_facts"] = len(have) / len(case.facts)
        s.failures += [f"missing fact {f!r}" for f in case.facts if f not in have and not refused]
    else:
        m["key_facts"] = None
    m["conflict_coverage"] = _conflict(s, answer) if case.conflict else None
    m["false_conflict"] = None
    if not case.conflict and not case.refuse and not refused:
        m["false_conflict"] = 1.0 if answer["conflicts"] else 0.0
        # a pair written to show agreement fails on a conflict; elsewhere the gold may just
        # be silent on one, so the rate is reported without failing the pair
        if answer["conflicts"] and case.category == "agree":
            s.failures.append("reports a conflict where the sources agree")
    m["duplicate_handling"] = _duplicates(s, answer) if case.also_in else None
    m["pass_rate"] = 0.0 if s.failures else 1.0
    return s


def _precision(s: Scored, answer: dict, embed) -> float | None:
    by_n = {c["n"]: _citation(c) for c in answer["citations"]}
    total = supported = 0
    for claim in split_claims(answer["answer"]):
        for n in markers(claim):
            total += 1
            c = by_n.get(n)
            verdict: Support | None = (
                None if c is None else check_support(claim, c.quote, about(c), embed)
            )
            ok = verdict is not None and verdict.supported
            supported += ok
            s.support.append(
                {"claim": claim, "n": n, **(verdict.to_dict() if verdict else {"supported": False})}
            )
            if not ok:
                why = "points to no citation" if c is None else "is not supported by its quote"
                s.failures.append(f"[{n}] {why}: {claim[:80]!r}")
    return supported / total if total else None


def _conflict(s: Scored, answer: dict) -> float:
    by_n = {c["n"]: c["doc_id"] for c in answer["citations"]}
    for conflict in answer["conflicts"]:
        sides = [[by_n[n] for n in side if n in by_n] for side in conflict["sides"]]
        if len(sides) < 2 or not all(sides):
            continue
        if not s.case.sides:
            return 1.0
        a, b = s.case.sides

        def on(side, group):
            return any(_matches(d, group) for d in side)

        if (on(sides[0], a) and on(sides[1], b)) or (on(sides[0], b) and on(sides[1], a)):
            return 1.0
    s.failures.append("does not report the disagreement with both sides cited")
    return 0.0


def _duplicates(s: Scored, answer: dict) -> float:
    cites = answer["citations"]
    for i, a in enumerate(cites):
        for b in cites[i + 1 :]:
            if a["doc_id"] != b["doc_id"] and _near_same(a["quote"], b["quote"]):
                s.failures.append(f"[{a['n']}] and [{b['n']}] quote the same sentence twice")
                return 0.0
    if not any(c["also_in"] for c in cites):
        s.failures.append("no citation names the other copies (also_in)")
        return 0.0
    return 1.0


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0..100), nearest-rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[k]


def by_split(scored: list[Scored]) -> dict:
    """overall() of each split (dev, test) that has questions."""
    splits: dict[str, list[Scored]] = {}
    for s in scored:
        splits.setdefault(s.case.split, []).append(s)
    return {name: overall(group) for name, group in sorted(splits.items())}


def overall(scored: list[Scored]) -> dict:
    """Mean of each metric where it applies, refusal counts and latency percentiles."""
    out: dict = {}
    for name in QUALITY:
        values = [s.metrics[name] for s in scored if s.metrics.get(name) is not None]
        out[name] = sum(values) / len(values) if values else None
    for outcome in ("correct_answer", "correct_refusal", "false_refusal", "false_answer"):
        out[outcome] = sum(s.outcome == outcome for s in scored)
    out["missed_conflicts"] = sum(s.metrics.get("conflict_coverage") == 0.0 for s in scored)
    out["false_conflicts"] = sum(s.metrics.get("false_conflict") == 1.0 for s in scored)
    out["questions"] = len(scored)
    out["passed"] = sum(s.passed for s in scored)
    stages: dict[str, list[float]] = {}
    for s in scored:
        for stage, ms in s.answer.get("timings_ms", {}).items():
            stages.setdefault(stage, []).append(ms)
    out["latency_ms"] = {
        stage: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)}
        for stage, v in stages.items()
    }
    # LLM generators: how much of the drafts survived verification, how often the extractive
    # answer had to stand in, and generation speed.
    drafted = [s.answer for s in scored if s.answer.get("generation")]
    if drafted:
        grounded = [a["groundedness"] for a in drafted if a.get("groundedness") is not None]
        speeds = [
            a["generation"]["tokens_per_second"]
            for a in drafted
            if a["generation"].get("tokens_per_second")
        ]
        out["generation"] = {
            "answers": len(drafted),
            "groundedness": sum(grounded) / len(grounded) if grounded else None,
            "fallbacks": sum(1 for a in drafted if a.get("fallback")),
            "dropped_sentences": sum(len(a.get("dropped", [])) for a in drafted),
            "tokens_per_second_p50": percentile(speeds, 50),
        }
    return out
