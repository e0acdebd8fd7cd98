"""Does a cited passage support the sentence that cites it? One check, used by the answer
verifier and by the evals' citation precision.

A claim is supported by its evidence when all of these hold:

1. every number in the claim (digits: dates, counts, amounts) appears in the evidence;
2. the claim does not negate or deny what the quote affirms, or the reverse;
3. the quote itself holds at least two, and at least ``ANCHOR``, of the claim's content
   stems other than the attribution's (speaker, role, outlet): a claim cannot rest on who
   said something, and naming the speaker is not a claim;
4. it says what the evidence says, in one of two ways:
   - its words and phrasing: at least ``LEXICAL_ALONE`` of the claim's content stems are in
     the evidence and at least ``PHRASE`` of its pairs of consecutive content stems occur
     consecutively in the quote (recombined fragments of a passage fail here), or
   - its meaning: at least ``LEXICAL_WITH_MEANING`` of its content stems are in the
     evidence and the claim's embedding is close to the quote's (cosine >= ``SEMANTIC``,
     all-MiniLM-L6-v2).

The evidence is the quote plus what the citation says of it (speaker, role, outlet, date),
so "Marsh said ... [2]" is supported by a quote the index attributes to Marsh. A claim is the text that a group of [n]
markers closes (see ``split_claims``); answer labels ("Yes:") and the markers themselves are
not part of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.markers import SIDE_LABEL
from index.text import STOPWORDS, stem, words
from rag.evidence import polarity

LEXICAL_ALONE = 0.8
PHRASE = 0.5
LEXICAL_WITH_MEANING = 0.5
SEMANTIC = 0.7
ANCHOR = 0.5

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_REF = re.compile(r"\s*\[(\d+)\]")
_LABEL = re.compile(rf"^\s*(?:[-*]\s+)?(?:{SIDE_LABEL.pattern.lstrip('^')}\s*)?")

Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Support:
    """How well evidence backs a claim, and the verdict."""

    lexical: float  # share of the claim's content stems found in the evidence
    semantic: float  # cosine of the two embeddings (0 when no embedder is given)
    numbers_ok: bool
    polarity_ok: bool
    supported: bool
    anchored: bool = True  # the quote itself holds enough of the claim's words
    phrase: float = 1.0  # share of the claim's word pairs found together in the quote

    def to_dict(self) -> dict:
        return {
            "lexical": round(self.lexical, 3),
            "semantic": round(self.semantic, 3),
            "numbers_ok": self.numbers_ok,
            "polarity_ok": self.polarity_ok,
            "anchored": self.anchored,
            "phrase": round(self.phrase, 3),
            "supported": self.supported,
        }


def stem_sequence(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


def content_stems(text: str) -> set[str]:
    return set(stem_sequence(text))


def phrase_overlap(claim: str, quote: str) -> float:
    """Share of the claim's consecutive content-stem pairs that are consecutive in the quote."""
    seq = stem_sequence(claim)
    pairs = list(zip(seq, seq[1:], strict=False))
    if not pairs:
        return 1.0 if seq and seq[0] in content_stems(quote) else 0.0
    q = stem_sequence(quote)
    have = set(zip(q, q[1:], strict=False))
    return sum(p in have for p in pairs) / len(pairs)


def strip_claim(sentence: str) -> str:
    """The claim a sentence makes, without its [n] markers and answer labels."""
    return _REF.sub("", _LABEL.sub("", sentence, count=1)).strip()


def cited_numbers(sentence: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]


def check_support(claim: str, quote: str, about: str = "", embed: Embed | None = None) -> Support:
    """Whether a quote (and ``about``: who said it, where) supports a claim, by the rule in
    this module's docstring. Stance is read from the quote alone."""
    claim = strip_claim(claim)
    evidence = f"{quote} {about}".strip()
    numbers = set(_NUMBER.findall(claim))
    numbers_ok = all(n in evidence for n in numbers)
    polarity_ok = polarity(claim) == polarity(quote)
    terms = content_stems(claim)
    lexical = len(terms & content_stems(evidence)) / len(terms) if terms else 0.0
    said = terms - content_stems(about)  # what the claim says beyond who said it
    in_quote = len(said & content_stems(quote))
    anchored = in_quote >= 2 and in_quote >= ANCHOR * len(said)
    semantic = 0.0
    if embed is not None and claim and quote:
        a, b = embed([claim, quote])
        semantic = float(np.dot(a, b))
    phrase = phrase_overlap(claim, quote)
    worded = (lexical >= LEXICAL_ALONE and phrase >= PHRASE) or (
        lexical >= LEXICAL_WITH_MEANING and semantic >= SEMANTIC
    )
    return Support(
        lexical,
        semantic,
        numbers_ok,
        polarity_ok,
        numbers_ok and polarity_ok and anchored and worded,
        anchored,
        phrase,
    )


def about(citation) -> str:
    """What the index says of a quote: speaker, role, outlet, date."""
    extra = [citation.speaker, citation.role, citation.outlet, citation.date]
    return " ".join(x for x in extra if x and x != "unknown")


def split_claims(answer: str) -> list[str]:
    """The answer's claims, in order: each line is cut after every group of [n] markers, so
    a claim is the text its markers vouch for (a quote may hold two sentences); text after
    the last marker of a line is a claim with no citation."""
    out = []
    for line in answer.splitlines():
        parts = re.split(r"((?:\s*\[\d+\])+[.,;:]?)", line)
        claim = ""
        for i, part in enumerate(parts):
            claim += part
            if i % 2 == 1 or i == len(parts) - 1:
                if strip_claim(claim):
                    out.append(claim.strip())
                claim = ""
    return out


def sentence_support(
    answer: str, citations: Sequence, embed: Embed | None = None
) -> list[tuple[str, list[tuple[int, Support | None]]]]:
    """For each claim sentence: (sentence, [(n, Support or None when [n] points nowhere)])."""
    by_n = {c.n: c for c in citations}
    out = []
    for sentence in split_claims(answer):
        checks = []
        for n in cited_numbers(sentence):
            c = by_n.get(n)
            checks.append(
                (n, None if c is None else check_support(sentence, c.quote, about(c), embed))
            )
        out.append((sentence, checks))
    return out
