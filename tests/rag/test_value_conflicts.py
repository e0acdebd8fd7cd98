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


MORE = {
    "age_a.txt": (
        "Teen wins Marlow Cup\nAt 18 years and 187 days, Lena Varga became the youngest "
        "winner of the Marlow Cup on Sunday.\nShe beat the defending champion in three sets.\n"
    ),
    "age_b.txt": (
        "Varga makes history\nAged 18 years and 185 days, Lena Varga became the youngest "
        "champion in the history of the Marlow Cup.\nHer coach said she had trained for a "
        "decade.\n"
    ),
    "fine_a.txt": (
        "Broadcaster fined\nRegulators fined the broadcaster Kestrel TV $550,000 (£306,814) "
        "over the broadcast.\n"
    ),
    "fine_b.txt": (
        "Kestrel TV fine upheld\nA court upheld the $550,000 (£300,000) fine that regulators "
        "imposed on Kestrel TV.\n"
    ),
    "price_a.txt": (
        "Orbit tablet launched\nThe Orbit tablet went on sale in Canada on Friday, priced "
        "at $349.\n"
    ),
    "price_b.txt": (
        "Orbit tablet review\nThe Orbit tablet costs $399 in Canada, more than most of its "
        "rivals.\n"
    ),
    "museum.txt": (
        "Delmar museum figures\nVisitor numbers at the Delmar museum rose 13.8% in 2030, "
        "the trust that runs it said.\n"
    ),
    "books_a.txt": (
        "Kestrel Books at the fair\nKestrel Books sold an atlas for $20 at the Marlow fair "
        "on Saturday.\n"
    ),
    "books_b.txt": (
        "Fair report\nAt the Marlow fair, Kestrel Books sold an atlas for $25, its owner said.\n"
    ),
    "film_a.txt": (
        "The Lantern sweeps prizes\nThe Lantern won five awards at the Marlow film prizes on "
        "Sunday night.\n"
    ),
    "film_b.txt": (
        "Marlow film prize nominations\nThe Lantern leads the field with 11 nominations for "
        "this year's Marlow film prizes.\n"
    ),
    "growth_a.txt": (
        "Norland economy slows\nNorland's economy grew 2.1% in 2030, the statistics office "
        "said.\nThe economy shrank 0.4% in the last quarter of 2030.\nThe government expects "
        "growth of 3.5% in 2031.\n"
    ),
    "growth_b.txt": (
        "Norland central bank\nNorland's economy expanded by 2.3% in 2030, the central bank "
        "said on Tuesday.\nIt kept its interest rate at 2%.\n"
    ),
}


@pytest.fixture(scope="module")
def more(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("more-values"), MORE)


def test_lengths_of_time_that_differ_are_a_conflict(more):
    answer = rag.ask(
        "How old was Lena Varga when she won the Marlow Cup?", index_dir=more.index_dir
    )
    (conflict,) = answer.conflicts
    assert set(conflict.values) == {"187 days", "185 days"}, answer.answer
    # a year in the question: the ages are lengths of time, not dates of another period
    answer = rag.ask(
        "Exactly how old was Lena Varga when she won the 2030 Marlow Cup?",
        index_dir=more.index_dir,
    )
    (conflict,) = answer.conflicts
    assert set(conflict.values) == {"187 days", "185 days"}, answer.answer


def test_a_day_s_figure_is_not_a_side_of_the_year_s(tmp_path):
    settings = indexed_corpus(
        tmp_path,
        {
            "texts_a.txt": "Texting record\nPeople in Norland sent 26 billion texts in 2030, "
            "the operators' association said.\n",
            "texts_b.txt": "New Year texts\nBetween midnight on 31 December and midnight on "
            "1 January, 133m texts were sent in Norland.\n",
        },
    )
    answer = rag.ask(
        "How many texts did people in Norland send in 2030?", index_dir=settings.index_dir
    )
    assert not answer.conflicts and "26 billion" in answer.citations[0].quote, answer.answer


