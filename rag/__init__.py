"""Evidence-grounded question answering over a news corpus.

>>> import rag
>>> answer = rag.ask("Did Russia accept US security guarantees for Ukraine?")
>>> print(answer.answer); answer.to_dict()["citations"][0]["quote"]
"""

from rag.errors import ConfigError, CorpusError, IndexNotBuiltError, RagError
from rag.types import Answer, Citation, Conflict

__all__ = [
    "Answer",
    "Citation",
    "Conflict",
    "ConfigError",
    "CorpusError",
    "IndexNotBuiltError",
    "RagError",
    "ask",
]


def ask(question, history=None, **options) -> Answer:
    """Answer a question from the indexed corpus; see rag.pipeline.ask."""
    from rag.pipeline import ask as _ask

    return _ask(question, history, **options)
