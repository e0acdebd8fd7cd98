"""python -m index build [--corpus DIR] [--index DIR] | python -m index add FILE... [--outlet X]"""

from __future__ import annotations

import argparse
import sys
import time

from core.errors import RagError

# Seconds between two progress lines of one stage when the output is not a terminal.
PROGRESS_EVERY = 15.0


class ProgressLines:
    """Build progress as plain lines on stderr for logs and CI, where no bar is drawn: each
    new stage, and within a stage at most one line every PROGRESS_EVERY seconds, with the
    share done, the time so far and an estimate of the time left."""

    def __init__(self, out=None, every: float = PROGRESS_EVERY):
        self._clock = time.monotonic
        self._out = out or sys.stderr
        self._every = every
        self._start = self._clock()
        self._stage = ""
        self._last = float("-inf")

    def __call__(self, fraction: float, message: str) -> None:
        now = self._clock()
        stage = message.split(" ", 1)[0]
        if stage == self._stage and now - self._last < self._every and fraction < 1.0:
            return
        self._stage, self._last = stage, now
        elapsed = now - self._start
        left = ""
        if 0.0 < fraction < 1.0 and elapsed > 1.0:
            left = f", about {elapsed * (1 - fraction) / fraction:.0f} s left"
        print(f"[{fraction:4.0%}] {message} ({elapsed:.0f} s{left})", file=self._out, flush=True)


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
            # a bar on a terminal; plain lines where the output is a log
            lines = None if args.quiet or sys.stderr.isatty() else ProgressLines()
            print(build_index(settings, progress=not args.quiet, on_progress=lines).summary())
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
