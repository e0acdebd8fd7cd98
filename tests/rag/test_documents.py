"""rag.get_document: the text the index keeps for a document, and its metadata, as answers
cite it (web pages as their article only)."""

from pathlib import Path

import pytest

import rag
from tests.conftest import indexed_corpus

PAGE = (Path(__file__).parent.parent / "data" / "port.html").read_text(encoding="utf-8")
WIRE = (
    "Northgate crane repairs to take months\n"
    "Two cranes toppled by the storm at Northgate will take until the summer to repair, the "
    "port authority said.\n"
    "The storm, the worst since 16 October 1987, struck the terminal four days before it "
    "reopened.\n"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(
        tmp_path_factory.mktemp("docs"),
        {"port.html": PAGE, "cranes.txt": WIRE},
        sidecar='outlet = "Harbour Wire"\n',
    )


def test_a_web_page_is_kept_as_its_article_with_the_page_metadata(corpus):
    doc = rag.get_document("port", index_dir=corpus.index_dir)
    assert doc["file"] == "port.html"
    assert "backlog of forty vessels" in doc["text"]
    for boilerplate in ("cookies", "Most read", "bypass", "Copyright", "Privacy"):
        assert boilerplate not in doc["text"]
    assert (doc["title"], doc["outlet"], doc["author"], doc["date"]) == (
        "Port reopens after storm",
        "The Coastal Ledger",
        "Ana Ruiz",
        "2026-05-03",
    )


def test_a_default_outlet_applies_and_no_date_is_invented(corpus):
    doc = rag.get_document("cranes", index_dir=corpus.index_dir)
    assert doc["outlet"] == "Harbour Wire"
    assert doc["date"] == "unknown"  # 16 October 1987 is what it reports, not its date
    assert doc["text"].startswith("Northgate crane repairs")


def test_quotes_from_a_web_page_are_its_article_text_at_their_offsets(corpus):
    answer = rag.ask("How much did the storm damage at the port cost?", index_dir=corpus.index_dir)
    assert answer.citations
    assert "£12m" in answer.answer
    for c in answer.citations:
        text = rag.get_document(c.doc_id, index_dir=corpus.index_dir)["text"]
        assert text[c.start : c.end] == c.quote


def test_an_unknown_document_id_is_named(corpus):
    with pytest.raises(rag.DocumentNotFoundError, match="'harbour'"):
        rag.get_document("harbour", index_dir=corpus.index_dir)
