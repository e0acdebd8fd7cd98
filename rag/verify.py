"""Checks every answer must pass before it leaves rag.ask."""

from __future__ import annotations

import re

from index.store import IndexSnapshot
from rag.types import Citation

_REF = re.compile(r"\[(\d+)\]")


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
    used = {int(m) for m in _REF.findall(text)}
    problems += [f"[{n}] in the answer has no citation" for n in sorted(used - numbers)]
    problems += [f"citation [{n}] is never referred to" for n in sorted(numbers - used)]
    return problems
