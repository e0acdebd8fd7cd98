"""A Chroma server as the one durable home of an index that several machines share.

With a Chroma server configured (``RAG_CHROMA_HOST``), the chunk and sentence vectors live in
its collections already; this module puts the rest of a committed build there too: every
file of the index folder that a reader needs (the document records with their sentence
vectors, the keyword index, the near-duplicate groups and, last, the manifest), in a
collection of its own named after the index's (``<collection>-files``). The local index
folder is then a cache: a process with an empty folder fetches the published build from the
server before it answers, and any process fetches a newly published build within a second.

Each file is kept compressed, as base64 text in the metadata of entries of at most ``PART``
characters, under the ids ``<path>#<part>``; the records and the keyword and duplicate files
are named by their content or their build, so a part once written never changes and is sent
once. The ``HEAD`` entry names the published build and is written after everything it
references: a reader never sees a build whose files are not all there. The last build
published is the current one (builds of one index run one at a time; a build first fetches
the published one, so it never goes back to an older state). A publish that is stopped
halfway leaves the previous build published; the next build publishes again.

Fetching writes into the index folder under its build lock (index.build), so a reader never
writes over a build in progress in the same folder: a reader that holds a build keeps
answering from it while the lock is taken, and one with none waits for it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import logging
import threading
import time
import zlib
from pathlib import Path

from core.config import Settings
from core.errors import IndexDamagedError
from index import store

log = logging.getLogger(__name__)

PART = 2_000_000  # base64 characters per entry
BATCH_CHARS = 8_000_000  # characters per request
HEAD = "HEAD"
FETCH_FILES = 100  # files asked for in one request
FETCH_TRIES = 3
PAGE = 5_000  # ids listed per request
LOCK = "build.lock"  # the index folder's build lock (index.build)
# a reader asks the server for its published build at most this often
CHECK_EVERY = 1.0

_checked: dict[tuple, float] = {}  # when each index last asked the server
# the build each index folder holds, as last read, with its manifest's modification time
_known: dict[tuple, tuple[str, int]] = {}
_collections: dict[tuple, object] = {}  # each index's files collection, opened once
_lock = threading.Lock()
_fetching: dict[tuple, threading.Lock] = {}


def files_collection(client, settings: Settings):
    # each entry needs a vector; a one-number one keeps Chroma from embedding anything
    return client.get_or_create_collection(settings.collection[:500] + "-files")


def _key(settings: Settings) -> tuple:
    return (
        str(Path(settings.index_dir).resolve()),
        settings.collection,
        settings.chroma_host,
        settings.chroma_port,
    )


def _files(index_dir: Path, manifest: dict) -> list[str]:
    """The paths (relative to the index folder) a reader of this manifest needs."""
    paths = []
    for entry in manifest["docs"].values():
        paths += [f"docs/{entry['key']}.json", f"docs/{entry['key']}.npy"]
    paths += sorted(
        f"{manifest['bm25']}/{p.name}" for p in (index_dir / manifest["bm25"]).iterdir()
    )
    paths.append(manifest["dups"])
    return paths


def _parts(path: str, data: bytes) -> list[tuple[str, dict]]:
    text = base64.b64encode(zlib.compress(data, 1)).decode("ascii")
    n = max(1, -(-len(text) // PART))
    digest = hashlib.sha256(data).hexdigest()
    return [
        (
            f"{path}#{i}",
            {"data": text[i * PART : (i + 1) * PART], "part": i, "parts": n, "sha256": digest},
        )
        for i in range(n)
    ]


def _send(collection, entries: list[tuple[str, dict]]) -> None:
    batch: list[tuple[str, dict]] = []
    size = 0
    for entry in entries:
        if batch and size + len(entry[1]["data"]) > BATCH_CHARS:
            _upsert(collection, batch)
            batch, size = [], 0
        batch.append(entry)
        size += len(entry[1]["data"])
    if batch:
        _upsert(collection, batch)


def _upsert(collection, batch: list[tuple[str, dict]]) -> None:
    collection.upsert(
        ids=[i for i, _ in batch],
        metadatas=[m for _, m in batch],
        embeddings=[[0.0]] * len(batch),
    )


def _present(collection, ids: list[str]) -> set[str]:
    have: set[str] = set()
    for lo in range(0, len(ids), 1000):
        have.update(collection.get(ids=ids[lo : lo + 1000], include=[])["ids"])
    return have


def _all_ids(collection) -> list[str]:
    out: list[str] = []
    while True:
        page = collection.get(include=[], limit=PAGE, offset=len(out))["ids"]
        out += page
        if len(page) < PAGE:
            return out


def published(settings: Settings, client=None, collection=None) -> str | None:
    """The build the server holds (its id), or None."""
    if collection is None:
        collection = files_collection(client or store.open_client(settings), settings)
    got = collection.get(ids=[HEAD], include=["metadatas"])
    return got["metadatas"][0]["build"] if got["ids"] else None


def publish(settings: Settings, index_dir: Path, manifest: dict) -> int:
    """Send the committed build's files to the server, then its manifest and HEAD; remove
    what no build references any more. Returns the number of files sent (those the server
    lacks)."""
    collection = files_collection(store.open_client(settings), settings)
    paths = _files(index_dir, manifest)
    have = _present(collection, [f"{p}#0" for p in paths])
    missing = [p for p in paths if f"{p}#0" not in have]
    entries: list[tuple[str, dict]] = []
    size = 0
    for path in missing:
        parts = _parts(path, (index_dir / path).read_bytes())
        entries += parts
        size += sum(len(m["data"]) for _, m in parts)
        if size > BATCH_CHARS:  # sent as they are read: memory stays bounded
            _send(collection, entries)
            entries, size = [], 0
    _send(collection, entries)
    # the published manifest lists the keyword index's files, which a reader fetches
    bm25 = [p for p in paths if p.startswith(manifest["bm25"] + "/")]
    text = json.dumps({**manifest, "bm25_files": bm25}, ensure_ascii=False).encode("utf-8")
    manifest_path = f"{store.MANIFEST}@{manifest['build']}"
    _send(collection, _parts(manifest_path, text))
    _upsert(collection, [(HEAD, {"build": manifest["build"]})])
    _forget_unused(collection, set(paths) | {manifest_path})
    with _lock:  # this process's own folder holds the published build
        _known[_key(settings)] = (manifest["build"], _stamp(index_dir))
    return len(missing)


def _forget_unused(collection, used: set[str]) -> None:
    stale = [i for i in _all_ids(collection) if i != HEAD and i.rsplit("#", 1)[0] not in used]
    for lo in range(0, len(stale), 1000):
        collection.delete(ids=stale[lo : lo + 1000])


def _damaged(what: str) -> IndexDamagedError:
    return IndexDamagedError(
        "the Chroma server's index", f"{what}; build it again with python -m index build"
    )


def _fetch(collection, paths: list[str]) -> dict[str, bytes]:
    """The files at some paths, read from their parts (several files per request)."""
    out: dict[str, bytes] = {}
    for lo in range(0, len(paths), FETCH_FILES):
        batch = paths[lo : lo + FETCH_FILES]
        got = collection.get(ids=[f"{p}#0" for p in batch], include=["metadatas"])
        first = {i.rsplit("#", 1)[0]: m for i, m in zip(got["ids"], got["metadatas"], strict=True)}
        for path in batch:
            if path not in first:
                raise _damaged(f"it lacks {path}")
            meta = first[path]
            pieces = [meta["data"]]
            for i in range(1, meta["parts"]):  # one at a time: memory stays bounded
                rest = collection.get(ids=[f"{path}#{i}"], include=["metadatas"])
                if not rest["ids"]:
                    raise _damaged(f"it lacks part of {path}")
                pieces.append(rest["metadatas"][0]["data"])
            try:
                data = zlib.decompress(base64.b64decode("".join(pieces)))
            except (ValueError, zlib.error):
                raise _damaged(f"its copy of {path} is damaged") from None
            if hashlib.sha256(data).hexdigest() != meta["sha256"]:
                raise _damaged(f"its copy of {path} is damaged")
            out[path] = data
    return out


def _stamp(index_dir: Path) -> int:
    try:
        return (index_dir / store.MANIFEST).stat().st_mtime_ns
    except FileNotFoundError:
        return -1


def _local_build(index_dir: Path) -> str | None:
    if not (index_dir / store.MANIFEST).exists():
        return None
    manifest = store.read_manifest(index_dir)
    return manifest.get("build") if manifest else None


@contextlib.contextmanager
def _folder_lock(index_dir: Path, wait: bool):
    """The index folder's build lock (yields False, taking nothing, where it is held and
    ``wait`` is not set)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def fetch(settings: Settings, force: bool = False, locked: bool = False) -> bool:
    """Bring the local index folder to the build the server publishes, where the folder
    holds another (or none): the files it lacks, then the manifest, each written atomically,
    then what the new manifest no longer references is removed. Asks the server at most once
    a second per index unless ``force``; ``locked``: the caller holds the folder's build
    lock. Returns whether a build was fetched."""
    index_dir = Path(settings.index_dir)
    key = _key(settings)
    now = time.monotonic()
    with _lock:  # a folder with no build yet waits for the fetch under way instead
        recent = key in _checked and now - _checked[key] < CHECK_EVERY
        if recent and not force and _stamp(index_dir) >= 0:
            return False
        _checked[key] = now
        one_at_a_time = _fetching.setdefault(key, threading.Lock())
    collection = _collections.get(key)
    if collection is None:
        collection = files_collection(store.open_client(settings), settings)
    try:
        build = published(settings, collection=collection)
    except Exception:
        _collections.pop(key, None)  # opened again next time (a server restarted)
        raise
    _collections[key] = collection
    if build is None or _known.get(key) == (build, _stamp(index_dir)):
        return False
    with one_at_a_time:
        if locked:
            return _fetch_into(collection, settings, build, key)
        # a reader that holds a build answers from it while a build or fetch runs there
        with _folder_lock(index_dir, wait=_stamp(index_dir) < 0) as taken:
            return taken and _fetch_into(collection, settings, build, key)


