"""The on-disk index: per-document records, the manifest that commits a build, and Chroma.

Layout under ``index_dir``::

    manifest.json        the committed build: documents, their content keys, BM25 and
                         duplicate files. Written last and atomically: a build that dies
                         before it leaves the previous manifest (and index) answering.
    docs/KEY.json, .npy  one document's text, metadata, sentences, chunks and sentence vectors
    bm25-BUILD/          the keyword index over all chunks
    dups-BUILD.json      near-duplicate sentences across documents, and repeated stories
    chroma/              the embedded Chroma store (unless a Chroma server is configured)

A document's KEY is ``doc_id@sha`` so a changed file gets new Chroma ids; ids of keys not in
the manifest are ignored by readers and removed by the next build.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import math
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.config import Settings
from core.errors import (
    ConfigError,
    IndexDamagedError,
    IndexNotBuiltError,
    RecordGone,
    StoreBehind,
)
from index.analysis import Speaker
from index.keyword import KeywordIndex
from index.text import Lexicon, tokens, words
from index.values import Value, sentence_values

FORMAT = 2
MANIFEST = "manifest.json"


@dataclass
class DocRecord:
    """Everything the index keeps about one document."""

    doc_id: str
    key: str
    file: str
    sha256: str
    meta: dict
    text: str
    sentences: list[tuple[int, int, int]]  # (start, end, paragraph number)
    chunks: list[tuple[int, int]]  # (first sentence, last sentence)
    dropped: list[tuple[int, int]] = field(default_factory=list)
    # From index.analysis, per sentence: [name, role, named] or None, and the entities as
    # [label, start, end, counted noun] in the document's offsets.
    speakers: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    vectors: np.ndarray | None = None
    chunk_vectors: np.ndarray | None = None
    # sentence number -> its normalised values, read once from the entities
    _values: dict = field(default_factory=dict, repr=False, compare=False)
    _lexicon: Lexicon | None = field(default=None, repr=False, compare=False)
    _people: tuple | None = field(default=None, repr=False, compare=False)
    _lead: frozenset | None = field(default=None, repr=False, compare=False)

    def sentence_text(self, i: int) -> str:
        start, end, _ = self.sentences[i]
        return self.text[start:end]

    def speaker(self, i: int) -> Speaker | None:
        """Who sentence i is attributed to, as the index read it."""
        return Speaker.from_list(self.speakers[i])

    def sentence_entities(self, i: int) -> list[tuple[str, str, str]]:
        """(label, text, the noun a number counts or '') of the entities in sentence i."""
        return [(label, self.text[a:b], head) for label, a, b, head in self.entities[i]]

    def sentence_values(self, i: int) -> list[Value]:
        """The values (amounts, dates, names) of sentence i's entities, normalised once."""
        if i not in self._values:
            self._values[i] = sentence_values(self.text, self.entities[i])
        return self._values[i]

    def lexicon(self) -> Lexicon:
        """The document's words, read once, for asking whether it names something."""
        if self._lexicon is None:
            self._lexicon = Lexicon(self.text)
        return self._lexicon

    def lead_tokens(self) -> frozenset[str]:
        """The keyword tokens of the document's title and first line, read once."""
        if self._lead is None:
            first = self.sentence_text(0) if self.sentences else ""
            self._lead = frozenset(tokens(f"{self.meta.get('title', '')} {first}"))
        return self._lead

    def people(self) -> tuple[tuple[str, ...], ...]:
        """The folded words of each person's name the recogniser found, read once."""
        if self._people is None:
            self._people = tuple(
                named
                for per_sentence in self.entities
                for label, a, b, _ in per_sentence
                if label == "PERSON" and (named := tuple(words(self.text[a:b])))
            )
        return self._people

    def chunk_text(self, i: int) -> str:
        first, last = self.chunks[i]
        return " ".join(self.sentence_text(j) for j in range(first, last + 1))


