"""Answering without holding the corpus: an opened index reads a document's record only when
a question touches it, keeps a bounded number in memory, and reads indexes of the previous
layout."""

import json
import shutil

import pytest

import rag
from index import store
from index.build import build_index

QUESTIONS = [
    "Did Russia accept US security guarantees for Ukraine?",
    "Which agency helped secure the truce at the Zaporizhzhia plant?",
    "When did US and Ukrainian officials meet in Geneva?",
    "What did Grushko tell Izvestia?",
]


def _summary(answer):
    return answer.answer, [(c.doc_id, c.start, c.end) for c in answer.citations]


@pytest.fixture
def reads(monkeypatch):
    """The keys of the document records read from disk."""
    seen, real = [], store.read_doc

    def reading(index_dir, key):
        seen.append(key)
        return real(index_dir, key)

    monkeypatch.setattr(store, "read_doc", reading)
    return seen


def _copy(seed_index, tmp_path):
    settings, _ = seed_index
    shutil.copytree(settings.index_dir, tmp_path / "index")
    return settings.with_options(index_dir=tmp_path / "index")


def test_opening_reads_no_record_and_answers_read_what_they_cite(seed_index, tmp_path, reads):
    settings = _copy(seed_index, tmp_path)
    snapshot = store.load_snapshot(settings)
    assert reads == [] and snapshot.docs.cached() == 0
    assert len(snapshot.sentences) == snapshot.manifest["stats"]["sentences"]
    answer = rag.ask(QUESTIONS[1], index_dir=settings.index_dir)
    assert answer.citations
    cited = {snapshot.keys[snapshot.doc_number[c.doc_id]] for c in answer.citations}
    assert cited <= set(reads)  # read once each, then kept
    assert len(reads) == len(set(reads)) <= len(snapshot.doc_ids)


def test_a_small_record_cache_gives_the_same_answers(seed_index, tmp_path, monkeypatch, reads):
    settings = _copy(seed_index, tmp_path)
    expected = [_summary(rag.ask(q, index_dir=seed_index[0].index_dir)) for q in QUESTIONS]
    reads.clear()
    monkeypatch.setattr(store, "RECORD_CACHE", 1)
    snapshot = store.load_snapshot(settings)
    got = []
    for q in QUESTIONS:
        got.append(_summary(rag.ask(q, index_dir=settings.index_dir)))
        assert snapshot.docs.cached() <= 1
    assert got == expected
    assert len(reads) > len(set(reads))  # records were let go and read again


def test_an_index_of_the_previous_layout_answers_and_is_upgraded(seed_index, tmp_path):
    settings = _copy(seed_index, tmp_path)
    path = tmp_path / "index" / store.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    ends = {doc_id: entry.pop("chunk_ends") for doc_id, entry in manifest["docs"].items()}
    path.write_text(json.dumps(manifest), encoding="utf-8")
    expected = _summary(rag.ask(QUESTIONS[0], index_dir=seed_index[0].index_dir))
    assert _summary(rag.ask(QUESTIONS[0], index_dir=settings.index_dir)) == expected
    report = build_index(settings, progress=False)
    assert not report.changed
    upgraded = json.loads(path.read_text(encoding="utf-8"))
    assert {d: e["chunk_ends"] for d, e in upgraded["docs"].items()} == ends
    assert _summary(rag.ask(QUESTIONS[0], index_dir=settings.index_dir)) == expected


def test_chunk_ids_of_no_committed_chunk_are_not_answers(seed_index):
    snapshot = store.load_snapshot(seed_index[0])
    first = snapshot.chunks[0]
    assert snapshot.chunk_number(first.id) == 0
    last = len(snapshot.chunks) - 1
    assert snapshot.chunk_number(snapshot.chunks[last].id) == last
    key = first.id.rpartition("#")[0]
    assert snapshot.chunk_number(f"{key}#999") is None
    assert snapshot.chunk_number("gone@0123456789abcdef#0") is None
    assert snapshot.chunk_number("no-number") is None


@pytest.mark.parametrize(
    "options",
    [
        {"outlets": ["Kyiv Independent"]},
        {"since": "2026-02-01"},
        {"outlets": ["marketdash", "unknown"]},
    ],
)
def test_a_filtered_search_finds_what_chromas_filter_finds(seed_index, options):
    from index.embedding import get_embedder
    from rag.filters import make_filters, scope_of

    snapshot = store.load_snapshot(seed_index[0])
    scope = scope_of(make_filters(**options), snapshot)
    assert scope.docs and scope.where
    vector = get_embedder().encode(["security guarantees for Ukraine"])[0]
    for n in (3, 24):
        fetched = snapshot.dense_search(vector, n, scope.where, scope.mask)
        filtered = snapshot.dense_search(vector, n, scope.where)
        assert [c for c, _ in fetched] == [c for c, _ in filtered]
        assert all(snapshot.chunks[c].doc_id in scope.docs for c, _ in fetched)


def test_a_question_on_an_index_a_build_replaced_is_answered_from_the_new_one(
    small_corpus, monkeypatch
):
    from rag import pipeline

    build_index(small_corpus, progress=False)
    old = store.load_snapshot(small_corpus)
    for path in sorted(small_corpus.corpus_dir.glob("*.txt")):
        path.write_text(path.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    build_index(small_corpus, progress=False)  # every record replaced, the old ones removed
    opened, real = [], pipeline.load_snapshot

    def opening(settings):  # the question began just before the build committed
        opened.append(settings)
        return old if len(opened) == 1 else real(settings)

    monkeypatch.setattr(pipeline, "load_snapshot", opening)
    answer = rag.ask(QUESTIONS[0], settings=small_corpus)
    assert len(opened) == 2 and answer.citations
    for c in answer.citations:
        text = (small_corpus.corpus_dir / f"{c.doc_id}.txt").read_text(encoding="utf-8")
        assert text[c.start : c.end] == c.quote
    opened.clear()  # a search begun on the old index, too
    found = rag.search(QUESTIONS[0], 3, settings=small_corpus)
    assert len(opened) == 2 and found
    for f in found:
        text = (small_corpus.corpus_dir / f"{f.doc_id}.txt").read_text(encoding="utf-8")
        assert text[f.start : f.end] == f.text


def test_a_missing_record_is_a_damaged_index_that_names_the_fix(seed_index, tmp_path):
    from core.errors import IndexDamagedError

    settings = _copy(seed_index, tmp_path)
    for path in (tmp_path / "index" / "docs").glob("*.json"):
        path.unlink()
    with pytest.raises(IndexDamagedError, match="python -m index build"):
        rag.ask(QUESTIONS[0], index_dir=settings.index_dir)
