"""The verifier of LLM drafts on scripted replies: only supported sentences survive."""

import pytest

from core.types import Citation
from index.embedding import get_embedder
from rag.verify import verify_draft

QUOTES = {
    1: "The port of Eastmouth will reopen to container ships on 14 April, harbour master Ilse Varga said.",
    2: "The dockworkers' union said the port will not reopen before the summer.",
}
CITES = [
    Citation(
        n,
        f"doc{n}",
        "t",
        "Harbour Times",
        "2026-03-01",
        q,
        0,
        len(q),
        speaker="Ilse Varga" if n == 1 else "union",
        role="harbour master" if n == 1 else None,
    )
    for n, q in QUOTES.items()
]


@pytest.fixture(scope="module")
def embed():
    return get_embedder().encode


def test_hallucination_wrong_number_and_correct_sentence(embed):
    draft = (
        "The port of Eastmouth will reopen to container ships on 14 April, the harbour "
        "master said [1]. The mayor has resigned over a bribery scandal [1]. "
        "The union said the port would reopen on 14 April [2]. "
        "Ships will return in April [7]."
    )
    v = verify_draft(draft, CITES, embed)
    assert [n for _, n in v.sentences] == [[1]]
    assert v.sentences[0][0].startswith("The port of Eastmouth will reopen")
    reasons = {d["sentence"][:14]: d["reason"] for d in v.dropped}
    assert "does not say this" in reasons["The mayor has "]  # invented
    assert "[2]" in reasons["The union said"]  # cites a real passage that says otherwise
    assert reasons["Ships will ret"] == "[7] points to no passage"
    assert v.total == 4 and v.groundedness == 0.25


def test_uncited_sentences_are_dropped_and_bad_markers_removed(embed):
    draft = (
        "Eastmouth is the largest port in the country. "
        "The union said the port will not reopen before the summer [1][2]."
    )
    v = verify_draft(draft, CITES, embed)
    assert v.sentences == [("The union said the port will not reopen before the summer.", [2])]
    assert v.dropped[0]["reason"] == "cites no passage"


def test_markers_after_the_full_stop_and_list_bullets_are_understood(embed):
    draft = (
        "- The harbour master said the port reopens on 14 April. [1]\n- The union disagrees. [2]"
    )
    v = verify_draft(draft, CITES, embed)
    assert [n for _, n in v.sentences][0] == [1]


def test_a_no_answer_reply_is_recognised(embed):
    v = verify_draft("The sources don't cover this.", CITES, embed)
    assert not v.sentences and v.says_no_answer
