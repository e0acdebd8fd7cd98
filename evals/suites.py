"""Case files and the corpus each one is asked over.

- ``seeds``: evals/qa.yaml over seeds/ (the set the pipeline has been tuned on);
- ``seeds-heldout``: evals/seeds_heldout.yaml over seeds/, written apart from the code;
- ``contradict``: evals/contradict.yaml over evals/contradict/, made-up articles that
  disagree two by two (or agree in two formats), written apart from the code;
- ``bbc``: evals/bbc.yaml over the whole BBC corpus (``RAG_SHARED_DIR``/corpora/bbc);
- ``bbc-gate``: the same pairs over the articles they cite plus a few hundred others, an
  index small enough for ``make test``'s regression gate.

The BBC corpus lives outside the project; where it is absent, its suites are unavailable
and say why (``SuiteUnavailable``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.config import Settings
from evals.cases import QA_FILE, load_cases
from index.corpus import SIDECAR

EVALS = Path(__file__).resolve().parent
ROOT = EVALS.parent
# Articles beyond the cited ones in the bbc-gate index: distractors that keep it honest.
GATE_OTHERS = 200
# The BBC corpus comes without metadata; its README says every article is BBC News: the
# one line of sources.toml that says so for all of its files.
BBC_DEFAULTS = 'outlet = "BBC News"\n'


class SuiteUnavailable(Exception):
    """A suite's corpus is not on this machine; the message says where it was looked for."""


@dataclass(frozen=True)
class Suite:
    name: str
    cases: Path
    corpus: Path  # the folder its index is built from
    index: Path
    # for a corpus linked into place: the folder its files come from
    source: Path | None = None
    others: int | None = None  # a subset: the cited articles and this many others
    # what the corpus's sources.toml says of every file (outlet = "BBC News")
    defaults: str = ""

    def options(self) -> dict:
        """ask/build options that point at this suite's corpus and index."""
        return {"corpus_dir": self.corpus, "index_dir": self.index}


def bbc_dir(settings: Settings) -> Path:
    return Path(settings.shared_dir) / "corpora" / "bbc"


def suites(settings: Settings) -> dict[str, Suite]:
    bbc = bbc_dir(settings)
    return {
        "seeds": Suite("seeds", QA_FILE, Path(settings.corpus_dir), Path(settings.index_dir)),
        "seeds-heldout": Suite(
            "seeds-heldout",
            EVALS / "seeds_heldout.yaml",
            Path(settings.corpus_dir),
            Path(settings.index_dir),
        ),
        "contradict": Suite(
            "contradict",
            EVALS / "contradict.yaml",
            EVALS / "contradict",
            ROOT / ".index-contradict",
        ),
        "bbc": Suite(
            "bbc",
            EVALS / "bbc.yaml",
            ROOT / ".index-bbc" / "corpus",
            ROOT / ".index-bbc" / "index",
            source=bbc,
            defaults=BBC_DEFAULTS,
        ),
        "bbc-gate": Suite(
            "bbc-gate",
            EVALS / "bbc.yaml",
            ROOT / ".index-bbc-gate" / "corpus",
            ROOT / ".index-bbc-gate" / "index",
            source=bbc,
            others=GATE_OTHERS,
            defaults=BBC_DEFAULTS,
        ),
    }


def get_suite(name: str, settings: Settings) -> Suite:
    known = suites(settings)
    if name not in known:
        raise ValueError(f"unknown suite {name!r}; known: {', '.join(known)}")
    return known[name]


def cited_documents(cases_file: Path) -> set[str]:
    """Every document id (or id prefix) a case file names in must_cite or sides."""
    out: set[str] = set()
    for case in load_cases(cases_file):
        for group in case.must_cite + case.sides:
            out.update(group)
    return out


def prepare(suite: Suite) -> Suite:
    """Make sure the suite's corpus is there; for a subset, link its files into place."""
    source = suite.source or suite.corpus
    if not source.is_dir():
        raise SuiteUnavailable(
            f"suite {suite.name!r} needs the corpus at {source}, which is absent "
            "(set RAG_SHARED_DIR to the folder holding corpora/bbc)"
        )
    if suite.source is None:
        return suite
    files = sorted(p for p in source.iterdir() if p.suffix == ".txt")
    if suite.others is not None:
        wanted = cited_documents(suite.cases)
        cited = [p for p in files if any(p.stem.startswith(w) for w in wanted)]
        rest = [p for p in files if p not in set(cited)]
        step = max(1, len(rest) // suite.others)
        files = cited + rest[::step][: suite.others]
    suite.corpus.mkdir(parents=True, exist_ok=True)
    names = {p.name for p in files} | {SIDECAR}
    for old in suite.corpus.iterdir():
        if old.name not in names:
            old.unlink()
    for p in files:
        link = suite.corpus / p.name
        if not link.exists():
            link.symlink_to(p.resolve())
    sidecar = suite.corpus / SIDECAR
    if suite.defaults and (not sidecar.exists() or sidecar.read_text() != suite.defaults):
        sidecar.write_text(suite.defaults, encoding="utf-8")
    return suite
