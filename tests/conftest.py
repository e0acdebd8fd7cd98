"""Session fixtures: the seed corpus indexed once with the real embedder and Chroma on disk."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

import rag
from core.config import load_settings
from index.build import build_index

ROOT = Path(__file__).resolve().parent.parent

# Under pytest-xdist, each worker (and each process its tests start) takes its share of the
# cores for the models' threads: two workers each with a thread per core would only take
# turns on the cores. Set before torch is imported.
if os.environ.get("PYTEST_XDIST_WORKER_COUNT"):
    _share = max(1, (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"]))
    os.environ.setdefault("OMP_NUM_THREADS", str(_share))
    # llama.cpp's threads wait for each other by spinning: two of them on a core another
    # worker is using made the small model's answers several times slower
    os.environ.setdefault("RAG_LLM_THREADS", str(_share))

# The LLM's time limit guards against a hang; with the other tests on every core the small
# model has taken over a minute on one answer, past the default's 60 s. Tests of the limit
# itself set their own.
os.environ.setdefault("RAG_LLM_TIMEOUT", "900")

SEEDS = ROOT / "seeds"


def make_settings(corpus: Path, index: Path, **more):
    return load_settings(corpus_dir=corpus, index_dir=index, **more)


def indexed_corpus(root: Path, articles: dict[str, str], sidecar: str | None = None):
    """Settings of a corpus written under root from {file name: text} and indexed."""
    folder = root / "corpus"
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    if sidecar is not None:
        (folder / "sources.toml").write_text(sidecar, encoding="utf-8")
    settings = make_settings(folder, root / "index")
    build_index(settings, progress=False)
    return settings


def labelled_sides(answer) -> dict[str, set[str]]:
    """An answer's one conflict as {side's label, lower case: the documents it cites}."""
    (conflict,) = answer.conflicts
    by_n = {c.n: c.doc_id for c in answer.citations}
    return {
        label.lower(): {by_n[n] for n in side}
        for label, side in zip(conflict.labels, conflict.sides, strict=True)
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(cmd: list[str], port: int, seconds: float = 120, **popen):
    """A server process of the tests' own on 127.0.0.1:port, stopped afterwards."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen)
    try:
        if not wait_for_port(port, seconds):
            raise RuntimeError(f"{' '.join(cmd[:3])} did not start on port {port}")
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_for_port(port: int, seconds: float) -> bool:
    """True once something accepts connections on 127.0.0.1:port."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


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


@pytest.fixture
def rag_cli(monkeypatch, capsys):
    """`python -m rag <args>` through its entry point in this process, where the models are
    loaded once: (exit status, stdout, stderr) as a CompletedProcess."""
    import io
    import sys

    import rag.__main__

    def run(args, index_dir, stdin=None):
        monkeypatch.setenv("RAG_INDEX_DIR", str(index_dir))
        monkeypatch.setattr(rag.__main__, "_SETTINGS", {})  # resolved once per process
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        capsys.readouterr()
        code = rag.__main__.main(args)
        printed = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, printed.out, printed.err)

    return run


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


# --- the chat UI ---------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where browser tests leave their screenshots (the README's picture comes from here).
SCREENSHOTS = ROOT / "reports" / "screenshots"


@pytest.fixture(scope="session")
def ui_settings(tmp_path_factory):
    """A writable copy of the seed corpus, indexed, for the UI (uploads add to it)."""
    root = tmp_path_factory.mktemp("ui")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    settings = make_settings(corpus, root / "index", max_file_bytes=200_000)
    build_index(settings, progress=False)
    return settings


def launch_ui(settings, ask=None):
    """The app on a free 127.0.0.1 port; returns (app, url). Close with app.close()."""
    from ui.app import create_app, launch

    port = free_port()
    app, url = launch(
        create_app(ask, settings=settings), "127.0.0.1", port, block=False, settings=settings
    )
    assert wait_for_port(port, 60), "the Gradio app did not start"
    return app, url


@pytest.fixture(scope="session")
def ui_url(ui_settings):
    app, url = launch_ui(ui_settings)
    yield url
    app.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), (
        "Chromium is missing: `make test` installs it (apt-get install -y chromium)"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    pg = context.new_page()
    # a guard against a hang, not a speed goal: on 2 cores with the other tests running
    # beside them (pytest-xdist), a page can take tens of seconds to change
    pg.set_default_timeout(120_000)
    yield pg
    context.close()
