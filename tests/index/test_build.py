"""Building the index: summary, duplicates, incremental updates, bad files, crash safety."""

import dataclasses
import json
import os
import re
import shutil
import time

import pytest

import index.build as build_mod
import rag
from core.errors import CorpusError, IndexNotBuiltError
from index.build import build_index
from index.store import load_snapshot, read_manifest
from tests.conftest import SEEDS


def settled(folder) -> None:
    """Files as a corpus usually is: written well before the build (a file written within
    the clock's resolution of a build is read again by the next one)."""
    past = time.time() - 60
    for f in folder.iterdir():
        os.utime(f, (past, past))


def test_seed_build_summary(seed_index):
    _, report = seed_index
    assert report.files == 5
    assert report.chunks >= 10 and report.sentences >= 100
    assert report.skipped == []
    assert "Indexed 5 files" in report.summary()


def test_chunks_fit_the_embedder_window(seed_index):
    from index.embedding import get_embedder

    settings, _ = seed_index
    snap = load_snapshot(settings)
    counts = get_embedder().count_tokens([snap.chunk_text(i) for i in range(len(snap.chunks))])
    assert max(counts) <= 256


def test_every_chunk_is_in_chroma(seed_index):
    settings, _ = seed_index
    snap = load_snapshot(settings)
    stored = set(snap.collection.get(include=[])["ids"])
    assert stored == {c.id for c in snap.chunks}


def test_repeated_article_is_indexed_once(seed_index):
    settings, _ = seed_index
    snap = load_snapshot(settings)
    texts = [snap.sentence_text(g) for g in range(len(snap.sentences))]
    marketdash = [
        t for t, s in zip(texts, snap.sentences, strict=True) if s.doc_id.startswith("002")
    ]
    assert len(marketdash) == len(set(marketdash))


def test_wire_copies_are_linked(seed_index):
    settings, _ = seed_index
    snap = load_snapshot(settings)
    pairs = {tuple(sorted(s["docs"])) for s in snap.stories}
    assert ("003_039d8ac775d75c18", "004_34ea7ae64c1b966a") in pairs
    # the Grushko quote is one sentence in two files
    g = next(
        i
        for i in range(len(snap.sentences))
        if snap.sentences[i].doc_id.startswith("003") and "key factor" in snap.sentence_text(i)
    )
    assert {snap.sentences[d].doc_id[:3] for d in snap.duplicates_of(g)} == {"004"}


def test_unrelated_sentences_are_not_duplicates(seed_index):
    settings, _ = seed_index
    snap = load_snapshot(settings)
    for group in snap.groups:
        docs = [snap.sentences[g].doc_id for g in group]
        assert len(set(docs)) >= 2
    lavrov = next(
        i for i in range(len(snap.sentences)) if "did not even see them" in snap.sentence_text(i)
    )
    assert snap.duplicates_of(lavrov) == []


def _dups(settings) -> dict:
    manifest = read_manifest(settings.index_dir)
    return json.loads((settings.index_dir / manifest["dups"]).read_text(encoding="utf-8"))


def test_an_added_wire_copy_is_linked_by_looking_up_only_its_own_sentences(
    small_corpus, tmp_path, monkeypatch
):
    build_index(small_corpus, progress=False)
    looked_up = []
    real = build_mod.find_pairs

    def spy(new, *args):
        looked_up.extend(new)
        return real(new, *args)

    monkeypatch.setattr(build_mod, "find_pairs", spy)
    copy = "004_34ea7ae64c1b966a"
    shutil.copy(SEEDS / f"{copy}.txt", small_corpus.corpus_dir / f"{copy}.txt")
    report = build_index(small_corpus, progress=False)
    assert report.added == [copy]
    # only the new article's sentences were compared, each with its nearest neighbours
    assert looked_up and {doc for doc, _ in looked_up} == {copy}
    incremental = _dups(small_corpus)
    assert ["003_039d8ac775d75c18", copy] in [s["docs"] for s in incremental["stories"]]

    # the same groups and stories as a clean build of the same four files
    clean = dataclasses.replace(small_corpus, index_dir=tmp_path / "clean-index")
    monkeypatch.setattr(build_mod, "find_pairs", real)
    build_index(clean, progress=False)
    fresh = _dups(clean)
    assert incremental["pairs"] == fresh["pairs"]
    assert incremental["stories"] == fresh["stories"]