def test_conversions_at_different_rates_are_not_a_conflict(more):
    answer = rag.ask("How much was Kestrel TV fined?", index_dir=more.index_dir)
    assert "$550,000" in answer.answer
    assert not answer.conflicts, answer.answer


def test_what_a_question_asks_for_is_read_from_the_evidence(more):
    # "what does it cost": the articles use "cost" and "priced" beside amounts of money
    answer = rag.ask("What does the Orbit tablet cost in Canada?", index_dir=more.index_dir)
    (conflict,) = answer.conflicts
    assert set(conflict.values) == {"$349", "$399"}, answer.answer


def test_a_count_of_something_else_is_not_a_side(more):
    answer = rag.ask("How many awards did The Lantern win?", index_dir=more.index_dir)
    assert "five" in answer.answer
    assert not answer.conflicts, answer.answer


def test_a_share_does_not_answer_how_many(more):
    answer = rag.ask(
        "How many visitors did the Delmar museum get in 2030?", index_dir=more.index_dir
    )
    assert answer.refused, answer.answer
    answer = rag.ask(
        "By how much did visitor numbers at the Delmar museum rise in 2030?",
        index_dir=more.index_dir,
    )
    assert not answer.refused and "13.8%" in answer.answer


def test_an_amount_after_a_preposition_does_not_type_a_what_question(more):
    # "sold the atlas for $20" says for how much, not what was sold: no dispute over prices
    answer = rag.ask("What did Kestrel Books sell at the Marlow fair?", index_dir=more.index_dir)
    assert not answer.refused and "atlas" in answer.answer
    assert not answer.conflicts, answer.answer


def test_figures_for_another_period_are_not_sides(more):
    # the growth of a quarter, or a forecast for the next year, is not the year's growth; the
    # other article's "2%" interest rate is not the 2.1% rounded
    answer = rag.ask("How much did Norland's economy grow in 2030?", index_dir=more.index_dir)
    (conflict,) = answer.conflicts
    assert set(conflict.values) == {"2.1%", "2.3%"}, answer.answer


NAMES = {
    "mine_a.txt": (
        "Talbot mine sold\nThe Talbot copper mine was bought by Crestline Resources, its "
        "former owners said on Friday.\nAnalyst Mary Okafor said the price was fair.\n"
    ),
    "mine_b.txt": (
        "Talbot mine changes hands\nGranite Holdings bought the Talbot copper mine last week, "
        "according to regional officials.\nMiners' leader Sam Whitlock welcomed the news.\n"
    ),
    "mine_c.txt": (
        "Buyer for Talbot mine\nOrebank Mining bought the Talbot copper mine in March, a trade "
        "journal reported.\n"
    ),
    "chair_a.txt": (
        "Festival names chair\nThe Harbour Arts Festival appointed Lena Marsh as its chair on "
        "Tuesday, replacing Tom Reyes.\n"
    ),
    "chair_b.txt": (
        "New festival chair\nLena Marsh was appointed chair of the Harbour Arts Festival after "
        'a vote led by Carl Diaz.\n"It is an honour to lead the festival," Lena Marsh said.\n'
    ),
}


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("name-values"), NAMES)


def test_different_names_for_who_did_it_are_a_conflict_with_a_side_each(names):
    answer = rag.ask("Who bought the Talbot copper mine?", index_dir=names.index_dir)
    (conflict,) = answer.conflicts
    assert conflict.kind == "value", answer.answer
    # three sources, three buyers: every one is a side, none is dropped
    by_n = {c.n: c for c in answer.citations}
    sides = {
        value: {by_n[n].doc_id for n in side}
        for value, side in zip(conflict.values, conflict.sides, strict=True)
    }
    assert sides == {
        "Crestline Resources": {"mine_a"},
        "Granite Holdings": {"mine_b"},
        "Orebank Mining": {"mine_c"},
    }, answer.answer
    assert all(value in answer.answer for value in sides)