def _fetch_into(collection, settings: Settings, build: str, key: tuple) -> bool:
    index_dir = Path(settings.index_dir)
    if _local_build(index_dir) == build:  # re-read under the lock: another got it first
        _known[key] = (build, _stamp(index_dir))
        return False
    for _ in range(FETCH_TRIES):
        try:
            manifest = _fetch_build(collection, build, index_dir)
            break
        except IndexDamagedError:
            newer = published(settings, collection=collection)
            if newer == build:  # not a build replaced while it was read: damage
                raise
            build = newer  # a newer build's publish removed what this one held
    else:
        raise _damaged("its published build kept changing while it was read")
    # what the new manifest no longer references goes, as after a build (a question still
    # reading the old one is asked again on the new: index.store.RecordGone)
    store.remove_unreferenced(index_dir, manifest)
    _known[key] = (build, _stamp(index_dir))
    return True


def _fetch_build(collection, build: str, index_dir: Path) -> dict:
    path = f"{store.MANIFEST}@{build}"
    manifest = json.loads(_fetch(collection, [path])[path])
    wanted = [
        f"docs/{e['key']}.{ext}" for e in manifest["docs"].values() for ext in ("json", "npy")
    ]
    wanted += [manifest["dups"], *manifest.pop("bm25_files")]
    lacking = [p for p in wanted if not (index_dir / p).exists()]
    for lo in range(0, len(lacking), FETCH_FILES):
        for name, data in _fetch(collection, lacking[lo : lo + FETCH_FILES]).items():
            target = index_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            store.write_atomic(target, data)
    index_dir.mkdir(parents=True, exist_ok=True)
    store.write_json_atomic(index_dir / store.MANIFEST, manifest)
    return manifest


def fetch_or_keep(settings: Settings) -> None:
    """fetch, for a reader: where the server's copy is damaged and the folder holds a
    build, that build keeps answering (and the damage is logged)."""
    try:
        fetch(settings)
    except IndexDamagedError as e:
        if _stamp(Path(settings.index_dir)) < 0:
            raise
        log.warning("%s; answering from the build in %s", e, settings.index_dir)
