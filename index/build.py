"""build_index: turn the corpus folder into a committed, incrementally updated index."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from core.config import Settings, load_settings
from core.errors import (
    ConfigError,
    CorpusError,
    IndexDamagedError,
    IndexWriteError,
    RagError,
)
from index import analysis, shared, store
from index.chunking import chunk_sentences
from index.cleaning import clean
from index.corpus import Document, Sidecar, SkipFile, discover, load_sidecar, read_document
from index.duplicates import MIN_WORDS, NEIGHBOURS, RULE_VERSION, SENTENCE_RULES, find_pairs, group
from index.embedding import get_embedder
from index.keyword import KeywordIndex
from index.sentences import split_sentences
from index.text import negates, tokens

# on_progress(fraction done in 0..1, message)
Progress = Callable[[float, str], None]

JOURNAL = "journal.jsonl"
log = logging.getLogger(__name__)
LOCK = "build.lock"
# A file modified less than this long before a build is read again by the next one.
RACY_NS = 2_000_000_000
# Bump when cleaning, sentence splitting, chunking or index.analysis change: every document is redone.
ANALYSIS_VERSION = 17
# Bump when reading files changes what is refused or the text and metadata read
# (index.corpus): every file is read again by the next build under the newer reader, and
# only those whose text or metadata changed are analysed and embedded again.
READER_VERSION = 3


@dataclass
class BuildReport:
    """What a build did, for the summary line and for callers."""

    files: int = 0
    chunks: int = 0
    sentences: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # added or updated files a stopped build had already committed (index._Journal)
    resumed: list[str] = field(default_factory=list)
    # updated files whose text was unchanged: new metadata, the stored analysis and vectors
    retagged: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # wall seconds per stage ("reading", "splitting", "parsing", "embedding", "writing",
    # "keyword", "duplicates"), for telling where a build's time goes
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timing(self, stage: str):
        t = time.perf_counter()
        try:
            yield
        finally:
            self.stages[stage] = self.stages.get(stage, 0.0) + time.perf_counter() - t

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        line = (
            f"Indexed {self.files} files, {self.chunks} chunks, {self.sentences} sentences "
            f"({len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped) in {self.seconds:.2f}s"
        )
        if self.stages:
            line += "\n  time: " + ", ".join(
                f"{stage} {seconds:.1f}s" for stage, seconds in self.stages.items()
            )
        if self.resumed:
            line += f"\n  {len(self.resumed)} file(s) taken over from a build that was stopped"
        if self.retagged:
            line += (
                f"\n  {len(self.retagged)} file(s) with new metadata only: "
                "their analysis and vectors were kept"
            )
        for name, reason in self.skipped:
            line += f"\n  skipped {name}: {reason}"
        return line


def analyse(doc: Document, embedder, chunk_tokens: int, salt: str = "") -> store.DocRecord:
    """Clean, split and chunk one document (no embedding yet)."""
    cleaned = clean(doc.text)
    sentences, paras = [], []
    for pi, para in enumerate(cleaned.paragraphs):
        for s in split_sentences(para.text, para.start):
            sentences.append(s)
            paras.append(pi)
    counts = embedder.count_tokens([s.text for s in sentences])
    chunks = chunk_sentences(sentences, counts, chunk_tokens)
    return store.DocRecord(
        doc_id=doc.doc_id,
        key=store.doc_key(doc.doc_id, doc.sha256, salt),
        file=doc.path.name,
        sha256=doc.sha256,
        meta=doc.meta,
        text=doc.text,
        sentences=[(s.start, s.end, p) for s, p in zip(sentences, paras, strict=True)],
        chunks=[(c.first, c.last) for c in chunks],
        dropped=[(d.start, d.end) for d in cleaned.dropped],
    )


def _analyse_language(records: list[store.DocRecord], analyser: analysis.Analyser) -> None:
    """Entities and speakers of every sentence, once per document (index.analysis)."""
    if not records:
        return
    found = analyser.analyse(
        [
            (
                [a for a, _, _ in rec.sentences],
                [rec.sentence_text(i) for i in range(len(rec.sentences))],
            )
            for rec in records
        ]
    )
    for rec, result in zip(records, found, strict=True):
        rec.speakers = result["speakers"]
        rec.entities = result["entities"]


def _config_fingerprint(settings: Settings, embedder_name: str) -> dict:
    return {
        "embed_model": embedder_name,
        "chunk_tokens": settings.chunk_tokens,
        "collection": settings.collection,
        "analysis": ANALYSIS_VERSION,
        "chroma": f"{settings.chroma_host}:{settings.chroma_port}"
        if settings.chroma_host
        else "embedded",
    }


def build_index(
    settings: Settings | None = None,
    *,
    progress: bool = True,
    corpus_dir: Path | None = None,
    on_progress: Progress | None = None,
) -> BuildReport:
    """Index the corpus folder incrementally and commit the result atomically.

    Args:
        settings: where the corpus and index live; defaults to ``load_settings()``.
        progress: show a progress bar on a terminal while embedding.
        corpus_dir: overrides ``settings.corpus_dir``.
        on_progress: called with (fraction done, what is happening) as the build goes on.

    Returns:
        A BuildReport; ``report.summary()`` is the line the CLI prints.

    Raises:
        CorpusError: the corpus folder is missing, or holds no readable document.
        IndexWriteError: the index could not be written (a full disk); nothing was
            committed and the previous index keeps answering.

    Builds of one index folder run one at a time: a second waits for the first (an upload
    in the UI while ``python -m index build`` runs).
    """
    tell = on_progress or (lambda fraction, message: None)
    settings = settings or load_settings()
    if corpus_dir is not None:
        settings = settings.with_options(corpus_dir=corpus_dir)
    with _one_build_at_a_time(Path(settings.index_dir), tell):
        try:
            return _build(settings, progress, tell)
        except OSError as e:  # files the corpus cannot give are skipped by name in _build
            if _writing_failed(e, Path(settings.index_dir)):
                raise IndexWriteError(str(settings.index_dir), e) from e
            raise


def _fetch_published(settings: Settings, tell: Progress) -> None:
    try:
        if shared.fetch(settings, force=True, locked=True):
            tell(0.0, "Fetched the index the Chroma server publishes")
    except IndexDamagedError as e:  # built anew from this folder, then published whole
        log.warning("%s; building from %s", e, settings.index_dir)
    except RagError:
        raise
    except Exception as e:  # chromadb raises plain Exceptions
        raise store.store_failure(settings, e) from None


def _published(settings: Settings) -> str | None:
    try:
        return shared.published(settings)
    except RagError:
        raise
    except Exception as e:
        raise store.store_failure(settings, e) from None


def _publish(settings: Settings, index_dir: Path, manifest: dict, tell: Progress) -> None:
    tell(0.99, "Publishing the index to the Chroma server")
    try:
        shared.publish(settings, index_dir, manifest)
    except OSError:
        raise
    except Exception as e:
        raise ConfigError(
            f"the index in {index_dir} was built but could not be published to the Chroma "
            f"server at {settings.chroma_host}:{settings.chroma_port} ({e}); other machines "
            "keep the build published before it. Run python -m index build again to publish it"
        ) from None


def _writing_failed(error: OSError, index_dir: Path) -> bool:
    """Whether an OSError is the index's storage refusing a write: no space, a quota, a
    read-only disk, or any error on a file inside the index folder."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        return True
    name = error.filename
    if not name:
        return False
    try:
        return Path(name).resolve().is_relative_to(index_dir.resolve())
    except (OSError, ValueError):
        return False


