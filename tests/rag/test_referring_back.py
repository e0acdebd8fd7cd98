"""Sentences that speak of what their article names without naming it again, sides shown
across sources, and numbers that count nothing. Made-up articles: nothing is tuned to a
real corpus."""

import pytest

import rag
from tests.conftest import indexed_corpus

TOWNS = {
    "ashcombe.txt": """Ashcombe
June 1, 2031
Ashcombe is a village and parish in the Lenn valley, on the road from Kessel to Orla.
The parish church of Ashcombe was rebuilt after a fire.
Ashcombe has grown quickly since new houses were built near the station.
Many families in Ashcombe work in Kessel.
Builders have reopened the old mill at Ashcombe after a four-month restoration.
The population of the parish at the 2031 census was 612.
""",
    "ashcombe_fair.txt": """Ashcombe fair draws crowds
June 3, 2031
The Ashcombe summer fair drew visitors from across the Lenn valley on Saturday.
Stalls sold cheese, honey and cider from local farms.
""",
    "kessel.txt": """Kessel keeps growing
June 2, 2031
The population of Kessel rose to 48,000 at the 2031 census.
Population growth in the towns of the Lenn valley has slowed, the census office said.
""",
    "council.txt": """Ashcombe mayor retires
June 4, 2031
Mayor Piet Varga, head of the Ashcombe Parish Council, has taken early retirement.
The 2030 winner of the Ashcombe poetry prize, Mara Tell, read at his farewell.
Rosa Lind, who joined the council in 2024, was appointed its clerk in March 2031.
""",
    "cup_a.txt": """Orla lift the river cup
June 10, 2031
Orla's only other river cup title came in 2027, when they beat Kessel in Barcelona.
""",
    "cup_b.txt": """Second river cup for Orla
June 11, 2031
Orla's only other river cup title came four years ago in Valencia, when they beat Kessel.
""",
    "fair_a.txt": """Harvest fair closes
June 12, 2031
The Orla harvest fair drew 38,000 visitors over three days, organisers said.
""",
    "fair_b.txt": """Council hails record fair
June 13, 2031
This year's Orla harvest fair attracted 52,000 people, the town council said.
""",
    "film_a.txt": """The Lantern Road wins three awards at Orla
June 5, 2031
The Lantern Road won three awards at the Orla film festival on Sunday, the festival said.
""",
    "film_b.txt": """Brek honoured at Orla
June 6, 2031
Director Tomas Brek was one of only two first-time winners at the Orla festival, where his film The Lantern Road won the editing award.
""",
    "quay_a.txt": """Harbour master sets out quay plan
June 7, 2031
The Marlow quay will cost 12 million euros, harbour master Ines Kole said on Monday.
The quay will cost the Marlow harbour 12 million euros, Kole said.
""",
    "quay_b.txt": """Kessel Post: quay plans
June 8, 2031
Building the new Marlow quay is to cost 12 million euros, the Kessel Post reported.
""",
    "mill_a.txt": """Lenn Paper Mill
May 2, 2031
Lenn Paper Mill is a maker of fine writing paper in the town of Orla.
The company was founded in 1921 by the printer Ada Morrow, who ran it for forty years.
It sells most of its paper abroad.
""",
    "mill_b.txt": """Lenn Paper Mill opens a shop
May 20, 2031
Lenn Paper Mill has opened a shop at its works in Orla, selling offcuts by the kilo.
The firm's founder, Jonas Pell, began making paper in a barn before moving to the river.
""",
    "ferry_a.txt": """Lenn ferry to sail in spring
January 20, 2031
A new ferry across the Lenn estuary will begin regular sailings on March 1, the operator Tidewell Lines said on Tuesday.
""",
    "ferry_b.txt": """Tidewell sets ferry date
February 14, 2031
Tidewell Lines has said its new Lenn estuary crossing will start carrying passengers on May 15.
""",
    "lido_a.txt": """Orla lido to reopen
May 2, 2031
Tickets for the Orla lido's summer season go on sale on 3 June, the town council said.
""",
    "lido_b.txt": """Lido expects record crowds
May 9, 2031
The Orla lido had its busiest May. The council also said it expected to sell 40,000 Orla lido tickets by the end of its fiscal year ending 30 September.
""",
    "treaty_a.txt": """Marlow and Tessa seal fishing treaty after long talks
March 16, 2031
Marlow and Tessa have signed a fishing treaty that will close the outer banks to trawlers by 2034.
The treaty was signed on March 14 in the Tessa capital by the two fisheries ministers.
""",
    "treaty_b.txt": """Marlow–Tessa Fishing Treaty
April 30, 2031
The Marlow–Tessa Fishing Treaty is a bilateral agreement on catch quotas.
Talks began in early 2029.
The agreement was signed on March 21, 2031, and must be ratified by both parliaments.
It phases out trawling over three years.
""",
    "run_a.txt": """Ashcombe fun run raises funds
June 20, 2031
Hundreds of runners took part in the Ashcombe fun run on Sunday.
"Nobody expected so many runners at the Ashcombe fun run," said organiser Ben Hart.
The Ashcombe fun run hall at the finish seats 2,400.
""",
    "gas_a.txt": """Orla and Shelby in $6bn gas deal
July 1, 2031
Shelby Energy has signed a $6bn deal with the town of Orla to build a gas terminal.
Shelby will own 70% of the terminal, and the town the rest.
""",
    "gas_b.txt": """Shelby pays former finance chief
July 3, 2031
Shelby Energy is to pay $1m to the finance chief who left after the firm over-stated its gas reserves.
""",
    "quay_c.txt": """Harbour board on the quay
June 9, 2031
The harbour board said on Tuesday that the Marlow quay will cost 15 million euros.
""",
}


