"""The same index and answers through a real Chroma server on 127.0.0.1."""

import os
import shutil
import sys
import time
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


_ASK = """
import json, sys
import rag
a = rag.ask(sys.argv[1], index_dir=sys.argv[2], chroma_host="127.0.0.1",
            chroma_port=int(sys.argv[3]), collection=sys.argv[4])
d = a.to_dict()
d.pop("timings_ms")
print(json.dumps(d, sort_keys=True))
"""


def _ask_elsewhere(question: str, index_dir: Path, port: int, collection: str) -> dict:
    """An answer from a process of its own (another machine's, but for the server)."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", _ASK, question, str(index_dir), str(port), collection],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _built_seeds(tmp_path: Path, port: int, collection: str):
    """The seed corpus copied under tmp_path and built through the server: (corpus folder,
    the server's settings as options, the builder's settings)."""
    from tests.conftest import SEEDS

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    options = dict(chroma_host="127.0.0.1", chroma_port=port, collection=collection)
    builder = make_settings(corpus, tmp_path / "builder", **options)
    build_index(builder, progress=False)
    return corpus, options, builder


def test_a_second_process_with_an_empty_folder_answers_from_the_server(chroma_server, tmp_path):
    import json

    from index import shared

    corpus, options, builder = _built_seeds(tmp_path, chroma_server, "shared-news")
    manifest = json.loads((tmp_path / "builder" / "manifest.json").read_text())
    assert shared.published(builder) == manifest["build"]

    question = "Did Russia accept US security guarantees for Ukraine?"
    here = rag.ask(question, settings=builder).to_dict()
    here.pop("timings_ms")
    reader = tmp_path / "reader"  # nothing there: all it answers from comes from the server
    there = _ask_elsewhere(question, reader, chroma_server, "shared-news")
    assert there == json.loads(json.dumps(here)), (here["answer"], there["answer"])
    assert there["conflicts"]
    assert (reader / "manifest.json").exists() and not (reader / "chroma").exists()

    # a build published later reaches the reader, which fetches only what it lacks
    (corpus / "harbor.txt").write_text(
        "Delmar dock opens\nMarch 3, 2031\n"
        "The Delmar Port Authority said the new container dock would open to ships in June.\n",
        encoding="utf-8",
    )
    record_times = {p.name: p.stat().st_mtime_ns for p in (reader / "docs").iterdir()}
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA line added later.\n")
    build_index(builder, progress=False)
    answer = _ask_elsewhere(
        "When will the Delmar dock open to ships?", reader, chroma_server, "shared-news"
    )
    assert not answer["refused"] and "June" in answer["answer"], answer["answer"]
    kept = {p.name: p.stat().st_mtime_ns for p in (reader / "docs").iterdir()}
    # the unchanged articles' records are not fetched again; the changed one's old record
    # is gone, its new one and the new article's are there
    old_changed = {n for n in record_times if n.startswith(changed.stem + "@")}
    assert len(old_changed) == 2 and not old_changed & kept.keys()
    assert all(kept[n] == t for n, t in record_times.items() if n not in old_changed)
    assert len(kept) == len(record_times) + 2


def test_a_server_without_a_published_index_says_so(chroma_server, tmp_path):
    settings = make_settings(
        tmp_path / "corpus",
        tmp_path / "empty",
        chroma_host="127.0.0.1",
        chroma_port=chroma_server,
        collection="never-built",
    )
    with pytest.raises(rag.IndexNotBuiltError):
        rag.ask("Did Russia accept US security guarantees?", settings=settings)


def test_readers_at_once_and_a_damaged_server_copy(chroma_server, tmp_path):
    import concurrent.futures

    from index import shared

    corpus, options, builder = _built_seeds(tmp_path, chroma_server, "damaged")
    question = "Did Russia accept US security guarantees for Ukraine?"

    # four questions at once into one empty folder: one fetch, four answers
    reader = make_settings(corpus, tmp_path / "reader", **options)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: rag.ask(question, settings=reader), range(4)))
    assert all(a.conflicts and a.answer == answers[0].answer for a in answers)
    assert not list((tmp_path / "reader").rglob("*.tmp"))

    # a newer build whose copy on the server lost a part: a reader that holds the older
    # build keeps answering from it
    (corpus / "extra.txt").write_text(
        "Harbor news\nMarch 3, 2031\nThe Delmar dock will open in June.\n", encoding="utf-8"
    )
    build_index(builder, progress=False)
    collection = shared.files_collection(shared.store.open_client(builder), builder)
    lost = [i for i in collection.get(include=[])["ids"] if i.startswith("docs/extra@")]
    collection.delete(ids=lost)
    time.sleep(shared.CHECK_EVERY)
    assert rag.ask(question, settings=reader).conflicts
    # one with nothing says what is wrong and how to repair it
    empty = make_settings(corpus, tmp_path / "empty", **options)
    with pytest.raises(rag.IndexDamagedError, match="python -m index build"):
        rag.ask(question, settings=empty)
    # and that build, from any folder, publishes the index whole again
    build_index(make_settings(corpus, tmp_path / "repair", **options), progress=False)
    answer = rag.ask("When will the Delmar dock open?", settings=empty)
    assert not answer.refused and "June" in answer.answer, answer.answer