@contextmanager
def _one_build_at_a_time(index_dir: Path, tell: Progress):
    """An exclusive lock on the index folder's build lock file, released when the build ends
    or its process dies."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            tell(0.0, "Waiting for another build of this index to finish")
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _build(settings: Settings, progress: bool, tell: Progress) -> BuildReport:
    t0 = time.perf_counter()
    index_dir = Path(settings.index_dir)
    report = BuildReport()

    tell(0.0, "Reading the corpus folder")
    paths, report.skipped = discover(Path(settings.corpus_dir))
    sidecar = load_sidecar(Path(settings.corpus_dir))
    embedder = get_embedder(settings.embed_model)
    fingerprint = _config_fingerprint(settings, embedder.name)
    if settings.chroma_host:
        # the build the server publishes, where another machine made it: only what changed
        # since is redone, and this build never goes back to an older state
        _fetch_published(settings, tell)
    try:
        old = store.read_manifest(index_dir)
    except IndexDamagedError as e:
        log.warning("%s; building it anew", e)
        tell(0.0, "The index's manifest is unreadable: building it anew")
        old = None
    if old is not None and old.get("config") != fingerprint:
        old = None  # another model or chunk size: every vector must be redone
    if old is not None:
        held = _collections(settings)[0].count()
        if held < old["stats"]["chunks"]:
            # the vector store was emptied or replaced: chunk vectors live only there
            log.warning(
                "the vector store holds %d of %d chunks; building anew",
                held,
                old["stats"]["chunks"],
            )
            tell(0.0, "The vector store lost chunks: building the index anew")
            old = None
    old_docs = old["docs"] if old else {}

    old_skipped = old.get("skipped", {}) if old else {}
    skipped: dict[str, dict] = {}  # unreadable files as they were seen, not read again

    def same_file(prev: dict | None, seen: dict, stat) -> bool:
        return (
            prev is not None
            and seen["mtime_ns"] is not None
            and all(prev.get(k) == v for k, v in seen.items())
            and stat.st_size <= settings.max_file_bytes
        )

    fresh: list[Document] = []
    entries: dict[str, dict] = {}
    for path in paths:
        doc_id = path.stem
        prev = old_docs.get(doc_id)
        try:
            stat = path.stat()
            seen = _file_state(path, stat, sidecar)
            if prev is not None and not store.has_record(index_dir, prev["key"]):
                prev = None  # its record went missing: the document is made again
            if same_file(prev, seen, stat):
                # the same size, times and sidecar entry: not read again
                entries[doc_id] = prev
                report.unchanged.append(doc_id)
                continue
            once = old_skipped.get(path.name)
            if same_file(once, seen, stat):
                skipped[path.name] = once
                report.skipped.append((path.name, skipped[path.name]["reason"]))
                continue
            with report.timing("reading"):
                doc = read_document(path, sidecar, settings.max_file_bytes)
        except SkipFile as e:
            report.skipped.append((path.name, str(e)))
            skipped[path.name] = {**seen, "reason": str(e)}
            continue
        except OSError as e:
            report.skipped.append((path.name, f"cannot read ({e.strerror or e})"))
            continue
        if (
            prev
            and prev["sha256"] == doc.sha256
            and prev["meta"] == doc.meta
            and _same_text(index_dir, prev, doc)
        ):
            # touched, not changed
            entries[doc_id] = {**prev, **seen, "text_sha256": store.text_sha256(doc.text)}
            report.unchanged.append(doc_id)
        else:
            fresh.append(doc)
            (report.updated if doc_id in old_docs else report.added).append(doc_id)
            entries[doc_id] = seen  # completed once the document is written
    if not entries:
        raise CorpusError(f"no readable document in {settings.corpus_dir}")
    report.removed = sorted(set(old_docs) - set(entries))
    report.files = len(entries)
    touched = any(entries[d] is not old_docs.get(d) for d in report.unchanged)
    touched = touched or skipped != old_skipped

    # a new duplicate rule redoes the groups over the stored records, not the embeddings
    rule = [list(r) for r in SENTENCE_RULES] + [RULE_VERSION]
    same_rule = old is not None and old.get("duplicates") == rule
    # an index saved by an older release has a keyword index of another kind: built anew
    current_keyword = old is not None and KeywordIndex.exists(index_dir / old["bm25"])
    if not report.changed and same_rule and current_keyword:
        report.chunks = old["stats"]["chunks"]
        report.sentences = old["stats"]["sentences"]
        older = [d for d, e in entries.items() if "chunk_ends" not in e]
        for d in older:  # entries of an older release: where each chunk ends, read once
            rec = store.read_doc(index_dir, entries[d]["key"])
            entries[d] = {**entries[d], "chunk_ends": store.chunk_ends(rec)}
        manifest = old
        if touched or older:  # files rewritten with the same content: their new times
            manifest = {**old, "docs": entries, "skipped": skipped}
            store.write_json_atomic(index_dir / store.MANIFEST, manifest)
        if settings.chroma_host and _published(settings) != manifest["build"]:
            _publish(settings, index_dir, manifest, tell)  # a publish that was stopped
        if (index_dir / JOURNAL).exists():
            # a stopped build's: what it wrote and nobody uses goes (it may have been
            # stopped after its commit, before clearing up)
            _collect_garbage(index_dir, _collections(settings), old)
            (index_dir / JOURNAL).unlink(missing_ok=True)
        report.seconds = time.perf_counter() - t0
        tell(1.0, "Index already up to date")
        return report

    # new and changed files go through in batches, each committed to the journal: a build
    # that is stopped resumes after its last committed batch
    journal = _Journal(index_dir, fingerprint, old.get("build") if old else None, rule)
    collection, sentences = _collections(settings)
    taken = _taken_over(index_dir, journal.done(), fresh, (collection, sentences))
    todo: list[Document] = []
    for doc in fresh:
        if doc.doc_id in taken:
            entries[doc.doc_id] = {**taken[doc.doc_id][0], **entries[doc.doc_id]}
            report.resumed.append(doc.doc_id)
        else:
            todo.append(doc)
    journal.start({d: entry for d, (entry, _) in taken.items()})
    records: list[store.DocRecord] = []
    t_batches, n_sentences = time.perf_counter(), 0
    bar = _bar(len(todo)) if progress and sys.stderr.isatty() else None
    with contextlib.closing(analysis.Analyser(settings.parse_processes)) as analyser:
        for lo in range(0, len(todo), settings.build_batch):
            part = todo[lo : lo + settings.build_batch]
            with report.timing("reading"):
                # the same text under new metadata (an outlet set in sources.toml): its analysis
                # and vectors are the stored ones, under a key that holds the new metadata
                kept = {
                    d.doc_id: rec
                    for d in part
                    if (
                        rec := _retagged(
                            index_dir, old_docs.get(d.doc_id), d, fingerprint, collection
                        )
                    )
                }
            with report.timing("splitting"):
                batch = [
                    analyse(d, embedder, settings.chunk_tokens, _salt(fingerprint, d.meta))
                    for d in part
                    if d.doc_id not in kept
                ]
            with report.timing("parsing"):
                _analyse_language(batch, analyser)
            with report.timing("embedding"):
                _embed(batch, embedder)
            report.retagged += list(kept)
            new = {rec.doc_id: rec for rec in batch}
            batch = [kept.get(d.doc_id) or new[d.doc_id] for d in part]
            with report.timing("writing"):
                for rec in batch:
                    store.write_doc(index_dir, rec)
                store.sync_dir(index_dir / "docs")
                _add_chunks(collection, batch)
                _add_sentences(sentences, batch)
                for rec in batch:
                    entries[rec.doc_id] = {
                        **store.manifest_entry(rec),
                        "eligible": _eligible(rec),
                        **entries[rec.doc_id],
                    }
            journal.commit({rec.doc_id: entries[rec.doc_id] for rec in batch})
            records += batch
            n_sentences += sum(len(rec.sentences) for rec in batch)
            seconds = max(time.perf_counter() - t_batches, 1e-6)
            if bar is not None:
                bar.update(len(batch))
            tell(
                0.05 + 0.8 * len(records) / len(todo),
                f"Indexing {len(records)}/{len(todo)} new or changed files, "
                f"{len(records) / seconds:.1f} files ({n_sentences / seconds:.0f} sentences) a second",
            )
    if bar is not None:
        bar.close()
    records += [rec for _, rec in taken.values()]
    order = {d.doc_id: i for i, d in enumerate(fresh)}
    records.sort(key=lambda rec: order[rec.doc_id])  # as a build that never stopped

    tell(0.9, "Building the keyword index and finding repeated stories")
    build_id = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
    if not same_rule:  # which sentences may be near-duplicates follows the rule
        entries = {d: {k: v for k, v in e.items() if k != "eligible"} for d, e in entries.items()}
    all_records = _Records(index_dir, entries, {r.doc_id: r for r in records})
    with report.timing("keyword"):
        keyword = _keyword_index(index_dir, old, report, records, all_records)
        keyword.save(index_dir / f"bm25-{build_id}")
    with report.timing("duplicates"):
        fresh_ids = {r.doc_id for r in records}
        kept = _kept_pairs(index_dir, old, same_rule, fresh_ids, entries)
        stored = sum(all_records.sentence_count(d) for d in entries)
        if kept is not None and sentences.count() < stored:
            kept = None  # the sentence vectors were lost (a reset Chroma server): store them again
        if kept is None:  # no usable pairs from a previous build: every sentence is looked up
            stale = [d for d in entries if d not in fresh_ids]
            for lo in range(0, len(stale), 64):
                _add_sentences(sentences, [all_records[d] for d in stale[lo : lo + 64]])
            looked_up = [all_records[d] for d in entries]
            kept = set()
        else:
            looked_up = [all_records[r.doc_id] for r in records]
        _write_duplicates(
            index_dir / f"dups-{build_id}.json", all_records, looked_up, kept, sentences
        )

    report.chunks = keyword.size
    report.sentences = stored
    for doc_id, entry in entries.items():  # entries of an older release: counted once
        if "chunk_ends" not in entry:
            rec = all_records[doc_id]
            entries[doc_id] = {
                **entry,
                "sentences": len(rec.sentences),
                "chunks": len(rec.chunks),
                "chunk_ends": store.chunk_ends(rec),
            }
        all_records.eligible(doc_id)  # kept in the entry
    manifest = {
        "format": store.FORMAT,
        "build": build_id,
        "config": fingerprint,
        "duplicates": rule,
        "docs": entries,
        "bm25": f"bm25-{build_id}",
        "dups": f"dups-{build_id}.json",
        "stats": {"chunks": report.chunks, "sentences": report.sentences},
        "skipped": skipped,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    store.write_json_atomic(index_dir / store.MANIFEST, manifest)  # the commit point
    if settings.chroma_host:  # before the old build's vectors go: readers move on first
        _publish(settings, index_dir, manifest, tell)
    _collect_garbage(index_dir, (collection, sentences), manifest)
    journal.remove()  # last: a build stopped before this clears up on the next run
    report.seconds = time.perf_counter() - t0
    tell(1.0, "Index updated")
    return report


class _Records:
    """The committed documents' records, each read from disk when first needed (the new ones
    are in memory): an added document reads only the records its sentences resemble."""

    def __init__(self, index_dir: Path, entries: dict[str, dict], fresh: dict):
        self._dir, self._entries, self._cache = index_dir, entries, dict(fresh)

    def __getitem__(self, doc_id: str) -> store.DocRecord:
        if doc_id not in self._cache:
            self._cache[doc_id] = store.read_doc(self._dir, self._entries[doc_id]["key"])
        return self._cache[doc_id]

    def ids(self):
        return self._entries.keys()

    def key(self, doc_id: str) -> str:
        return self._entries[doc_id]["key"]

    def sentence_count(self, doc_id: str) -> int:
        n = self._entries[doc_id].get("sentences")
        return len(self[doc_id].sentences) if n is None else n

    def eligible(self, doc_id: str) -> int:
        n = self._entries[doc_id].get("eligible")
        if n is None:
            n = _eligible(self[doc_id])
            self._entries[doc_id] = {**self._entries[doc_id], "eligible": n}
        return n


def _eligible(rec: store.DocRecord) -> int:
    """How many of a document's sentences are long enough to be near-duplicates."""
    n = len(rec.sentences)
    return sum(len(set(tokens(rec.sentence_text(i)))) >= MIN_WORDS for i in range(n))


