"""The BM25 keyword index over chunks, saved beside the vector store and updated in place.

Stored as each chunk's term counts (a sparse matrix, one row per chunk, named by its chunk
id) and the vocabulary: a build that adds or removes documents keeps the other rows as they
are and tokenises only the new chunks; document frequencies and lengths are recomputed from
the rows when the index is loaded. Scores are Lucene's BM25 (k1 1.5, b 0.75), one per
chunk in the order the reader asks for.
"""

from __future__ import annotations

import difflib
import json
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from index.text import stem, tokens

K1 = 1.5
B = 0.75
_ROWS = "rows.json"
_VOCAB = "vocab.json"
_COUNTS = "counts.npz"
_TOKENS = "tokens.json"


@lru_cache(maxsize=1)
def tokens_fingerprint() -> str:
    """What the stored term counts depend on: the stop-words and the stemmer. Counts saved
    under another fingerprint are of other tokens, and the index is built anew."""
    import hashlib

    import Stemmer

    from index.text import STOPWORDS

    probe = " ".join(stem(w) for w in ("running", "organisations", "elected", "studies"))
    text = "|".join(sorted(STOPWORDS)) + "|" + probe + "|" + getattr(Stemmer, "__version__", "")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _doc_key(chunk_id: str) -> str:
    return chunk_id.rpartition("#")[0]


class KeywordIndex:
    """BM25 over tokenised chunk texts; scores come back in the reader's chunk order."""

    def __init__(self, rows: list[str], vocab: list[str], counts: sparse.csr_matrix):
        self.rows = rows  # chunk id of each row
        self.terms = vocab  # term of each column
        self.counts = counts  # rows x terms, how often each term is in each chunk
        self.size = len(rows)
        self._order: np.ndarray | None = None  # reader's chunk i -> row
        self._prepare()

    def _prepare(self) -> None:
        self._columns = self.counts.tocsc()
        self._df = np.diff(self._columns.indptr)
        self._occurrences = np.asarray(self._columns.sum(axis=0)).ravel()
        self._vocab = {t: i for i, t in enumerate(self.terms)}  # every one in some chunk
        self._lengths = np.asarray(self.counts.sum(axis=1)).ravel().astype(np.float32)
        self._avg = float(self._lengths.mean()) if self.size else 1.0

    # -- building -----------------------------------------------------------------

    @classmethod
    def build(cls, chunks: list[tuple[str, str]]) -> KeywordIndex:
        """An index of (chunk id, text) pairs."""
        return cls.empty().updated(set(), chunks)

    @classmethod
    def empty(cls) -> KeywordIndex:
        return cls([], [], sparse.csr_matrix((0, 0), dtype=np.float32))

    def updated(self, removed_keys: set[str], added: list[tuple[str, str]]) -> KeywordIndex:
        """A new index without the chunks of the removed document keys, with the added
        (chunk id, text) pairs; the kept rows are not tokenised again."""
        keep = [i for i, c in enumerate(self.rows) if _doc_key(c) not in removed_keys]
        vocab = list(self.terms)
        at = {t: i for i, t in enumerate(vocab)}
        data, cols, indptr = [], [], [0]
        for _, text in added:
            for term, n in sorted(Counter(tokens(text)).items()):
                if term not in at:
                    at[term] = len(vocab)
                    vocab.append(term)
                cols.append(at[term])
                data.append(n)
            indptr.append(len(cols))
        shape = (len(added), len(vocab))
        new = sparse.csr_matrix(
            (np.asarray(data, np.float32), np.asarray(cols, np.int32), np.asarray(indptr)),
            shape=shape,
        )
        old = self.counts[keep] if keep else sparse.csr_matrix((0, 0), dtype=np.float32)
        old.resize((len(keep), len(vocab)))
        counts = sparse.vstack([old, new], format="csr")
        used = counts.getnnz(axis=0) > 0  # terms of removed chunks only are dropped
        if not used.all():
            counts = counts[:, np.flatnonzero(used)]
            vocab = [t for t, u in zip(vocab, used, strict=True) if u]
        rows = [self.rows[i] for i in keep] + [c for c, _ in added]
        return KeywordIndex(rows, vocab, counts)

    def documents(self) -> set[str]:
        """The document keys the index holds chunks of."""
        return {_doc_key(c) for c in self.rows}

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        sparse.save_npz(path / _COUNTS, self.counts)
        (path / _ROWS).write_text(json.dumps(self.rows), encoding="utf-8")
        (path / _VOCAB).write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")
        (path / _TOKENS).write_text(json.dumps(tokens_fingerprint()), encoding="utf-8")

    @staticmethod
    def exists(path: Path) -> bool:
        """Whether a saved index of this kind and of today's tokens is at path (another is
        built anew)."""
        if not all((path / name).exists() for name in (_COUNTS, _ROWS, _VOCAB, _TOKENS)):
            return False
        try:
            return json.loads((path / _TOKENS).read_text(encoding="utf-8")) == tokens_fingerprint()
        except (OSError, ValueError):
            return False

    @classmethod
    def load(
        cls, path: Path, order: list[str] | None = None, reading: bool = False
    ) -> KeywordIndex:
        """The index saved at path; ``order``: the chunk ids in the order the reader numbers
        chunks (scores come back in that order). ``reading``: only for scoring, which keeps
        the term counts once (by term) instead of twice; such an index cannot be updated."""
        rows = json.loads((path / _ROWS).read_text(encoding="utf-8"))
        vocab = json.loads((path / _VOCAB).read_text(encoding="utf-8"))
        index = cls(rows, vocab, sparse.load_npz(path / _COUNTS).tocsr())
        if reading:
            index.counts = None
        if order is not None:
            row_of = {c: i for i, c in enumerate(rows)}
            index._order = np.asarray([row_of.get(c, -1) for c in order], dtype=np.int64)
            index.size = len(order)
        return index

    # -- reading --------------------------------------------------------------------

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
        df = 0 if at is None else int(self._df[at])
        return math.log((len(self.rows) + 1) / (df + 1))

    def sentence_idf(self, token: str, sentences: int) -> float:
        """log(1 + S/n) of a stemmed token over a corpus of S sentences, n its occurrences
        (close to the number of sentences holding it: a word seldom comes twice in one);
        an unknown token weighs most."""
        at = self._vocab.get(token)
        n = int(self._occurrences[at]) if at is not None else 0
        return math.log(1 + sentences / max(n, 1))

    def rarest(self, folded: list[str]) -> str:
        """The rarest in the corpus of some folded words (by their stems)."""
        return max(folded, key=lambda w: self.rarity(stem(w)))

    def scores(self, query: str) -> np.ndarray:
        """The BM25 score of every chunk for a query; only the chunks holding one of its
        terms are scored."""
        terms = [self._vocab[t] for t in tokens(query) if t in self._vocab]
        by_row = np.zeros(len(self.rows), dtype=np.float32)
        n = len(self.rows)
        for t in terms:
            lo, hi = self._columns.indptr[t], self._columns.indptr[t + 1]
            rows, tf = self._columns.indices[lo:hi], self._columns.data[lo:hi]
            df = hi - lo
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            norm = K1 * (1 - B + B * self._lengths[rows] / self._avg)
            by_row[rows] += idf * tf * (K1 + 1) / (tf + norm)
        if self._order is None:
            return by_row
        out = np.zeros(self.size, dtype=np.float32)
        known = self._order >= 0
        out[known] = by_row[self._order[known]]
        return out
