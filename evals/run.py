"""Run evals/qa.yaml through an ask function and check each answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

QA_FILE = Path(__file__).resolve().parent / "qa.yaml"


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    question: str
    history: tuple[str, ...] = ()
    refuse: bool = False
    must_cite: tuple[tuple[str, ...], ...] = ()
    facts: tuple[str, ...] = ()
    conflict: bool = False
    also_in: bool = False


@dataclass
class Result:
    case: Case
    answer: dict
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_cases(path: Path = QA_FILE) -> list[Case]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    cases = []
    for i, row in enumerate(raw):
        if not isinstance(row, dict) or "question" not in row or "id" not in row:
            raise ValueError(f"{path}: entry {i} needs at least 'id' and 'question'")
        cases.append(
            Case(
                id=row["id"],
                category=row.get("category", "uncategorised"),
                question=row["question"],
                history=tuple(row.get("history", ())),
                refuse=bool(row.get("refuse", False)),
                must_cite=tuple(tuple(g) for g in row.get("must_cite", ())),
                facts=tuple(str(f) for f in row.get("facts", ())),
                conflict=bool(row.get("conflict", False)),
                also_in=bool(row.get("also_in", False)),
            )
        )
    return cases


def judge(case: Case, answer: dict) -> list[str]:
    """What is wrong with an answer, as short sentences; empty when it passes."""
    failures = []
    if case.refuse:
        if not answer["refused"]:
            failures.append("answered a question the corpus cannot answer")
        return failures
    if answer["refused"]:
        return ["refused a question the corpus answers"]
    cited = [c["doc_id"] for c in answer["citations"]]
    for group in case.must_cite:
        if not any(d.startswith(p) for d in cited for p in group):
            failures.append(f"cites none of {'/'.join(group)}")
    text = answer["answer"].lower()
    failures += [f"missing fact {f!r}" for f in case.facts if f.lower() not in text]
    if case.conflict and not answer["conflicts"]:
        failures.append("no conflict listed")
    if case.also_in and not any(c["also_in"] for c in answer["citations"]):
        failures.append("no citation names the other copies (also_in)")
    return failures


def run(ask: Callable, cases: list[Case] | None = None) -> list[Result]:
    """Ask every case and judge the answers."""
    results = []
    for case in cases if cases is not None else load_cases():
        answer = ask(case.question, history=list(case.history)).to_dict()
        results.append(Result(case, answer, judge(case, answer)))
    return results