def _keyword_index(
    index_dir: Path, old: dict | None, report: BuildReport, records: list, all_records: _Records
) -> KeywordIndex:
    """The previous build's keyword index less the removed and changed documents, plus the
    new ones; built over every document only when there is none to update."""

    def chunks(rec: store.DocRecord) -> list[tuple[str, str]]:
        return [(f"{rec.key}#{i}", rec.chunk_text(i)) for i in range(len(rec.chunks))]

    previous = index_dir / old["bm25"] if old else None
    if previous is not None and KeywordIndex.exists(previous):
        kept = KeywordIndex.load(previous)
        # its rows must be the previous build's documents, else it is built anew
        expected = {e["key"] for e in old["docs"].values() if e.get("chunks", 1) > 0}
        if kept.documents() == expected:
            gone = {old["docs"][d]["key"] for d in report.removed + report.updated}
            added = [c for rec in records for c in chunks(rec)]
            return kept.updated(gone, added)
    return KeywordIndex.build(
        [c for d in sorted(all_records.ids()) for c in chunks(all_records[d])]
    )


def _file_state(path: Path, stat, sidecar: Sidecar) -> dict:
    """What tells, without reading a file, that it is as the last build saw it: its name,
    size, modification time, what the sidecar says of it and the reader that read it."""
    # a file written within RACY_NS of now may change again within the same clock tick: its
    # times are not kept, so the next build reads it again
    racy = time.time_ns() - stat.st_mtime_ns < RACY_NS
    return {
        "file": path.name,
        "size": stat.st_size,
        "mtime_ns": None if racy else stat.st_mtime_ns,
        # set by the system on every write, unlike the modification time a copy keeps
        "ctime_ns": None if racy else stat.st_ctime_ns,
        "inode": [stat.st_dev, stat.st_ino],
        "sidecar": sidecar.state(path),
        "reader": READER_VERSION,
    }


