"""The same index and answers through a real Chroma server on 127.0.0.1."""

import os
import shutil
import sys
from pathlib import Path

import pytest

import rag
from index.build import build_index
from tests.conftest import free_port, make_settings, server

CHROMA = Path(sys.executable).with_name("chroma")


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    cmd = [str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)]
    with server(cmd, port, 60, env=env):
        yield port


def test_build_and_ask_through_a_chroma_server(chroma_server, tmp_path):
    from tests.conftest import SEEDS

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    settings = make_settings(
        corpus, tmp_path / "index", chroma_host="127.0.0.1", chroma_port=chroma_server
    )
    report = build_index(settings, progress=False)
    assert report.files == 5
    assert not (tmp_path / "index" / "chroma").exists()  # vectors live in the server
    answer = rag.ask(
        "Did Russia accept US security guarantees for Ukraine?",
        index_dir=settings.index_dir,
        chroma_host="127.0.0.1",
        chroma_port=chroma_server,
    )
    assert answer.conflicts and len(answer.citations) >= 2


def test_unreachable_server_is_named(tmp_path):
    from tests.conftest import SEEDS

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    settings = make_settings(
        corpus, tmp_path / "index", chroma_host="127.0.0.1", chroma_port=free_port()
    )
    with pytest.raises(rag.ConfigError, match="cannot reach the Chroma server at 127.0.0.1"):
        build_index(settings, progress=False)
