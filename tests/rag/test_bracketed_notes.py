"""An article's own bracketed notes ("[39]", "[a]", "[1][2]", "[citation needed]") never pass
for the answer's citation markers, and a bad line is cut from an answer instead of failing it."""

import json
import re

import pytest

import rag
from core.markers import markers, without_notes
from core.types import Citation, Conflict
from index.store import load_snapshot
from rag.compose import DISAGREE
from rag.generators import messages
from rag.verify import check, repair
from tests.conftest import indexed_corpus, launch_ui

ARTICLES = {
    "fields.txt": """Tobias Wrenfield (politician)
Tobias Wrenfield was an American lawyer and politician from Ohio.[1][2] Wrenfield was a member of the Whig Party and served two terms in the state senate.[39] He was born in Marietta in 1811.[a]
After his second term he returned to his law practice in Zanesville.[citation needed]
""",
    "museum.txt": """Harbour Lantern Museum
The Harbour Lantern Museum was established in 1962 in the old customs house.[7] Its collection holds more than 400 ship lanterns [12] and a reading room for maritime charts.[note 3]
The museum is run by a foundation set up by the city council.[8][9]
""",
    "lanterns.txt": """Lantern collectors gather in Marlow
March 3, 2031
More than 200 collectors met in Marlow on Saturday for the annual lantern fair.
The fair's organiser, Edith Cole, said the event had doubled in size since 2020.
""",
}

QUESTIONS = [
    ("What political party was Tobias Wrenfield affiliated with?", "Whig Party"),
    ("When was the Harbour Lantern Museum established?", "1962"),
    ("How many ship lanterns does the Harbour Lantern Museum hold?", "400"),
    ("Where did Tobias Wrenfield practise law after his second term?", "Zanesville"),
]


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("notes"), ARTICLES)


def _texts():
    return {name.removesuffix(".txt"): text for name, text in ARTICLES.items()}


def _assert_markers_are_citations(d: dict):
    """Every [n] in the answer is one of its citations and every citation is referred to."""
    found = markers(d["answer"])
    assert set(found) == {c["n"] for c in d["citations"]}, d["answer"]


@pytest.mark.parametrize("question,expected", QUESTIONS)
def test_ask_answers_with_quotes_that_keep_the_notes(notes, question, expected):
    answer = rag.ask(question, index_dir=notes.index_dir)
    assert not answer.refused, answer.answer
    assert expected in answer.answer
    d = answer.to_dict()
    _assert_markers_are_citations(d)
    for note in ("[39]", "[a]", "[citation needed]", "[note 3]", "[12]"):
        assert note not in answer.answer
    texts = _texts()
    for c in answer.citations:  # the quote is still the article's exact text, notes and all
        assert texts[c.doc_id][c.start : c.end] == c.quote
    assert any(
        re.search(r"\[(\d+|[a-z]|note 3|citation needed)\]", c.quote) for c in answer.citations
    )
    md = answer.to_markdown()
    body, sources = md.split("**Sources**")
    assert set(markers(body)) == {c.n for c in answer.citations}
    assert [int(x) for x in re.findall(r"^\[(\d+)\]", sources, re.M)] == [
        c.n for c in answer.citations
    ]
    assert "[39]" not in md and "[a]" not in md


def test_cli_answers_instead_of_failing(notes, rag_cli):
    out = rag_cli(["ask", "--json", QUESTIONS[0][0]], notes.index_dir)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["refused"] is False and "Whig Party" in d["answer"]
    _assert_markers_are_citations(d)
    assert "[39]" in " ".join(c["quote"] for c in d["citations"])


def test_ui_links_only_the_answers_own_citations(notes):
    from gradio_client import Client

    from ui.render import chat_message

    app, url = launch_ui(notes)
    try:
        d = json.loads(
            Client(url, verbose=False).predict(question=QUESTIONS[0][0], api_name="/ask")
        )
    finally:
        app.close()
    assert d["refused"] is False and "Whig Party" in d["answer"]
    _assert_markers_are_citations(d)
    shown = chat_message(rag.ask(QUESTIONS[0][0], index_dir=notes.index_dir))
    links = re.findall(r'href="#src-(\d+)"', shown)
    assert sorted(set(map(int, links))) == [c["n"] for c in d["citations"]]
    assert "39" not in re.sub(r"<[^>]+>", "", shown)


def test_llm_prompt_numbers_only_the_passages():
    quote = "Wrenfield was a member of the Whig Party.[39] He served two terms.[1][2]"
    c = Citation(
        n=1, doc_id="fields", title="t", outlet="o", date="d", quote=quote, start=0, end=len(quote)
    )
    prompt = messages("Which party?", [c])[1]["content"]
    assert markers(prompt) == [1] and "Whig Party." in prompt


@pytest.mark.parametrize(
    "text,shown",
    [
        ("A Whig.[39] He served two terms.", "A Whig. He served two terms."),
        ("He served [1][2] twice.", "He served twice."),
        ("Born in 1811,[a] in Marietta.", "Born in 1811, in Marietta."),
        ("Rates rose 5%[3\u20135] last year.", "Rates rose 5% last year."),
        ("It closed.[citation needed]", "It closed."),
        ("The [deputy] minister said so.", "The [deputy] minister said so."),
        ("No notes here.", "No notes here."),
    ],
)
def test_notes_are_left_out_of_shown_text(text, shown):
    assert without_notes(text) == shown


def test_repair_drops_unsound_lines_and_renumbers(notes):
    snap = load_snapshot(notes)
    text = _texts()["museum"]
    first = "The Harbour Lantern Museum was established in 1962 in the old customs house.[7]"
    second = "The museum is run by a foundation set up by the city council.[8][9]"
    a, b = text.index(first), text.index(second)
    good = Citation(1, "museum", "t", "o", "d", first, a, a + len(first))
    wrong = Citation(2, "museum", "t", "o", "d", "not the text", b, b + len(second))
    other = Citation(3, "museum", "t", "o", "d", second, b, b + len(second))
    one, two = without_notes(first), without_notes(second)
    answer = f"{DISAGREE}\n- 1962: {one} [1]\n- {two} [2]\n- Stray [9]\n- Also: {two} [3]"
    conflict = Conflict(about="q", sides=((1,), (2,)), kind="value", values=("1962", "1970"))
    assert check(snap, answer, [good, wrong, other])
    fixed, cites, conflicts = repair(snap, answer, [good, wrong, other], [conflict], (DISAGREE,))
    assert fixed == f"{one} [1]\n- {two} [2]"  # no longer a dispute: no side labels
    assert [(c.n, c.quote) for c in cites] == [(1, first), (2, second)]
    assert conflicts == [] and check(snap, fixed, cites) == []
    assert repair(snap, "- Stray [9]", [good], [], ()) == ("", [], [])