def _embed(records: list[store.DocRecord], embedder) -> None:
    """Sentences and chunks embedded in one call. A chunk's vector is the model's own, not
    pooled from its sentences: a mean of their vectors was measured to lose answers
    (bbc-gate pass rate 0.521 -> 0.500, MRR 0.943 -> 0.934), and so was the sum of their
    word-pieces' vectors, each embedded once (bbc-gate 143 -> 139 of 240 pairs, seeds 67 ->
    66 of 71; retrieval itself held: recall@k 0.974 -> 0.980, MRR 0.940 -> 0.936, RAMDocs
    exact match 25.2 -> 25.8)."""
    texts = [rec.sentence_text(i) for rec in records for i in range(len(rec.sentences))]
    chunk_texts = [rec.chunk_text(i) for rec in records for i in range(len(rec.chunks))]
    if not texts:
        return
    vectors = embedder.encode(texts + chunk_texts, progress=False)
    pos = 0
    for rec in records:
        rec.vectors = vectors[pos : pos + len(rec.sentences)]
        pos += len(rec.sentences)
    for rec in records:
        rec.chunk_vectors = vectors[pos : pos + len(rec.chunks)]
        pos += len(rec.chunks)


def _collections(settings: Settings):
    """The store's chunk and sentence collections."""
    client = store.open_client(settings)
    return store.chunk_collection(client, settings), store.sentence_collection(client, settings)


