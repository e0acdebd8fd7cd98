"""python -m evals run | import — eval reports over question/answer pairs.

python -m evals run [--cases FILE] [--generator NAME ...] [--compare PATH|none]
                    [--fail-on-regression] [--out DIR] [--save-baseline]
python -m evals import FILE.csv|FILE.jsonl [--into evals/qa.yaml]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.errors import RagError
from evals.cases import QA_FILE, CaseError, import_cases, load_cases
from evals.report import THRESHOLDS, compare, gate, load_thresholds, summary_table, write_report

REPORTS = Path(__file__).resolve().parent.parent / "reports"
BASELINE = Path(__file__).resolve().parent / "baseline.json"


def last_run(reports: Path, exclude: Path | None = None) -> Path | None:
    """The newest reports/<timestamp>/results.json, if any."""
    runs = sorted(p for p in reports.glob("*/results.json") if p.parent != exclude)
    return runs[-1] if runs else None


def _previous(choice: str | None, reports: Path) -> tuple[dict | None, str | None]:
    if choice == "none":
        return None, None
    if choice is None:
        path = last_run(reports)
        if path is None:
            path = BASELINE if BASELINE.exists() else None
        if path is None:
            return None, None
    else:
        path = Path(choice)
        if path.is_dir():
            path = path / "results.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")), str(path)
    except (OSError, json.JSONDecodeError) as e:
        raise ValueError(f"cannot read the run to compare with, {path}: {e}") from None


def _slim(results: dict) -> dict:
    """A baseline keeps the overall figures and each question's verdict, not the answers."""
    keep = ("id", "category", "passed", "failures", "outcome", "metrics")
    return {
        "run": results["run"],
        "generators": {
            name: {
                "overall": gen["overall"],
                "questions": [{k: q[k] for k in keep} for q in gen["questions"]],
            }
            for name, gen in results["generators"].items()
        },
    }


def cmd_run(args) -> int:
    options = {}
    if args.index:
        options["index_dir"] = args.index
    if args.corpus:
        options["corpus_dir"] = args.corpus
    cases = load_cases(args.cases)
    thresholds = load_thresholds(Path(args.thresholds))
    reports = Path(args.out)
    previous, against = _previous(args.compare, reports)
    from evals.run import evaluate

    results = evaluate(
        cases,
        args.generator or ["extractive"],
        cases_name=str(args.cases),
        progress=not args.quiet,
        **options,
    )
    results["compare"] = compare(previous, results, against) if previous else None
    problems = gate(results, results["compare"], thresholds)
    results["gate"] = {
        "checked": args.fail_on_regression,
        "passed": not problems,
        "problems": problems,
    }
    folder = reports / results["run"]["id"]
    n = 1
    while folder.exists():
        n += 1
        folder = reports / f"{results['run']['id']}-{n}"
    results["run"]["id"] = folder.name
    paths = write_report(results, folder)
    print(summary_table(results))
    print(f"report: {paths['html']}  ({paths['md'].name}, {paths['json'].name})")
    if args.save_baseline:
        BASELINE.write_text(json.dumps(_slim(results), ensure_ascii=False, indent=1) + "\n")
        print(f"baseline saved: {BASELINE}")
    if problems:
        print(
            ("gate FAILED:\n  " if args.fail_on_regression else "below the gate:\n  ")
            + "\n  ".join(problems)
        )
        return 1 if args.fail_on_regression else 0
    if args.fail_on_regression:
        print("gate passed")
    return 0


def cmd_import(args) -> int:
    added = import_cases(args.file, args.into)
    print(f"imported {len(added)} pair(s) into {args.into}: {', '.join(c.id for c in added)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the pairs and write a report")
    run.add_argument("--cases", default=str(QA_FILE), help="YAML, CSV or JSONL pairs")
    run.add_argument("--generator", action="append", help="answer generator (repeatable)")
    run.add_argument(
        "--compare",
        help="earlier results.json or run folder; 'none' to skip "
        "(default: the last run in --out, else evals/baseline.json)",
    )
    run.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="exit 1 when a threshold in --thresholds is not met",
    )
    run.add_argument("--thresholds", default=str(THRESHOLDS))
    run.add_argument("--out", default=str(REPORTS), help="reports folder")
    run.add_argument("--index", help="index folder (default RAG_INDEX_DIR or .index/)")
    run.add_argument("--corpus", help="corpus folder (default RAG_CORPUS_DIR or seeds/)")
    run.add_argument(
        "--save-baseline", action="store_true", help="also store this run as evals/baseline.json"
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    imp = sub.add_parser("import", help="add CSV/JSONL pairs to a YAML set")
    imp.add_argument("file")
    imp.add_argument("--into", default=str(QA_FILE))
    args = parser.parse_args(argv if argv is not None else sys.argv[1:] or ["run"])
    try:
        return cmd_import(args) if args.command == "import" else cmd_run(args)
    except (CaseError, ValueError, RagError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
