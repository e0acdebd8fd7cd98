"""The installed console command, newscite, as a user runs it from the shell."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEEDS, free_port, wait_for_port

COMMAND = Path(sys.executable).parent / "newscite"


def run(args, stdin=None, **env):
    return subprocess.run(
        [str(COMMAND), *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=dict(os.environ, **env),
        cwd=ROOT,
        timeout=600,
    )


def test_the_command_is_installed_and_lists_its_commands():
    assert COMMAND.exists(), "pip install -e . installs the newscite command"
    out = run(["--help"])
    assert out.returncode == 0
    for command in ("index", "ask", "chat", "serve", "eval"):
        assert f"newscite {command}" in out.stdout
    bad = run(["frobnicate"])
    assert bad.returncode == 2 and "unknown command 'frobnicate'" in bad.stderr


def test_index_then_ask_from_the_shell(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEEDS, corpus)
    built = run(["index", "--corpus", str(corpus), "--index", str(index), "--quiet"])
    assert built.returncode == 0, built.stderr
    assert "Indexed 5 files" in built.stdout + built.stderr
    asked = run(
        ["ask", "--json", "Did Russia accept US security guarantees for Ukraine?"],
        RAG_INDEX_DIR=str(index),
        RAG_CORPUS_DIR=str(corpus),
    )
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["conflicts"] and answer["citations"]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}
    for c in answer["citations"]:
        assert texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]


def test_chat_through_the_command(seed_index, monkeypatch, capsys):
    # `newscite chat` through its entry point in this process (the models loaded once)
    import io

    import rag.__main__
    from ui.cli import main

    settings, _ = seed_index
    monkeypatch.setenv("RAG_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setattr(rag.__main__, "_SETTINGS", {})  # resolved once per process
    monkeypatch.setattr("sys.stdin", io.StringIO("Where did the talks in Geneva take place?\n"))
    assert main(["chat"]) == 0
    assert "Geneva" in capsys.readouterr().out


def test_serve_starts_the_app_with_its_api(seed_index):
    import openai

    settings, _ = seed_index
    port = free_port()
    proc = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, RAG_INDEX_DIR=str(settings.index_dir)),
        cwd=ROOT,
    )
    try:
        assert wait_for_port(port, 120), "newscite serve did not start"
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="-")
        assert "extractive" in [m.id for m in client.models.list()]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
