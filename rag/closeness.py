"""Whether a text speaks of a word: the word itself, an inflection, or a word whose embedding
is close (the packaged sentence embedder, one word at a time, each embedded once per
process)."""

from __future__ import annotations

import numpy as np

from index.embedding import get_embedder
from index.text import STOPWORDS, fold, stem, words

WORD_MATCH = 0.6
# A sentence speaks of the question's verb with this word closeness ("approved" for "accept").
PREDICATE_MATCH = 0.55


_VECTORS: dict[tuple[str | None, str], np.ndarray] = {}


def word_vectors(words_: list[str], model: str | None) -> np.ndarray:
    """Embeddings of single words, each computed once per process (one batch for the new)."""
    new = sorted({w for w in words_ if (model, w) not in _VECTORS})
    if new:
        for w, v in zip(new, get_embedder(model).encode(new), strict=True):
            _VECTORS[(model, w)] = v
    return np.stack([_VECTORS[(model, w)] for w in words_])


def same_stem(term: str, sentence_words: list[str]) -> bool:
    """Whether the words hold the term or an inflection of it (no embedding needed)."""
    target = stem(fold(term))
    return any(stem(w) == target for w in sentence_words)


def covered(
    term: str, sentence_words: list[str], model: str | None, floor: float = WORD_MATCH
) -> bool:
    if same_stem(term, sentence_words):
        return True
    if not sentence_words:
        return False
    vectors = word_vectors([fold(term), *base_forms(sentence_words, model)], model)
    return bool((vectors[1:] @ vectors[0]).max() >= floor)


def base_forms(sentence_words: list[str], model: str | None) -> list[str]:
    """The words and, where the stem is a word of the embedder's vocabulary, their stems:
    "expanded" is compared as "expand" too, closer to "grow" than the inflected form."""
    embedder = get_embedder(model)
    out = list(sentence_words)
    for w in sentence_words:
        s = stem(w)
        if s != w and embedder.is_word(s):
            out.append(s)
    return out


def content_words(text: str) -> list[str]:
    return sorted({w for w in words(text) if w not in STOPWORDS and len(w) > 1})


def speaks_of(
    term: str, texts: list[str], model: str | None = None, floor: float = WORD_MATCH
) -> list[bool]:
    """For each text, whether it holds the word, an inflection of it, or a word close in
    meaning (the words of all texts that need it are embedded in one batch)."""
    per_text = [content_words(t) for t in texts]
    unmatched = [w for ws in per_text if not same_stem(term, ws) for w in ws]
    if unmatched:  # only the texts an inflection does not settle need their words' vectors
        word_vectors([fold(term), *base_forms(unmatched, model)], model)
    return [covered(term, ws, model, floor) for ws in per_text]