def doc_key(doc_id: str, sha256: str, salt: str = "") -> str:
    """Where a document's record and vectors are stored: its text's hash and a salt (the
    build's settings and the metadata), so that analysing it again under other settings
    writes new files beside the committed ones instead of over them."""
    return f"{doc_id}@{sha256[:16]}" + (f"-{salt}" if salt else "")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace a file whole: written beside it, flushed to disk, then renamed over it."""
    # a name of its own: two writers of one file (two processes fetching one index) never
    # write into one half-file
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a half-written file would hold the space a full disk lacks
        raise


def write_json_atomic(path: Path, data) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def write_doc(index_dir: Path, rec: DocRecord) -> None:
    docs = index_dir / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    vectors = io.BytesIO()
    np.save(vectors, rec.vectors)
    write_atomic(docs / f"{rec.key}.npy", vectors.getvalue())
    data = {k: getattr(rec, k) for k in ("doc_id", "key", "file", "sha256", "meta", "text")}
    data.update(
        sentences=rec.sentences,
        chunks=rec.chunks,
        dropped=rec.dropped,
        speakers=rec.speakers,
        entities=rec.entities,
    )
    write_json_atomic(docs / f"{rec.key}.json", data)


def sync_dir(path: Path) -> None:
    """Make the names written in a folder (renames, new files) survive a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_doc(index_dir: Path, key: str) -> DocRecord:
    docs = index_dir / "docs"
    data = json.loads((docs / f"{key}.json").read_text(encoding="utf-8"))
    return DocRecord(
        doc_id=data["doc_id"],
        key=data["key"],
        file=data["file"],
        sha256=data["sha256"],
        meta=data["meta"],
        text=data["text"],
        sentences=[tuple(s) for s in data["sentences"]],
        chunks=[tuple(c) for c in data["chunks"]],
        dropped=[tuple(d) for d in data.get("dropped", [])],
        speakers=data["speakers"],
        entities=data["entities"],
        vectors=np.load(docs / f"{key}.npy"),
    )


def read_manifest(index_dir: Path) -> dict | None:
    """The committed index's manifest; None where there is none, or one of an older format.

    Raises:
        IndexDamagedError: the manifest is there but unreadable (truncated, not JSON).
    """
    path = Path(index_dir) / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, OSError) as e:
        raise IndexDamagedError(str(index_dir), f"its {MANIFEST} is unreadable: {e}") from None
    if not isinstance(manifest, dict):
        raise IndexDamagedError(str(index_dir), f"its {MANIFEST} holds no manifest")
    return manifest if manifest.get("format") == FORMAT else None


def remove_unreferenced(index_dir: Path, manifest: dict) -> None:
    """Remove the files of the index folder that the committed manifest does not reference:
    records of other keys, older keyword indexes and duplicate files."""
    keys = {e["key"] for e in manifest["docs"].values()}
    for path in (index_dir / "docs").glob("*"):
        if path.suffix in (".json", ".npy") and path.stem not in keys:
            path.unlink(missing_ok=True)
    for path in index_dir.glob("bm25-*"):
        if path.name != manifest["bm25"]:
            shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob("dups-*.json"):
        if path.name != manifest["dups"]:
            path.unlink(missing_ok=True)


def has_record(index_dir: Path, key: str) -> bool:
    """Whether a document record is on disk whole (its text and its vectors)."""
    docs = Path(index_dir) / "docs"
    return (docs / f"{key}.json").is_file() and (docs / f"{key}.npy").is_file()


