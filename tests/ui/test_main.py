"""python -m ui (what `make run` starts): serves the chat on the configured host and port."""

import os
import subprocess
import sys
import urllib.request

from tests.conftest import ROOT, free_port, wait_for_port


def test_python_m_ui_serves_the_chat_on_the_configured_port(seed_index):
    settings, _ = seed_index
    port = free_port()
    env = dict(
        os.environ,
        RAG_CORPUS_DIR=str(settings.corpus_dir),
        RAG_INDEX_DIR=str(settings.index_dir),
        RAG_UI_PORT=str(port),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert wait_for_port(port, 120), "the UI did not start"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as r:
            assert r.status == 200 and "News QA" in r.read().decode()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert f"5 documents indexed. Open http://127.0.0.1:{port}" in out


def test_python_m_ui_without_an_index_says_how_to_build_one(tmp_path):
    env = dict(os.environ, RAG_INDEX_DIR=str(tmp_path / "none"), RAG_UI_PORT=str(free_port()))
    out = subprocess.run(
        [sys.executable, "-m", "ui"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 2
    assert "python -m index build" in out.stderr
