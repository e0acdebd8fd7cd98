"""An OpenAI-compatible chat endpoint over ``rag.ask``, served by the app beside the chat UI.

- ``GET /v1/models``: one model per answer generator that can run (``extractive`` first).
- ``POST /v1/chat/completions``: the last message is the question (it must be the user's);
  the user's earlier messages are the conversation, so follow-ups resolve ("And what did he
  say next?"). ``stream: true`` sends the answer as server-sent events. The model name picks
  the generator.

The message content is the answer with its ``[n]`` markers, then its numbered sources. The
response carries one field beyond OpenAI's, ``answer``: the whole Answer as ``rag.ask``
returns it (``citations`` with doc_id, quote, start, end, outlet, date, speaker; ``conflicts``;
``refused``; ...). Streaming, it comes with the last chunk. Content is sent once the answer
has been verified, never an unchecked draft.

Optional request fields beyond OpenAI's: ``outlets`` (list of names), ``since`` and
``until`` (ISO dates) filter the articles, as in ``rag.ask``.

Errors have OpenAI's shape, ``{"error": {"message", "type", "param", "code"}}``. With an API
key set (``RAG_API_KEY``), every request to the app needs ``Authorization: Bearer KEY``
(ui.app.serve_app checks it).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse

from core.errors import ConfigError, IndexDamagedError, IndexNotBuiltError, RagError
from core.markers import without_notes
from core.types import Answer

log = logging.getLogger(__name__)

ROLES = ("system", "developer", "user", "assistant", "tool")
# Words per streamed chunk.
CHUNK_WORDS = 8
# Answers computed at once (as many as the chat's queue runs); more requests wait.
CONCURRENT = 4


class RequestError(Exception):
    """A request the endpoint cannot answer: its message, HTTP status, OpenAI type and code."""

    def __init__(
        self,
        message: str,
        status: int = 400,
        kind: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ):
        super().__init__(message)
        self.status, self.kind, self.code, self.param = status, kind, code, param

    def response(self) -> JSONResponse:
        body = {"message": str(self), "type": self.kind, "param": self.param, "code": self.code}
        return JSONResponse({"error": body}, status_code=self.status)


def sources_text(answer: Answer) -> str:
    """The answer's numbered sources, one per line, as the message content ends."""
    lines = []
    for c in answer.citations:
        quote = without_notes(" ".join(c.quote.split()))
        speaker = f", {c.speaker}" if c.speaker else ""
        lines.append(
            f"[{c.n}] {c.title} ({c.source()}{speaker}; {c.doc_id}, {c.start}-{c.end}): “{quote}”"
        )
    return "\n".join(lines)


def message_content(answer: Answer) -> str:
    sources = sources_text(answer)
    return f"{answer.answer}\n\nSources:\n{sources}" if sources else answer.answer


