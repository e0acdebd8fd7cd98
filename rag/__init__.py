"""Evidence-grounded question answering over a news corpus.

>>> import rag
>>> answer = rag.ask("Did Russia accept US security guarantees for Ukraine?")
>>> print(answer.answer); answer.to_dict()["citations"][0]["quote"]
"""

from core.errors import (
    ConfigError,
    CorpusError,
    DocumentNotFoundError,
    IndexDamagedError,
    IndexNotBuiltError,
    RagError,
)
from core.types import Answer, Citation, Conflict, Found

__all__ = [
    "Answer",
    "Citation",
    "Conflict",
    "Found",
    "ConfigError",
    "CorpusError",
    "DocumentNotFoundError",
    "IndexDamagedError",
    "IndexNotBuiltError",
    "RagError",
    "ask",
    "add_documents",
    "available_generators",
    "example_questions",
    "get_document",
    "list_documents",
    "search",
    "warm_up",
]


def ask(question, history=None, **options) -> Answer:
    """Answer a question from the indexed corpus; see rag.pipeline.ask for the options
    (outlets, since, until, on_text and any Settings field)."""
    from rag.pipeline import ask as _ask

    return _ask(question, history, **options)


def search(query, k=None, **options) -> list:
    """The passages that best match a query, best first, with their articles' metadata and
    no answer; see rag.pipeline.search for the options."""
    from rag.pipeline import search as _search

    return _search(query, k, **options)


def available_generators(**options) -> list[str]:
    """The answer generators that can run with these settings, extractive first."""
    from core.config import load_settings
    from rag.generators import available_generators as _available

    return _available(load_settings(**options))


def __getattr__(name: str):
    # The corpus helpers load lazily, like ask: importing rag stays cheap.
    if name in ("add_documents", "example_questions", "get_document", "list_documents", "warm_up"):
        from rag import documents

        return getattr(documents, name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
