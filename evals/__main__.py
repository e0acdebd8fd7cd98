"""python -m evals run | import — eval reports over question/answer pairs.

python -m evals run [--cases FILE] [--generator NAME ...] [--compare PATH|none]
                    [--fail-on-regression] [--out DIR] [--save-baseline]
python -m evals import FILE.csv|FILE.jsonl [--into evals/qa.yaml]
python -m evals ramdocs [--limit N]
python -m evals pages [--folder DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from core.errors import RagError
from evals.cases import QA_FILE, CaseError, import_cases, load_cases
from evals.report import (
    THRESHOLDS,
    compare,
    gate,
    load_thresholds,
    side_by_side,
    summary_table,
    write_report,
)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
BASELINE = Path(__file__).resolve().parent / "baseline.json"


def last_run(reports: Path, cases: str | None = None, split: str | None = None) -> Path | None:
    """The newest reports/<timestamp>/results.json, if any; with ``cases``, the newest run of
    that case file and split (a run of other questions is no yardstick)."""
    for path in sorted(reports.glob("*/results.json"), reverse=True):
        if cases is None:
            return path
        try:
            run = json.loads(path.read_text(encoding="utf-8")).get("run", {})
        except (OSError, json.JSONDecodeError):
            continue
        if run.get("cases") == cases and run.get("split") == split:
            return path
    return None


def _previous(
    choice: str | None, reports: Path, cases: str, split: str | None, baseline: Path
) -> tuple[dict | None, str | None]:
    if choice == "none":
        return None, None
    if choice is None:
        path = last_run(reports, cases, split)
        if path is None and split is None:
            path = baseline if baseline.exists() else None
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


def baseline_for(suite: str | None) -> Path:
    """The stored run a suite is compared with: evals/baseline.json for the default set."""
    return BASELINE if suite in (None, "seeds") else BASELINE.with_name(f"baseline-{suite}.json")


def cmd_run(args) -> int:
    if args.suite:
        return _run_suites(args)
    options = {}
    if args.index:
        options["index_dir"] = args.index
    if args.corpus:
        options["corpus_dir"] = args.corpus
    return _run_one(args, load_cases(args.cases), str(args.cases), options, BASELINE)[0]


def cmd_index(args) -> int:
    """Build (or bring up to date) each suite's index, saying why where its corpus is
    absent: `make test` builds the BBC gate's index beside its installs."""
    from core.config import load_settings

    settings = load_settings()
    for name in args.suite:
        built = _suite_index(name, settings)
        if built is not None:
            print(f"{name}: {built[1].summary().splitlines()[0]}")
    return 0


def _suite_index(name: str, settings):
    """(suite, build report) with the suite's index up to date; None, having said why, where
    its corpus is absent."""
    from evals.suites import SuiteUnavailable, get_suite, prepare
    from index.build import build_index

    suite = get_suite(name, settings)
    try:
        prepare(suite)
    except SuiteUnavailable as e:
        print(f"skipped: {e}")
        return None
    return suite, build_index(settings.with_options(**suite.options()), progress=False)


def _run_suites(args) -> int:
    """Each suite over its own corpus and index, then their figures side by side."""
    from core.config import load_settings

    settings = load_settings()
    code, done = 0, []
    for name in args.suite:
        built = _suite_index(name, settings)
        if built is None:
            continue
        suite, report = built
        if report.changed:
            print(f"{name}: {report.summary().splitlines()[0]}")
        rc, results = _run_one(
            args,
            load_cases(suite.cases),
            str(suite.cases),
            suite.options(),
            baseline_for(name),
            thresholds_for(name, args.thresholds),
        )
        code = max(code, rc)
        done.append((name, results))
    if len(done) > 1:
        print()
        print(side_by_side(done))
    return code


def thresholds_for(suite: str, given: str) -> Path:
    """A suite's own gate (evals/thresholds-SUITE.toml) unless --thresholds names another."""
    own = THRESHOLDS.with_name(f"thresholds-{suite}.toml")
    return own if Path(given) == THRESHOLDS and own.exists() else Path(given)