def _bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="Indexing", unit="file", leave=False)


class _Journal:
    """The files a build has committed so far, a line each, appended and flushed to disk
    after every batch: the next build, after this one is stopped (killed, a power cut),
    takes their records and vectors as written instead of analysing and embedding them
    again. It holds only for the same settings and the same committed index."""

    def __init__(self, index_dir: Path, fingerprint: dict, base: str | None, rule: list):
        self.path = index_dir / JOURNAL
        header = {"config": fingerprint, "base": base, "duplicates": rule}
        self.header = json.dumps(header, sort_keys=True)

    def done(self) -> dict[str, dict]:
        """doc_id -> manifest entry of the files the stopped build committed."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return {}
        if not lines or lines[0] != self.header:
            return {}
        out = {}
        for line in lines[1:]:
            try:
                item = json.loads(line)
                out[item["doc_id"]] = item["entry"]
            except (ValueError, KeyError, TypeError):
                break  # a line cut short when the build stopped
        return out

    def start(self, kept: dict[str, dict]) -> None:
        """A journal for this build, holding the stopped build's files it takes over."""
        lines = [self.header] + [_journal_line(d, e) for d, e in kept.items()]
        store.write_atomic(self.path, "".join(line + "\n" for line in lines).encode("utf-8"))

    def commit(self, entries: dict[str, dict]) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write("".join(_journal_line(d, e) + "\n" for d, e in entries.items()))
            f.flush()
            os.fsync(f.fileno())

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def _journal_line(doc_id: str, entry: dict) -> str:
    return json.dumps({"doc_id": doc_id, "entry": entry}, sort_keys=True)


