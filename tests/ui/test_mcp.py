"""The app's MCP server, through the ``mcp`` package's own client (streamable HTTP): the
tools ``ask`` and ``search`` are listed with their parameters and return JSON."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

DEFINING = "Did Russia accept US security guarantees for Ukraine?"


def _session(url: str, work):
    """Run work(session) against the app's MCP endpoint and return its result."""

    async def run():
        endpoint = url.rstrip("/") + "/gradio_api/mcp/"
        # (read, write) streams, and in mcp < 1.2x a third item, the session id getter
        async with streamable_http_client(endpoint) as streams:  # noqa: SIM117
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                return await work(session)

    # in a thread of its own: the browser tests' Playwright keeps an event loop running in
    # this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def _texts(settings):
    corpus = Path(settings.corpus_dir)
    return {p.stem: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}


def test_the_tools_are_listed_with_their_parameters(ui_url):
    async def work(session):
        return {t.name: t for t in (await session.list_tools()).tools}

    tools = _session(ui_url, work)
    # only reading: no tool writes the corpus
    assert set(tools) == {"ask", "search"}
    assert {"question", "history", "outlets", "since", "until"} <= set(
        tools["ask"].inputSchema["properties"]
    )
    assert {"query", "k"} <= set(tools["search"].inputSchema["properties"])
    assert "cit" in tools["ask"].description and "passages" in tools["search"].description


def test_ask_returns_the_whole_answer_as_json(ui_url, ui_settings):
    async def work(session):
        return await session.call_tool("ask", {"question": DEFINING})

    result = _session(ui_url, work)
    assert not result.isError
    answer = json.loads(result.content[0].text)
    assert answer["answer"].startswith("Sources disagree") and answer["conflicts"]
    texts = _texts(ui_settings)
    for c in answer["citations"]:
        assert texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]


def test_search_returns_passages_with_offsets_and_no_answer(ui_url, ui_settings):
    async def work(session):
        return await session.call_tool("search", {"query": "security guarantees", "k": 4})

    result = _session(ui_url, work)
    assert not result.isError
    found = json.loads(result.content[0].text)
    assert len(found) == 4 and "answer" not in found[0]
    texts = _texts(ui_settings)
    for f in found:
        assert texts[f["doc_id"]][f["start"] : f["end"]] == f["text"]


def test_a_bad_call_is_an_error_that_names_the_problem(ui_url):
    async def work(session):
        return await session.call_tool("ask", {"question": "   "})

    result = _session(ui_url, work)
    assert result.isError and "empty" in result.content[0].text
