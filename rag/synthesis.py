"""An LLM writes the answer from the extractive answer's passages; only what they support
is kept, else the extractive answer stands."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from core.config import Settings
from core.types import Answer
from index.embedding import get_embedder
from rag.compose import DISAGREE, UPDATED
from rag.generators import GeneratorError, get_generator
from rag.verify import Verified, verify_draft


def _join(verified: Verified, renumber: dict[int, int]) -> str:
    out = []
    for claim, numbers in verified.sentences:
        marks = "".join(f"[{renumber[n]}]" for n in numbers)
        if claim[-1:] in ".!?":
            out.append(f"{claim[:-1]} {marks}{claim[-1]}")
        else:
            out.append(f"{claim} {marks}")
    return " ".join(out)


def synthesize(
    settings: Settings,
    question: str,
    extractive: Answer,
    on_text: Callable[[str], None] | None,
) -> Answer:
    """The LLM's verified answer, or the extractive one with the reason it was kept."""
    gen = get_generator(settings)
    citations = list(extractive.citations)
    timings = dict(extractive.timings_ms)
    t = time.perf_counter()
    try:
        draft = gen.generate(question, citations, on_text or (lambda s: None))
    except GeneratorError as e:
        timings["generate"] = round((time.perf_counter() - t) * 1000, 2)
        return replace(extractive, fallback=str(e), timings_ms=timings)
    timings["generate"] = round(draft.total_ms, 2)
    if draft.first_token_ms is not None:
        timings["first_token"] = round(draft.first_token_ms, 2)
    generation = {
        "generator": gen.name,
        "model": gen.model,
        "tokens": draft.tokens,
        "tokens_per_second": draft.tokens_per_second,
        "passages": draft.passages,
        "draft": draft.text,
    }
    t = time.perf_counter()
    verified = verify_draft(draft.text, citations, get_embedder(settings.embed_model).encode)
    timings["verify"] = round((time.perf_counter() - t) * 1000, 2)
    common = dict(
        groundedness=round(verified.groundedness, 3),
        dropped=tuple(verified.dropped),
        generation=generation,
        timings_ms=timings,
    )
    if not verified.sentences:
        reason = (
            "the model found no answer in the passages"
            if verified.says_no_answer
            else "no sentence of the model's answer was supported by the passages it cited"
        )
        return replace(extractive, fallback=reason, **common)

    order: dict[int, int] = {}
    for _, numbers in verified.sentences:
        for n in numbers:
            order.setdefault(n, len(order) + 1)
    by_n = {c.n: c for c in citations}
    new_citations = tuple(replace(by_n[old], n=new) for old, new in order.items())
    conflicts = []
    for conflict in extractive.conflicts:
        sides = tuple(tuple(order[n] for n in side if n in order) for side in conflict.sides)
        if not all(sides):
            reason = "the model's answer left out one side of the disagreement"
            return replace(extractive, fallback=reason, **common)
        conflicts.append(replace(conflict, sides=sides))
    text = _join(verified, order)
    if conflicts:
        opener = UPDATED if conflicts[0].kind == "update" else DISAGREE
        text = f"{opener} {text}"
    return replace(
        extractive,
        answer=text,
        citations=new_citations,
        conflicts=tuple(conflicts),
        generator=gen.name,
        **common,
    )
