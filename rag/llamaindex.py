"""The pipeline as llama-index components, for llama-index apps and agents.

- ``NewsRetriever``: a ``BaseRetriever`` over ``rag.search``: one ``NodeWithScore`` per
  passage, its text the article's own (``text == file[start:end]``), its metadata doc_id,
  start, end, title, outlet, date, author and speakers (who is quoted in it).
- ``NewsQueryEngine``: a ``BaseQueryEngine`` over ``rag.ask``: the ``Response`` is the cited
  answer, its ``source_nodes`` the citations (metadata n, doc_id, start, end, title, outlet,
  date, speaker), its ``metadata["answer"]`` the whole Answer (conflicts, refused, ...).

>>> from llama_index.core.tools import QueryEngineTool
>>> tool = QueryEngineTool.from_defaults(NewsQueryEngine(), name="news",
...     description="Answers questions from the news articles, with citations.")
"""

from __future__ import annotations

import asyncio
from typing import Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.schema import (
    NodeRelationship,
    NodeWithScore,
    QueryBundle,
    RelatedNodeInfo,
    TextNode,
)

from core.config import Settings, load_settings
from core.types import Answer, Found


def node_id(doc_id: str, start: int, end: int) -> str:
    """A passage's node id: its article and its place in the article's text."""
    return f"{doc_id}:{start}-{end}"


def _node(doc_id: str, start: int, end: int, text: str, metadata: dict) -> TextNode:
    node = TextNode(id_=node_id(doc_id, start, end), text=text, metadata=metadata)
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=doc_id)
    # the metadata is for the app; an LLM reading the node sees the text and where it is from
    node.excluded_llm_metadata_keys = ["doc_id", "start", "end"]
    node.excluded_embed_metadata_keys = list(metadata)
    return node


def found_node(f: Found) -> NodeWithScore:
    metadata = {
        "doc_id": f.doc_id,
        "start": f.start,
        "end": f.end,
        "title": f.title,
        "outlet": f.outlet,
        "date": f.date,
        "author": f.author,
        "speakers": list(f.speakers),
    }
    return NodeWithScore(node=_node(f.doc_id, f.start, f.end, f.text, metadata), score=f.score)


def citation_nodes(answer: Answer) -> list[NodeWithScore]:
    out = []
    for c in answer.citations:
        metadata = {
            "n": c.n,
            "doc_id": c.doc_id,
            "start": c.start,
            "end": c.end,
            "title": c.title,
            "outlet": c.outlet,
            "date": c.date,
            "speaker": c.speaker,
        }
        out.append(NodeWithScore(node=_node(c.doc_id, c.start, c.end, c.quote, metadata)))
    return out


class NewsRetriever(BaseRetriever):
    """The passages that best match a query (``rag.search``), as llama-index nodes.

    Args:
        k: passages per query (default: the ``top_k`` setting).
        outlets, since, until: filters, as in ``rag.ask``.
        settings: settings resolved once (``core.config.load_settings()``); else read now.
        **options: any settings field (``index_dir``, ...).
    """

    def __init__(
        self,
        k: int | None = None,
        *,
        outlets=None,
        since=None,
        until=None,
        settings: Settings | None = None,
        **options: Any,
    ):
        super().__init__()
        self._settings = settings.with_options(**options) if settings else load_settings(**options)
        self._k = k
        self._filters = {"outlets": outlets, "since": since, "until": until}

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        from rag.pipeline import search

        found = search(query_bundle.query_str, self._k, settings=self._settings, **self._filters)
        return [found_node(f) for f in found]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return await asyncio.to_thread(self._retrieve, query_bundle)

    def passage_ids(self, doc_id: str) -> list[str]:
        """The node ids of every passage of an article, as this retriever names them (to
        give a retrieval evaluator the ids a relevant article may be found by)."""
        from index.store import load_snapshot

        snapshot = load_snapshot(self._settings)
        d = snapshot.doc_number[doc_id]
        ids = []
        for ci in range(int(snapshot.doc_first_chunk[d]), int(snapshot.doc_first_chunk[d + 1])):
            chunk = snapshot.chunks[ci]
            start = snapshot.sentences[chunk.first].start
            end = snapshot.sentences[chunk.last].end
            ids.append(node_id(doc_id, start, end))
        return ids


class NewsQueryEngine(BaseQueryEngine):
    """Cited answers (``rag.ask``) as llama-index responses.

    Args:
        outlets, since, until: filters, as in ``rag.ask``.
        settings, **options: as for ``NewsRetriever`` (``generator`` picks the writer).
    """

    def __init__(
        self,
        *,
        outlets=None,
        since=None,
        until=None,
        settings: Settings | None = None,
        **options: Any,
    ):
        super().__init__(callback_manager=None)
        self._settings = settings.with_options(**options) if settings else load_settings(**options)
        self._filters = {"outlets": outlets, "since": since, "until": until}

    def _query(self, query_bundle: QueryBundle) -> Response:
        from rag.pipeline import ask

        answer = ask(query_bundle.query_str, settings=self._settings, **self._filters)
        return Response(
            response=answer.answer,
            source_nodes=citation_nodes(answer),
            metadata={"answer": answer.to_dict()},
        )

    async def _aquery(self, query_bundle: QueryBundle) -> Response:
        return await asyncio.to_thread(self._query, query_bundle)

    def _get_prompt_modules(self) -> dict:
        return {}  # no prompts: the answer is composed from the articles' sentences