def _same_text(index_dir: Path, prev: dict, doc: Document) -> bool:
    """Whether the index keeps this text for the document already: the same bytes may be
    read into another text by a newer reader (a web page's extractor)."""
    if "text_sha256" in prev:
        return prev["text_sha256"] == store.text_sha256(doc.text)
    try:  # an entry of an older release: the record says
        return store.read_doc_text(index_dir, prev["key"]) == doc.text
    except (OSError, ValueError, KeyError):
        return False


def _retagged(
    index_dir: Path, prev: dict | None, doc: Document, fingerprint: dict, collection
) -> store.DocRecord | None:
    """The stored record of a document whose text is unchanged and whose metadata alone
    changed, under the new metadata and its key, with its chunk vectors read back from the
    store; None where it must be analysed again (a new text, a record or vector that does
    not read back). The analysis reads the text only (analyse, index.analysis)."""
    if prev is None or prev.get("sha256") != doc.sha256 or "key" not in prev:
        return None
    try:
        rec = store.read_doc(index_dir, prev["key"])
    except (OSError, ValueError, KeyError):
        return None
    if rec.text != doc.text:
        return None  # the same file read into another text (a newer page extractor)
    if rec.vectors is None or len(rec.vectors) != len(rec.sentences):
        return None
    got = collection.get(ids=_chunk_ids(rec), include=["embeddings"])
    by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
    if len(by_id) != len(rec.chunks):
        return None
    chunk_vectors = np.asarray([by_id[i] for i in _chunk_ids(rec)], dtype=np.float32)
    return replace(
        rec,
        meta=doc.meta,
        key=store.doc_key(doc.doc_id, doc.sha256, _salt(fingerprint, doc.meta)),
        chunk_vectors=chunk_vectors.reshape(len(rec.chunks), -1),
        _values={},
        _lexicon=None,
    )


