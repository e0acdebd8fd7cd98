"""The corpus side of the API: what is indexed, example questions, adding documents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from core.config import load_settings
from core.errors import DocumentNotFoundError
from index.corpus import example_questions as _examples
from index.store import load_snapshot

_FIELDS = ("title", "outlet", "author", "date")


def list_documents(**options) -> list[dict]:
    """doc_id, file, title, outlet, author and date of every indexed document.

    Raises:
        IndexNotBuiltError: there is no index yet.
    """
    snapshot = load_snapshot(load_settings(**options))
    return [
        {"doc_id": doc_id, "file": file, **{k: meta.get(k, "unknown") for k in _FIELDS}}
        for doc_id, file, meta in zip(snapshot.doc_ids, snapshot.files, snapshot.metas, strict=True)
    ]


def get_document(doc_id: str, **options) -> dict:
    """The text the index keeps for a document (what every quote is cut from, at its
    offsets) and its metadata: doc_id, file, text, title, outlet, author, date, and the
    encoding where a legacy charset was detected.

    Raises:
        DocumentNotFoundError: no indexed document has this id.
        IndexNotBuiltError: there is no index yet.
    """
    snapshot = load_snapshot(load_settings(**options))
    if not isinstance(doc_id, str) or doc_id not in snapshot.docs:
        raise DocumentNotFoundError(str(doc_id))
    meta = snapshot.meta(doc_id)
    out = {
        "doc_id": doc_id,
        "file": snapshot.files[snapshot.doc_ids.index(doc_id)],
        "text": snapshot.docs[doc_id].text,
        **{k: meta.get(k, "unknown") for k in _FIELDS},
    }
    if "encoding" in meta:
        out["encoding"] = meta["encoding"]
    return out


def example_questions(**options) -> list[str]:
    """Questions to offer a new user: the corpus's own list, else one per article title."""
    settings = load_settings(**options)
    listed = _examples(Path(settings.corpus_dir))
    if listed:
        return listed
    titles = [d["title"] for d in list_documents(**options) if d["title"] != "unknown"]
    return [f"What does “{t[:80]}” report?" for t in titles[:3]]


def add_documents(
    files: Sequence[Path | str],
    *,
    meta: dict | None = None,
    names: Sequence[str] | None = None,
    on_progress: Callable[[float, str], None] | None = None,
    **options,
):
    """Copy files into the corpus folder and index them; see index.ingest.add_files."""
    from index.ingest import add_files

    return add_files(
        files, load_settings(**options), meta=meta, names=names, on_progress=on_progress
    )


def warm_up(**options) -> int:
    """Load the index, the embedder and WordNet now so the first question is fast; returns
    #docs."""
    from index.embedding import get_embedder
    from rag import wordnet

    settings = load_settings(**options)
    snapshot = load_snapshot(settings)
    get_embedder(settings.embed_model).encode(["warm up"])
    wordnet.load()
    return len(snapshot.docs)