@pytest.fixture(scope="module")
def towns(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("towns"), TOWNS)


def test_a_sentence_under_its_article_s_name_answers_for_it(towns):
    # "The population of the parish ..." never writes "Ashcombe"; its article is about it,
    # and the sentences that do write the name say something else
    answer = rag.ask("What is the population of Ashcombe?", index_dir=towns.index_dir)
    assert not answer.refused, answer.answer
    assert "612" in answer.citations[0].quote, answer.answer


def test_a_phrasal_verb_is_another_act_than_its_verb_alone(towns):
    # "has taken early retirement" says nothing of who took over
    answer = rag.ask("Who took over from Piet Varga as mayor?", index_dir=towns.index_dir)
    assert answer.refused, answer.answer


def test_a_name_told_of_another_year_does_not_answer(towns):
    # "the 2030 winner" is no answer to who won in 2031
    answer = rag.ask("Who won the 2031 Ashcombe poetry prize?", index_dir=towns.index_dir)
    assert answer.refused, answer.answer
    answer = rag.ask("Who won the 2030 Ashcombe poetry prize?", index_dir=towns.index_dir)
    assert "Mara Tell" in answer.answer, answer.answer
    # a month of the asked year is in it, and another year beside it does not rule it out
    answer = rag.ask(
        "Who was appointed clerk of the Ashcombe council in 2031?", index_dir=towns.index_dir
    )
    assert not answer.refused and "Rosa Lind" in answer.citations[0].quote, answer.answer


def test_one_of_a_group_counts_nothing(towns):
    # "was one of only two first-time winners" places the director in a group; it is no
    # count of the film's awards to set against "won three awards"
    answer = rag.ask("How many awards did The Lantern Road win?", index_dir=towns.index_dir)
    assert not answer.conflicts, answer.answer
    assert "three awards" in answer.citations[0].quote, answer.answer


