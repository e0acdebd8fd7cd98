"""Sentence splitting that keeps character offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a period does not end a sentence.
_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "st",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "vs",
        "etc",
        "inc",
        "corp",
        "ltd",
        "co",
        "jr",
        "sr",
        "mt",
        "ft",
        "approx",
        "dept",
        "est",
        "fig",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
        "i.e",
        "e.g",
    ]
)
# End of sentence: terminal punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+)")
_LINE_MARKUP = re.compile(r"(?:#{1,6}|>|[-*+\u2022]|\d{1,2}[.)])\s+")
_OPENING = re.compile(r"[\"'\u201c\u2018(\[]*[A-Z0-9]")


@dataclass(frozen=True)
class Span:
    """A piece of text and where it stands in the original string."""

    start: int
    end: int
    text: str


def _is_abbreviation(text: str, dot: int) -> bool:
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    return word in _ABBREV or (len(word) == 1 and word.isalpha())


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Split one paragraph into sentences; offsets are relative to ``offset``."""
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        rest = text[end:].lstrip()
        if not rest or not _OPENING.match(rest):
            continue
        punct = m.group(0)
        single_dot = punct.startswith(".") and len(punct.rstrip("\"'\u201d\u2019)]")) == 1
        if single_dot and _is_abbreviation(text, m.start()):
            continue
        if text[start : m.start()].strip().isdigit():  # "1. First item", a list number
            continue
        spans.append(_trimmed(text, start, end, offset))
        start = end
    spans.append(_trimmed(text, start, len(text), offset))
    return [s for s in spans if s.text]


def _trimmed(text: str, start: int, end: int, offset: int) -> Span:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    if start == 0:  # a line's Markdown heading, quote or bullet marker is not part of the text
        m = _LINE_MARKUP.match(piece, lead)
        if m and m.end() < len(piece.rstrip()):
            lead = m.end()
    piece = piece[lead:].rstrip()
    return Span(offset + start + lead, offset + start + lead + len(piece), piece)
