"""python -m evals.bench: latency of a warm rag.ask, of an unchanged re-index, and the speed
of each configured LLM generator (time to first token, tokens per second).

Prints medians; it asserts nothing (speed goals are read, not tested).
"""

from __future__ import annotations

import statistics
import time

import rag
from core.config import load_settings
from evals.run import load_cases
from index.build import build_index


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


def main(rounds: int = 5) -> None:
    settings = load_settings()
    t = time.perf_counter()
    build_index(settings, progress=False)
    first_build = time.perf_counter() - t
    rebuilds = []
    for _ in range(3):
        t = time.perf_counter()
        build_index(settings, progress=False)
        rebuilds.append(time.perf_counter() - t)

    questions = [c for c in load_cases()]
    t = time.perf_counter()
    rag.ask(questions[0].question, history=list(questions[0].history))
    cold = time.perf_counter() - t
    totals, stages = [], {}
    for _ in range(rounds):
        for case in questions:
            t = time.perf_counter()
            answer = rag.ask(case.question, history=list(case.history))
            totals.append(time.perf_counter() - t)
            for stage, ms in answer.timings_ms.items():
                stages.setdefault(stage, []).append(ms / 1000)
    totals.sort()
    p95 = totals[int(0.95 * (len(totals) - 1))]
    print(f"index build (first call in this process): {first_build:.2f} s")
    print(f"re-index of an unchanged corpus: median {_median_ms(rebuilds)}")
    print(f"first ask (loads the embedder): {cold * 1000:.0f} ms")
    print(
        f"warm ask, extractive, {len(totals)} calls over {len(questions)} questions: "
        f"median {_median_ms(totals)}, p95 {p95 * 1000:.1f} ms"
    )
    for stage, samples in stages.items():
        print(f"  stage {stage}: median {_median_ms(samples)}")
    for name in rag.available_generators():
        if name != "extractive":
            bench_generator(name, questions[:12])


def bench_generator(name: str, cases) -> None:
    """Time to first token, tokens per second and whole-answer latency of an LLM generator."""
    rag.ask(cases[0].question, generator=name)  # loads the model
    first, speed, totals, grounded, fallbacks = [], [], [], [], 0
    for case in cases:
        answer = rag.ask(case.question, history=list(case.history), generator=name)
        if answer.generation is None:
            continue  # refused before any generation
        t = answer.timings_ms
        if "first_token" in t:
            first.append(t["first_token"] / 1000)
        if answer.generation.get("tokens_per_second"):
            speed.append(answer.generation["tokens_per_second"])
        totals.append(t["total"] / 1000)
        grounded.append(answer.groundedness or 0.0)
        fallbacks += bool(answer.fallback)
    if not totals:
        print(f"{name}: no answer was generated")
        return
    model = answer.generation["model"] if answer.generation else name
    print(
        f"{name} ({model}), {len(totals)} questions: time to first token median "
        f"{_median_ms(first) if first else 'n/a'}, "
        f"{statistics.median(speed) if speed else 0:.1f} tokens/s median, "
        f"whole answer median {_median_ms(totals)}; groundedness mean "
        f"{sum(grounded) / len(grounded):.2f}, {fallbacks} fell back to extractive"
    )


if __name__ == "__main__":
    main()
