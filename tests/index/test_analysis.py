"""Speakers and entities read once per document from spaCy's parse (index.analysis)."""

import pytest

from index.analysis import analyse


def speakers(*sentences: str) -> list:
    starts, pos = [], 0
    for s in sentences:
        starts.append(pos)
        pos += len(s) + 1
    result = analyse([(starts, list(sentences))])[0]
    return [tuple(sp[:2]) if sp else None for sp in result["speakers"]]


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Finance minister Ana Ruiz urged the bank to cut its rates.", "Ana Ruiz"),
        ('"We will not sign," replied Tom Okafor, the union leader.', "Tom Okafor"),
        ("The plant will close in May, according to Lena Hart.", "Lena Hart"),
        (
            "Prices will rise next year, the head of the regulator, Omar Diaz, said on Monday.",
            "Omar Diaz",
        ),
        ("Mara Quinn insisted that the figures were correct.", "Mara Quinn"),
        ("Jo Park conceded that the plan had failed.", "Jo Park"),
    ],
)
def test_speech_verbs_beyond_said_are_read_from_the_parse(sentence, name):
    assert speakers(sentence)[0][0] == name


def test_role_comes_from_the_noun_phrase_or_the_apposition():
    found = speakers(
        "Port director Miguel Sandoval said the dock would open in June.",
        "Priya Natarajan, the company's chief executive, said no lease was signed.",
    )
    assert found[0] == ("Miguel Sandoval", "Port director")
    assert found[1][0] == "Priya Natarajan" and "chief executive" in found[1][1]


def test_surnames_and_pronouns_resolve_to_the_full_name_in_the_document():
    found = speakers(
        "Coach Dana Brooks said the team was ready.",
        "Mr Brooks added that two players were injured.",
        '"We have a plan," he said.',
    )
    assert [f[0] for f in found] == ["Dana Brooks"] * 3


def test_two_people_who_share_a_surname_stay_two_speakers():
    found = speakers(
        "Gordon Hale, the finance minister, said taxes would not rise.",
        "Nick Hale, an opposition spokesman, said taxes would rise.",
        "Mr Hale said the budget was a fraud.",
    )
    assert found[0][0] == "Gordon Hale"
    assert found[1][0] == "Nick Hale"
    assert found[2][0] == "Nick Hale"  # the Hale named last


def test_a_verb_inside_a_quotation_is_not_a_speaker():
    found = speakers('"The key factor is that an agreement is impossible," Ivo Brandt said.')
    assert found[0][0] == "Ivo Brandt"
    assert speakers("The insistence on guarantees shows the deal is far off.")[0] is None


def test_entities_are_kept_with_document_offsets():
    text = "Acme paid $1.5bn for Widget Ltd on 5 March."
    result = analyse([([10], [text])])[0]
    labels = {label for label, *_ in result["entities"][0]}
    assert {"MONEY", "DATE"} <= labels
    for _label, start, end, _ in result["entities"][0]:
        assert 10 <= start < end <= 10 + len(text)


def test_a_scale_word_standing_alone_ends_the_analysis():
    # "Million." parses with the scale word as its own root; the counted noun is sought
    # up the tree and must stop there
    result = analyse([([0, 9], ["Million.", "Sales hit 5 million units."])])[0]
    assert result["entities"][1][0][3] == "units"


def values_of(sentence: str) -> list[tuple[str, float | None, str]]:
    from index.values import sentence_values

    entities = analyse([([0], [sentence])])[0]["entities"][0]
    return [
        (v.text, v.amount, v.unit) for v in sentence_values(sentence, entities) if v.kind != "name"
    ]


def test_an_age_after_a_name_is_a_length_in_years():
    found = values_of("Tomas Ferro, 31, and Lena Varga, 30, were suspended in May.")
    assert ("31", 31.0, "year") in found and ("30", 30.0, "year") in found


def test_amounts_the_recogniser_misses_or_mislabels_are_read():
    # "1.55bn euros" is left out by the recogniser; "25bn" is labelled an ordinal
    found = values_of("Harbor Mutual Group is to pay Kestrel Motors 1.55bn euros to end the deal.")
    assert ("1.55bn euros", 1.55e9, "€") in found
    found = values_of("The annual total of text messages sent in Norland in 2030 was 25bn.")
    assert ("25bn", 25e9, "") in found
    # what a scaled number counts, where the recogniser found nothing: "1.5bn crowns"
    found = values_of("The assembly approved the tram line, with a budget of 1.5bn crowns.")
    assert ("1.5bn", 1.5e9, "crown") in found
    found = values_of("It came 25th in the table.")
    assert not any(text == "25th" for text, _, _ in found)


