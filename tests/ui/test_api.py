"""The app's API through gradio_client: the Answer JSON, filters, and adding documents."""

import json
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

DEFINING = "Did Russia accept US security guarantees for Ukraine?"


class JsonClient:
    """gradio_client's Client; /ask and /search return JSON text, read here."""

    def __init__(self, url: str):
        self.client = Client(url, verbose=False)

    def predict(self, *args, api_name: str, **kwargs):
        out = self.client.predict(*args, api_name=api_name, **kwargs)
        if api_name in ("/ask", "/search"):
            assert isinstance(out, str)
            return json.loads(out)
        return out


@pytest.fixture(scope="module")
def client(ui_url):
    return JsonClient(ui_url)


def _texts(settings):
    corpus = Path(settings.corpus_dir)
    return {p.stem: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}


def test_ask_endpoint_returns_the_answer_json_with_exact_quotes(client, ui_settings):
    result = client.predict(question=DEFINING, api_name="/ask")
    assert result["refused"] is False and result["generator"] == "extractive"
    assert len({c["doc_id"] for c in result["citations"]}) >= 2
    assert result["conflicts"] and len(result["conflicts"][0]["sides"]) == 2
    texts = _texts(ui_settings)
    for c in result["citations"]:
        assert texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]
        assert f"[{c['n']}]" in result["answer"]


def test_ask_endpoint_applies_filters_in_retrieval(client):
    only = client.predict(question=DEFINING, outlets=["Kyiv Independent"], api_name="/ask")
    assert only["citations"] and {c["outlet"] for c in only["citations"]} == {"Kyiv Independent"}
    dated = client.predict(
        question=DEFINING, since="2026-02-01", until="2026-02-10", api_name="/ask"
    )
    assert dated["citations"] and all(
        "2026-02-01" <= c["date"] <= "2026-02-10" for c in dated["citations"]
    )
    none = client.predict(question=DEFINING, outlets=["No Such Outlet"], api_name="/ask")
    assert none["refused"] and "No Such Outlet" in none["answer"]


def test_follow_up_uses_the_conversation(client):
    result = client.predict(
        question="Did Russia take part in those talks?",
        history=["Where did the talks in Geneva take place?"],
        api_name="/ask",
    )
    assert result["standalone_question"] and "Geneva" in result["standalone_question"]


@pytest.mark.parametrize(
    ("question", "message"),
    [("   ", "empty"), ("x" * 5000, "too long"), (DEFINING, "since")],
)
def test_bad_questions_get_a_message(client, question, message):
    since = "28/02/2026" if message == "since" else None
    with pytest.raises(Exception, match=message):
        client.predict(question=question, since=since, api_name="/ask")


def test_uploaded_document_answers_a_question_about_itself(client, ui_settings, tmp_path):
    doc = tmp_path / "eastmouth-port.md"
    doc.write_text(
        "# Eastmouth port to reopen\n\n"
        "The port of Eastmouth will reopen to container ships on 14 April 2026, "
        "harbour master Ilse Varga said on Tuesday.\n\n"
        "Dredging of the outer channel finished two weeks ahead of schedule.\n",
        encoding="utf-8",
    )
    status, _, _ = client.predict(
        [handle_file(str(doc))], "Eastmouth Gazette", "", "2026-03-10", api_name="/add_documents"
    )
    assert "Added eastmouth-port.md" in status
    assert (Path(ui_settings.corpus_dir) / "eastmouth-port.md").exists()
    result = client.predict(question="When will the port of Eastmouth reopen?", api_name="/ask")
    assert not result["refused"]
    first = result["citations"][0]
    assert first["doc_id"] == "eastmouth-port" and "14 April 2026" in first["quote"]
    assert first["outlet"] == "Eastmouth Gazette" and first["date"] == "2026-03-10"


def _bad_files(folder: Path) -> list[Path]:
    files = {
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02ELF" * 10,
        "noise.txt": bytes(range(1, 256)) * 2,  # no charset decodes it
        "fake.pdf": b"this is not a pdf",
        "huge.txt": b"word " * 50_000,  # 250 kB, over the 200 kB limit of the fixture
    }
    out = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        out.append(folder / name)
    return out


def test_bad_files_get_a_clear_message_and_change_nothing(client, ui_settings, tmp_path):
    corpus = Path(ui_settings.corpus_dir)
    before = sorted(p.name for p in corpus.iterdir())
    docs_before = client.predict(question=DEFINING, api_name="/ask")["citations"]
    status, _, _ = client.predict(
        [handle_file(str(p)) for p in _bad_files(tmp_path)], "", "", "", api_name="/add_documents"
    )
    for expected in (
        "Rejected empty.txt: empty file",
        "Rejected binary.txt: binary file",
        "Rejected noise.txt: not valid UTF-8",
        "Rejected fake.pdf: not a PDF file",
        "Rejected huge.txt: too large",
    ):
        assert expected in status
    assert sorted(p.name for p in corpus.iterdir()) == before
    assert client.predict(question=DEFINING, api_name="/ask")["citations"] == docs_before


def test_bad_metadata_is_refused_before_anything_is_copied(client, ui_settings, tmp_path):
    doc = tmp_path / "note.txt"
    doc.write_text("A short note about the harbour.", encoding="utf-8")
    status, _, _ = client.predict(
        [handle_file(str(doc))], "", "", "next Tuesday", api_name="/add_documents"
    )
    assert "Nothing was added" in status and "next Tuesday" in status
    assert not (Path(ui_settings.corpus_dir) / "note.txt").exists()


def test_ask_endpoint_takes_the_generator(client, ui_settings):
    result = client.predict(
        question="What did Rosatom confirm?", generator="llama-cpp", api_name="/ask"
    )
    assert result["generation"]["generator"] == "llama-cpp"
    assert result["generator"] in ("llama-cpp", "extractive")
    assert result["citations"] and 0 <= result["groundedness"] <= 1
    texts = _texts(ui_settings)
    for c in result["citations"]:
        assert texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]


def test_search_endpoint_returns_ranked_passages_with_their_place_in_the_article(
    client, ui_settings
):
    found = client.predict(query="Lavrov security guarantees", k=3, api_name="/search")
    assert [f["rank"] for f in found] == [1, 2, 3]
    texts = _texts(ui_settings)
    for f in found:
        assert texts[f["doc_id"]][f["start"] : f["end"]] == f["text"]
        assert {"title", "outlet", "date", "author", "speakers", "score"} <= set(f)
    assert any("Lavrov" in " ".join(f["speakers"]) for f in found)
    with pytest.raises(Exception, match="k must be"):
        client.predict(query="Lavrov", k=0, api_name="/search")