def open_client(settings: Settings):
    """A Chroma client: the configured server, or the embedded store under index_dir."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        except Exception as e:  # the client raises plain Exceptions for connection errors
            raise ConfigError(
                f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port}: {e}"
            ) from None
    path = Path(settings.index_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def store_failure(settings: Settings, error: Exception) -> Exception:
    """The error to show when the vector store fails: an unreachable server names the
    server; a local store names the rebuild."""
    if settings.chroma_host:
        return ConfigError(
            f"the Chroma server at {settings.chroma_host}:{settings.chroma_port} failed: {error}"
        )
    if "disk is full" in str(error) or getattr(error, "errno", None) == errno.ENOSPC:
        return ConfigError(
            f"the disk holding the index at {settings.index_dir} is full: its vector store "
            "cannot be read until there is free space"
        )
    return IndexDamagedError(str(settings.index_dir), f"its vector store failed: {error}")


def chunk_collection(client, settings: Settings):
    return client.get_or_create_collection(settings.collection, metadata={"hnsw:space": "cosine"})


def sentence_collection(client, settings: Settings):
    """Every sentence's vector, for finding a new sentence's nearest sentences (its copies)
    without comparing it with all of them (index.duplicates)."""
    return client.get_or_create_collection(
        settings.collection[:500] + "-sentences", metadata={"hnsw:space": "cosine"}
    )


@dataclass(frozen=True)
class SentenceRef:
    doc_id: str
    index: int  # within the document
    start: int
    end: int
    chunk: int  # global chunk number


@dataclass(frozen=True)
class ChunkRef:
    id: str
    doc_id: str
    first: int  # global sentence numbers
    last: int


RECORD_CACHE = 1024  # documents' records a reader keeps in memory, the latest used
# A filtered vector search fetches this many times the neighbours it needs, over the share of
# the corpus the filter leaves, without the filter, when that is at most MAX_OVERFETCH.
OVERFETCH = 1.5
MAX_OVERFETCH = 2000


def chunk_ends(rec: DocRecord) -> list[int]:
    """Where each of a document's chunks ends (one past its last sentence): its chunks
    are consecutive runs of sentences from the first, so this is all a reader needs."""
    return [last + 1 for _, last in rec.chunks]


def text_sha256(text: str) -> str:
    """The hash of the text the index keeps for a document (a web page's article, not the
    page's bytes): a newer reader of the same file may keep another text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_doc_text(index_dir: Path, key: str) -> str:
    """The text a stored record keeps, without its vectors."""
    data = json.loads((Path(index_dir) / "docs" / f"{key}.json").read_text(encoding="utf-8"))
    return data["text"]


def manifest_entry(rec: DocRecord) -> dict:
    """What the manifest says of a written record (a build adds the file's size and times)."""
    return {
        "key": rec.key,
        "file": rec.file,
        "sha256": rec.sha256,
        "text_sha256": text_sha256(rec.text),
        "meta": rec.meta,
        "sentences": len(rec.sentences),
        "chunks": len(rec.chunks),
        "chunk_ends": chunk_ends(rec),
    }


def chunk_metadata(rec: DocRecord, i: int) -> dict:
    """The metadata of a record's chunk i in Chroma (filters' where clauses read it)."""
    first, last = rec.chunks[i]
    return {
        "doc_id": rec.doc_id,
        "key": rec.key,
        "start": rec.sentences[first][0],
        "end": rec.sentences[last][1],
        "outlet": rec.meta["outlet"],
        "date": rec.meta["date"],
    }


class DocRecords(Mapping):
    """doc_id -> DocRecord of a committed build, each read from disk when asked for; the
    RECORD_CACHE most recently used stay in memory, so a reader holds a bounded part of
    the corpus whatever its size."""

    def __init__(self, index_dir: Path, keys: dict[str, str], size: int | None = None):
        self._dir, self._keys, self._size = index_dir, keys, size or RECORD_CACHE
        self._cache: OrderedDict[str, DocRecord] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, doc_id: str) -> DocRecord:
        key = self._keys[doc_id]
        with self._lock:
            rec = self._cache.get(doc_id)
            if rec is not None:
                self._cache.move_to_end(doc_id)
                return rec
        try:
            rec = read_doc(self._dir, key)
        except FileNotFoundError:
            raise RecordGone(key) from None
        with self._lock:
            self._cache[doc_id] = rec
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return rec

    def __contains__(self, doc_id) -> bool:
        return doc_id in self._keys

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def cached(self) -> int:
        """How many records are in memory now."""
        return len(self._cache)


