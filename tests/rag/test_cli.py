"""python -m rag ask / chat as a user runs them: one as its own process, the others through
the same entry point in the test's process (the models loaded once)."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT


def run(args, index_dir, stdin=None):
    env = dict(os.environ, RAG_INDEX_DIR=str(index_dir))
    return subprocess.run(
        [sys.executable, "-m", "rag", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_ask_json_cites_both_sides_with_exact_quotes(seed_index, seed_texts):
    settings, _ = seed_index
    out = run(
        ["ask", "--json", "Did Russia accept US security guarantees for Ukraine?"],
        settings.index_dir,
    )
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["conflicts"] and len(d["citations"]) >= 2
    for c in d["citations"]:
        assert seed_texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]


def test_ask_prints_answer_and_numbered_sources(seed_index, rag_cli):
    settings, _ = seed_index
    out = rag_cli(["ask", "Which agency helped secure the truce?"], settings.index_dir)
    assert out.returncode == 0, out.stderr
    assert "Sources:" in out.stdout and "[1]" in out.stdout


def test_bad_question_and_missing_index_give_messages_not_tracebacks(seed_index, tmp_path, rag_cli):
    settings, _ = seed_index
    out = rag_cli(["ask", "   "], settings.index_dir)
    assert out.returncode == 2 and "question is empty" in out.stderr
    assert "Traceback" not in out.stderr
    out = rag_cli(["ask", "Anything?"], tmp_path / "none")
    assert out.returncode == 2 and "python -m index build" in out.stderr


def test_chat_keeps_history_for_follow_ups(seed_index, rag_cli):
    settings, _ = seed_index
    session = "What did the Russian deputy foreign minister say about security guarantees?\nAnd which outlet did he say it to?\n\n"
    out = rag_cli(["chat"], settings.index_dir, stdin=session)
    assert out.returncode == 0, out.stderr
    second = out.stdout.split("\n> ")[2]
    assert "Izvestia" in second
