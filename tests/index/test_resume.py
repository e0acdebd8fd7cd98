"""A build killed (SIGKILL, nothing cleaned up) at any point: the previous index keeps
answering, and the next build resumes and ends with the index a clean build makes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

import rag
from core.config import load_settings
from index import store
from index.build import JOURNAL, build_index
from index.store import load_snapshot, read_manifest
from tests.conftest import ROOT, SEEDS

FIRST = ["000_678fb64ae03cb8b5.txt", "001_f4ac8c9dc4ca8118.txt"]

# Runs `python -m index build` with one file a batch and kills its own process with SIGKILL
# on the n-th call of the named step (before or after the step runs).
KILLER = """
import os, signal, sys
import index.build as b
from index import store
from index.__main__ import main

point, n = sys.argv[1], int(sys.argv[2])
calls = [0]

def kill_at(owner, name, after=False, only=lambda *a, **k: True):
    original = getattr(owner, name)
    def wrapped(*a, **k):
        hit = only(*a, **k) and calls.__setitem__(0, calls[0] + 1) is None and calls[0] == n
        if hit and not after:
            os.kill(os.getpid(), signal.SIGKILL)
        out = original(*a, **k)
        if hit and after:
            os.kill(os.getpid(), signal.SIGKILL)
        return out
    setattr(owner, name, wrapped)

if point == "reading":
    kill_at(b, "read_document")
elif point == "embedding":
    kill_at(b, "_embed", after=True)
elif point == "vectors":
    kill_at(b, "_add_sentences")
elif point == "keyword":
    kill_at(b.KeywordIndex, "save")
elif point == "swap":
    kill_at(store, "write_json_atomic", only=lambda path, data: path.name == store.MANIFEST)
elif point == "journal":
    kill_at(b._Journal, "remove")
sys.exit(main(["build", "--corpus", sys.argv[3], "--index", sys.argv[4], "--quiet"]))
"""


def _build_in_child(corpus, index, point="none", n=0) -> int:
    env = {**os.environ, "RAG_BUILD_BATCH": "1"}
    args = [sys.executable, "-c", KILLER, point, str(n), str(corpus), str(index)]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True).returncode


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A committed index of two seed articles and a corpus of all five."""
    root = tmp_path_factory.mktemp("resume")
    first = root / "first"
    first.mkdir()
    for name in [*FIRST, "sources.toml"]:
        shutil.copy(SEEDS / name, first)
    assert _build_in_child(first, root / "index") == 0
    # the corpus the killed builds index: one file changed, one removed, three added
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / FIRST[1]).unlink()
    changed = corpus / FIRST[0]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nThe talks will resume next month.\n",
        encoding="utf-8",
    )
    clean = load_settings(corpus_dir=corpus, index_dir=root / "clean")
    build_index(clean, progress=False)
    return root, corpus, clean


def _killed(root, name: str, corpus, point: str, n: int):
    """A copy of the committed index, a build of corpus into it killed at point, and the
    copy's settings."""
    index = root / name
    shutil.copytree(root / "index", index)
    assert _build_in_child(corpus, index, point, n) == -signal.SIGKILL
    return load_settings(corpus_dir=corpus, index_dir=index)


def _state(settings) -> dict:
    """What a build leaves that answers depend on."""
    manifest = read_manifest(settings.index_dir)
    snapshot = load_snapshot(settings)
    dups = json.loads((settings.index_dir / manifest["dups"]).read_text(encoding="utf-8"))
    client = store.open_client(settings)
    return {
        "docs": {
            d: [e[k] for k in ("key", "sha256", "sentences", "chunks", "eligible")]
            for d, e in manifest["docs"].items()
        },
        "stats": manifest["stats"],
        "duplicates": {k: dups[k] for k in ("sentence_groups", "stories", "pairs")},
        "chunks": [c.id for c in snapshot.chunks],
        "bm25": snapshot.keyword.scores("security guarantees Russia").tolist(),
        "chroma": [
            store.chunk_collection(client, settings).count(),
            store.sentence_collection(client, settings).count(),
        ],
    }


@pytest.mark.parametrize(
    "point, n, resumed",
    [
        ("reading", 4, 0),  # reading the files: nothing is written yet
        ("embedding", 2, 1),  # the second batch embedded, not written
        ("vectors", 3, 2),  # the third batch's chunks in Chroma, its sentences not
        ("keyword", 1, 4),  # every file committed, the keyword index being written
        ("swap", 1, 4),  # all written but the manifest
    ],
)
def test_a_killed_build_resumes_to_the_index_a_clean_build_makes(previous, point, n, resumed):
    root, corpus, clean = previous
    settings = _killed(root, f"index-{point}", corpus, point, n)
    index = settings.index_dir
    assert read_manifest(index)["build"] == read_manifest(root / "index")["build"]
    answer = rag.ask("Where was Budanov speaking during the telethon?", index_dir=index)
    assert not answer.refused and answer.citations  # the previous index still answers

    report = build_index(settings, progress=False)
    assert len(report.resumed) == resumed, report.summary()
    assert sorted(report.added) == sorted(
        p.stem for p in SEEDS.glob("*.txt") if p.name not in FIRST
    )
    assert report.updated == [FIRST[0][:-4]] and report.removed == [FIRST[1][:-4]]
    assert not (index / JOURNAL).exists()
    assert _state(settings) == _state(clean)


def test_a_build_killed_after_its_commit_is_complete(previous):
    root, corpus, clean = previous
    settings = _killed(root, "index-journal", corpus, "journal", 1)
    assert not build_index(settings, progress=False).changed
    assert not (settings.index_dir / JOURNAL).exists()
    assert _state(settings) == _state(clean)


def test_a_killed_reanalysis_leaves_the_committed_index_as_it_was(previous, monkeypatch):
    # other settings redo every file: they are written beside the committed ones
    root = previous[0]
    first, index = root / "first", root / "index-reanalysis"
    shutil.copytree(root / "index", index)
    settings = load_settings(corpus_dir=first, index_dir=index)
    before = _state(settings)
    monkeypatch.setenv("RAG_CHUNK_TOKENS", "120")
    assert _build_in_child(first, index, "vectors", 2) == -signal.SIGKILL
    monkeypatch.delenv("RAG_CHUNK_TOKENS")
    after = _state(settings)
    assert {k: v for k, v in after.items() if k != "chroma"} == {
        k: v for k, v in before.items() if k != "chroma"
    }
    answer = rag.ask("Where was Budanov speaking during the telethon?", index_dir=index)
    assert not answer.refused and answer.citations
    # back to the committed settings: nothing to redo, and the stopped build's vectors go
    report = build_index(settings, progress=False)
    assert not report.changed and not (index / JOURNAL).exists()
    assert _state(settings) == before


def test_a_file_whose_vectors_the_store_lost_is_written_again(previous):
    root, corpus, clean = previous
    settings = _killed(root, "index-lost", corpus, "keyword", 1)
    # a store reset after the stop: one committed file's sentence vectors are gone
    journal = (settings.index_dir / JOURNAL).read_text(encoding="utf-8").splitlines()
    lost = json.loads(journal[-1])["entry"]["key"]
    store.sentence_collection(store.open_client(settings), settings).delete(where={"key": lost})
    report = build_index(settings, progress=False)
    assert len(report.resumed) == 3, report.summary()
    assert _state(settings) == _state(clean)
