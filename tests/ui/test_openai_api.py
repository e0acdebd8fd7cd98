"""The OpenAI-compatible endpoint, through the official ``openai`` client against the real app
(the same server as the chat UI): content with sources, the whole Answer in the extra field,
streaming, follow-ups through the messages list, filters, errors in OpenAI's shape, API key."""

from dataclasses import replace
from pathlib import Path

import openai
import pytest

from core.errors import ConfigError
from tests.conftest import free_port, launch_ui

DEFINING = "Did Russia accept US security guarantees for Ukraine?"


@pytest.fixture(scope="module")
def client(ui_url):
    return openai.OpenAI(base_url=ui_url.rstrip("/") + "/v1", api_key="unused", max_retries=0)


def _texts(settings):
    corpus = Path(settings.corpus_dir)
    return {p.stem: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}


def _ask(client, content, **kw):
    return client.chat.completions.create(
        model="extractive", messages=[{"role": "user", "content": content}], **kw
    )


def test_models_are_the_answer_generators(client):
    ids = [m.id for m in client.models.list()]
    assert ids[0] == "extractive"


def test_the_answer_comes_with_its_sources_and_the_whole_answer(client, ui_settings):
    reply = _ask(client, DEFINING)
    content = reply.choices[0].message.content
    assert reply.choices[0].finish_reason == "stop"
    assert content.startswith("Sources disagree")
    answer = reply.model_extra["answer"]
    assert answer["refused"] is False
    assert answer["conflicts"] and len(answer["conflicts"][0]["sides"]) == 2
    body, _, sources = content.partition("\n\nSources:\n")
    assert body == answer["answer"]
    texts = _texts(ui_settings)
    for c in answer["citations"]:
        assert texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]
        assert {"doc_id", "quote", "start", "end", "outlet", "date", "speaker"} <= set(c)
        # the numbered source list names each cited article with its place in the file
        assert f"[{c['n']}] " in sources and f"{c['doc_id']}, {c['start']}-{c['end']}" in sources


def test_streaming_gives_the_same_content_and_the_answer_last(client):
    whole = _ask(client, DEFINING).choices[0].message.content
    chunks = list(_ask(client, DEFINING, stream=True))
    assert len(chunks) > 3
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == whole
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["answer"]["conflicts"]


def test_a_follow_up_reads_the_earlier_messages(client):
    reply = client.chat.completions.create(
        model="extractive",
        messages=[
            {"role": "system", "content": "You answer from the news."},
            {"role": "user", "content": "Where did the talks in Geneva take place?"},
            {"role": "assistant", "content": "In Geneva. [1]"},
            {
                "role": "user",
                "content": [{"type": "text", "text": "Did Russia take part in those talks?"}],
            },
        ],
    )
    standalone = reply.model_extra["answer"]["standalone_question"]
    assert standalone and "Geneva" in standalone


def test_filters_go_in_the_request_body(client):
    only = _ask(client, DEFINING, extra_body={"outlets": ["Kyiv Independent"]})
    citations = only.model_extra["answer"]["citations"]
    assert citations and {c["outlet"] for c in citations} == {"Kyiv Independent"}


def test_a_question_the_corpus_does_not_answer_is_refused_plainly(client):
    reply = _ask(client, "What did the Kyiv zoo pay for its new giraffe?")
    answer = reply.model_extra["answer"]
    assert answer["refused"] is True and answer["citations"] == []
    assert "Sources:" not in reply.choices[0].message.content


@pytest.mark.parametrize(
    ("request_kw", "error", "status", "says"),
    [
        ({"model": "no-such-model"}, openai.NotFoundError, 404, "extractive"),
        ({"messages": [{"role": "user", "content": "   "}]}, openai.BadRequestError, 400, "empty"),
        (
            {"messages": [{"role": "user", "content": "x" * 5000}]},
            openai.BadRequestError,
            400,
            "too long",
        ),
        (
            {"messages": [{"role": "assistant", "content": "Hello"}]},
            openai.BadRequestError,
            400,
            "last message",
        ),
        ({"extra_body": {"since": "28/02/2026"}}, openai.BadRequestError, 400, "since"),
    ],
)
def test_bad_requests_get_an_openai_error_that_names_the_problem(
    client, request_kw, error, status, says
):
    kw = {"model": "extractive", "messages": [{"role": "user", "content": DEFINING}]}
    kw.update(request_kw)
    with pytest.raises(error) as raised:
        client.chat.completions.create(**kw)
    assert raised.value.status_code == status
    body = raised.value.body
    assert set(body) >= {"message", "type", "code"} and says in body["message"]


def test_an_api_key_is_required_when_one_is_set(ui_settings):
    import httpx

    running, url = launch_ui(replace(ui_settings, api_key="s3cret"))
    try:
        base = url.rstrip("/") + "/v1"
        # every surface of the app, not only /v1: the page, Gradio's API, MCP
        for path in ("", "gradio_api/info", "gradio_api/mcp/", "v1/models"):
            refused = httpx.get(url + path, headers={"Authorization": "Bearer wrong"})
            assert refused.status_code == 401, path
            assert refused.json()["error"]["code"] == "invalid_api_key"
        with_key = httpx.get(url + "gradio_api/info", headers={"Authorization": "Bearer s3cret"})
        assert with_key.status_code == 200
        # a browser signs in once with /?key=KEY; the cookie carries it from then on
        with httpx.Client(base_url=url) as browser:
            assert browser.get("/?key=wrong").status_code == 401
            signed = browser.get("/?key=s3cret")
            assert signed.status_code == 303 and browser.cookies
            assert browser.get("/").status_code == 200
        assert (
            httpx.get(
                url + "v1/models", headers={"Authorization": "Bearer é".encode("latin-1")}
            ).status_code
            == 401
        )
        stranger = openai.OpenAI(base_url=base, api_key="wrong", max_retries=0)
        with pytest.raises(openai.AuthenticationError):
            stranger.models.list()
        with pytest.raises(openai.AuthenticationError):
            stranger.chat.completions.create(
                model="extractive", messages=[{"role": "user", "content": DEFINING}]
            )
        friend = openai.OpenAI(base_url=base, api_key="s3cret", max_retries=0)
        reply = friend.chat.completions.create(
            model="extractive", messages=[{"role": "user", "content": DEFINING}]
        )
        assert reply.model_extra["answer"]["citations"]
    finally:
        running.close()


def test_listening_beyond_this_machine_needs_a_key(ui_settings):
    from ui.app import create_app, launch

    with pytest.raises(ConfigError, match="RAG_API_KEY"):
        launch(
            create_app(settings=ui_settings),
            "0.0.0.0",
            free_port(),
            block=False,
            settings=ui_settings,
        )
