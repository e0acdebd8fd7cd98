"""LLM generators for real: SmolLM2 in llama.cpp, and llama.cpp's OpenAI-compatible server.

Whatever the small model writes, the answer that leaves rag.ask holds only sentences that
their cited quotes support; when nothing holds, the extractive answer comes back with why.
"""

import json
import socket
import subprocess
import sys
import threading

import pytest

from index.embedding import get_embedder
from rag.generators import packaged_gguf
from rag.support import sentence_support
from tests.conftest import ROOT, free_port, server

QUESTIONS = [
    "Did Russia accept US security guarantees for Ukraine?",
    "What did Grushko tell Izvestia?",
    "Which agency helped secure the truce at the Zaporizhzhia plant?",
    "When did US and Ukrainian officials meet in Geneva?",
    "What did Rosatom confirm?",
    "Where will the next round of talks take place?",
    "What did Zelenskiy say about documents on security guarantees?",
]


def assert_grounded(answer, seed_texts):
    """Every claim of the answer is supported by the quote it cites; quotes are exact."""
    embed = get_embedder().encode
    for c in answer.citations:
        assert seed_texts[c.doc_id][c.start : c.end] == c.quote
    for sentence, checks in sentence_support(answer.answer, answer.citations, embed):
        if sentence.strip() in ("Sources disagree.",):
            continue
        assert checks, f"uncited sentence reached the answer: {sentence!r}"
        assert any(v is not None and v.supported for _, v in checks), sentence


def test_smollm2_answers_are_verified_or_fall_back_and_what_it_invents_is_dropped(ask, seed_texts):
    # one test over the seven answers (under pytest-xdist a module fixture shared by two
    # tests may be made once on each worker: the model's answers are the dearest part)
    llama_answers = []
    for q in QUESTIONS:
        pieces = []
        llama_answers.append((ask(q, generator="llama-cpp", on_text=pieces.append), pieces))
    used = 0
    for answer, pieces in llama_answers:
        assert answer.generation["model"] == packaged_gguf().name
        assert answer.generation["tokens"] > 0 and pieces  # the draft was streamed
        assert "".join(pieces) == answer.generation["draft"]
        assert 0.0 <= answer.groundedness <= 1.0
        assert answer.timings_ms["first_token"] <= answer.timings_ms["generate"]
        assert_grounded(answer, seed_texts)
        if answer.fallback:
            assert answer.generator == "extractive"
            assert answer.answer == ask(answer.question).answer
        else:
            used += 1
            assert answer.generator == "llama-cpp"
            for d in answer.dropped:
                assert d["reason"] and d["sentence"]
    # The model's own sentences make it through when the passages back them.
    assert used >= 1, [a.fallback for a, _ in llama_answers]
    # What the model invents is dropped, each with a reason.
    drafts = [a for a, _ in llama_answers if a.dropped]
    assert drafts, "SmolLM2 wrote nothing unsupported on these questions"
    reasons = {d["reason"] for a in drafts for d in a.dropped}
    assert reasons and all(isinstance(r, str) and r for r in reasons)


def test_prompt_over_the_context_window_falls_back_with_a_message(ask):
    answer = ask(QUESTIONS[0], generator="llama-cpp", llm_ctx=256)
    assert answer.generator == "extractive" and "context window is 256" in answer.fallback
    assert answer.answer.startswith("Sources disagree")


def test_missing_gguf_file_is_a_named_config_error(ask, tmp_path):
    import rag

    with pytest.raises(rag.ConfigError, match="does not point to a file"):
        ask(QUESTIONS[0], generator="llama-cpp", llm_path=str(tmp_path / "nope.gguf"))


def test_refusals_do_not_reach_the_model(ask):
    answer = ask("What is the GDP of France?", generator="llama-cpp")
    assert answer.refused and answer.generation is None


# --- the OpenAI-compatible generator ----------------------------------------------------


@pytest.fixture(scope="module")
def llama_server():
    """llama.cpp's OpenAI-compatible server with SmolLM2, on a free 127.0.0.1 port."""
    port = free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(packaged_gguf())]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    with server(cmd, port, 120, cwd=ROOT):
        yield f"http://127.0.0.1:{port}/v1"


def test_openai_generator_against_a_real_server(ask, llama_server, seed_texts):
    pieces = []
    answer = ask(
        QUESTIONS[2],
        generator="openai",
        llm_base_url=llama_server,
        on_text=pieces.append,
        llm_timeout=900,
    )
    assert answer.generation["generator"] == "openai" and answer.generation["tokens"] > 0
    assert "".join(pieces) == answer.generation["draft"]
    assert_grounded(answer, seed_texts)


def test_server_down_falls_back_with_a_message(ask):
    url = f"http://127.0.0.1:{free_port()}/v1"
    answer = ask(QUESTIONS[0], generator="openai", llm_base_url=url)
    assert answer.generator == "extractive"
    assert answer.fallback.startswith(f"cannot reach the LLM server at {url}")
    assert answer.answer.startswith("Sources disagree")


@pytest.fixture
def silent_server():
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    held, stop = [], threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    stop.set()
    for c in held:
        c.close()
    sock.close()


def test_timeout_falls_back_with_a_message(ask, silent_server):
    answer = ask(QUESTIONS[0], generator="openai", llm_base_url=silent_server, llm_timeout=1)
    assert answer.generator == "extractive"
    assert "did not answer within 1 s" in answer.fallback


def test_openai_generator_needs_a_base_url(ask):
    import rag

    with pytest.raises(rag.ConfigError, match="RAG_LLM_BASE_URL"):
        ask(QUESTIONS[0], generator="openai")


def test_cli_streams_the_draft_and_prints_the_verified_answer(seed_index, rag_cli):
    # `python -m rag ask --stream` through its entry point, with the model this process loaded
    settings, _ = seed_index
    out = rag_cli(["ask", "--generator", "llama-cpp", "--stream", QUESTIONS[2]], settings.index_dir)
    assert out.returncode == 0, out.stderr
    assert out.stderr.startswith("draft (unverified): ")
    assert "Sources:" in out.stdout
    assert "groundedness" in out.stdout or "extractive answer shown" in out.stdout


def test_openai_generator_through_the_cli_and_the_ui(llama_server, seed_index, ui_settings):
    import os

    from gradio_client import Client

    from tests.conftest import launch_ui

    settings, _ = seed_index
    env = {
        **os.environ,
        "RAG_INDEX_DIR": str(settings.index_dir),
        "RAG_GENERATOR": "openai",
        "RAG_LLM_BASE_URL": llama_server,
    }
    out = subprocess.run(
        [sys.executable, "-m", "rag", "ask", "--json", QUESTIONS[4]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert '"generator": "openai"' in out.stdout

    app, url = launch_ui(ui_settings.with_options(generator="openai", llm_base_url=llama_server))
    try:
        result = json.loads(
            Client(url, verbose=False).predict(question=QUESTIONS[4], api_name="/ask")
        )
    finally:
        app.close()
    assert result["generation"]["generator"] == "openai"
    assert result["citations"]