class _Sentences(Sequence):
    """Global sentence number -> SentenceRef, from arrays (the offsets from the record)."""

    def __init__(self, snapshot: IndexSnapshot):
        self._s = snapshot

    def __len__(self) -> int:
        return len(self._s.sentence_doc)

    def __getitem__(self, g: int) -> SentenceRef:
        s = self._s
        if not 0 <= g < len(s.sentence_doc):
            raise IndexError(g)
        d = int(s.sentence_doc[g])
        doc_id = s.doc_ids[d]
        index = g - int(s.doc_first_sentence[d])
        start, end, _ = s.docs[doc_id].sentences[index]
        return SentenceRef(doc_id, index, start, end, int(s.sentence_chunk[g]))


class _Chunks(Sequence):
    """Global chunk number -> ChunkRef, from arrays."""

    def __init__(self, snapshot: IndexSnapshot):
        self._s = snapshot

    def __len__(self) -> int:
        return len(self._s.chunk_doc)

    def __getitem__(self, ci: int) -> ChunkRef:
        s = self._s
        if not 0 <= ci < len(s.chunk_doc):
            raise IndexError(ci)
        d = int(s.chunk_doc[ci])
        local = ci - int(s.doc_first_chunk[d])
        first = int(s.doc_first_sentence[d]) + (int(s.chunk_start[ci]))
        last = int(s.doc_first_sentence[d]) + int(s.chunk_stop[ci]) - 1
        return ChunkRef(f"{s.keys[d]}#{local}", s.doc_ids[d], first, last)


