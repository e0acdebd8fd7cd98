"""Conflicts: different speakers (or independent sources) taking opposite positions."""

from __future__ import annotations

from dataclasses import dataclass

from index.store import IndexSnapshot
from rag.evidence import Evidence


@dataclass(frozen=True)
class Sides:
    affirm: list[Evidence]
    deny: list[Evidence]


def voice(snapshot: IndexSnapshot, e: Evidence) -> str:
    """Who stands behind a sentence: its speaker, else its story (wire copies share one)."""
    if e.speaker is not None:
        return "speaker:" + e.speaker.key
    doc = snapshot.sentences[e.sentence].doc_id
    for story in snapshot.stories:
        if doc in story["docs"]:
            return "story:" + min(story["docs"])
    return "doc:" + doc


def find_conflict(
    snapshot: IndexSnapshot, evidence: list[Evidence], ratio: float = 0.7
) -> Sides | None:
    """Opposite stances among the strongest evidence, held by different voices.

    A voice sits on the side of its most relevant sentence, so a speaker who is quoted both
    ways does not disagree with himself; a denial only counts when it is as relevant to the
    question as the claim it would contradict (within ``ratio`` of the best score).
    """
    if len(evidence) < 2:
        return None
    best = max(e.score for e in evidence)
    strong = [e for e in evidence if e.score >= best * ratio]
    side_of: dict[str, int] = {}
    for e in sorted(strong, key=lambda e: -e.score):
        side_of.setdefault(voice(snapshot, e), e.stance)
    affirm = [e for e in strong if side_of[voice(snapshot, e)] == 1 and e.stance == 1]
    deny = [e for e in strong if side_of[voice(snapshot, e)] == -1 and e.stance == -1]
    if not affirm or not deny:
        return None
    named = any(e.speaker is not None for e in affirm + deny)
    if not named:
        return None  # unattributed narration on both sides is not a dispute between sources
    return Sides(affirm, deny)


def _named_first(side: list[Evidence]) -> list[Evidence]:
    return sorted(side, key=lambda e: (e.speaker is None or e.speaker.role is None, -e.score))


def pick(
    snapshot: IndexSnapshot, pool: list[Evidence], limit: int, polar: bool
) -> tuple[list[Evidence], Sides | None]:
    """The evidence to show: both sides first when a yes/no question gets both answers, else
    the best sentences with no voice repeated before every voice has had a place."""
    sides = find_conflict(snapshot, pool) if polar else None
    if sides is not None:
        per_side = max(1, limit // 2)
        affirm = _named_first(sides.affirm)[:per_side]
        deny = _named_first(sides.deny)[:per_side]
        return affirm + deny, Sides(affirm, deny)
    first, later, seen = [], [], set()
    best = pool[0].score
    for e in pool:
        if e.score < best * 0.8:
            later.append(e)
            continue
        v = voice(snapshot, e)
        (later if v in seen else first).append(e)
        seen.add(v)
    chosen = (first + later)[:limit]
    return sorted(chosen, key=lambda e: -e.score), None