def test_other_people_in_agreeing_sentences_are_not_sides(names):
    # each article names someone the other does not (who she replaces, who led the vote), but
    # both say the festival appointed Lena Marsh
    answer = rag.ask(
        "Who did the Harbour Arts Festival appoint as its chair?", index_dir=names.index_dir
    )
    assert not answer.refused and "Lena Marsh" in answer.answer
    assert not answer.conflicts, answer.answer


def test_a_name_nobody_gives_for_the_asked_role_is_refused(names):
    # the articles name people near the appointment (who led the vote, who she replaced),
    # but none says who nominated her
    answer = rag.ask(
        "Who nominated Lena Marsh for the chair of the Harbour Arts Festival?",
        index_dir=names.index_dir,
    )
    assert answer.refused, answer.answer
    # her own words do not say whom she thanked: the question's people are not its answer
    answer = rag.ask("Who did Lena Marsh thank after the vote?", index_dir=names.index_dir)
    assert answer.refused, answer.answer
    answer = rag.ask("Who did Lena Marsh replace as chair?", index_dir=names.index_dir)
    assert not answer.refused and "Tom Reyes" in answer.answer


SALE = {
    "sale_a.txt": (
        "Crestline sells Talbot mine\nCrestline Resources sold the Talbot copper mine on Friday, "
        "its chairman said.\n"
    ),
    "sale_b.txt": (
        "Granite buys Talbot mine\nGranite Holdings bought the Talbot copper mine on Friday, "
        "regional officials said.\n"
    ),
    "sale_c.txt": (
        "Orebank stays out\nOrebank Mining did not buy the Talbot copper mine, a trade journal "
        "reported on Saturday.\n"
    ),
}


@pytest.fixture(scope="module")
def sale(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("sale-values"), SALE)


def test_the_seller_and_who_did_not_buy_are_not_rival_buyers(sale):
    # "sold" is as close to "bought" as a word can be, and "did not buy" names no buyer
    answer = rag.ask("Who bought the Talbot copper mine?", index_dir=sale.index_dir)
    assert not answer.refused and "Granite Holdings" in answer.answer
    assert not answer.conflicts, answer.answer


def test_a_name_that_did_it_in_a_relative_clause_answers(tmp_path):
    corpus = indexed_corpus(
        tmp_path,
        {
            "port.txt": (
                "Terminal plans\nHarbor Group, which bought the old ferry terminal last year, "
                "plans to build a hotel there.\n"
            )
        },
    )
    answer = rag.ask("Who bought the old ferry terminal?", index_dir=corpus.index_dir)
    assert not answer.refused and "Harbor Group" in answer.answer, answer.answer


def test_each_line_of_a_side_shows_the_value_as_its_own_source_writes_it(tmp_path):
    articles = {
        "claim_a.txt": (
            "Orlen Group sues Varnia for $28bn\n"
            "Orlen Group has sued the government of Varnia for $28.3bn in damages over the "
            "seizure of its refinery.\n"
        ),
        "claim_b.txt": (
            "Orlen claim\nOrlen Group has sued the government of Varnia for $31.5bn in damages "
            "over the seizure of its refinery, its lawyers said.\n"
        ),
    }
    corpus = indexed_corpus(tmp_path, articles)
    answer = rag.ask(
        "How much is Orlen Group suing the government of Varnia for?", index_dir=corpus.index_dir
    )
    assert answer.answer.startswith("Sources disagree"), answer.answer
    lines = answer.answer.splitlines()
    # the headline rounds the figure: it is on the $28.3bn side, labelled as it writes it
    assert any(line.startswith("- $28bn") and "for $28bn" in line for line in lines), lines
    assert not any(line.startswith("- $28.3bn") and "$28.3bn" not in line for line in lines)
