"""The pipeline on a corpus that shares nothing with the seeds: nothing is tuned to them."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "harbor_a.txt": """Port authority says Delmar dock deal is done
By Ana Ruiz
March 3, 2031
The Delmar Port Authority said on March 2 that the shipping firm Kestrel Lines had agreed to lease the new container dock for ten years.
"Kestrel signed the lease last night," port director Miguel Sandoval told the Coastal Ledger.
Sandoval added that the dock would open to ships in June.
The city council approved the dock's budget of 40 million euros in January.
""",
    "harbor_b.txt": """Kestrel Lines denies signing Delmar dock lease
March 4, 2031
Kestrel Lines has not signed any lease for the Delmar container dock, the company's chief executive Priya Natarajan said on Wednesday.
"We have not agreed to anything and we have not signed a lease," Natarajan told reporters in Rotterdam.
The company is still comparing offers from three ports, she said.
""",
    "harbor_c.txt": """Port authority says Delmar dock deal is done
March 3, 2031
The Delmar Port Authority said on March 2 that the shipping firm Kestrel Lines had agreed to lease the new container dock for ten years.
"Kestrel signed the lease last night," port director Miguel Sandoval told the Coastal Ledger.
Local fishermen said the construction had damaged oyster beds near the harbor.
""",
    "freight.txt": """Osprey Freight opens Rotterdam office
March 5, 2031
The trucking company Osprey Freight has opened an office in Rotterdam.
Its founder said the firm would hire forty drivers.
Osprey Freight plans to handle 12,000 containers at the new office.
""",
}


@pytest.fixture(scope="module")
def harbor(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("harbor"), ARTICLES)


def test_conflict_is_found_in_any_corpus(harbor):
    answer = rag.ask(
        "Did Kestrel Lines sign the lease for the Delmar dock?", index_dir=harbor.index_dir
    )
    assert answer.conflicts, answer.answer
    by_n = {c.n: c for c in answer.citations}
    yes = {by_n[n].speaker for n in answer.conflicts[0].sides[0]}
    no = {by_n[n].speaker for n in answer.conflicts[0].sides[1]}
    assert any(s and ("Sandoval" in s or "Port Authority" in s) for s in yes)
    assert any(s and "Natarajan" in s for s in no)
    assert {by_n[n].doc_id for n in answer.conflicts[0].sides[1]} == {"harbor_b"}


def test_speaker_and_role_are_attributed(harbor):
    answer = rag.ask("When will the dock open to ships?", index_dir=harbor.index_dir)
    top = answer.citations[0]
    assert "June" in top.quote
    assert top.speaker == "Miguel Sandoval"
    assert top.role == "port director"


def test_copied_story_is_cited_once(harbor):
    answer = rag.ask(
        "What did the port director tell the Coastal Ledger?", index_dir=harbor.index_dir
    )
    quotes = [c for c in answer.citations if "signed the lease last night" in c.quote]
    assert len(quotes) == 1
    assert quotes[0].also_in


def test_absent_topic_is_refused(harbor):
    answer = rag.ask("What did the mayor of Lisbon say about tourism?", index_dir=harbor.index_dir)
    assert answer.refused and not answer.citations


def test_words_in_the_corpus_without_the_answer_are_refused(harbor):
    # "dock" and "ships" are in the articles; how many ships use it is not
    answer = rag.ask("How many ships use the Delmar dock each year?", index_dir=harbor.index_dir)
    assert answer.refused and not answer.citations, answer.answer


def test_the_same_kind_of_question_is_answered_when_the_corpus_has_it(harbor):
    answer = rag.ask("How many ports is Kestrel Lines comparing?", index_dir=harbor.index_dir)
    assert not answer.refused
    assert "three ports" in answer.answer


def test_a_byline_names_the_author_of_a_cited_article(harbor):
    answer = rag.ask("When will the dock open to ships?", index_dir=harbor.index_dir)
    top = answer.citations[0]
    assert top.doc_id == "harbor_a" and top.author == "Ana Ruiz"
    assert "by Ana Ruiz" in answer.to_markdown()
    assert answer.to_dict()["citations"][0]["author"] == "Ana Ruiz"


def test_an_answer_must_come_from_articles_that_name_what_is_asked(harbor):
    # the Delmar articles say how long Kestrel leases the dock; nothing says Osprey leases it
    answer = rag.ask(
        "How long is Osprey Freight leasing the Delmar container dock for?",
        index_dir=harbor.index_dir,
    )
    assert answer.refused and not answer.citations, answer.answer
    assert "Osprey Freight" in answer.answer
    # a name written with a hyphen is one name, not its words apart
    answer = rag.ask(
        "How long is Delmar-Kestrel leasing the container dock for?", index_dir=harbor.index_dir
    )
    assert answer.refused and "Delmar-Kestrel" in answer.answer, answer.answer
    answer = rag.ask(
        "How long is Kestrel Lines leasing the Delmar container dock for?",
        index_dir=harbor.index_dir,
    )
    assert not answer.refused and "ten years" in answer.citations[0].quote
    # an open question's sides say what each source does; "Yes"/"No" would answer nothing
    assert "\n- Affirms: " in answer.answer and "\n- Denies: " in answer.answer
    assert "- Yes:" not in answer.answer


def test_a_count_of_things_does_not_say_how_much_something_costs(harbor):
    # the figures about the office count drivers and containers
    answer = rag.ask(
        "How much is the new Rotterdam office going to cost Osprey Freight?",
        index_dir=harbor.index_dir,
    )
    assert answer.refused, answer.answer
    answer = rag.ask("How many drivers will Osprey Freight hire?", index_dir=harbor.index_dir)
    assert not answer.refused and "forty drivers" in answer.answer


def test_an_amount_of_another_thing_does_not_say_what_is_asked(harbor):
    # the article gives the dock's budget; what the lease costs a year is not said
    answer = rag.ask(
        "How much will the yearly rent for the Delmar dock be?", index_dir=harbor.index_dir
    )
    assert answer.refused and not answer.citations, answer.answer
    answer = rag.ask("How much was the Delmar dock's budget?", index_dir=harbor.index_dir)
    assert not answer.refused and "40 million euros" in answer.answer, answer.answer


def test_the_name_of_someone_is_asked_as_who(harbor):
    answer = rag.ask(
        "What is the name of the company that agreed to lease the Delmar dock?",
        index_dir=harbor.index_dir,
    )
    assert not answer.refused and "Kestrel Lines" in answer.answer, answer.answer
    # the founder is spoken of but never named
    answer = rag.ask(
        "What is the name of the founder of Osprey Freight?", index_dir=harbor.index_dir
    )
    assert answer.refused and not answer.citations, answer.answer


@pytest.mark.parametrize(
    "question",
    ["Who is the CEO of Kestrel Lines?", "Who is the chief executive of Kestrel Lines?"],
)
def test_who_is_the_role_of_x_leads_with_the_name_in_that_role(harbor, question):
    # "the company's chief executive Priya Natarajan"; the abbreviation spells the role
    answer = rag.ask(question, index_dir=harbor.index_dir)
    assert not answer.refused, answer.answer
    assert "Priya Natarajan" in answer.citations[0].quote, answer.answer


PLANTS = {
    "volta.txt": """Volta to build vans at Brenholt