def test_a_name_keeps_one_label_in_an_article():
    # the recogniser takes the place in a title-case headline for a person
    sentences = [
        "Osprey Freight opens Rotterdam office",
        "The trucking company Osprey Freight has opened an office in Rotterdam.",
    ]
    starts = [0, len(sentences[0]) + 1]
    entities = analyse([(starts, sentences)])[0]["entities"]
    labels = [
        label
        for i, ents in enumerate(entities)
        for label, a, b, _ in ents
        if sentences[i][a - starts[i] : b - starts[i]] == "Rotterdam"
    ]
    assert labels == ["GPE", "GPE"]


def test_a_count_is_read_whatever_the_recogniser_calls_it():
    # "more than six million" labelled money with no currency; a hyphenated counted noun
    found = values_of("Corvane has sold more than six million Zephyr players since the launch.")
    assert ("more than six million", 6e6, "player") in found
    found = values_of("Eight super-casinos are proposed if the bill becomes law.")
    assert ("Eight", 8.0, "casino") in found


def test_a_currency_sign_before_an_amount_the_recogniser_missed_is_kept():
    found = values_of("The deal would save the poorest nations £3bn pounds a year, he said.")
    assert ("£3bn pounds", 3e9, "£") in found


def test_money_in_a_currency_without_a_sign_stays_money():
    sentence = "The fare rose by 50 cents and the fund lost 3bn yuan."
    entities = analyse([([0], [sentence])])[0]["entities"][0]
    labels = {sentence[a:b]: label for label, a, b, _ in entities}
    assert labels.get("50 cents") == "MONEY" and labels.get("3bn yuan") == "MONEY", labels


def test_worker_processes_read_what_one_process_reads():
    """A build parses its batches in worker processes; the speakers, roles and entities
    they read are the ones a parse in the building process reads, in document order."""
    from index.analysis import Analyser

    documents = []
    for n in range(6):
        texts = [
            f"Port director Miguel Sandoval{n} said the dock would open in June.",
            f'"We will not sign," replied Tom Okafor, the union leader, on day {n}.',
            "He added that 3,000 jobs were at stake.",
        ][: 1 + n % 3]
        starts = [sum(len(t) + 1 for t in texts[:i]) for i in range(len(texts))]
        documents.append((starts, texts))
    analyser = Analyser(2, min_sentences=1)
    try:
        found = analyser.analyse(documents)
        assert analyser._pool is not None  # the workers did the parse
    finally:
        analyser.close()
    assert found == analyse(documents)
    assert [len(f["speakers"]) for f in found] == [1, 2, 3, 1, 2, 3]
    assert found[1]["speakers"][1][0] == "Tom Okafor"


def test_a_small_batch_is_parsed_without_starting_workers():
    from index.analysis import Analyser

    analyser = Analyser(2)
    found = analyser.analyse([([0], ["Mara Quinn insisted that the figures were correct."])])
    assert analyser._pool is None
    assert found[0]["speakers"][0][0] == "Mara Quinn"


def test_a_pronoun_is_not_given_to_a_person_a_courtesy_title_rules_out():
    """ "He" after a quote from Ms Carver is not hers: the last man named is the speaker.
    "Ms Carver" is a person even where the recogniser calls her an organisation."""
    found = speakers(
        "TV presenter Anne Carver said that she had known Michael Dorn for 40 years.",
        "Ms Carver told the BBC that Mr Dorn was a courteous man.",
        'He replies: "What is the inference of that?"',
        '"It was a fine evening," she said.',
    )
    assert found[1] == ("Anne Carver", "TV presenter")
    assert found[2] == ("Michael Dorn", None)
    assert found[3] == ("Anne Carver", "TV presenter")


def test_titles_rule_out_pronouns_within_a_sentence_and_a_verb_is_no_title():
    found = speakers(
        "Mr Tom Brenner, the club's chairman, has written to the league.",
        "In his letter to Ms Anne Carver, he said the rules had been broken.",
        "Coach Pablo Ruiz said the team would miss Diego Alvarez against Chile.",
        '"It is a blow," he said.',
    )
    assert found[1][0] == "Tom Brenner"
    assert found[3][0] in ("Pablo Ruiz", "Diego Alvarez")