def test_a_reanalysed_document_leaves_no_stale_sentence_behind(small_corpus, monkeypatch):
    from index import store

    build_index(small_corpus, progress=False)
    snap = load_snapshot(small_corpus)
    rec = next(iter(snap.docs.values()))
    # a sentence number the document no longer has, as a re-analysis with fewer sentences
    # under the same key would leave
    sentences = store.sentence_collection(store.open_client(small_corpus), small_corpus)
    sentences.upsert(
        ids=[f"{rec.key}#s999"],
        embeddings=rec.vectors[:1],
        metadatas=[{"doc_id": rec.doc_id, "key": rec.key, "i": 999}],
    )
    monkeypatch.setattr(build_mod, "ANALYSIS_VERSION", build_mod.ANALYSIS_VERSION + 1)
    report = build_index(small_corpus, progress=False)  # every document is redone
    assert len(report.added) == 3
    assert not sentences.get(ids=[f"{rec.key}#s999"])["ids"]


def test_unchanged_corpus_touches_nothing(small_corpus, monkeypatch):
    settled(small_corpus.corpus_dir)
    first = build_index(small_corpus, progress=False)
    assert len(first.added) == 3
    manifest = (small_corpus.index_dir / "manifest.json").read_bytes()

    def no_embedding(*a, **k):
        raise AssertionError("an unchanged corpus must not be embedded again")

    monkeypatch.setattr(build_mod, "_embed", no_embedding)
    again = build_index(small_corpus, progress=False)
    assert not again.changed and len(again.unchanged) == 3
    assert (small_corpus.index_dir / "manifest.json").read_bytes() == manifest


def test_new_metadata_for_an_unchanged_text_keeps_its_analysis_and_vectors(
    small_corpus, monkeypatch
):
    from index import store

    settled(small_corpus.corpus_dir)
    build_index(small_corpus, progress=False)
    chunks = store.chunk_collection(store.open_client(small_corpus), small_corpus).count()
    sidecar = small_corpus.corpus_dir / "sources.toml"
    text = sidecar.read_text(encoding="utf-8")
    entry = '["001_f4ac8c9dc4ca8118.txt"]'
    head, _, tail = text.partition(entry)
    sidecar.write_text(
        head + entry + tail.replace('outlet = "unknown"', 'outlet = "Wire Daily"', 1),
        encoding="utf-8",
    )

    def no_work(records, *a, **k):
        if records:
            raise AssertionError("a text that did not change must not be analysed or embedded")

    monkeypatch.setattr(build_mod, "_embed", no_work)
    monkeypatch.setattr(build_mod, "_analyse_language", no_work)
    report = build_index(small_corpus, progress=False)
    assert report.retagged == report.updated == ["001_f4ac8c9dc4ca8118"]
    assert "new metadata only" in report.summary()
    docs = {d["doc_id"]: d for d in rag.list_documents(index_dir=small_corpus.index_dir)}
    assert docs["001_f4ac8c9dc4ca8118"]["outlet"] == "Wire Daily"
    # the outlet filter (Chroma's where clause) sees the new metadata; nothing is left twice
    answer = rag.ask(
        "Did Russia accept US security guarantees?",
        outlets=["Wire Daily"],
        index_dir=small_corpus.index_dir,
        corpus_dir=small_corpus.corpus_dir,
    )
    assert answer.citations
    assert {c.doc_id for c in answer.citations} == {"001_f4ac8c9dc4ca8118"}
    assert store.chunk_collection(store.open_client(small_corpus), small_corpus).count() == chunks


def test_changed_file_is_replaced_and_deleted_file_disappears(small_corpus):
    build_index(small_corpus, progress=False)
    corpus = small_corpus.corpus_dir
    path = corpus / "003_039d8ac775d75c18.txt"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\nThe harbour master said the lighthouse at Varnholm was repainted violet.\n",
        encoding="utf-8",
    )
    (corpus / "000_678fb64ae03cb8b5.txt").unlink()
    report = build_index(small_corpus, progress=False)
    assert report.updated == ["003_039d8ac775d75c18"]
    assert report.removed == ["000_678fb64ae03cb8b5"]

    answer = rag.ask(
        "What colour was the Varnholm lighthouse repainted?", index_dir=small_corpus.index_dir
    )
    assert not answer.refused
    assert answer.citations[0].doc_id == "003_039d8ac775d75c18"
    assert "violet" in answer.citations[0].quote

    answer = rag.ask(
        "Where was Budanov speaking during the telethon?", index_dir=small_corpus.index_dir
    )
    assert all(c.doc_id != "000_678fb64ae03cb8b5" for c in answer.citations)
    snap = load_snapshot(small_corpus)
    assert not [i for i in snap.collection.get(include=[])["ids"] if i.startswith("000_")]