March 8, 2031
Volta Motors will build a new electric van at its loss-making factory in Brenholt, the company said.
The move should help bring scale to the Volta factory, which currently produces fewer than 90,000 cars per year.
Volta said the plan would secure 2,000 jobs.
""",
    "kirra.txt": """Kirra Auto to open second plant
March 9, 2031
Kirra Auto has announced plans for a second plant to meet growing demand.
The company said the new plant would produce 150,000 cars a year.
Kirra expects its sales to grow 16% next year.
Kirra's new plant will charge other carmakers $900 for an hour of testing on its track.
It has not said how much the plant will cost to build, but it already has a rival nearby.
""",
}


@pytest.fixture(scope="module")
def plants(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("plants"), PLANTS)


def test_an_article_that_never_names_what_is_asked_does_not_answer_it(plants):
    # both articles count cars a plant makes a year; only one is about Volta's plant
    answer = rag.ask(
        "How many cars a year does Volta's Brenholt plant make?", index_dir=plants.index_dir
    )
    assert not answer.refused, answer.answer
    assert "90,000" in answer.citations[0].quote, answer.answer
    assert {c.doc_id for c in answer.citations} == {"volta"}, answer.answer
    # a comparison is answered by an article about each of its names
    answer = rag.ask(
        "How many cars a year do the Volta factory and Kirra Auto's new plant make?",
        index_dir=plants.index_dir,
    )
    assert {c.doc_id for c in answer.citations} == {"volta", "kirra"}, answer.answer


def test_what_an_article_says_is_not_known_outweighs_an_amount_of_another_thing(plants):
    # a price is an amount the plant's article gives; what building it costs, it withholds
    answer = rag.ask(
        "How much is Kirra Auto spending to build its new plant?", index_dir=plants.index_dir
    )
    assert answer.refused and "not disclosed" in answer.answer, answer.answer
    answer = rag.ask(
        "How much will an hour of testing at Kirra's new plant cost?", index_dir=plants.index_dir
    )
    assert not answer.refused and "$900" in answer.answer, answer.answer


def test_a_name_must_fill_the_act_that_picks_out_whom_is_asked(plants):
    # the Volta article names firms and places; none is said to have designed the factory
    # (a name that did the act answers: test_the_name_of_someone_is_asked_as_who)
    answer = rag.ask(
        "What is the name of the engineer who designed the Volta factory in Brenholt?",
        index_dir=plants.index_dir,
    )
    assert answer.refused and not answer.citations, answer.answer


FESTIVALS = {
    "brenmoor.txt": """Brenmoor fans to get ID cards
