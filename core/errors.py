"""Typed errors. Only the CLI and the UI turn these into friendly messages."""

import errno


class RagError(Exception):
    """Base class for every error this package raises on purpose."""


class IndexNotBuiltError(RagError):
    """No index exists where the settings point."""

    def __init__(self, index_dir: str, older: bool = False):
        self.index_dir = index_dir
        found = (
            f"The index at {index_dir} was built by an older release. Bring it up to date"
            if older
            else f"No index found at {index_dir}. Build it first"
        )
        super().__init__(
            f"{found}: python -m index build (or `make run`, which builds it when missing)."
        )


class IndexDamagedError(RagError):
    """A file the committed index names is missing or unreadable."""

    def __init__(self, index_dir: str, what: str):
        self.index_dir = index_dir
        super().__init__(
            f"The index at {index_dir} is damaged ({what}). Build it again: python -m index build"
        )


class IndexWriteError(RagError):
    """A build could not write the index (a full disk, no permission); nothing it wrote was
    committed, so the previous index keeps answering."""

    def __init__(self, index_dir: str, error: OSError):
        self.index_dir = index_dir
        self.error = error
        what = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
        super().__init__(
            f"Could not write the index at {index_dir} ({what}). Nothing was committed: the "
            "previous index keeps answering. Free space (or fix the folder's permissions) "
            "and run the build again: python -m index build"
        )


class RecordGone(Exception):
    """A document record an opened index names is no longer on disk: a newer build has
    replaced that index (or the folder was damaged). Callers open the index again."""


class DocumentNotFoundError(RagError, KeyError):
    """No indexed document has this id."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        super().__init__(
            f"no indexed document has the id {doc_id!r}; rag.list_documents() names them"
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class StoreBehind(RecordGone):
    """The vector store holds fewer chunks than the opened index names: a newer build has
    replaced that index (callers open it again), or the store lost them (damage)."""


class CorpusError(RagError):
    """The corpus folder is missing or holds no usable document."""


class ConfigError(RagError):
    """A setting has a value that cannot work."""