class IndexSnapshot:
    """A committed build, opened for answering; immutable once opened.

    What every question needs is in memory as arrays (which document and chunk each
    sentence belongs to, each document's metadata, the keyword index, near-duplicates);
    a document's text, analysis and sentence vectors are read when a question touches it
    (``docs``, a bounded cache), and the chunks' vectors stay in Chroma.
    """

    def __init__(self, settings: Settings, manifest: dict):
        self.settings = settings
        index_dir = Path(settings.index_dir)
        entries = manifest["docs"]
        self.manifest = {k: v for k, v in manifest.items() if k != "docs"}
        self.doc_ids: list[str] = sorted(entries)
        self.keys: list[str] = [entries[d]["key"] for d in self.doc_ids]
        self.files: list[str] = [entries[d]["file"] for d in self.doc_ids]
        self.metas: list[dict] = [entries[d]["meta"] for d in self.doc_ids]
        self.doc_number = {d: i for i, d in enumerate(self.doc_ids)}
        self._key_number = {k: i for i, k in enumerate(self.keys)}
        self.docs = DocRecords(index_dir, dict(zip(self.doc_ids, self.keys, strict=True)))
        ends = []
        for doc_id in self.doc_ids:
            entry = entries[doc_id]
            if "chunk_ends" not in entry:  # a build of an older release: read it once
                rec = self.docs[doc_id]
                entry = {**entry, "sentences": len(rec.sentences), "chunk_ends": chunk_ends(rec)}
            ends.append(entry["chunk_ends"])
        n_sentences = np.asarray([e[-1] if e else 0 for e in ends], np.int64)
        n_chunks = np.asarray([len(e) for e in ends], np.int64)
        self.doc_first_sentence = np.concatenate([[0], np.cumsum(n_sentences)])
        self.doc_first_chunk = np.concatenate([[0], np.cumsum(n_chunks)])
        docs = np.arange(len(self.doc_ids), dtype=np.int32)
        self.chunk_doc = np.repeat(docs, n_chunks)
        self.sentence_doc = np.repeat(docs, n_sentences)
        flat = np.asarray([x for e in ends for x in e], np.int32)
        self.chunk_stop = flat  # within its document, one past its last sentence
        self.chunk_start = np.zeros_like(flat)
        if len(flat):
            starts_doc = self.doc_first_chunk[:-1][n_chunks > 0]
            self.chunk_start[1:] = flat[:-1]
            self.chunk_start[starts_doc] = 0
        self.sentence_chunk = np.repeat(
            np.arange(len(flat), dtype=np.int32), flat - self.chunk_start
        )
        self.sentences = _Sentences(self)
        self.chunks = _Chunks(self)
        order = [
            f"{k}#{i}" for k, n in zip(self.keys, n_chunks.tolist(), strict=True) for i in range(n)
        ]
        self.keyword = KeywordIndex.load(index_dir / manifest["bm25"], order, reading=True)
        dups = json.loads((index_dir / manifest["dups"]).read_text(encoding="utf-8"))
        self.duplicate_group: dict[int, int] = {}
        self.groups: list[list[int]] = []
        for members in dups["sentence_groups"]:
            gi = len(self.groups)
            refs = [self.global_sentence(d, i) for d, i in members]
            self.groups.append(refs)
            for g in refs:
                self.duplicate_group[g] = gi
        self.stories: list[dict] = dups["stories"]
        # doc_id -> the story it carries (its first document), for documents in one
        self.story_of: dict[str, str] = {d: min(s["docs"]) for s in self.stories for d in s["docs"]}
        self._collection = None
        self._lock = threading.Lock()

    def global_sentence(self, doc_id: str, index: int) -> int:
        return int(self.doc_first_sentence[self.doc_number[doc_id]]) + index

    def meta(self, doc_id: str) -> dict:
        """A document's metadata (title, outlet, author, date) without reading its record."""
        return self.metas[self.doc_number[doc_id]]

    def sentence_text(self, g: int) -> str:
        ref = self.sentences[g]
        return self.docs[ref.doc_id].text[ref.start : ref.end]

    def chunk_text(self, ci: int) -> str:
        c = self.chunks[ci]
        return " ".join(self.sentence_text(g) for g in range(c.first, c.last + 1))

    def chunk_number(self, chunk_id: str) -> int | None:
        """The global number of a committed chunk's id, None for ids of no committed chunk
        (an unfinished or replaced build)."""
        key, _, local = chunk_id.rpartition("#")
        d = self._key_number.get(key)
        if d is None or not local.isdigit():
            return None
        ci = int(self.doc_first_chunk[d]) + int(local)
        return ci if ci < int(self.doc_first_chunk[d + 1]) else None

    def vectors(self, sentences: Iterable[int]) -> np.ndarray:
        """The embeddings of some sentences (global numbers), one row each, in order."""
        rows = []
        for g in sentences:
            ref_doc = self.doc_ids[int(self.sentence_doc[g])]
            rows.append(self.docs[ref_doc].vectors[g - self.global_sentence(ref_doc, 0)])
        if not rows:
            dim = self.docs[self.doc_ids[0]].vectors.shape[1] if self.doc_ids else 0
            return np.zeros((0, dim), np.float32)
        return np.asarray(rows, np.float32)

    def chunk_sentences(self, chunks: Iterable[int]) -> list[int]:
        """The global numbers of the sentences of some chunks."""
        out = []
        for ci in chunks:
            c = self.chunks[ci]
            out.extend(range(c.first, c.last + 1))
        return out

    def doc_sentences(self, doc_id: str) -> range:
        """The global numbers of a document's sentences."""
        d = self.doc_number[doc_id]
        return range(int(self.doc_first_sentence[d]), int(self.doc_first_sentence[d + 1]))

    def duplicates_of(self, g: int) -> list[int]:
        """Sentences in other documents that repeat sentence g."""
        gi = self.duplicate_group.get(g)
        return [] if gi is None else [o for o in self.groups[gi] if o != g]

    @property
    def collection(self):
        with self._lock:
            if self._collection is None:
                collection = chunk_collection(open_client(self.settings), self.settings)
                held, made = collection.count(), self.manifest["stats"]["chunks"]
                if held < made:  # a newer build removed some (the caller opens it), or
                    # the store lost them: damage, where the index is still the current one
                    raise StoreBehind(f"the vector store holds {held} of its {made} chunks")
                self._collection = collection
            return self._collection

    def dense_search(
        self,
        vector: np.ndarray,
        n: int,
        where: dict | None = None,
        allowed: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """(chunk number, cosine similarity) of the nearest committed chunks; only of the
        documents a where clause on the chunks' metadata lets through. ``allowed``: the
        same restriction as a mask over document numbers. Where it leaves enough of the
        corpus, the nearest chunks are fetched without the clause (Chroma's filtered
        search reads every matching id first: 0.2-0.3 s over 350,000 chunks, against
        20 ms for 2,000 plain neighbours) and those of other documents dropped."""
        if not len(self.chunks):
            return []
        if where and allowed is not None:
            within = allowed[self.chunk_doc]
            count = int(within.sum())
            reachable = min(n, count)
            wanted = math.ceil(n * OVERFETCH * len(within) / max(count, 1))
            if count and wanted <= MAX_OVERFETCH:
                found = [(c, s) for c, s in self._nearest(vector, wanted, None) if within[c]]
                if len(found) >= reachable:
                    return found[:n]
        return self._nearest(vector, n, where)

    def _nearest(self, vector: np.ndarray, n: int, where: dict | None) -> list[tuple[int, float]]:
        query = {
            "query_embeddings": [np.asarray(vector).tolist()],
            "n_results": min(n, len(self.chunks)),
            "where": where or None,
            "include": ["distances"],
        }
        try:
            res = self.collection.query(**query)
        except (IndexDamagedError, RecordGone):
            raise
        except Exception as e:  # chromadb raises plain Exceptions
            with self._lock:
                self._collection = None  # the next question opens it again
            raise store_failure(self.settings, e) from None
        out = []
        for cid, dist in zip(res["ids"][0], res["distances"][0], strict=True):
            ci = self.chunk_number(cid)
            if ci is not None:  # ids of an unfinished or replaced build are not answers
                out.append((ci, 1.0 - float(dist)))
        return out


_CACHE: dict[tuple, IndexSnapshot] = {}
_CACHE_LOCK = threading.Lock()


def load_snapshot(settings: Settings) -> IndexSnapshot:
    """The committed index for these settings, reloaded when a build commits a new one
    (with a Chroma server, one that another machine published: index.shared)."""
    index_dir = Path(settings.index_dir)
    path = index_dir / MANIFEST
    if settings.chroma_host:
        from index import shared

        try:
            shared.fetch_or_keep(settings)
        except (IndexDamagedError, ConfigError, OSError):
            raise
        except Exception as e:  # chromadb raises plain Exceptions
            raise store_failure(settings, e) from None
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise IndexNotBuiltError(str(index_dir)) from None
    key = (
        str(index_dir.resolve()),
        settings.collection,
        settings.chroma_host,
        settings.chroma_port,
    )
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.manifest.get("_stamp") == stamp:
            return cached
        manifest = read_manifest(index_dir)
        if manifest is None:
            raise IndexNotBuiltError(str(index_dir))
        keyword = index_dir / manifest["bm25"]
        if not keyword.exists():
            raise IndexDamagedError(str(index_dir), f"its keyword index {keyword.name} is missing")
        if not KeywordIndex.exists(keyword):
            raise IndexNotBuiltError(str(index_dir), older=True)
        manifest["_stamp"] = stamp
        snap = IndexSnapshot(settings, manifest)
        _CACHE[key] = snap
        return snap