March 1, 2031
Fans who buy tickets for this year's Brenmoor festival will be issued with photo ID cards, organisers said.
The scheme is meant to beat ticket touts, who sold passes at four times their price last year.
More than 150,000 people are expected to travel to the farm from 24-26 June.
""",
    "lakeside.txt": """Lakeside festival sells out
March 2, 2031
The annual Lakeside festival, which takes place in July, sold out in four days this year.
Last year the festival sold out ten weeks before the event.
Organisers said this year's festival would be the best yet.
""",
}


def test_the_answer_is_looked_for_further_in_the_article_that_names_the_subject(tmp_path):
    # the other festival's sentences are more like the question's words, and hold dates
    settings = indexed_corpus(tmp_path, FESTIVALS)
    answer = rag.ask("What dates is Brenmoor festival on this year?", index_dir=settings.index_dir)
    assert not answer.refused, answer.answer
    assert "24-26 June" in answer.citations[0].quote, answer.answer
    assert {c.doc_id for c in answer.citations} == {"brenmoor"}, answer.answer


COURT_AND_PORT = {
    "court.txt": """Man in court over bank raid
April 2, 2031
John Smith, 34, charged with robbing the Main Street bank in Delmar, appeared before magistrates on Monday.
Police said the raid had lasted four minutes.
""",
    "osprey.txt": """Osprey buys Delmar dock
April 3, 2031
Osprey Freight paid $40m for the Delmar dock, the port authority said.
Osprey Freight has not said how much it will spend on new cranes for the dock.
""",
}


@pytest.fixture(scope="module")
def court_and_port(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("court"), COURT_AND_PORT)


def test_a_name_described_by_the_act_in_a_reduced_clause_answers(court_and_port):
    answer = rag.ask(
        "What is the name of the man charged with robbing the Main Street bank?",
        index_dir=court_and_port.index_dir,
    )
    assert not answer.refused and "John Smith" in answer.answer, answer.answer


def test_what_is_withheld_about_another_thing_does_not_refuse_an_answer(court_and_port):
    # "paid" answers "spend"; the cranes' cost is what is not known
    answer = rag.ask(
        "How much did Osprey Freight spend on the Delmar dock?",
        index_dir=court_and_port.index_dir,
    )
    assert not answer.refused and "$40m" in answer.answer, answer.answer


def test_where_no_sentence_says_the_act_a_name_in_the_asked_noun_s_place_answers(tmp_path):
    settings = indexed_corpus(
        tmp_path,
        {
            "album.txt": "Interiors (album)\nInteriors is the second album by the rock band "
            "Marlow Lights. It was released in June through Kestrel Records.\n",
        },
    )
    answer = rag.ask(
        "Who is the band associated with the album Interiors?", index_dir=settings.index_dir
    )
    assert not answer.refused and "Marlow Lights" in answer.answer, answer.answer


CONSOLES = {
    "handheld.txt": """Zento Play handheld price set
May 2, 2031
The Zento Play handheld will cost $180 when it goes on sale in June, its maker said.
Shops expect the Zento Play to sell out in its first week.
""",
    "next.txt": """Zento Play 3 shown to developers
May 9, 2031
The Zento Play 3 console was shown to developers in Osaka on Tuesday.
Its maker has not given a date for the Zento Play 3 to go on sale.
""",
}


def test_a_number_in_a_name_names_one_of_a_series(tmp_path):
    settings = indexed_corpus(tmp_path, CONSOLES)
    # the price of the handheld is no price of the Zento Play 3
    answer = rag.ask("How much will the Zento Play 3 cost?", index_dir=settings.index_dir)
    assert answer.refused, answer.answer
    # the handheld's is given, whichever of its names the question uses
    answer = rag.ask("How much will the Zento Play cost?", index_dir=settings.index_dir)
    assert not answer.refused and "$180" in answer.answer, answer.answer


KEEPER = {
    "keeper.txt": """Varden backs keeper after late equaliser