def test_adding_a_file_reads_no_other_corpus_file_and_updates_the_keyword_index(
    small_corpus, monkeypatch
):
    settled(small_corpus.corpus_dir)
    build_index(small_corpus, progress=False)
    corpus = small_corpus.corpus_dir
    (corpus / "new.txt").write_text(
        "Lighthouse news\nThe harbour master said the Varnholm lighthouse was repainted violet.\n"
    )
    read, real = [], build_mod.read_document

    def reading(path, *a, **k):
        read.append(path.name)
        return real(path, *a, **k)

    def rebuilt(*a, **k):
        raise AssertionError("the keyword index is updated, not rebuilt")

    monkeypatch.setattr(build_mod, "read_document", reading)
    monkeypatch.setattr(build_mod.KeywordIndex, "build", rebuilt)
    report = build_index(small_corpus, progress=False)
    assert report.added == ["new"] and read == ["new.txt"]
    answer = rag.ask(
        "What colour was the Varnholm lighthouse repainted?", index_dir=small_corpus.index_dir
    )
    assert answer.citations[0].doc_id == "new"

    # a file rewritten with the same text is read again, found unchanged, not re-embedded
    read.clear()
    (corpus / "new.txt").write_bytes((corpus / "new.txt").read_bytes())
    report = build_index(small_corpus, progress=False)
    assert read == ["new.txt"] and not report.changed
    # just written: read once more, as an edit within the same clock tick would not show
    read.clear()
    assert not build_index(small_corpus, progress=False).changed and read == ["new.txt"]
    settled(corpus)
    build_index(small_corpus, progress=False)
    read.clear()
    assert not build_index(small_corpus, progress=False).changed and read == []


def test_an_updated_keyword_index_scores_as_a_clean_build(small_corpus, tmp_path):
    build_index(small_corpus, progress=False)
    corpus = small_corpus.corpus_dir
    (corpus / "000_678fb64ae03cb8b5.txt").unlink()
    (corpus / "new.txt").write_text(
        "Lighthouse news\nThe harbour master said the Varnholm lighthouse was repainted violet.\n"
    )
    build_index(small_corpus, progress=False)
    clean = dataclasses.replace(small_corpus, index_dir=tmp_path / "clean")
    build_index(clean, progress=False)
    updated, fresh = load_snapshot(small_corpus), load_snapshot(clean)
    assert [c.id for c in updated.chunks] == [c.id for c in fresh.chunks]
    for query in ("Varnholm lighthouse violet", "Budanov telethon", "security guarantees"):
        assert updated.keyword.scores(query).tolist() == pytest.approx(
            fresh.keyword.scores(query).tolist()
        )
    # the removed article's words are not the corpus's any more
    assert not updated.keyword.knows_like("telethon")
    assert not fresh.keyword.knows_like("telethon")


def test_an_index_from_an_older_release_is_brought_up_to_date(small_corpus, monkeypatch):
    # an older release kept no file sizes or counts in the manifest and another kind of
    # keyword index: the next build reads the files once, rebuilds the keyword index, and
    # from then on an added file is the only one read
    settled(small_corpus.corpus_dir)
    build_index(small_corpus, progress=False)
    path = small_corpus.index_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    for entry in manifest["docs"].values():
        for k in ("size", "mtime_ns", "sidecar", "sentences", "chunks", "eligible"):
            entry.pop(k)
    path.write_text(json.dumps(manifest))
    for f in (small_corpus.index_dir / manifest["bm25"]).iterdir():
        f.unlink()
    with pytest.raises(IndexNotBuiltError, match="older release.*python -m index build"):
        rag.ask("Where was Budanov speaking?", index_dir=small_corpus.index_dir)
    report = build_index(small_corpus, progress=False)
    assert not report.changed and len(report.unchanged) == 3
    answer = rag.ask(
        "Where was Budanov speaking during the telethon?", index_dir=small_corpus.index_dir
    )
    assert not answer.refused and answer.citations

    (small_corpus.corpus_dir / "new.txt").write_text(
        "Harbour news\nThe Varnholm harbour will be dredged.\n"
    )
    read, real = [], build_mod.read_document
    monkeypatch.setattr(
        build_mod, "read_document", lambda p, *a, **k: read.append(p.name) or real(p, *a, **k)
    )
    assert build_index(small_corpus, progress=False).added == ["new"]
    assert read == ["new.txt"]


