"""Cleaning: split a document into paragraphs and drop blocks it repeats."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.sentences import Span

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Cleaned:
    """The paragraphs kept, with offsets into the original text, and the ones dropped."""

    paragraphs: list[Span]
    dropped: list[Span]


def _key(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def paragraphs(text: str) -> list[Span]:
    """Every non-blank line is a paragraph (news text puts one paragraph per line)."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append(Span(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(line)
    return out


def clean(text: str) -> Cleaned:
    """Drop any paragraph that repeats one already kept (pasted twice, repeated bylines)."""
    seen: set[str] = set()
    kept, dropped = [], []
    for para in paragraphs(text):
        key = _key(para.text)
        if key in seen:
            dropped.append(para)
        else:
            seen.add(key)
            kept.append(para)
    return Cleaned(kept, dropped)
