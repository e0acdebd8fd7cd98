"""Near-duplicate sentences across documents, and documents that carry the same story.

Two sentences are near-duplicates when their embeddings are close *and* they share most of
their content words *and* they give the same values (numbers, dates, names: index.values) *and*
both negate something or neither does: a wire copy or a retelling, not merely the same topic.
Sentences identical but for a figure, a name or a negation are the clearest disagreement there
is, never a copy. Two documents carry the same story when a large share of the shorter one's
sentences repeat the other.

No step compares every sentence with every other: each new sentence is compared only with
its ``NEIGHBOURS`` nearest sentences in the vector store (Chroma's HNSW index), so the cost
grows with the number of new sentences, not with the square of the corpus. Pairs found by
earlier builds between documents that did not change are kept as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from index.values import Value, differ, same

# (cosine, word overlap) pairs: close in meaning with many shared words, or closer still.
SENTENCE_RULES = ((0.84, 0.4), (0.80, 0.6))
SENTENCE_COSINE = min(c for c, _ in SENTENCE_RULES)
STORY_SHARE = 0.3
# A sentence repeated in more documents than this says nothing about which carry one story.
STORY_GROUP_LIMIT = 50
# Bump when the rule changes: every build's duplicate groups are recomputed.
RULE_VERSION = 11
MIN_WORDS = 5
# How many nearest sentences each new sentence is compared with: more copies of one
# sentence than this are still grouped, through the copies they share.
NEIGHBOURS = 16

Ref = tuple[str, int]  # (doc_id, sentence number in the document)
Pair = tuple[str, int, str, int]  # two sentences of two documents, the smaller ref first


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def values_agree(a: list[Value], b: list[Value]) -> bool:
    """No value of one sentence is contradicted by the other: a value of one kind that the
    other gives differently (a value only one of them gives, or that the entity recogniser
    read in one and not the other, is not a contradiction). Any two names differ whatever
    kind the recogniser took each for: "the final was played in Tarnby" and "the final was
    played in Velmora" (read as a person) tell of two places; and any two dates that are not
    one, even where neither can be compared ("on Tuesday" and "on May 15")."""
    own_a = [x for x in a if not any(same(x, y) for y in b)]
    own_b = [y for y in b if not any(same(y, x) for x in a)]
    return not any(
        x.kind == y.kind and x.kind in ("name", "date") or differ(x, y)
        for x in own_a
        for y in own_b
    )


def is_copy(
    cosine: float,
    words_a: set[str],
    words_b: set[str],
    values_a: list[Value],
    values_b: list[Value],
    negated: tuple[bool, bool] = (False, False),
) -> bool:
    """Whether two sentences of different documents are one sentence told twice; negated:
    whether each negates or denies something (a sentence and its denial, "will take no
    action" and "has taken action", are two sides, not a copy)."""
    if len(words_a) < MIN_WORDS or len(words_b) < MIN_WORDS or negated[0] != negated[1]:
        return False
    overlap = _overlap(words_a, words_b)
    if not any(cosine >= cos and overlap >= ov for cos, ov in SENTENCE_RULES):
        return False
    return values_agree(values_a, values_b)


def find_pairs(
    new: list[Ref],
    neighbours: Callable[[list[Ref]], list[list[tuple[Ref, float]]]],
    words_of: Callable[[Ref], set[str]],
    values_of: Callable[[Ref], list[Value]],
    negates_of: Callable[[Ref], bool] = lambda ref: False,
) -> set[Pair]:
    """Near-duplicate pairs that involve one of the ``new`` sentences.

    ``neighbours(refs)`` gives, for each ref, its nearest stored sentences with their cosine
    (the new ones are stored before they are looked up, so two new copies find each other).
    """
    pairs: set[Pair] = set()
    for ref, near in zip(new, neighbours(new), strict=True):
        for other, cosine in near:
            if other[0] == ref[0] or cosine < SENTENCE_COSINE:
                continue
            a, b = sorted((ref, other))
            if (*a, *b) in pairs:
                continue
            negated = (negates_of(a), negates_of(b))
            if is_copy(cosine, words_of(a), words_of(b), values_of(a), values_of(b), negated):
                pairs.add((*a, *b))
    return pairs


def group(
    pairs: Iterable[Pair], eligible: Callable[[str], int]
) -> tuple[list[list[Ref]], list[dict]]:
    """Groups of near-duplicate sentences, and the pairs of documents that carry one story.

    ``eligible(doc_id)``: how many of the document's sentences are long enough to be
    compared (the denominator of the share of a story two documents have in common)."""
    parent: dict[Ref, Ref] = {}

    def find(r: Ref) -> Ref:
        parent.setdefault(r, r)
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for da, ia, db, ib in pairs:
        parent[find((da, ia))] = find((db, ib))
    groups: dict[Ref, list[Ref]] = {}
    for r in sorted(parent):
        groups.setdefault(find(r), []).append(r)
    # documents share a sentence when its group holds both, also through a third copy: a
    # story carried by more outlets than a sentence has neighbours is still one story
    shared: dict[tuple[str, str], set[int]] = {}
    for members in groups.values():
        if len({d for d, _ in members}) > STORY_GROUP_LIMIT:
            continue  # a line in that many documents is boilerplate, not a shared story
        for da, ia in members:
            for db, _ in members:
                if da != db:
                    shared.setdefault((da, db), set()).add(ia)
    stories = []
    for (a, b), sentences in sorted(shared.items()):
        if a >= b:
            continue
        share_a = len(sentences) / max(eligible(a), 1)
        share_b = len(shared.get((b, a), ())) / max(eligible(b), 1)
        share = max(share_a, share_b)
        if share >= STORY_SHARE:
            stories.append({"docs": [a, b], "share": round(share, 3)})
    return [g for g in groups.values() if len(g) > 1], stories
