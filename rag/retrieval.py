"""Hybrid retrieval: dense (Chroma) and BM25 chunk rankings fused, spread across sources."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.store import IndexSnapshot
from rag.filters import Scope, nearest_chunks

RRF_K = 60


@dataclass(frozen=True)
class Hit:
    chunk: int
    score: float  # fused reciprocal-rank score
    dense: float  # cosine similarity, 0 when only BM25 found it
    keyword: float  # BM25 score, 0 when only the dense search found it


def fuse(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion: sum of 1/(k + rank) over the rankings an item appears in."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    return scores


def diversify(hits: list[Hit], snapshot: IndexSnapshot, top_k: int, per_doc: int = 2) -> list[Hit]:
    """Keep the fused order but let no document take more than per_doc of the first places."""
    chosen, rest, count = [], [], {}
    for h in hits:
        doc = int(snapshot.chunk_doc[h.chunk])
        if count.get(doc, 0) < per_doc:
            chosen.append(h)
            count[doc] = count.get(doc, 0) + 1
        else:
            rest.append(h)
    return (chosen + rest)[:top_k]


def top(scores: np.ndarray, k: int) -> list[int]:
    """The k best positive scores' positions, best first, without sorting every score."""
    hits = np.flatnonzero(scores > 0)
    if len(hits) > k:
        hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
    return [int(i) for i in hits[np.argsort(-scores[hits], kind="stable")]]


def retrieve(
    snapshot: IndexSnapshot,
    query: str,
    query_vector: np.ndarray,
    top_k: int,
    scope: Scope | None = None,
) -> list[Hit]:
    """The top_k chunks for a query, best first; only from the scope's documents when one
    is given."""
    pool = max(top_k * 3, 20)
    dense = nearest_chunks(snapshot, query_vector, pool, scope)
    bm25 = snapshot.keyword.scores(query)
    if scope is not None:
        bm25 = np.where(scope.mask[snapshot.chunk_doc], bm25, 0.0).astype(np.float32)
    order = top(bm25, pool)
    fused = fuse([[c for c, _ in dense], order])
    dense_by_chunk = dict(dense)
    hits = [
        Hit(c, s, dense_by_chunk.get(c, 0.0), float(bm25[c]))
        for c, s in sorted(fused.items(), key=lambda x: -x[1])
    ]
    return diversify(hits, snapshot, top_k)