def test_bad_files_are_skipped_by_name_and_the_rest_is_indexed(small_corpus, monkeypatch):
    corpus = small_corpus.corpus_dir
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blob.txt").write_bytes(b"\x00\xff\x00binary")
    (corpus / "noise.txt").write_bytes(bytes(range(1, 256)) * 2)  # no charset decodes it
    (corpus / "image.png").write_bytes(b"\x89PNG")
    report = build_index(small_corpus, progress=False)
    skipped = dict(report.skipped)
    assert set(skipped) == {"empty.txt", "blob.txt", "noise.txt", "image.png"}
    assert "empty" in skipped["empty.txt"] and "binary" in skipped["blob.txt"]
    assert "UTF-8" in skipped["noise.txt"] and "unsupported" in skipped["image.png"]
    assert report.files == 3
    for name in skipped:
        assert name in report.summary()

    # the next build names them again without reading them again
    settled(corpus)
    build_index(small_corpus, progress=False)
    read, real = [], build_mod.read_document
    monkeypatch.setattr(
        build_mod, "read_document", lambda p, *a, **k: read.append(p.name) or real(p, *a, **k)
    )
    again = build_index(small_corpus, progress=False)
    assert dict(again.skipped) == skipped and read == []


def test_crash_mid_build_leaves_previous_index_answering(small_corpus, monkeypatch):
    build_index(small_corpus, progress=False)
    before = read_manifest(small_corpus.index_dir)
    question = "What colour was the Varnholm lighthouse repainted?"
    (small_corpus.corpus_dir / "new.txt").write_text(
        "Lighthouse news\nThe harbour master said the Varnholm lighthouse was repainted violet.\n"
    )

    class Boom(RuntimeError):
        pass

    def crash(*a, **k):
        raise Boom("disk full")

    monkeypatch.setattr(build_mod.KeywordIndex, "updated", crash)
    with pytest.raises(Boom):
        build_index(small_corpus, progress=False)
    assert read_manifest(small_corpus.index_dir)["build"] == before["build"]
    answer = rag.ask(
        "Where was Budanov speaking during the telethon?", index_dir=small_corpus.index_dir
    )
    assert not answer.refused and answer.citations
    assert rag.ask(question, index_dir=small_corpus.index_dir).refused  # half-built doc unseen

    monkeypatch.undo()
    report = build_index(small_corpus, progress=False)
    assert report.added == ["new"]
    answer = rag.ask(question, index_dir=small_corpus.index_dir)
    assert not answer.refused and answer.citations[0].doc_id == "new"


def test_missing_corpus_and_missing_index_are_named(tmp_path):
    from tests.conftest import make_settings

    with pytest.raises(CorpusError, match="not found"):
        build_index(make_settings(tmp_path / "nope", tmp_path / "idx"), progress=False)
    with pytest.raises(IndexNotBuiltError, match="python -m index build"):
        rag.ask("Anything?", index_dir=tmp_path / "idx")


@pytest.fixture(scope="module")
def cli_build(tmp_path_factory):
    """`python -m index build` over one seed article and a binary file, as a user runs it,
    with stderr a pipe (as in CI or a log file): (the finished process, its index folder)."""
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("cli_build")
    corpus = root / "c"
    corpus.mkdir()
    shutil.copy(SEEDS / "003_039d8ac775d75c18.txt", corpus)
    (corpus / "bad.txt").write_bytes(b"\x00\x00")
    done = subprocess.run(
        [sys.executable, "-m", "index", "build", "--corpus", str(corpus)]
        + ["--index", str(root / "i")],
        capture_output=True,
        text=True,
        check=True,
    )
    return done, root / "i"


def test_cli_build_prints_summary(cli_build):
    done, index = cli_build
    assert "Indexed 1 files" in done.stdout and "skipped bad.txt: binary" in done.stdout
    assert json.loads((index / "manifest.json").read_text())["stats"]["chunks"] >= 1


def test_cli_build_reports_progress_as_lines_in_a_log(cli_build):
    # no bar where stderr is no terminal, but a line per stage
    out, _ = cli_build
    lines = [line for line in out.stderr.splitlines() if line.startswith("[")]
    stages = [line.split("] ", 1)[1].split(" ", 1)[0] for line in lines]
    assert stages[0] == "Reading" and "Indexing" in stages and "Building" in stages, out.stderr
    # files done, the rate and the time left
    assert re.search(
        r"Indexing 1/1 new or changed files, [\d.]+ files \(\d+ sentences\) a second "
        r"\(\d+ s(, about \d+ s left)?\)",
        out.stderr,
    ), out.stderr
    assert lines[-1].startswith("[100%]"), out.stderr