def test_a_side_shows_each_source_before_a_second_sentence_of_one(towns):
    # two sentences of one article and one of another say 12 million: with two places on
    # the side, both sources are shown
    answer = rag.ask("How much will the Marlow quay cost?", index_dir=towns.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    by_n = {c.n: c for c in answer.citations}
    conflict = answer.conflicts[0]
    twelve = next(
        side for side, v in zip(conflict.sides, conflict.values, strict=True) if "12" in v
    )
    assert {by_n[n].doc_id for n in twelve} == {"quay_a", "quay_b"}, answer.answer


def test_two_sentences_told_alike_but_for_a_place_are_two_sides(towns):
    # near-identical sentences of two stories that differ in a name are the clearest
    # dispute, whatever kind of name the recogniser took each for
    answer = rag.ask(
        "Where did Orla win their previous river cup title?", index_dir=towns.index_dir
    )
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert set(answer.conflicts[0].values) == {"Barcelona", "Valencia"}, answer.answer


def test_the_doer_named_by_a_noun_of_the_asked_verb_is_a_side(towns):
    # "The firm's founder, Jonas Pell" names who founded it as "founded in 1921 by Ada
    # Morrow" does, without the verb and without the firm's name
    answer = rag.ask("Who founded Lenn Paper Mill?", index_dir=towns.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert set(answer.conflicts[0].values) == {"Ada Morrow", "Jonas Pell"}, answer.answer
    by_n = {c.n: c for c in answer.citations}
    cited = [{by_n[n].doc_id for n in side} for side in answer.conflicts[0].sides]
    assert {"mill_a"} in cited and {"mill_b"} in cited, answer.answer


def test_a_weekday_does_not_hide_the_date_another_report_gives(towns):
    # "said on Tuesday" in the first report is no "May 15": the two dates are the sides
    answer = rag.ask(
        "When will the new Lenn estuary ferry begin carrying passengers?", index_dir=towns.index_dir
    )
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert set(answer.conflicts[0].values) == {"March 1", "May 15"}, answer.answer


def test_a_date_that_says_when_a_thing_ends_is_not_when_the_act_happens(towns):
    # "its fiscal year ending 30 September" dates the year, not the sale
    answer = rag.ask("When do Orla lido tickets go on sale?", index_dir=towns.index_dir)
    assert not answer.conflicts, answer.answer
    assert "3 June" in answer.citations[0].quote, answer.answer


def test_a_date_told_under_a_headline_that_names_the_subject_is_a_side(towns):
    # "The agreement was signed on March 21" names neither country: its article's headline
    # does, and read with it the sentence is as close to the question as the other side
    answer = rag.ask("When was the Marlow-Tessa fishing treaty signed?", index_dir=towns.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert {"March 14", "March 21, 2031"} == set(answer.conflicts[0].values), answer.answer


def test_a_quote_does_not_say_who_did_an_act_other_than_speaking(towns):
    # the organiser's quote says nothing of who won; a quote answers who praised or blamed
    answer = rag.ask("Who won the Ashcombe fun run?", index_dir=towns.index_dir)
    assert answer.refused and "do not answer it" in answer.answer, answer.answer


def test_a_bare_count_on_another_verb_is_not_what_something_cost(towns):
    # "seats 2,400" is no cost
    answer = rag.ask(
        "How much did it cost to build the Ashcombe fun run hall?", index_dir=towns.index_dir
    )
    assert answer.refused, answer.answer


def test_an_amount_the_question_gives_is_no_side(towns):
    # "$6bn" is the project the question names; "$1m" is another payment: neither answers
    # what share Shelby will own
    answer = rag.ask(
        "What share of its $6bn Orla gas terminal will Shelby Energy own?",
        index_dir=towns.index_dir,
    )
    assert not answer.conflicts, answer.answer
    assert "70%" in answer.citations[0].quote, answer.answer


def test_counts_of_the_asked_thing_dispute_each_other_in_other_verbs(towns):
    # neither source says "attended": each counts people (visitors are people, WordNet)
    answer = rag.ask("How many people attended the Orla harvest fair?", index_dir=towns.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert set(answer.conflicts[0].values) == {"38,000", "52,000"}, answer.answer


def test_a_length_of_time_does_not_say_when(towns):
    # "a four-month restoration" says how long, not when the mill was built
    answer = rag.ask("When was the Ashcombe mill built?", index_dir=towns.index_dir)
    assert answer.refused, answer.answer


def test_an_irregular_verb_form_matches_its_base_in_the_keyword_score(towns):
    from index.store import load_snapshot
    from index.text import tokens
    from rag.evidence import lexical

    snapshot = load_snapshot(towns)
    asked = tokens("Did the council pay?")
    assert lexical(snapshot, asked, "The council paid 12 crowns for it.") == 1.0
    assert lexical(snapshot, asked, "The council sold it.") < 1.0