March 3, 2031
Harbour City manager Rafael Varden has refused to blame goalkeeper Tomas Orlik after Eastport drew at Kell Park.
Orlik dropped a cross in injury time and Eastport scored from the rebound.
Varden said: "It was difficult for Tomas, it was an unlucky moment."
The club will play Northbay on Saturday.
""",
    "rates.txt": """Bank holds rates
March 4, 2031
The central bank held its main rate at 3% on Thursday, its governor Anna Lisk said.
""",
}


def test_a_short_form_of_a_name_finds_what_the_person_said(tmp_path):
    settings = indexed_corpus(tmp_path, KEEPER)
    answer = rag.ask(
        "What did Rafa say about Orlik's mistake at Kell Park?", index_dir=settings.index_dir
    )
    assert not answer.refused, answer.answer
    assert any(
        c.speaker == "Rafael Varden" and "unlucky moment" in c.quote for c in answer.citations
    ), answer.answer


CLUBS = {
    "club.txt": """Hale keeps faith in keeper
March 3, 2031
Liverpool manager Tom Hale has kept faith with his young goalkeeper after the defeat.
Hale said the keeper would start again at Liverpool on Saturday.
""",
    "city.txt": """Liverpool port traffic grows
March 5, 2031
Ships calling at Liverpool rose by a tenth last year, the port said.
""",
    "other.txt": """Derby FC sold
March 4, 2031
Derby FC chairman Ian Moss has sold the club to a group of investors.
""",
}


def test_a_closing_abbreviation_of_a_name_may_be_left_unwritten(tmp_path):
    settings = indexed_corpus(tmp_path, CLUBS)
    # the article writes "Liverpool", never "Liverpool FC"; another club's "FC" does not
    # answer
    answer = rag.ask("Who is the manager of Liverpool FC?", index_dir=settings.index_dir)
    assert not answer.refused, answer.answer
    assert answer.citations[0].doc_id == "club" and "Tom Hale" in answer.answer, answer.answer


BORDER = {
    "border_a.txt": """Velmora would accept security guarantees, minister says
May 2, 2031
Velmora would accept the security guarantees offered by the Northern League, interior minister Ana Petrova said on Monday.
Petrova said the talks in the Free Port of Sarnia had gone well.
""",
    "border_b.txt": """Velmora has not accepted any guarantees, foreign minister says
May 3, 2031
Velmora has not accepted the security guarantees, foreign minister Ivo Daskal told reporters on Tuesday.
Daskal said Velmora would never accept foreign troops on its soil.
A summit between Daskal and Petrova is planned for June.
""",
    "border_c.txt": """Velmora Might Accept Security Guarantees, But Don't Expect A Deal Soon
May 6, 2031
Analysts at the Kessel Institute said a final deal on the border could take months.
""",
    "border_d.txt": """Velmora and Sarnia agree on an exchange
May 7, 2031
The two sides agreed on the first exchange of prisoners since the border war began.
""",
    "pact_a.txt": """Velmora rejects trade pact
May 12, 2031
Velmora has rejected the northern trade pact, trade minister Lina Orsk said on Monday.
""",
    "pact_b.txt": """President says pact still open
May 13, 2031
Velmora has not rejected the northern trade pact, president Tomas Vell told reporters.
""",
    "terms_a.txt": """Talvik accepts Orsa terms
May 14, 2031
Talvik Mining has accepted the Orsa Steel takeover terms, its chairman Piet Arnal said.
""",
    "terms_b.txt": """Orsa Steel quiet
May 15, 2031
Orsa Steel did not respond to requests for comment on Tuesday.
""",
    "steel_a.txt": """Talvik Mining bids for Orsa Steel
May 4, 2031
Talvik Mining has bid 2.1bn euros for Orsa Steel, the Daily Courier reported on Thursday.
""",
    "steel_c.txt": """Flood at Orsa Steel mine
May 8, 2031
Twelve miners were hurt when the Orsa Steel mine at Kessel flooded on Sunday.
""",
    "health_a.txt": """Kessel mine health checks
May 9, 2031
Last year 9,000 workers were tested at the Kessel mine and only about 30 were found to be ill.
""",
    "health_b.txt": """Union counts lung disease at Kessel
May 10, 2031
About 60 cases of lung disease were found in health checks at the Kessel mine, the miners' union said.
The union said the health checks at the Kessel mine were the first in five years.
""",
    "steel_b.txt": """Orsa Steel turns Talvik away
