"""Session fixtures: the seed corpus indexed once with the real embedder and Chroma on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import rag
from index.build import build_index
from rag.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def make_settings(corpus: Path, index: Path, **more):
    return load_settings(corpus_dir=corpus, index_dir=index, **more)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory):
    """(settings, build report) for the five seed articles."""
    root = tmp_path_factory.mktemp("seed")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    settings = make_settings(corpus, root / "index")
    return settings, build_index(settings, progress=False)


@pytest.fixture(scope="session")
def ask(seed_index):
    """rag.ask bound to the seed index."""
    settings, _ = seed_index

    def _ask(question, history=None, **options):
        return rag.ask(question, history, index_dir=settings.index_dir, **options)

    return _ask


@pytest.fixture(scope="session")
def seed_texts():
    return {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}


@pytest.fixture
def small_corpus(tmp_path):
    """A writable copy of three seed articles with its own index folder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (
        "000_678fb64ae03cb8b5.txt",
        "001_f4ac8c9dc4ca8118.txt",
        "003_039d8ac775d75c18.txt",
    ):
        shutil.copy(SEEDS / name, corpus / name)
    shutil.copy(SEEDS / "sources.toml", corpus / "sources.toml")
    return make_settings(corpus, tmp_path / "index")
