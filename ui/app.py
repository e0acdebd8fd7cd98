"""The Gradio chat: a thin shell around ``rag.ask`` with a sources panel, filters and upload.

``create_app(ask)`` builds the app; ``main()`` launches it (``python -m ui``, ``make run``).
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import gradio as gr
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

import rag
from core.config import Settings, load_settings
from core.errors import ConfigError, IndexNotBuiltError, RagError
from core.types import Answer
from ui import openai_api, render
from ui.openai_api import same_key

UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".pdf"]
# The most passages one search returns.
MAX_SEARCH = 50
# How often a streaming answer is redrawn, in seconds.
REDRAW_EVERY = 0.05

THEME = gr.themes.Soft(
    font=["system-ui", "-apple-system", "Segoe UI", "sans-serif"],  # no web-font download
    font_mono=["ui-monospace", "monospace"],
)


def _options(settings: Settings) -> dict:
    return {f.name: getattr(settings, f.name) for f in fields(settings)}


def _corpus_line(docs: list[dict]) -> str:
    outlets = sorted({d["outlet"] for d in docs if d["outlet"] != "unknown"})
    dates = sorted(d["date"] for d in docs if d["date"] != "unknown")
    line = f"{len(docs)} article{'s' if len(docs) != 1 else ''}"
    if outlets:
        line += f" from {len(outlets)} named outlet{'s' if len(outlets) != 1 else ''}"
    if dates:
        line += f", dated {dates[0]} to {dates[-1]}"
    return line + "."


def _outlets(docs: list[dict]) -> list[str]:
    return sorted({d["outlet"] for d in docs if d["outlet"] != "unknown"}, key=str.casefold)


def _stream(
    ask: Callable[..., Answer], question: str, history: list[str], filters: dict
) -> tuple[queue.Queue, list]:
    """Run ask in a thread; its text pieces and then its result arrive on a queue."""
    pieces: queue.Queue = queue.Queue()
    box: list = []

    def work() -> None:
        try:
            box.append(ask(question, history, on_text=pieces.put, **filters))
        except BaseException as e:  # handed to the UI thread, which shows it
            box.append(e)
        finally:
            pieces.put(None)

    threading.Thread(target=work, daemon=True).start()
    return pieces, box


def _friendly(e: BaseException) -> str:
    if isinstance(e, (ValueError, TypeError, RagError)):  # they name the problem
        return str(e)
    return f"Something went wrong while answering ({type(e).__name__}: {e})."


def create_app(
    ask: Callable[..., Answer] | None = None, *, settings: Settings | None = None
) -> gr.Blocks:
    """Build the chat app.

    Args:
        ask: the answer function, called as ``ask(question, history, on_text=...,
            outlets=..., since=..., until=...)``; defaults to ``rag.ask`` on ``settings``.
        settings: the corpus and index the app lists, filters and adds documents to;
            defaults to ``load_settings()``.

    Returns:
        A ``gr.Blocks``; launch it with ``launch(app, ...)`` (which adds the page style).
    """
    settings = settings or load_settings()
    options = _options(settings)
    if ask is None:

        def ask(question, history=None, **kw):
            return rag.ask(question, history, settings=settings, **kw)

    def documents() -> list[dict]:
        try:
            return rag.list_documents(**options)
        except IndexNotBuiltError:
            return []

    docs = documents()
    try:
        examples = rag.example_questions(**options)
    except RagError:
        examples = []
    generators = rag.available_generators(**options)
    if settings.generator not in generators:
        generators.append(settings.generator)

    def filters(outlets, since, until, generator=None) -> dict:
        chosen = {"outlets": outlets or None, "since": since or None, "until": until or None}
        if generator and len(generators) > 1:
            chosen["generator"] = generator
        return chosen

    def respond(message, chat, history, outlets, since, until, generator=None):
        chat = list(chat or [])
        question = (message or "").strip()
        if not question:
            gr.Warning("Type a question first.")
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        chat += [
            {"role": "user", "content": render.escape_markdown(question)},
            {"role": "assistant", "content": "_Searching the articles…_"},
        ]
        yield chat, render.searching_panel(), history, "", gr.skip()
        chosen = filters(outlets, since, until, generator)
        drafting = chosen.get("generator", settings.generator) != "extractive"
        pieces, box = _stream(ask, question, list(history), chosen)
        text, last = "", 0.0
        while True:
            piece = pieces.get()
            if piece is None:
                break
            text += piece
            if time.monotonic() - last >= REDRAW_EVERY:
                last = time.monotonic()
                content = render.streaming_message(text, draft=drafting)
                chat[-1] = {"role": "assistant", "content": content}
                yield chat, gr.skip(), history, "", gr.skip()
        result = box[0]
        if isinstance(result, BaseException):
            chat[-1] = {"role": "assistant", "content": render.error_message(_friendly(result))}
            yield chat, render.sources_panel(None), history, "", gr.skip()
            return
        chat[-1] = {"role": "assistant", "content": render.chat_message(result)}
        history = [*history, question]
        yield chat, render.sources_panel(result), history, "", result.to_markdown()

    def ask_api(
        question: str,
        history: list[str] | None = None,
        outlets: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        generator: str | None = None,
    ) -> str:
        """Answer a question from the news articles, quoting and citing them exactly. Where
        sources disagree the answer gives each side, attributed and cited; where the
        articles do not answer, it says so (refused is true).

        Args:
            question: the question, in plain words.
            history: earlier questions of the same conversation, oldest first, so that a
                follow-up ("And what did he say next?") is understood.
            outlets: answer only from articles of these outlets.
            since: answer only from articles published on or after this date (YYYY-MM-DD).
            until: answer only from articles published on or before this date (YYYY-MM-DD).
            generator: how the answer is written: "extractive" (default) or an LLM one.

        Returns:
            The Answer as JSON text: answer (text with [n] markers), refused, citations (n,
            doc_id, quote, start, end, title, outlet, date, speaker), conflicts (sides of
            citation numbers, kind, values).
        """
        try:
            answer = ask(question, history or [], **filters(outlets, since, until, generator))
        except (ValueError, TypeError, RagError) as e:
            raise gr.Error(str(e)) from None
        return json.dumps(answer.to_dict(), ensure_ascii=False)

    def search_api(
        query: str,
        k: int = 8,
        outlets: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> str:
        """Find the passages of the news articles that best match a query, best first,
        without writing an answer.

        Args:
            query: what to look for.
            k: how many passages (1 to 50).
            outlets: only articles of these outlets.
            since: only articles published on or after this date (YYYY-MM-DD).
            until: only articles published on or before this date (YYYY-MM-DD).

        Returns:
            The passages as JSON text (a list): rank, doc_id, start, end (the passage's place in its
            article's text), score, text, title, outlet, date, author, speakers.
        """
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_SEARCH:
            raise gr.Error(f"k must be a whole number from 1 to {MAX_SEARCH}, got {k!r}")
        try:
            found = rag.search(
                query,
                k,
                outlets=outlets or None,
                since=since or None,
                until=until or None,
                settings=settings,
            )
        except (ValueError, TypeError, RagError) as e:
            raise gr.Error(str(e)) from None
        return json.dumps([f.to_dict() for f in found], ensure_ascii=False)

    def add_documents(files, outlet, title, date, progress=gr.Progress()):  # noqa: B008 (Gradio idiom)
        paths = [Path(f if isinstance(f, str) else f.name) for f in files or []]
        if not paths:
            gr.Warning("Choose one or more files first.")
            return gr.skip(), gr.skip(), gr.skip()
        meta = {"outlet": outlet, "title": title, "date": date}
        progress(0, desc="Checking the files")
        try:
            report = rag.add_documents(
                paths,
                meta=meta,
                on_progress=lambda f, msg: progress(f, desc=msg),
                **options,
            )
        except (ValueError, RagError) as e:
            return f"Nothing was added: {e}", gr.skip(), None
        return report.summary(), gr.update(choices=_outlets(documents())), None

    with gr.Blocks(title="News QA", analytics_enabled=False) as app:
        gr.Markdown(
            "## Ask the news\nAnswers quote the articles word for word; each **[n]** points "
            "to its source on the right. When articles contradict each other you see both "
            "sides, attributed.",
            elem_id="intro",
        )
        corpus = gr.Markdown(_corpus_line(docs), elem_id="corpus-line")
        history = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    label="Conversation",
                    height=520,
                    buttons=["copy"],
                    feedback_options=None,
                    placeholder="Ask a question about the articles, or pick an example below.",
                )
                with gr.Row():
                    question = gr.Textbox(
                        elem_id="question",
                        show_label=False,
                        placeholder="Ask about the articles…",
                        scale=5,
                        autofocus=True,
                        max_length=settings.max_question_chars,
                    )
                    send = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
                generator = gr.Dropdown(
                    choices=generators,
                    value=settings.generator,
                    label="Answer generator (an LLM's answer is checked against the sources)",
                    elem_id="generator",
                    visible=len(generators) > 1,
                )
                if examples:
                    gr.Examples(
                        examples=[[q] for q in examples],
                        inputs=[question],
                        label="Try asking",
                        elem_id="examples",
                    )
                with gr.Row():
                    clear = gr.Button("New conversation", elem_id="clear", size="sm")
                    copy = gr.Button("Copy answer as Markdown", elem_id="copy-md", size="sm")
                with gr.Accordion("Answer as Markdown", open=False):
                    markdown = gr.Textbox(
                        elem_id="markdown",
                        show_label=False,
                        lines=8,
                        interactive=False,
                        buttons=["copy"],
                    )
            with gr.Column(scale=2):
                sources = gr.HTML(render.sources_panel(None), elem_id="sources", label="Sources")
        with (
            gr.Accordion("Filters: outlet and date", open=False, elem_id="filters"),
            gr.Row(),
        ):
            outlet_filter = gr.Dropdown(
                choices=_outlets(docs),
                multiselect=True,
                label="Only from these outlets",
                elem_id="outlet-filter",
            )
            since = gr.Textbox(label="Published on or after", placeholder="YYYY-MM-DD")
            until = gr.Textbox(label="Published on or before", placeholder="YYYY-MM-DD")
        with gr.Accordion("Add documents", open=False, elem_id="add-docs"):
            gr.Markdown(
                f"Upload .txt, .md, .html or .pdf articles (up to "
                f"{settings.max_file_bytes // 1_000_000} MB each). They are copied into the "
                "corpus folder and indexed; the next question can use them."
            )
            files = gr.File(
                file_count="multiple", file_types=UPLOAD_TYPES, label="Files", elem_id="upload"
            )
            with gr.Row():
                up_outlet = gr.Textbox(label="Outlet (optional)")
                up_title = gr.Textbox(label="Title (optional, else the first line)")
                up_date = gr.Textbox(label="Date (optional)", placeholder="YYYY-MM-DD")
            add_btn = gr.Button("Add to corpus", elem_id="add")
            upload_status = gr.Textbox(
                label="Result", interactive=False, lines=3, elem_id="upload-status"
            )

        ask_inputs = [question, chatbot, history, outlet_filter, since, until, generator]
        ask_outputs = [chatbot, sources, history, question, markdown]
        for trigger in (question.submit, send.click):
            trigger(respond, ask_inputs, ask_outputs, api_visibility="private")
        clear.click(
            lambda: ([], [], render.sources_panel(None), ""),
            None,
            [chatbot, history, sources, markdown],
            api_visibility="private",
        )
        copy.click(
            None,
            [markdown],
            None,
            js="(md) => { if (md && navigator.clipboard) navigator.clipboard.writeText(md); }",
            api_visibility="private",
        )
        add_btn.click(
            add_documents,
            [files, up_outlet, up_title, up_date],
            [upload_status, outlet_filter, files],
            api_name="add_documents",
            # callable by gradio_client, not listed: an MCP agent must not write the corpus
            api_visibility="undocumented",
        ).then(lambda: _corpus_line(documents()), None, corpus, api_visibility="private")
        # MCP tools are named after their functions: "ask" and "search"
        ask_api.__name__, search_api.__name__ = "ask", "search"
        gr.api(ask_api, api_name="ask")
        gr.api(search_api, api_name="search")
    # the OpenAI-compatible routes the app serves beside the chat (ui.openai_api), and the
    # key every request to the app must carry (serve_app checks it)
    app.v1_routes = openai_api.router(
        lambda question, history, **kw: ask(question, history, **kw), lambda: generators
    )
    app.api_key = settings.api_key
    return app


class Running:
    """The app serving on host:port: its Blocks, its URL, and close() to stop it."""

    def __init__(self, blocks: gr.Blocks, server: uvicorn.Server, thread: threading.Thread):
        self.blocks, self._server, self._thread = blocks, server, thread

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


KEY_COOKIE = "newscite_key"


def serve_app(app: gr.Blocks, settings: Settings) -> FastAPI:
    """One web app: the chat at /, Gradio's API and MCP server under /gradio_api, and the
    OpenAI-compatible routes under /v1. With an API key (the app's, from create_app), every
    request needs it: ``Authorization: Bearer KEY``, or in a browser the cookie that
    opening ``/?key=KEY`` once sets."""
    app.queue(default_concurrency_limit=4)
    server = FastAPI(title="newscite", docs_url=None, redoc_url=None, openapi_url=None)
    routes = getattr(app, "v1_routes", None)
    if routes is not None:
        server.include_router(routes)
    key = getattr(app, "api_key", None)
    if key:
        _require_key(server, key)
    return gr.mount_gradio_app(
        server,
        app,
        path="/",
        theme=THEME,
        css=render.CSS,
        show_error=True,
        mcp_server=True,
        # Gradio's own cap; the corpus limit (with a clearer message) is checked on add.
        max_file_size=settings.max_file_bytes * 5,
    )


def _require_key(server: FastAPI, key: str) -> None:
    @server.middleware("http")
    async def check_key(request: Request, call_next):
        offered = request.query_params.get("key")
        if request.url.path == "/" and offered is not None and same_key(offered, key):
            # a browser signs in once; the cookie carries the key from then on
            signed_in = RedirectResponse("/", status_code=303)
            signed_in.set_cookie(KEY_COOKIE, key, httponly=True, samesite="strict")
            return signed_in
        scheme, _, sent = request.headers.get("authorization", "").partition(" ")
        if not (
            (scheme.lower() == "bearer" and same_key(sent.strip(), key))
            or same_key(request.cookies.get(KEY_COOKIE), key)
        ):
            message = (
                "a valid API key is required: send 'Authorization: Bearer KEY' "
                "(in a browser, open /?key=KEY once)"
            )
            error = {
                "message": message,
                "type": "invalid_request_error",
                "param": None,
                "code": "invalid_api_key",
            }
            return JSONResponse({"error": error}, status_code=401)
        return await call_next(request)


def exposure_problem(host: str, key: str | None) -> str | None:
    """Why the app may not listen on host: beyond the loopback address only with a key."""
    if host in LOOPBACK or key:
        return None
    return (
        f"listening on {host} exposes the app beyond this machine: set RAG_API_KEY to the "
        "key clients must send, or listen on 127.0.0.1"
    )


def launch(app: gr.Blocks, host: str, port: int, *, block: bool = True, settings=None):
    """Start the app on host:port; returns (Running, local URL), or serves until stopped
    when block. Anywhere but the loopback address it needs an API key (RAG_API_KEY)."""
    settings = settings or load_settings()
    problem = exposure_problem(host, getattr(app, "api_key", None))
    if problem:
        raise ConfigError(problem)
    config = uvicorn.Config(
        serve_app(app, settings),
        host=host,
        port=port,
        log_level="info" if block else "warning",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if block:
        server.run()
        return None, url
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        server.should_exit = True
        thread.join(timeout=30)
        raise RuntimeError(f"the app did not start on {host}:{port}")
    return Running(app, server, thread), url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui", description="The chat UI.")
    parser.add_argument("--host", help="address to listen on (default RAG_UI_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default RAG_UI_PORT or 7860)")
    args = parser.parse_args(argv)
    settings = load_settings(ui_host=args.host, ui_port=args.port)
    problem = exposure_problem(settings.ui_host, settings.api_key)
    if problem:  # said before the index is loaded
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        count = rag.warm_up(**_options(settings))
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    base = f"http://{settings.ui_host}:{settings.ui_port}"
    print(f"{count} documents indexed. Open {base}")
    print(
        f"OpenAI-compatible API: {base}/v1 (models: {', '.join(rag.available_generators(**_options(settings)))})"
    )
    print(f"MCP server: {base}/gradio_api/mcp/ (tools ask and search)")
    try:
        launch(create_app(settings=settings), settings.ui_host, settings.ui_port, settings=settings)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0