def _salt(fingerprint: dict, meta: dict) -> str:
    """What besides the text a document's stored analysis depends on (store.doc_key)."""
    data = json.dumps([fingerprint, meta], sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:8]


def _taken_over(
    index_dir: Path, done: dict[str, dict], fresh: list[Document], collections
) -> dict[str, tuple[dict, store.DocRecord]]:
    """The files a stopped build committed (its journal) that it wrote whole: the same text
    and metadata, a record that reads back with a vector per sentence, and every chunk and
    sentence vector in the store. doc_id -> (manifest entry, record)."""
    out: dict[str, tuple[dict, store.DocRecord]] = {}
    for doc in fresh:
        entry = done.get(doc.doc_id)
        if entry is None or entry.get("sha256") != doc.sha256 or entry.get("meta") != doc.meta:
            continue
        try:
            rec = store.read_doc(index_dir, entry["key"])
        except (OSError, ValueError, KeyError, EOFError):
            continue  # cut short by the stop: analysed again
        if rec.vectors is not None and len(rec.vectors) == entry.get("sentences") == len(
            rec.sentences
        ):
            out[doc.doc_id] = (entry, rec)
    chunks, sentences = collections
    ids = {d: (_chunk_ids(rec), _sentence_ids(rec)) for d, (_, rec) in out.items()}
    part_of = list(ids)
    for lo in range(0, len(part_of), 200):
        part = part_of[lo : lo + 200]
        have: set[str] = set()
        for k, collection in enumerate((chunks, sentences)):
            want = [i for d in part for i in ids[d][k]]
            have |= set(collection.get(ids=want, include=[])["ids"]) if want else set()
        for d in part:
            if not all(i in have for i in ids[d][0] + ids[d][1]):
                del out[d]  # the store lost them (a server reset): written again
    return out


def _upsert(collection, ids: list[str], embeddings, metadatas: list[dict], documents=None) -> None:
    """Write vectors to Chroma in batches it accepts."""
    batch = 1000
    for lo in range(0, len(ids), batch):
        part = slice(lo, lo + batch)
        collection.upsert(
            ids=ids[part],
            embeddings=embeddings[part],
            metadatas=metadatas[part],
            **({"documents": documents[part]} if documents is not None else {}),
        )


def _chunk_ids(rec: store.DocRecord) -> list[str]:
    return [f"{rec.key}#{i}" for i in range(len(rec.chunks))]


def _sentence_ids(rec: store.DocRecord) -> list[str]:
    return [f"{rec.key}#s{i}" for i in range(len(rec.sentences))]


def _add_chunks(collection, records: list[store.DocRecord]) -> None:
    """The documents' chunk vectors and texts, in as few calls as Chroma accepts."""
    _forget(collection, records)
    ids, vectors, metadatas, texts = [], [], [], []
    for rec in records:
        ids += _chunk_ids(rec)
        for i in range(len(rec.chunks)):
            metadatas.append(store.chunk_metadata(rec, i))
            texts.append(rec.chunk_text(i))
        if rec.chunks:
            vectors.append(np.asarray(rec.chunk_vectors))
    if ids:
        _upsert(collection, ids, np.concatenate(vectors), metadatas, texts)


