"""The BM25 keyword index over chunks (bm25s), saved beside the vector store."""

from __future__ import annotations

import difflib
import logging
import math
from pathlib import Path

import bm25s
import numpy as np

from index.text import stem, tokens

logging.getLogger("bm25s").setLevel(logging.WARNING)


class KeywordIndex:
    """BM25 over tokenised chunk texts; scores come back in chunk order."""

    def __init__(self, model: bm25s.BM25, size: int):
        self._model = model
        self.size = size
        self._vocab = model.vocab_dict or {}

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        model = bm25s.BM25()
        corpus = [tokens(t) or [""] for t in texts]
        model.index(corpus, show_progress=False)
        return cls(model, len(texts))

    def save(self, path: Path) -> None:
        self._model.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path, size: int) -> KeywordIndex:
        return cls(bm25s.BM25.load(str(path), show_progress=False), size)

    def knows_like(self, token: str) -> bool:
        """Whether a stemmed token, or a spelling of it ('tchaikovskiy' for 'tchaikovsky'),
        occurs in the corpus."""
        if token in self._vocab:
            return True
        if len(token) < 5:  # short words have too many neighbours one letter away
            return False
        return bool(difflib.get_close_matches(token, self._vocab.keys(), n=1, cutoff=0.85))

    def rarity(self, token: str) -> float:
        """Inverse chunk frequency of a stemmed token (log N/df); unknown tokens are rarest."""
        at = self._vocab.get(token)
        indptr = self._model.scores["indptr"]
        df = 0 if at is None else int(indptr[at + 1] - indptr[at])
        return math.log((self.size + 1) / (df + 1))

    def rarest(self, folded: list[str]) -> str:
        """The rarest in the corpus of some folded words (by their stems)."""
        return max(folded, key=lambda w: self.rarity(stem(w)))

    def scores(self, query: str) -> np.ndarray:
        terms = [t for t in tokens(query) if t in self._vocab]
        if not terms or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._model.get_scores(terms), dtype=np.float32)
