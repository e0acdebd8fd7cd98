"""Different figures from independent sources are a conflict with both sides cited; one
figure in two formats is not; one outlet revising its own figure is an update, newest first."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "deal_a.txt": (
        "Acme buys Widget\n"
        "Acme Corp has agreed to buy the toolmaker Widget Ltd for $9.3bn, the two companies "
        "said on Monday.\nWidget Ltd makes hand tools in three factories in Ohio.\n"
    ),
    # a wire copy of deal_a: one source, not two
    "deal_a_copy.txt": (
        "Acme buys Widget\n"
        "Acme Corp has agreed to buy the toolmaker Widget Ltd for $9.3bn, the two companies "
        "said on Monday.\nWidget Ltd makes hand tools in three factories in Ohio.\n"
    ),
    # near-identical to deal_a but for the price: the clearest disagreement there is
    "deal_b.txt": (
        "Acme to buy Widget\n"
        "Acme Corp has agreed to buy the toolmaker Widget Ltd for $9.8bn, the two companies "
        "said on Monday.\nThe deal needs the approval of regulators in Brussels.\n"
    ),
    "staff_c.txt": (
        "Widget workforce\nWidget Ltd employs 3,000 people at its Ohio factories, the union said.\n"
    ),
    "staff_d.txt": (
        "Union welcomes Acme deal\nThe union said Widget Ltd employs three thousand people in "
        "Ohio and that their jobs were safe.\n"
    ),
    "flood_1.txt": "Flood toll\nThe flood in Marlow killed 12 people, officials said.\n",
    "flood_2.txt": "Flood toll rises\nThe flood in Marlow killed 15 people, officials said.\n",
}
SIDECAR = """
["deal_a.txt"]
outlet = "Harbor Times"
date = "2031-03-03"
["deal_a_copy.txt"]
outlet = "Valley Post"
date = "2031-03-03"
["deal_b.txt"]
outlet = "Coastal Ledger"
date = "2031-03-03"
["flood_1.txt"]
outlet = "Marlow Echo"
date = "2031-04-01"
["flood_2.txt"]
outlet = "Marlow Echo"
date = "2031-04-03"
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("values"), ARTICLES, SIDECAR)


def test_different_figures_from_independent_sources_are_both_given(corpus):
    answer = rag.ask("How much is Acme paying for Widget?", index_dir=corpus.index_dir)
    assert answer.answer.startswith("Sources disagree"), answer.answer
    assert "$9.3bn" in answer.answer and "$9.8bn" in answer.answer
    (conflict,) = answer.conflicts
    assert conflict.kind == "value"
    assert set(conflict.values) == {"$9.3bn", "$9.8bn"}
    by_n = {c.n: c for c in answer.citations}
    docs = [{by_n[n].doc_id for n in side} for side in conflict.sides]
    assert {"deal_b"} in docs
    assert any(side & {"deal_a", "deal_a_copy"} for side in docs)
    # the wire copy is named once, not counted as a second source
    quoted = [c for c in answer.citations if "$9.3bn" in c.quote]
    assert len(quoted) == 1 and quoted[0].also_in
    data = answer.to_dict()["conflicts"][0]
    assert data["kind"] == "value" and len(data["sides"]) == 2


def test_one_figure_in_two_formats_is_not_a_conflict(corpus):
    answer = rag.ask("How many people does Widget employ?", index_dir=corpus.index_dir)
    assert not answer.refused
    assert not answer.conflicts, answer.answer
    assert "Sources disagree" not in answer.answer


def test_an_outlet_revising_its_figure_is_an_update_newest_first(corpus):
    answer = rag.ask("How many people died in the Marlow flood?", index_dir=corpus.index_dir)
    (conflict,) = answer.conflicts
    assert conflict.kind == "update", answer.answer
    by_n = {c.n: c for c in answer.citations}
    newest = {by_n[n].doc_id for n in conflict.sides[0]}
    assert newest == {"flood_2"}
    assert answer.answer.index("15") < answer.answer.index("12")
