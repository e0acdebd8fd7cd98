"""Sentence-aware chunks sized to the embedder's window."""

from __future__ import annotations

from dataclasses import dataclass

from index.sentences import Span


@dataclass(frozen=True)
class Chunk:
    """Consecutive sentences [first, last] of one document."""

    first: int
    last: int
    start: int
    end: int


def chunk_sentences(sentences: list[Span], token_counts: list[int], max_tokens: int) -> list[Chunk]:
    """Group consecutive sentences up to max_tokens word-pieces; a longer sentence stands alone."""
    chunks: list[Chunk] = []
    first, used = 0, 0
    for i, count in enumerate(token_counts):
        if i > first and used + count > max_tokens:
            chunks.append(Chunk(first, i - 1, sentences[first].start, sentences[i - 1].end))
            first, used = i, 0
        used += count
    if sentences:
        last = len(sentences) - 1
        chunks.append(Chunk(first, last, sentences[first].start, sentences[last].end))
    return chunks
