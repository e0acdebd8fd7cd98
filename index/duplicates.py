"""Near-duplicate sentences across documents, and documents that carry the same story.

Two sentences are near-duplicates when their embeddings are close *and* they share most of
their content words *and* they give the same values (numbers, dates, names: index.values): a
wire copy or a retelling, not merely the same topic. Sentences identical but for a figure or
a name are the clearest disagreement there is, never a copy. Two documents carry the same
story when a large share of the shorter one's sentences repeat the other.
"""

from __future__ import annotations

import numpy as np

from index.values import Value, differ, same

# (cosine, word overlap) pairs: close in meaning with many shared words, or closer still.
SENTENCE_RULES = ((0.84, 0.4), (0.80, 0.6))
SENTENCE_COSINE = min(c for c, _ in SENTENCE_RULES)
STORY_SHARE = 0.3
# Bump when the rule changes: every build's duplicate groups are recomputed.
RULE_VERSION = 7
MIN_WORDS = 5


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def values_agree(a: list[Value], b: list[Value]) -> bool:
    """No value of one sentence is contradicted by the other: a value of one kind that the
    other gives differently (a value only one of them gives, or that the entity recogniser
    read in one and not the other, is not a contradiction)."""
    own_a = [x for x in a if not any(same(x, y) for y in b)]
    own_b = [y for y in b if not any(same(y, x) for x in a)]
    return not any(differ(x, y) for x in own_a for y in own_b)


def find_duplicates(
    doc_ids: list[str],
    vectors: np.ndarray,
    token_sets: list[set[str]],
    values: list[list[Value]] | None = None,
    block: int = 2048,
) -> tuple[list[list[int]], list[dict]]:
    """Groups of near-duplicate sentences (global numbers) and same-story document pairs.

    ``doc_ids[i]``, ``vectors[i]``, ``token_sets[i]`` and ``values[i]`` describe sentence i.
    """
    n = len(doc_ids)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    docs = np.array(doc_ids)
    eligible = np.array([len(t) >= MIN_WORDS for t in token_sets])
    pairs: set[tuple[str, str, int]] = set()
    for lo in range(0, n, block):
        sims = vectors[lo : lo + block] @ vectors.T
        rows, cols = np.nonzero(sims >= SENTENCE_COSINE)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i = lo + r
            if c <= i or docs[i] == docs[c] or not (eligible[i] and eligible[c]):
                continue
            overlap = _overlap(token_sets[i], token_sets[c])
            if not any(sims[r, c] >= cos and overlap >= ov for cos, ov in SENTENCE_RULES):
                continue
            if values is not None and not values_agree(values[i], values[c]):
                continue
            parent[find(i)] = find(c)
            pairs.add((docs[i], docs[c], i))
            pairs.add((docs[c], docs[i], c))
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    sentence_groups = [g for g in groups.values() if len(g) > 1]
    return sentence_groups, _stories(doc_ids, eligible, pairs)


def _stories(
    doc_ids: list[str], eligible: np.ndarray, pairs: set[tuple[str, str, int]]
) -> list[dict]:
    sizes: dict[str, int] = {}
    for d, ok in zip(doc_ids, eligible.tolist(), strict=True):
        if ok:
            sizes[d] = sizes.get(d, 0) + 1
    shared: dict[tuple[str, str], set[int]] = {}
    for a, b, i in pairs:
        shared.setdefault((a, b), set()).add(i)
    stories = []
    for (a, b), sentences in sorted(shared.items()):
        if a >= b:
            continue
        share_a = len(sentences) / max(sizes.get(a, 1), 1)
        share_b = len(shared.get((b, a), ())) / max(sizes.get(b, 1), 1)
        share = max(share_a, share_b)
        if share >= STORY_SHARE:
            stories.append({"docs": [a, b], "share": round(share, 3)})
    return stories
