"""Outlet and date filters: applied in retrieval, validated, and explained when they exclude all."""

import pytest

DEFINING = "Did Russia accept US security guarantees for Ukraine?"


def _outlets_and_dates(seed_index):
    import rag

    settings, _ = seed_index
    return {d["doc_id"]: d for d in rag.list_documents(index_dir=settings.index_dir)}


def test_outlet_filter_answers_only_from_that_outlet(ask, seed_index):
    docs = _outlets_and_dates(seed_index)
    answer = ask(DEFINING, outlets=["kyiv independent"])  # case does not matter
    assert answer.citations
    assert {docs[c.doc_id]["outlet"] for c in answer.citations} == {"Kyiv Independent"}
    unfiltered = ask(DEFINING)
    assert {c.doc_id for c in unfiltered.citations} - {c.doc_id for c in answer.citations}


def test_date_range_is_inclusive_and_leaves_out_undated_articles(ask, seed_index):
    docs = _outlets_and_dates(seed_index)
    answer = ask(DEFINING, since="2026-02-01", until="2026-02-28")
    dates = {docs[c.doc_id]["date"] for c in answer.citations}
    assert dates and all("2026-02-01" <= d <= "2026-02-28" for d in dates)
    assert "2026-02-28" in dates  # the last day counts


def test_a_filter_that_excludes_everything_is_a_refusal_that_says_so(ask):
    answer = ask(DEFINING, outlets=["The Daily Nowhere"])
    assert answer.refused and not answer.citations
    assert "The Daily Nowhere" in answer.answer
    answer = ask(DEFINING, since="2030-01-01")
    assert answer.refused and "2030-01-01" in answer.answer


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"since": "28/02/2026"}, ValueError, "since must be a date like"),
        ({"until": "yesterday"}, ValueError, "until must be a date like"),
        ({"since": "2026-03-01", "until": "2026-02-01"}, ValueError, "is after until"),
        ({"outlets": [3]}, TypeError, "outlets must be strings"),
        ({"since": 20260301}, TypeError, "since must be an ISO date"),
    ],
)
def test_bad_filters_name_the_problem(ask, options, error, message):
    with pytest.raises(error, match=message):
        ask(DEFINING, **options)


def test_streaming_pieces_add_up_to_the_answer(ask):
    pieces = []
    answer = ask(DEFINING, on_text=pieces.append)
    assert len(pieces) > 10 and "".join(pieces) == answer.answer
    refusal = []
    refused = ask("What is the GDP of France?", on_text=refusal.append)
    assert refused.refused and "".join(refusal) == refused.answer


def test_citation_context_holds_the_quote_at_its_offsets(ask, seed_texts):
    for c in ask(DEFINING).citations:
        lo = c.start - c.context_start
        assert c.context[lo : lo + len(c.quote)] == c.quote
        assert seed_texts[c.doc_id][c.context_start : c.context_start + len(c.context)] == c.context
        assert len(c.context) > len(c.quote)


def test_markdown_export_lists_every_source(ask):
    answer = ask(DEFINING)
    md = answer.to_markdown()
    assert md.startswith(f"**Q:** {DEFINING}")
    for c in answer.citations:
        assert f"[{c.n}] " in md and " ".join(c.quote.split()) in md


def test_filters_go_into_the_vector_search(ask, seed_index, monkeypatch):
    from index.store import IndexSnapshot

    docs = _outlets_and_dates(seed_index)
    calls, real = [], IndexSnapshot.dense_search

    def searching(self, vector, n, where=None, allowed=None):
        found = real(self, vector, n, where, allowed)
        calls.append((where, {self.chunks[c].doc_id for c, _ in found}))
        return found

    monkeypatch.setattr(IndexSnapshot, "dense_search", searching)
    ask(DEFINING, outlets=["kyiv independent"])
    assert calls
    for where, found in calls:
        assert where == {"outlet": {"$in": ["Kyiv Independent"]}}
        assert found and {docs[d]["outlet"] for d in found} == {"Kyiv Independent"}
    calls.clear()
    ask(DEFINING, since="2026-02-01", until="2026-02-20")  # one article is dated then
    assert calls
    for where, found in calls:
        assert where == {"date": {"$in": ["2026-02-09"]}}
        assert found and {docs[d]["date"] for d in found} == {"2026-02-09"}
    calls.clear()
    ask(DEFINING)
    assert calls and all(where is None for where, _ in calls)