def _run_one(
    args, cases, cases_name: str, options: dict, baseline: Path, thresholds_file: Path | None = None
) -> tuple[int, dict]:
    thresholds = load_thresholds(thresholds_file or Path(args.thresholds))
    reports = Path(args.out)
    compare_with = args.compare
    if compare_with is None and args.fail_on_regression and not args.split:
        # a baseline holds every question: a one-split run is compared with its own last run
        compare_with = str(baseline) if baseline.exists() else "none"
    previous, against = _previous(compare_with, reports, cases_name, args.split, baseline)
    from evals.run import evaluate

    if args.split:
        cases = [c for c in cases if c.split == args.split]
    results = evaluate(
        cases,
        args.generator or ["extractive"],
        cases_name=cases_name,
        progress=not args.quiet,
        **options,
    )
    results["run"]["split"] = args.split
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
    if args.save_baseline and args.split:
        print("baseline not saved: a baseline holds every question, not one split")
    elif args.save_baseline:
        baseline.write_text(json.dumps(_slim(results), ensure_ascii=False, indent=1) + "\n")
        print(f"baseline saved: {baseline}")
    if problems:
        print(
            ("gate FAILED:\n  " if args.fail_on_regression else "below the gate:\n  ")
            + "\n  ".join(problems)
        )
        return (1 if args.fail_on_regression else 0), results
    if args.fail_on_regression:
        print("gate passed")
    return 0, results


def cmd_ramdocs(args) -> int:
    """RAMDocs over its pooled documents: exact match beside the published figure."""
    import rag
    from core.config import load_settings
    from evals import ramdocs
    from index.build import build_index

    settings = load_settings()
    path = ramdocs.data_file(settings)
    if not path.exists():
        print(f"skipped: RAMDocs is not at {path} (set RAG_SHARED_DIR)")
        return 0
    items = ramdocs.load(path)[: args.limit]
    folder = Path(args.work)
    options = {"corpus_dir": folder / "corpus", "index_dir": folder / "index"}
    count = ramdocs.write_pool(items, options["corpus_dir"])
    report = build_index(settings.with_options(**options), progress=False)
    print(f"{count} passages; {report.summary().splitlines()[0]}")
    rag.warm_up(**options)
    result = ramdocs.run(items, rag.ask, **options)
    out = Path(args.out) / f"ramdocs-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(ramdocs.table(result))
    for e in result["errors"][:10]:
        print(f"  error: {e['question']}: {e['error']}")
    print(f"details: {out}")
    return 1 if result["errors"] else 0


def cmd_pages(args) -> int:
    """Web-page extraction over saved pages: article text kept, boilerplate left out."""
    from evals import pages

    folder = Path(args.folder)
    kept, visible = pages.run(folder), pages.run(folder, visible=True)
    out = Path(args.out) / f"pages-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"index": kept, "visible": visible}, indent=1), encoding="utf-8")
    print(pages.table(kept, visible))
    for page in kept["per_page"]:
        for what in ("missed", "leaked"):
            for snippet in page[what]:
                print(f"  {page['file']}: {what} {snippet[:90]!r}")
    print(f"details: {out}")
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
    run.add_argument(
        "--suite",
        action="append",
        help="a case file with its own corpus and index (repeatable): seeds, seeds-heldout, "
        "bbc, bbc-gate; the figures are printed side by side",
    )
    run.add_argument("--split", choices=["dev", "test"], help="only the pairs of this split")
    idx = sub.add_parser("index", help="build a suite's index without running its pairs")
    idx.add_argument("--suite", action="append", required=True, help="suite name (repeatable)")
    imp = sub.add_parser("import", help="add CSV/JSONL pairs to a YAML set")
    imp.add_argument("file")
    imp.add_argument("--into", default=str(QA_FILE))
    ram = sub.add_parser("ramdocs", help="the RAMDocs benchmark over its pooled documents")
    ram.add_argument("--limit", type=int, default=None, help="only the first N questions")
    ram.add_argument("--work", default=str(ROOT / ".index-ramdocs"), help="corpus and index")
    ram.add_argument("--out", default=str(REPORTS), help="reports folder")
    pg = sub.add_parser("pages", help="web-page extraction over saved pages")
    pg.add_argument(
        "--folder", default=str(ROOT / "evals" / "pages"), help="pages and expected-*.yaml"
    )
    pg.add_argument("--out", default=str(REPORTS), help="reports folder")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:] or ["run"])
    commands = {
        "import": cmd_import,
        "ramdocs": cmd_ramdocs,
        "pages": cmd_pages,
        "index": cmd_index,
    }
    try:
        return commands.get(args.command, cmd_run)(args)
    except (CaseError, ValueError, RagError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
