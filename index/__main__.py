"""python -m index build [--corpus DIR] [--index DIR]"""

from __future__ import annotations

import argparse
import sys

from rag.errors import RagError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="index the corpus folder (incrementally)")
    build.add_argument("--corpus", help="corpus folder (default: RAG_CORPUS_DIR or seeds/)")
    build.add_argument("--index", help="index folder (default: RAG_INDEX_DIR or .index/)")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    from index.build import build_index
    from rag.config import load_settings

    try:
        settings = load_settings(corpus_dir=args.corpus, index_dir=args.index)
        report = build_index(settings, progress=not args.quiet)
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
