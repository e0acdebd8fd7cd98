"""A Chroma server as the one durable home of an index that several machines share.

With a Chroma server configured (``RAG_CHROMA_HOST``), the chunk and sentence vectors live in
its collections already; this module puts the rest of a committed build there too: every
file of the index folder that a reader needs (the document records with their sentence
vectors, the keyword index, the near-duplicate groups and, last, the manifest), in a
collection of its own named after the index's (``<collection>-files``). The local index
folder is then a cache: a process with an empty folder fetches the committed build from the
server before it answers, and any process fetches a newer build once one is published.

Each file is kept as base64 text in parts of at most ``PART`` characters, under the ids
``<path>#<part>``; the records and the keyword and duplicate files are named by their content
or their build, so a part once written never changes and is sent once. The ``HEAD`` entry
names the published build and is written after everything it references: a reader never sees
a build whose files are not all there. A publish that is stopped halfway leaves the previous
build published; the next build (or an unchanged re-index) publishes again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from pathlib import Path

from core.config import Settings
from core.errors import IndexDamagedError
from index import store

PART = 2_000_000  # base64 characters per entry
BATCH_CHARS = 8_000_000  # characters per request
HEAD = "HEAD"
FETCH_FILES = 100  # files asked for in one request
FETCH_TRIES = 3
# a reader asks the server for its published build at most this often
CHECK_EVERY = 1.0

_checked: dict[tuple, float] = {}  # when each index last asked the server
_known: dict[tuple, str] = {}  # the build each index folder holds, as last read
_collections: dict[tuple, object] = {}  # each index's files collection, opened once
_lock = threading.Lock()


def files_collection(client, settings: Settings):
    # each entry needs a vector; a one-number one keeps Chroma from embedding the text
    return client.get_or_create_collection(settings.collection[:500] + "-files")


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


def _parts(path: str, data: bytes) -> list[tuple[str, str, dict]]:
    text = base64.b64encode(data).decode("ascii")
    n = max(1, -(-len(text) // PART))
    digest = hashlib.sha256(data).hexdigest()
    return [
        (
            f"{path}#{i}",
            text[i * PART : (i + 1) * PART],
            {"path": path, "part": i, "parts": n, "sha256": digest},
        )
        for i in range(n)
    ]


def _send(collection, entries: list[tuple[str, str, dict]]) -> None:
    batch: list[tuple[str, str, dict]] = []
    size = 0
    for entry in entries:
        if batch and size + len(entry[1]) > BATCH_CHARS:
            _upsert(collection, batch)
            batch, size = [], 0
        batch.append(entry)
        size += len(entry[1])
    if batch:
        _upsert(collection, batch)


def _upsert(collection, batch) -> None:
    collection.upsert(
        ids=[i for i, _, _ in batch],
        documents=[d for _, d, _ in batch],
        metadatas=[m for _, _, m in batch],
        embeddings=[[0.0]] * len(batch),
    )


def _present(collection, ids: list[str]) -> set[str]:
    have: set[str] = set()
    for lo in range(0, len(ids), 1000):
        have.update(collection.get(ids=ids[lo : lo + 1000], include=[])["ids"])
    return have


def published(settings: Settings, client=None, collection=None) -> str | None:
    """The build the server holds (its id), or None."""
    if collection is None:
        collection = files_collection(client or store.open_client(settings), settings)
    got = collection.get(ids=[HEAD], include=["metadatas"])
    return got["metadatas"][0]["build"] if got["ids"] else None


def publish(settings: Settings, index_dir: Path, manifest: dict) -> int:
    """Send the committed build's files to the server, then its manifest and HEAD; remove
    what no build references any more. Returns the number of files sent (those the server
    lacks). Not where the server holds a newer build (another machine's)."""
    client = store.open_client(settings)
    collection = files_collection(client, settings)
    head = published(settings, client)
    if head is not None and head > manifest["build"]:
        return 0
    paths = _files(index_dir, manifest)
    have = _present(collection, [f"{p}#0" for p in paths])
    missing = [p for p in paths if f"{p}#0" not in have]
    entries: list[tuple[str, str, dict]] = []
    size = 0
    for path in missing:
        parts = _parts(path, (index_dir / path).read_bytes())
        entries += parts
        size += sum(len(text) for _, text, _ in parts)
        if size > BATCH_CHARS:  # sent as they are read: memory stays bounded
            _send(collection, entries)
            entries, size = [], 0
    _send(collection, entries)
    # the published manifest lists the keyword index's files, which a reader fetches
    listing = {**manifest, "bm25_files": [p for p in paths if p.startswith(manifest["bm25"] + "/")]}
    text = json.dumps(listing, ensure_ascii=False).encode("utf-8")
    manifest_path = f"{store.MANIFEST}@{manifest['build']}"
    _send(collection, _parts(manifest_path, text))
    _upsert(collection, [(HEAD, manifest["build"], {"build": manifest["build"]})])
    _forget_unused(collection, set(paths) | {manifest_path})
    return len(missing)


def _forget_unused(collection, used: set[str]) -> None:
    ids = collection.get(include=[])["ids"]
    stale = [i for i in ids if i != HEAD and i.rsplit("#", 1)[0] not in used]
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
        got = collection.get(ids=[f"{p}#0" for p in batch], include=["documents", "metadatas"])
        first = {
            i.rsplit("#", 1)[0]: (d, m)
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }
        for path in batch:
            if path not in first:
                raise _damaged(f"it lacks {path}")
            text, meta = first[path]
            if meta["parts"] > 1:
                ids = [f"{path}#{i}" for i in range(1, meta["parts"])]
                rest = collection.get(ids=ids, include=["documents"])
                by_id = dict(zip(rest["ids"], rest["documents"], strict=True))
                if len(by_id) != len(ids):
                    raise _damaged(f"it lacks part of {path}")
                text += "".join(by_id[i] for i in ids)
            data = base64.b64decode(text)
            if hashlib.sha256(data).hexdigest() != meta["sha256"]:
                raise _damaged(f"its copy of {path} is damaged")
            out[path] = data
    return out


def fetch(settings: Settings, force: bool = False) -> bool:
    """Bring the local index folder to the build the server publishes, where that is newer
    than the local one (or there is none): the files it lacks, then the manifest, written
    as a build writes them (each atomically, the manifest last). Asks the server at most
    once a second per index unless ``force``. Returns whether a build was fetched."""
    index_dir = Path(settings.index_dir)
    key = (
        str(index_dir.resolve()),
        settings.collection,
        settings.chroma_host,
        settings.chroma_port,
    )
    now = time.monotonic()
    with _lock:
        if not force and key in _checked and now - _checked[key] < CHECK_EVERY:
            return False
        _checked[key] = now
    collection = _collections.get(key)
    if collection is None:
        collection = files_collection(store.open_client(settings), settings)
    try:
        build = published(settings, collection=collection)
    except Exception:
        _collections.pop(key, None)  # opened again next time (a server restarted)
        raise
    _collections[key] = collection
    if build is None or _known.get(key) == build:
        return False
    local = store.read_manifest(index_dir) if (index_dir / store.MANIFEST).exists() else None
    if local is not None and local.get("build", "") >= build:
        _known[key] = local["build"]
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
    _known[key] = build
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