def _add_sentences(collection, records: list[store.DocRecord]) -> None:
    """Every sentence's vector, for index.duplicates to find a new sentence's neighbours."""
    _forget(collection, records)
    ids, vectors, metadatas = [], [], []
    for rec in records:
        ids += _sentence_ids(rec)
        metadatas += [
            {"doc_id": rec.doc_id, "key": rec.key, "i": i} for i in range(len(rec.sentences))
        ]
        if rec.sentences:
            vectors.append(np.asarray(rec.vectors))
    if ids:
        _upsert(collection, ids, np.concatenate(vectors), metadatas)


def _forget(collection, records: list[store.DocRecord]) -> None:
    """Drop what the store holds under these documents' keys: keys hold the settings, but a
    document analysed again by changed code under the same version may have fewer chunks or
    sentences than before."""
    keys = sorted({rec.key for rec in records})
    for lo in range(0, len(keys), 500):
        collection.delete(where={"key": {"$in": keys[lo : lo + 500]}})


def _kept_pairs(
    index_dir: Path,
    old: dict | None,
    same_rule: bool,
    fresh: set[str],
    entries: dict[str, dict],
) -> set | None:
    """The previous build's near-duplicate pairs between documents that did not change, or
    None when they must all be found again (a new rule, or no previous build)."""
    if old is None or not same_rule:
        return None
    try:
        dups = json.loads((index_dir / old["dups"]).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None
    if "pairs" not in dups:
        return None
    return {
        tuple(p)
        for p in dups["pairs"]
        if p[0] in entries and p[2] in entries and p[0] not in fresh and p[2] not in fresh
    }


def _write_duplicates(
    path: Path,
    records: _Records,
    looked_up: list[store.DocRecord],
    kept: set,
    collection,
) -> None:
    """Near-duplicate pairs of the looked-up documents' sentences with their nearest stored
    sentences, plus the kept pairs; the groups and stories they make."""
    current = {records.key(d): d for d in records.ids()}
    words: dict[tuple[str, int], set[str]] = {}

    def words_of(ref: tuple[str, int]) -> set[str]:
        if ref not in words:
            words[ref] = set(tokens(records[ref[0]].sentence_text(ref[1])))
        return words[ref]

    def values_of(ref: tuple[str, int]):
        return records[ref[0]].sentence_values(ref[1])

    def negates_of(ref: tuple[str, int]) -> bool:
        return negates(records[ref[0]].sentence_text(ref[1]))

    def neighbours(refs: list[tuple[str, int]]) -> list[list[tuple[tuple[str, int], float]]]:
        n = min(NEIGHBOURS, collection.count())
        out = []
        batch = 500
        for lo in range(0, len(refs), batch):
            part = refs[lo : lo + batch]
            res = collection.query(
                query_embeddings=np.stack([records[d].vectors[i] for d, i in part]),
                n_results=n,
                include=["metadatas", "distances"],
            )
            for metas, dists in zip(res["metadatas"], res["distances"], strict=True):
                out.append(
                    [
                        ((current[m["key"]], int(m["i"])), 1.0 - float(dist))
                        for m, dist in zip(metas, dists, strict=True)
                        # not a replaced or unfinished build's
                        if m["key"] in current
                        and int(m["i"]) < records.sentence_count(current[m["key"]])
                    ]
                )
        return out

    new = [(rec.doc_id, i) for rec in looked_up for i in range(len(rec.sentences))]
    pairs = kept | find_pairs(new, neighbours, words_of, values_of, negates_of) if new else kept

    groups, stories = group(pairs, records.eligible)
    store.write_json_atomic(
        path,
        {
            "sentence_groups": [[list(r) for r in g] for g in groups],
            "stories": stories,
            "pairs": sorted(list(p) for p in pairs),
        },
    )


def _collect_garbage(index_dir: Path, collections, manifest: dict) -> None:
    """Remove what the committed manifest no longer references."""
    keys = {e["key"] for e in manifest["docs"].values()}
    for collection in collections:
        stale = collection.get(where={"key": {"$nin": sorted(keys)}}, include=[])["ids"]
        for lo in range(0, len(stale), 1000):
            collection.delete(ids=stale[lo : lo + 1000])
    store.remove_unreferenced(index_dir, manifest)