def _text(content, where: str) -> str:
    """A message's text: a string, or a list of parts of which the text ones count."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text":
                raise RequestError(f"{where}: only text parts are understood", param="messages")
            parts.append(str(part.get("text", "")))
        return "\n".join(parts)
    if content is None:
        return ""
    raise RequestError(f"{where}: content must be a string or a list of parts", param="messages")


def read_request(body) -> dict:
    """The question, conversation, model, stream flag and filters of a request body."""
    if not isinstance(body, dict):
        raise RequestError("the request body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise RequestError("'model' is required: one of GET /v1/models", param="model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError("'messages' must be a non-empty list", param="messages")
    said: list[tuple[str, str]] = []
    for i, m in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(m, dict) or m.get("role") not in ROLES:
            raise RequestError(f"{where} needs a role, one of {', '.join(ROLES)}", param="messages")
        said.append((m["role"], _text(m.get("content"), where)))
    role, question = said[-1]
    if role != "user":
        raise RequestError("the last message must be the user's question", param="messages")
    history = [text for r, text in said[:-1] if r == "user" and text.strip()]
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise RequestError("'stream' must be true or false", param="stream")
    filters = {}
    for name in ("outlets", "since", "until"):
        if body.get(name) is not None:
            filters[name] = body[name]
    return {
        "model": model,
        "question": question,
        "history": history,
        "stream": stream,
        "filters": filters,
    }


def _chunk(ident: str, created: int, model: str, delta: dict, finish: str | None = None) -> dict:
    return {
        "id": ident,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _events(ident: str, created: int, model: str, answer: Answer) -> Iterator[str]:
    """The answer as server-sent events: the role, the content a few words at a time, then
    a last chunk with the finish reason and the whole Answer."""

    def event(data: dict) -> str:
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    yield event(_chunk(ident, created, model, {"role": "assistant", "content": ""}))
    pieces = message_content(answer).split(" ")
    for i in range(0, len(pieces), CHUNK_WORDS):
        text = " ".join(pieces[i : i + CHUNK_WORDS]) + (
            " " if i + CHUNK_WORDS < len(pieces) else ""
        )
        yield event(_chunk(ident, created, model, {"content": text}))
    last = _chunk(ident, created, model, {}, "stop")
    last["answer"] = answer.to_dict()
    yield event(last)
    yield "data: [DONE]\n\n"


def router(ask: Callable[..., Answer], generators: Callable[[], list[str]]) -> APIRouter:
    """The /v1 routes (the app checks the API key on every request: ui.app.serve_app).

    Args:
        ask: called as ``ask(question, history, generator=..., outlets=..., ...)``.
        generators: the names of the generators that can run (the models listed).
    """
    api = APIRouter(prefix="/v1")
    busy = asyncio.Semaphore(CONCURRENT)

    @api.get("/models")
    def models():
        now = int(time.time())
        data = [
            {"id": name, "object": "model", "created": now, "owned_by": "newscite"}
            for name in generators()
        ]
        return {"object": "list", "data": data}

    @api.post("/chat/completions")
    async def chat_completions(request: Request):
        try:
            try:
                body = await request.json()
            except ValueError:
                raise RequestError("the request body is not valid JSON") from None
            asked = read_request(body)
            known = generators()
            if asked["model"] not in known:
                raise RequestError(
                    f"no model {asked['model']!r}; the models are: {', '.join(known)}",
                    status=404,
                    code="model_not_found",
                    param="model",
                )
            async with busy:  # answers compete for the same cores: a few at a time
                answer = await run_in_threadpool(_answer, ask, asked)
        except RequestError as e:
            return e.response()
        ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if asked["stream"]:
            return StreamingResponse(
                _events(ident, created, asked["model"], answer),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache"},
            )
        return {
            "id": ident,
            "object": "chat.completion",
            "created": created,
            "model": asked["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": message_content(answer)},
                    "finish_reason": "stop",
                }
            ],
            "usage": None,
            "answer": answer.to_dict(),
        }

    return api


def _answer(ask: Callable[..., Answer], asked: dict) -> Answer:
    try:
        return ask(
            asked["question"], asked["history"], generator=asked["model"], **asked["filters"]
        )
    except IndexNotBuiltError as e:
        raise RequestError(str(e), status=503, kind="server_error", code="index_not_built") from e
    except (ValueError, TypeError) as e:  # they name what is wrong with the question
        raise RequestError(str(e)) from e
    except (ConfigError, IndexDamagedError) as e:  # the store or index is not usable now
        raise RequestError(str(e), status=503, kind="server_error", code="unavailable") from e
    except RagError as e:
        raise RequestError(str(e), status=500, kind="server_error") from e
    except Exception as e:  # still an OpenAI-shaped error, never a bare 500 page
        log.exception("answering %r failed", asked["question"])
        raise RequestError(
            f"the answer failed: {type(e).__name__}: {e}", status=500, kind="server_error"
        ) from e


def same_key(sent: str | None, key: str) -> bool:
    """Whether a sent key is the API key (in constant time, whatever its characters)."""
    return sent is not None and hmac.compare_digest(sent.encode(), key.encode())