May 5, 2031
Orsa Steel said on Friday that it had rejected a takeover offer of 2.6bn euros from Talvik Mining.
""",
}


@pytest.fixture(scope="module")
def border(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("border"), BORDER)


def test_a_claim_about_another_thing_is_no_side_of_a_yes_no_question(border):
    # both ministers speak of accepting, but only one of troops: no dispute about troops
    answer = rag.ask("Would Velmora accept foreign troops?", index_dir=border.index_dir)
    assert not answer.conflicts, answer.answer
    assert "troops" in answer.citations[0].quote
    answer = rag.ask("Would Velmora accept the security guarantees?", index_dir=border.index_dir)
    assert answer.conflicts, answer.answer
    sides = answer.conflicts[0].sides
    by_n = {c.n: c for c in answer.citations}
    assert "Ana Petrova" in {by_n[n].speaker for n in sides[0]}
    assert "Ivo Daskal" in {by_n[n].speaker for n in sides[1]}
    # a headline's "Don't Expect A Deal" negates expecting, not accepting
    assert not any("Might Accept" in by_n[n].quote for n in sides[1]), answer.answer


def test_an_abbreviation_the_articles_spell_out_is_not_refused(border):
    # the articles never write "FPS", they spell it out; "XQV" they neither write nor spell
    answer = rag.ask("What was said about the talks in the FPS?", index_dir=border.index_dir)
    assert not answer.refused, answer.answer
    assert "Free Port of Sarnia" in answer.citations[0].quote
    answer = rag.ask("What did the XQV say about the talks?", index_dir=border.index_dir)
    assert answer.refused and "xqv" in answer.answer.lower(), answer.answer


def test_a_hyphenated_pair_of_people_is_found_where_each_is_named(border):
    answer = rag.ask("When is the Daskal-Petrova summit?", index_dir=border.index_dir)
    assert not answer.refused, answer.answer
    assert "June" in answer.citations[0].quote


def test_another_verb_for_the_same_act_takes_a_side(border):
    # "agree" and "accept", "offer" and "bid": one act in other words (rag.wordnet)
    answer = rag.ask("Did Velmora agree to the security guarantees?", index_dir=border.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "stance", answer.answer
    answer = rag.ask("How much did Talvik Mining offer for Orsa Steel?", index_dir=border.index_dir)
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert set(answer.conflicts[0].values) == {"2.1bn euros", "2.6bn euros"}


def test_a_count_of_another_thing_beside_the_asked_one_does_not_answer(border):
    # "the two sides agreed on the first exchange of prisoners" counts sides, not prisoners
    answer = rag.ask("How many prisoners were exchanged?", index_dir=border.index_dir)
    assert answer.refused, answer.answer


def test_a_count_of_a_kind_of_the_asked_thing_answers(border):
    # miners are people (rag.wordnet): the count answers "how many people"
    answer = rag.ask(
        "How many people were hurt in the flood at the Orsa Steel mine?",
        index_dir=border.index_dir,
    )
    assert not answer.refused, answer.answer
    assert "Twelve miners" in answer.citations[0].quote


def test_the_count_of_the_asked_act_is_the_side_not_another_count_beside_it(border):
    # "9,000 workers were tested" is no count of what was found
    answer = rag.ask(
        "How many cases of lung disease were found in health checks at the Kessel mine?",
        index_dir=border.index_dir,
    )
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    assert set(answer.conflicts[0].values) == {"only about 30", "About 60"}


def test_a_question_whose_verb_is_a_denial_puts_who_denies_on_the_yes_side(border):
    answer = rag.ask("Did Velmora reject the northern trade pact?", index_dir=border.index_dir)
    assert answer.conflicts, answer.answer
    by_n = {c.n: c for c in answer.citations}
    yes, no = answer.conflicts[0].sides
    assert "Lina Orsk" in {by_n[n].speaker for n in yes}, answer.answer
    assert "Tomas Vell" in {by_n[n].speaker for n in no}, answer.answer


def test_an_abbreviation_spelled_by_small_words_is_not_held(border):
    # "accept foreign troops" has the initials a-f-t, but no article writes or names an AFT
    answer = rag.ask("What did the AFT say about foreign troops?", index_dir=border.index_dir)
    assert answer.refused and "aft" in answer.answer.lower(), answer.answer


def test_a_denial_with_another_verb_about_another_thing_is_no_side(border):
    # neither "rejected a takeover offer" nor "did not respond to requests for comment"
    # says anything of the terms asked about
    answer = rag.ask(
        "Did Talvik Mining accept the Orsa Steel takeover terms?", index_dir=border.index_dir
    )
    assert not answer.conflicts, answer.answer
    assert "has accepted" in answer.citations[0].quote