def test_a_second_build_of_one_index_waits_for_the_first(small_corpus):
    import fcntl
    import threading

    small_corpus.index_dir.mkdir(parents=True)
    waiting, result = threading.Event(), {}

    def told(fraction, message):
        if message.startswith("Waiting for another build"):
            waiting.set()

    def build():
        result["report"] = build_index(small_corpus, progress=False, on_progress=told)

    with open(small_corpus.index_dir / build_mod.LOCK, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another build of this folder is running
        thread = threading.Thread(target=build)
        thread.start()
        assert waiting.wait(120)
        thread.join(1.0)
        assert thread.is_alive() and "report" not in result
        fcntl.flock(held, fcntl.LOCK_UN)
    thread.join(600)
    assert len(result["report"].added) == 3


def test_a_legacy_encoded_article_is_indexed_and_quoted_as_written(tmp_path):
    from tests.conftest import make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (
        "Mutu sacked\nChelsea have sacked striker Adrian Mutu, a \xa315.8m signing from Parma "
        "in 2003, after he tested positive for cocaine.\n"
    )
    (corpus / "mutu.txt").write_bytes(text.encode("latin-1"))
    settings = make_settings(corpus, tmp_path / "index")
    report = build_index(settings, progress=False)
    assert report.files == 1 and not report.skipped
    answer = rag.ask(
        "How much did Chelsea pay Parma for Adrian Mutu?", index_dir=settings.index_dir
    )
    assert not answer.refused, answer.answer
    cited = answer.citations[0]
    assert "\xa315.8m" in cited.quote and text[cited.start : cited.end] == cited.quote


def test_a_file_skipped_by_an_older_reader_is_read_again(tmp_path, monkeypatch):
    from index import corpus as corpus_mod
    from tests.conftest import make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "mutu.txt").write_bytes("Mutu\nMutu cost \xa315.8m.\n".encode("latin-1"))
    (corpus / "other.txt").write_text("Rates\nRates were held at 4.75%.\n", encoding="utf-8")
    settings = make_settings(corpus, tmp_path / "index")

    real = corpus_mod._decode

    def refuse(path, data):
        if path.name == "mutu.txt":
            raise corpus_mod.SkipFile("not valid UTF-8 text (byte 15)")
        return real(path, data)

    with monkeypatch.context() as m:  # a reader that refused legacy charsets
        m.setattr(corpus_mod, "_decode", refuse)
        m.setattr(build_mod, "READER_VERSION", build_mod.READER_VERSION - 1)
        assert [name for name, _ in build_index(settings, progress=False).skipped] == ["mutu.txt"]
    report = build_index(settings, progress=False)
    assert not report.skipped and report.files == 2


@pytest.mark.parametrize("metadata_changes", [False, True])
def test_a_page_read_by_a_newer_reader_keeps_the_newer_text(
    tmp_path, monkeypatch, metadata_changes
):
    """The same bytes read into another text (a newer page extractor) are analysed again,
    whether or not their metadata changed too."""
    from pathlib import Path

    from index import corpus as corpus_mod
    from tests.conftest import make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = (Path(__file__).parent.parent / "data" / "port.html").read_text(encoding="utf-8")
    (corpus / "port.html").write_text(page, encoding="utf-8")
    settled(corpus)
    settings = make_settings(corpus, tmp_path / "index")

    def whole_page(raw):  # an older reader: the page's whole visible text
        text, meta = real(raw)
        if not metadata_changes:
            return corpus_mod.visible_text(raw), meta
        return corpus_mod.visible_text(raw), {**meta, "outlet": "an older guess"}

    real = corpus_mod._html_page
    with monkeypatch.context() as m:
        m.setattr(corpus_mod, "_html_page", whole_page)
        m.setattr(build_mod, "READER_VERSION", build_mod.READER_VERSION - 1)
        build_index(settings, progress=False)
    assert "Most read" in rag.get_document("port", index_dir=settings.index_dir)["text"]
    report = build_index(settings, progress=False)
    assert report.updated == ["port"] and not report.retagged
    text = rag.get_document("port", index_dir=settings.index_dir)["text"]
    assert "Most read" not in text and "backlog of forty vessels" in text
