"""python -m evals: run evals/qa.yaml through rag.ask and print what passed."""

from __future__ import annotations

import sys

import rag
from evals.run import run


def main() -> int:
    results = run(rag.ask)
    for r in results:
        mark = "PASS" if r.passed else "FAIL"
        print(f"{mark} {r.case.id}: {'; '.join(r.failures)}")
    passed = sum(r.passed for r in results)
    print(f"{passed}/{len(results)} passed ({100 * passed / len(results):.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
