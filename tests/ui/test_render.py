"""What the chat message and the sources panel show for an Answer."""

import pytest

from core.types import Answer, Citation, Conflict
from ui import render

HOSTILE = '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> **bold**'


def _citation(n, quote="Ships will dock on Monday.", **more):
    context = f"Earlier sentence. {quote} Later sentence."
    base = dict(
        n=n,
        doc_id=f"doc{n}",
        title="Port reopens",
        outlet="Harbor Times",
        date="2026-03-01",
        quote=quote,
        start=100 + len("Earlier sentence. "),
        end=100 + len("Earlier sentence. ") + len(quote),
        context=context,
        context_start=100,
    )
    base.update(more)
    return Citation(**base)


def test_document_markup_is_shown_as_text_everywhere():
    c = _citation(1, quote=HOSTILE, title=HOSTILE, outlet=HOSTILE, speaker=HOSTILE, author=HOSTILE)
    answer = Answer("q", f"{HOSTILE} [1]", False, (c,))
    for html in (render.chat_message(answer), render.sources_panel(answer)):
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;" in html
    assert "\\*\\*bold\\*\\*" in render.chat_message(answer)  # not turned into bold


def test_quote_is_highlighted_inside_its_paragraph():
    panel = render.sources_panel(
        Answer("q", "Ships will dock on Monday. [1]", False, (_citation(1),))
    )
    assert "Earlier sentence. <mark>Ships will dock on Monday.</mark> Later sentence." in panel
    assert 'id="src-1"' in panel and "Harbor Times" in panel and "2026-03-01" in panel


def test_each_marker_links_to_its_source_and_unknown_numbers_stay_plain():
    answer = Answer("q", "Ships will dock. [1] Something else [7]", False, (_citation(1),))
    message = render.chat_message(answer)
    assert '<a class="cite" href="#src-1"' in message
    assert "#src-7" not in message


def test_conflict_shows_marker_sides_and_speakers():
    a = _citation(1, speaker="Port director")
    b = _citation(2, quote="The port stays shut.", speaker="Union leader")
    answer = Answer(
        "Will the port reopen?",
        "Sources disagree.\n- Yes: Ships will dock on Monday. [1]\n- No: The port stays shut. [2]",
        False,
        (a, b),
        (Conflict("Will the port reopen?", ((1,), (2,)), ("affirms", "denies")),),
    )
    message, panel = render.chat_message(answer), render.sources_panel(answer)
    assert render.CONFLICT_MARK in message and "badge-conflict" in message
    assert "**Yes:**" in message and "**No:**" in message
    assert "conflict-banner" in panel and "Port director" in panel and "Union leader" in panel
    assert "Says yes" in panel and "Says no" in panel


@pytest.mark.parametrize(
    ("answer", "badge"),
    [
        (Answer("q", "The sources don't cover this: no article mentions “Mars”.", True), "refusal"),
        (Answer("q", "Ships will dock. [1]", False, (_citation(1),)), None),
    ],
)
def test_refusal_reads_as_a_refusal_not_an_error(answer, badge):
    message = render.chat_message(answer)
    assert ("badge-refusal" in message) == (badge == "refusal")
    assert "badge-error" not in message


def test_also_reported_by_names_the_other_outlets():
    c = _citation(1, also_in=("doc9",), also_reported_by=("Wire Daily, 2026-03-01",))
    assert "Also reported by: Wire Daily, 2026-03-01" in render.sources_panel(
        Answer("q", "x [1]", False, (c,))
    )


def test_the_author_is_shown_on_the_source_card():
    c = _citation(1, author="Ana Ruiz")
    assert "By Ana Ruiz" in render.source_card(c)
    assert "source-author" not in render.source_card(_citation(1))
