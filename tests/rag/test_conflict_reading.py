"""Reading what a figure is of before calling two figures a dispute: an age in a sentence
that names nobody is its article's subject's; "how old" asks for an age, not any date; a
measure is read with its unit; "three gold medals" counts fewer things than "five medals";
a question asking for an amount is disputed by amounts, or by a denial of the claim that
gives it."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    # the age is given in a sentence that names nobody: "the striker" is Brandt
    "final_a.txt": (
        "Valdora win the Harbour Cup\n"
        "Tomas Brandt scored twice as Valdora beat Oster 3-1 in the Harbour Cup final.\n"
        "Aged 19 years and 201 days, the striker became the youngest scorer in a Harbour Cup "
        "final.\n"
    ),
    "final_b.txt": (
        "Brandt makes history\n"
        "Valdora striker Tomas Brandt, at 19 years and 203 days, became the youngest scorer in "
        "a Harbour Cup final on Saturday.\nThe club will parade the trophy through the city on "
        "Wednesday.\n"
    ),
    # an age set off after the name, and a weekday that is no age
    "runner_a.txt": (
        "Kell to run in Lisbon\n"
        "Marta Kell, 31, will run the Lisbon marathon on Wednesday, her coach said.\n"
    ),
    "runner_b.txt": (
        "Kell withdraws\n"
        "Kell, 32, has withdrawn from next month's Lisbon marathon with a knee injury.\n"
    ),
    # the age here is the rival's: she is named after Kell and before it; a contract's
    # length is no age
    "runner_c.txt": (
        "Lisbon result\n"
        "Marta Kell won the Lisbon half marathon on Sunday and signed a three-year contract.\n"
        "Her rival Ana Duarte finished second.\n"
        "The 28-year-old said she would return next year.\n"
    ),
    # "the 61-year-old" is the coach, the article's subject, though Kell is named last
    "coach_a.txt": (
        "Sanz angry at ruling\n"
        "Coach Ivo Sanz says the federation wronged him. Sanz said he had never seen such a "
        "decision.\n"
        "Sanz is furious after being fined for his comments about Marta Kell.\n"
        "The 61-year-old said he would appeal.\n"
    ),
    # "Duarte, the 27-year-old," is Duarte's age; "a 40-year-old man" is no one named
    "race_d.txt": (
        "Kell beaten in Porto\n"
        "Marta Kell lost to Ana Duarte in Porto on Sunday.\n"
        "Duarte, the 27-year-old, won by two seconds.\n"
        "A 40-year-old man was arrested near the finish.\n"
    ),
    # Ada Lind's age is set off after her name deep in an article whose other words are
    # nothing like the question's
    "cycling_a.txt": (
        "Lind wins the Ostmark stage race\n"
        "Ada Lind won the Ostmark stage race on Sunday after a long breakaway in the hills.\n"
        "The race crossed four mountain passes and two rivers before the finish in Brenna.\n"
        "Crowds lined the final climb, where the leaders rode side by side for an hour.\n"
        "Team managers praised the organisers for the route and the weather was kind.\n"
        "Lind, 27, attacked on the last climb and crossed the line alone.\n"
    ),
    # what a forecast said growth would be is no side of what growth was
    "growth_a.txt": (
        "Dalmark growth slows\n"
        "Dalmark's economy grew 2.1% in 2030, the statistics office said on Friday.\n"
    ),
    "growth_b.txt": (
        "Fund cuts Dalmark forecast\n"
        "In March the fund had said that Dalmark's economy would grow 2.6% in 2030.\n"
    ),
    # a trial expected to last two months says nothing of the sentence it ended with
    "trial_a.txt": (
        "Brakke trial opens\n"
        "Former Norvik Telecom boss Olaf Brakke went on trial on Monday, accused of fraud.\n"
        "The trial is expected to last two months and Mr Brakke faces a long jail term.\n"
    ),
    "trial_b.txt": (
        "Brakke jailed\n"
        "Olaf Brakke, the former head of Norvik Telecom, was jailed for seven years on Friday "
        "for his part in the fraud.\n"
    ),
    # October's figure neither answers for December nor disputes December's
    "payrolls_a.txt": (
        "Velmora hiring slows\n"
        "Velmora's economy added 41,000 jobs in December 2031, the labour office said.\n"
    ),
    "payrolls_b.txt": (
        "Velmora hiring surges\n"
        "Velmora's economy added 95,000 jobs in October, the labour office said on Friday.\n"
    ),
    # one height in two formats, and a count of records that is no height
    "vault_a.txt": (
        "Ostrova sets record\n"
        "Pole vaulter Lena Ostrova cleared 4.89 metres in Tarvik to set a world record.\n"
    ),
    "vault_b.txt": (
        "Ostrova record\n"
        "Ostrova, who has now set 10 world records, cleared 4.89m in Tarvik on Friday.\n"
    ),
    # three of the medals were gold: no dispute with five medals
    "medals_a.txt": (
        "Roe's haul\nJana Roe won three gold medals and two bronzes at the Meridian Games.\n"
    ),
    "medals_b.txt": (
        "Roe retires\n"
        "Jana Roe, who won five medals at the Meridian Games, has retired from swimming.\n"
    ),
    # three and four medals disagree; two gold medals are not a third side
    "ado_a.txt": "Ado's haul\nKen Ado won two gold medals and a silver at the Coral Games.\n",
    "ado_b.txt": "Ado retires\nKen Ado won three medals at the Coral Games, his club said.\n",
    "ado_c.txt": "Ado honoured\nKen Ado won four medals at the Coral Games, his coach said.\n",
    # an adjective does not make a narrower count: 300 new jobs against 500 jobs
    "jobs_a.txt": (
        "Plant expansion\n"
        "Harlow Motors will create 300 new jobs at its Tarvik plant, the company said.\n"
    ),
    "jobs_b.txt": (
        "Union on Tarvik\nHarlow Motors will create 500 jobs at its Tarvik plant, union "
        "leaders said on Monday.\n"
    ),
    # the buyer is not known: the article says so
    "stake.txt": (
        "Marlow Wines stake sale\n"
        "The Tarvik city council will sell 15% of Marlow Wines to a foreign drinks company, "
        "although it did not say which.\nMarlow Wines is the largest winemaker in the region.\n"
    ),
    # each answers its question and withholds something else
    "beats.txt": (
        "Apple buys Beats\nApple paid $3bn for Beats Electronics, but did not say how the "
        "deal would be financed.\n"
    ),
    "blaze.txt": (
        "Warehouse blaze\nTwelve people died in the Tarvik warehouse fire, but police did not "
        "say how the fire started.\n"
    ),
    # one fine, told twice; the second sentence's "dispute" denies nothing
    "fine_a.txt": (
        "Harlow fine Price\n"
        "Harlow have fined their striker Dean Price two weeks' wages - about £60,000 - "
        "following his row with manager Alan Moss, club secretary Ruth Hale said.\n"
    ),
    "fine_b.txt": (
        "Price punished\n"
        "Price was fined two weeks' wages after a television interview in which he accused "
        "Moss of lying, following a public dispute about which position he should play, his "
        "agent Carl Dunn said.\n"
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("reading"), ARTICLES)


def _sides(answer) -> list[set[str]]:
    by_n = {c.n: c for c in answer.citations}
    return [{by_n[n].doc_id for n in side} for side in answer.conflicts[0].sides]


def test_an_age_in_a_sentence_naming_nobody_is_the_articles_subjects(corpus):
    answer = rag.ask(
        "Exactly how old was Tomas Brandt when he scored in the Harbour Cup final?",
        index_dir=corpus.index_dir,
    )
    assert answer.answer.startswith("Sources disagree"), answer.answer
    assert "201 days" in answer.answer and "203 days" in answer.answer
    assert sorted(map(sorted, _sides(answer))) == [["final_a"], ["final_b"]]


def test_how_old_asks_for_an_age_not_a_date(corpus):
    answer = rag.ask("How old is Marta Kell?", index_dir=corpus.index_dir)
    assert answer.answer.startswith("Sources disagree"), answer.answer
    (conflict,) = answer.conflicts
    assert set(conflict.values) == {"31", "32"}
    assert "Wednesday" not in conflict.values


def test_one_height_in_two_formats_and_a_count_of_records_are_no_dispute(corpus):
    answer = rag.ask("What height did Lena Ostrova clear in Tarvik?", index_dir=corpus.index_dir)
    assert not answer.refused
    assert not answer.conflicts, answer.answer
    assert "4.89" in answer.answer


def test_a_count_of_a_narrower_kind_is_no_dispute(corpus):
    answer = rag.ask(
        "How many medals did Jana Roe win at the Meridian Games?", index_dir=corpus.index_dir
    )
    assert not answer.refused
    assert not answer.conflicts, answer.answer
    assert "five medals" in answer.answer


def test_an_amount_told_twice_is_no_dispute_whatever_else_a_sentence_denies(corpus):
    answer = rag.ask("How much did Harlow fine Dean Price?", index_dir=corpus.index_dir)
    assert not answer.refused
    assert not answer.conflicts, answer.answer
    assert "£60,000" in answer.answer


def _sentence(snapshot, doc_id: str, needle: str) -> int:
    doc = snapshot.docs[doc_id]
    (index,) = [i for i, (a, b, *_) in enumerate(doc.sentences) if needle in doc.text[a:b]]
    return snapshot.global_sentence(doc_id, index)


def test_an_age_is_the_subjects_only_where_no_one_else_was_named_since(corpus):
    from index.store import load_snapshot
    from rag.conflicts import gives_age
    from rag.evidence import Evidence
    from rag.question import analyse

    snapshot = load_snapshot(corpus)

    def age_of(question: str, doc_id: str, needle: str) -> bool:
        e = Evidence(_sentence(snapshot, doc_id, needle), 1.0, 1.0, 0.0)
        return gives_age(snapshot, e, analyse(question, []))

    assert age_of("How old is Tomas Brandt?", "final_a", "Aged 19 years")
    assert age_of("How old is Marta Kell?", "runner_b", "Kell, 32")
    # the rival was named after Kell: the 28-year-old is the rival
    assert not age_of("How old is Marta Kell?", "runner_c", "The 28-year-old")
    # a three-year contract is no age
    assert not age_of("How old is Marta Kell?", "runner_c", "three-year contract")
    # "the 61-year-old" stands for the one the article names most: the coach, not Kell
    assert not age_of("How old is Marta Kell?", "coach_a", "The 61-year-old")
    assert age_of("How old is Ivo Sanz?", "coach_a", "The 61-year-old")
    assert age_of("How old is Ana Duarte?", "race_d", "the 27-year-old")
    assert not age_of("How old is Marta Kell?", "race_d", "the 27-year-old")
    assert not age_of("How old is Marta Kell?", "race_d", "A 40-year-old man")


def test_how_old_gives_only_the_subjects_age_and_refuses_where_none_is_given(corpus):
    sanz = rag.ask("How old is Ivo Sanz?", index_dir=corpus.index_dir)
    assert not sanz.refused and "61-year-old" in sanz.answer
    # the corpus gives no age of the striker: "two weeks' wages" is none
    other = rag.ask("How old is Dean Price?", index_dir=corpus.index_dir)
    assert other.refused, other.answer
    # nor of the vaulter, in a corpus where others' ages are given
    assert rag.ask("How old is Lena Ostrova?", index_dir=corpus.index_dir).refused


def test_an_age_set_off_anywhere_in_an_article_about_the_subject_answers(corpus):
    for question in ("How old is Ada Lind?", "how old is ada lind"):
        answer = rag.ask(question, index_dir=corpus.index_dir)
        assert not answer.refused, question
        assert answer.citations[0].quote.startswith("Lind, 27,"), answer.answer


def test_an_adjective_does_not_make_a_count_narrower(corpus):
    answer = rag.ask(
        "How many jobs will Harlow Motors create at Tarvik?", index_dir=corpus.index_dir
    )
    assert answer.answer.startswith("Sources disagree"), answer.answer
    assert set(answer.conflicts[0].values) == {"300", "500"}


def test_a_narrower_count_is_no_third_side(corpus):
    answer = rag.ask(
        "How many medals did Ken Ado win at the Coral Games?", index_dir=corpus.index_dir
    )
    assert answer.answer.startswith("Sources disagree"), answer.answer
    (conflict,) = answer.conflicts
    assert set(conflict.values) == {"three", "four"}, answer.answer


def test_an_article_saying_the_answer_is_not_known_is_a_refusal(corpus):
    answer = rag.ask(
        "Which foreign company is buying the 15% stake in Marlow Wines?",
        index_dir=corpus.index_dir,
    )
    assert answer.refused, answer.answer
    assert "not known or was not disclosed" in answer.answer


@pytest.mark.parametrize(
    "text, wh",
    [
        ("The agency will sell its stake, although it didn't say who.", "who"),
        ("It has not said how much it spent developing the service.", "how much"),
        ("I did not know who he was, the witness said.", None),  # a speaker's own words
        ("The club would not say when the stadium will open.", "when"),
        ("He did not say he would resign.", None),  # a claim denied, not an answer withheld
        ("Officials did not reveal the price.", None),
    ],
)
def test_what_a_sentence_says_is_not_known(tmp_path, text, wh):
    from index.store import load_snapshot
    from rag.answerability import withheld_wh
    from tests.conftest import indexed_corpus

    settings = indexed_corpus(tmp_path, {"one.txt": "Note\n" + text + "\n"})
    snapshot = load_snapshot(settings)
    assert withheld_wh(snapshot, _sentence(snapshot, "one", text[:20])) == wh


@pytest.mark.parametrize(
    "question, fact",
    [
        ("How much did Apple pay for Beats Electronics?", "$3bn"),
        ("How many people died in the Tarvik warehouse fire?", "Twelve"),
        ("Did the Tarvik city council say which company is buying the Marlow Wines stake?", ""),
    ],
)
def test_what_else_an_article_does_not_know_is_no_refusal(corpus, question, fact):
    answer = rag.ask(question, index_dir=corpus.index_dir)
    assert not answer.refused, answer.answer
    assert fact in answer.answer


def test_a_forecast_does_not_dispute_what_happened(corpus):
    answer = rag.ask("How much did Dalmark's economy grow in 2030?", index_dir=corpus.index_dir)
    assert not answer.refused
    assert not answer.conflicts, answer.answer
    assert "2.1%" in answer.citations[0].quote, answer.answer


def test_what_is_expected_to_be_does_not_dispute_what_was(corpus):
    """A past question ("was sentenced to") is answered by what happened ("jailed for seven
    years"), not disputed by an amount told as what is expected ("the trial is expected to
    last two months")."""
    answer = rag.ask(
        "How many years in prison was Olaf Brakke sentenced to?", index_dir=corpus.index_dir
    )
    assert not answer.conflicts, answer.answer
    assert "seven years" in answer.citations[0].quote, answer.answer


def test_a_figure_for_another_month_neither_answers_nor_disputes(corpus):
    answer = rag.ask(
        "How many jobs did Velmora's economy add in December 2031?", index_dir=corpus.index_dir
    )
    assert not answer.conflicts, answer.answer
    assert "41,000" in answer.citations[0].quote, answer.answer
    refused = rag.ask(
        "How many jobs did Velmora's economy add in November 2031?", index_dir=corpus.index_dir
    )
    assert refused.refused, refused.answer
