"""Checks every answer must pass before it leaves rag.ask, and the verifier of LLM drafts."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from core.markers import CITATION, markers
from core.types import Citation, Conflict
from index.sentences import split_sentences
from index.store import IndexSnapshot
from rag.support import Support, about, check_support


def check(snapshot: IndexSnapshot, text: str, citations: list[Citation]) -> list[str]:
    """Problems found: quotes that are not the document's text, [n] that point nowhere or
    citations that nothing refers to. An empty list means the answer is sound."""
    problems = []
    numbers = {c.n for c in citations}
    for c in citations:
        doc = snapshot.docs.get(c.doc_id)
        if doc is None:
            problems.append(f"[{c.n}] cites {c.doc_id}, which is not in the index")
        elif doc.text[c.start : c.end] != c.quote:
            problems.append(f"[{c.n}] quote differs from {c.doc_id}[{c.start}:{c.end}]")
    used = set(markers(text))
    problems += [f"[{n}] in the answer has no citation" for n in sorted(used - numbers)]
    problems += [f"citation [{n}] is never referred to" for n in sorted(numbers - used)]
    return problems


_LABEL = re.compile(r"^- [^\n]*?: ")


def repair(
    snapshot: IndexSnapshot,
    text: str,
    citations: list[Citation],
    conflicts: list[Conflict],
    openers: tuple[str, ...] = (),
) -> tuple[str, list[Citation], list[Conflict]]:
    """An answer cut down to the lines ``check`` finds sound, its citations renumbered.

    A line goes when it refers to a number that has no citation or whose quote is not the
    document's text; citations no line refers to go; a conflict that loses a side goes, and
    with the last conflict its opening line (one of ``openers``) and the side labels. The
    text is empty when no cited line is left.
    """
    bad = {
        c.n
        for c in citations
        if c.doc_id not in snapshot.docs or snapshot.docs[c.doc_id].text[c.start : c.end] != c.quote
    }
    good = {c.n for c in citations} - bad
    lines = [ln for ln in text.splitlines() if all(n in good for n in markers(ln))]
    order: dict[int, int] = {}
    for n in markers("\n".join(lines)):
        order.setdefault(n, len(order) + 1)
    kept_conflicts = []
    for k in conflicts:
        sides = tuple(tuple(order[n] for n in side if n in order) for side in k.sides)
        if all(sides):
            kept_conflicts.append(replace(k, sides=sides))
    if conflicts and not kept_conflicts:
        # the dispute is gone: its opener and its side labels ("- Yes: ", "- $9.3bn (...): ")
        # would present one side as a disagreement
        lines = [ln for ln in lines if ln.strip() not in openers]
        lines = [_LABEL.sub("- ", ln) for ln in lines]
        if lines:
            lines[0] = lines[0].removeprefix("- ")
    if not any(markers(ln) for ln in lines):
        return "", [], []
    text = CITATION.sub(lambda m: f"[{order[int(m.group(1))]}]", "\n".join(lines))
    renumbered = sorted(
        (replace(c, n=order[c.n]) for c in citations if c.n in order), key=lambda c: c.n
    )
    return text, renumbered, kept_conflicts


# --- drafts written by an LLM --------------------------------------------------------------

_MARKERS = re.compile(r"\s*(?:\[\d+(?:\s*,\s*\d+)*\]\s*)+")
_NUMS = re.compile(r"\d+")
_NO_ANSWER = re.compile(
    r"\b(?:sources?|passages?|articles?)\b.{0,30}\b(?:don'?t|do not|does not)\b"
    r".{0,20}\b(?:cover|answer|say|mention)",
    re.I | re.S,
)


@dataclass
class Verified:
    """A draft cut down to the sentences its citations support."""

    sentences: list[tuple[str, list[int]]]  # kept: (text without markers, supporting [n])
    dropped: list[dict]  # {"sentence": ..., "reason": ...}
    total: int  # sentences in the draft
    says_no_answer: bool = False

    @property
    def groundedness(self) -> float:
        return len(self.sentences) / self.total if self.total else 0.0


def _sentences(draft: str) -> list[str]:
    out = []
    for line in draft.splitlines():
        line = re.sub(r"^\s*(?:[-*\u2022]|\d+[.)])\s+", "", line).strip()
        if line:
            out += [s.text for s in split_sentences(line)]
    # A marker group the splitter left at the start of the next sentence belongs to the
    # sentence before it ("... reopen. [1] The mayor said ...").
    fixed: list[str] = []
    for s in out:
        m = re.match(r"^((?:\[\d+(?:\s*,\s*\d+)*\]\s*)+)(.*)$", s, re.S)
        if m and fixed:
            fixed[-1] = f"{fixed[-1]} {m.group(1).strip()}"
            s = m.group(2).strip()
        if s:
            fixed.append(s)
    return fixed


def _why(support: Support) -> str:
    if not support.numbers_ok:
        return "a number is not in the passage"
    if not support.polarity_ok:
        return "says the opposite of the passage"
    return "the passage does not say this"


def verify_draft(draft: str, citations: list[Citation], embed=None) -> Verified:
    """Keep each sentence of an LLM draft only when a passage it cites supports it.

    A sentence with no [n], or whose [n] all point nowhere or fail the support check
    (rag.support), is dropped with the reason; [n] that point nowhere or do not support the
    sentence are removed from the sentences that stay.
    """
    by_n = {c.n: c for c in citations}
    kept, dropped = [], []
    sentences = _sentences(draft)
    no_answer = False
    for sentence in sentences:
        numbers = [
            int(x) for g in re.findall(r"\[([\d\s,]+)\]", sentence) for x in _NUMS.findall(g)
        ]
        claim = _MARKERS.sub(" ", sentence).strip()
        claim = re.sub(r"[\[\]]", "", claim)  # a bracket of a marker cut short
        claim = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", claim)).strip()
        if not re.search(r"\w", claim):
            continue  # a stray marker
        if _NO_ANSWER.search(claim):
            no_answer = True
            dropped.append({"sentence": sentence, "reason": "says the sources do not answer"})
            continue
        if not numbers:
            dropped.append({"sentence": sentence, "reason": "cites no passage"})
            continue
        good, reasons = [], []
        for n in dict.fromkeys(numbers):
            c = by_n.get(n)
            if c is None:
                reasons.append(f"[{n}] points to no passage")
                continue
            verdict = check_support(claim, c.quote, about(c), embed)
            if verdict.supported:
                good.append(n)
            else:
                reasons.append(f"[{n}]: {_why(verdict)}")
        if good:
            kept.append((claim, good))
        else:
            dropped.append({"sentence": sentence, "reason": "; ".join(reasons)})
    return Verified(kept, dropped, len(sentences), no_answer)
