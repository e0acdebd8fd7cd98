"""python -m index build [--corpus DIR] [--index DIR] | python -m index add FILE... [--outlet X]"""

from __future__ import annotations

import argparse
import sys

from core.errors import RagError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="index the corpus folder (incrementally)")
    add = sub.add_parser("add", help="copy files into the corpus folder and index them")
    add.add_argument("files", nargs="+", help=".txt, .md, .html or .pdf files")
    for name in ("title", "outlet", "author", "date"):
        add.add_argument(f"--{name}", help=f"{name} to record for every added file")
    for p in (build, add):
        p.add_argument("--corpus", help="corpus folder (default: RAG_CORPUS_DIR or seeds/)")
        p.add_argument("--index", help="index folder (default: RAG_INDEX_DIR or .index/)")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    from core.config import load_settings
    from index.build import build_index
    from index.ingest import add_files

    try:
        settings = load_settings(corpus_dir=args.corpus, index_dir=args.index)
        if args.command == "build":
            print(build_index(settings, progress=not args.quiet).summary())
            return 0
        meta = {k: getattr(args, k) for k in ("title", "outlet", "author", "date")}
        report = add_files(args.files, settings, meta=meta)
    except (RagError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(report.summary())
    return 1 if report.rejected else 0


if __name__ == "__main__":
    sys.exit(main())
