"""python -m evals.bench: latency of a warm rag.ask and of an unchanged re-index.

Prints medians; it asserts nothing (speed goals are read, not tested).
"""

from __future__ import annotations

import statistics
import time

import rag
from evals.run import load_cases
from index.build import build_index
from rag.config import load_settings


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


if __name__ == "__main__":
    main()
