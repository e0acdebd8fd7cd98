"""One value written two ways compares equal; different values of one kind differ."""

import pytest

from index.values import (
    comparable,
    currencies,
    differ,
    make_value,
    parse_number,
    same,
    sentence_values,
)


@pytest.mark.parametrize(
    "label, a, b",
    [
        ("CARDINAL", "3", "three"),
        ("MONEY", "$1.5bn", "1.5 billion dollars"),
        ("MONEY", "£600m", "£600 million"),
        ("MONEY", "$1.13bn", "$1.1bn"),  # one figure, rounded
        ("PERCENT", "76%", "76 per cent"),
        ("CARDINAL", "5,000", "5000"),
        ("DATE", "5 March", "March 5"),
        ("DATE", "March 2005", "16 March 2005"),
        ("PERSON", "Lavrov", "Sergei Lavrov"),
        ("QUANTITY", "4.89 metres", "4.89m"),
        ("QUANTITY", "3 miles", "4.8km"),  # one distance in two units
        ("QUANTITY", "two tonnes", "2,000kg"),
    ],
)
def test_one_value_in_two_formats_is_the_same(label, a, b):
    x, y = make_value(label, a), make_value(label, b)
    assert same(x, y) and not differ(x, y)


@pytest.mark.parametrize(
    "label, a, b",
    [
        ("MONEY", "$9.3bn", "$9.4bn"),
        ("PERCENT", "87%", "65%"),
        ("DATE", "16 March", "17 March"),
        ("DATE", "Tuesday 16 March", "Wednesday 17 March"),
        ("CARDINAL", "13", "10"),
        ("ORG", "Gazprom", "Surgutneftegas"),
    ],
)
def test_different_values_of_one_kind_differ(label, a, b):
    assert differ(make_value(label, a), make_value(label, b))


def test_a_weekday_alone_is_not_compared_nor_taken_for_a_date():
    # "Sunday" in one report and "Thursday" in another may be one day or two of different
    # weeks; and a report that says "on Tuesday" does not give "May 15"
    assert not comparable(make_value("DATE", "Sunday"), make_value("DATE", "Thursday"))
    assert not same(make_value("DATE", "Tuesday"), make_value("DATE", "May 15"))
    assert same(make_value("DATE", "Tuesday"), make_value("DATE", "Tuesday 16 March"))


def test_amounts_in_different_currencies_or_units_are_not_compared():
    assert not comparable(make_value("MONEY", "$500m"), make_value("MONEY", "£266m"))
    jobs, people = make_value("CARDINAL", "200", "jobs"), make_value("CARDINAL", "300", "people")
    assert not comparable(jobs, people)


def test_a_measure_is_read_with_its_unit():
    height = make_value("QUANTITY", "4.88m")
    assert height.amount == pytest.approx(4.88) and height.unit == "[length]"  # not 4.88 million
    assert make_value("QUANTITY", "10km").amount == pytest.approx(10_000)
    assert make_value("QUANTITY", "about 300 miles per hour").unit == "[length] / [time]"
    assert make_value("QUANTITY", "2,000 square miles").unit == "[length] ** 2"
    # a length is not compared with a mass, nor with a count
    assert not comparable(make_value("QUANTITY", "5m"), make_value("QUANTITY", "5kg"))
    assert not comparable(make_value("QUANTITY", "4.89 metres"), make_value("CARDINAL", "10"))
    assert differ(make_value("QUANTITY", "4.89m"), make_value("QUANTITY", "4.91m"))
    # "C" is no unit of a measure here (not coulombs, not the speed of light)
    # "m" before a unit word is a million; a height in feet and inches is their sum
    assert make_value("QUANTITY", "3m miles").amount == pytest.approx(3e6 * 1609.344)
    assert differ(make_value("QUANTITY", "5ft 10in"), make_value("QUANTITY", "6ft 10in"))
    assert same(make_value("QUANTITY", "5ft 10in"), make_value("QUANTITY", "70 inches"))
    # "pound" is money; counts pint happens to know as units stay counts
    assert make_value("QUANTITY", "5 pounds").unit == "£"
    assert make_value("QUANTITY", "160lb").unit == "[mass]"
    assert make_value("QUANTITY", "10 points").unit == ""
    warm = make_value("QUANTITY", "30C")
    assert warm is None or not warm.unit.startswith("[")


def test_text_without_a_value_gives_none():
    assert make_value("CARDINAL", "several") is None
    assert make_value("DATE", "recently") is None


def test_fractions_and_unreadable_numbers_do_not_break_the_parse():
    assert make_value("CARDINAL", "3½").amount == 3.5
    assert make_value("DATE", "March 3½").date[2] != 31
    assert same(make_value("QUANTITY", "2½ miles"), make_value("QUANTITY", "2.5 miles"))


def test_lengths_of_time_are_amounts_of_their_unit():
    assert differ(make_value("DATE", "187 days"), make_value("DATE", "185 days"))
    assert same(make_value("DATE", "18 years"), make_value("DATE", "eighteen years"))
    assert make_value("DATE", "a 30-year-old").unit == "year"
    assert not comparable(make_value("DATE", "two weeks"), make_value("DATE", "two years"))
    # spelled out and hyphened: "month" ends as an ordinal does and is none
    assert same(make_value("DATE", "four-month"), make_value("DATE", "4 months"))


@pytest.mark.parametrize(
    "text",
    [
        "two years ago",
        "two days later",
        "2-3 weeks",
        "between two and three years",
        "the twenty-first century",
        "the 19th month",
        "the fourth month",
    ],
)
def test_points_in_time_ordinals_and_ranges_are_not_lengths(text):
    value = make_value("DATE", text)
    assert value is None or value.amount is None


def test_money_or_a_share_is_not_compared_with_a_bare_count():
    assert not comparable(make_value("MONEY", "$150"), make_value("CARDINAL", "5 million"))
    assert not comparable(make_value("PERCENT", "4%"), make_value("CARDINAL", "4"))
    assert comparable(make_value("CARDINAL", "80", "banks"), make_value("CARDINAL", "49"))


def _entities(text, *found):
    out = []
    for label, part in found:
        i = text.index(part)
        out.append((label, i, i + len(part), ""))
    return out


def test_a_bracketed_amount_converts_the_one_before_it():
    text = "It paid 1.55bn euros ($2bn; £1.1bn), up 5%, 3% on the year, $9m (£5m), $4bn (10%)."
    values = sentence_values(
        text,
        _entities(
            text,
            ("MONEY", "1.55bn euros"),
            ("MONEY", "$2bn"),
            ("MONEY", "£1.1bn"),
            ("PERCENT", "5%"),
            ("PERCENT", "3%"),
            ("MONEY", "$9m"),
            ("MONEY", "£5m"),
            ("MONEY", "$4bn"),
            ("PERCENT", "10%"),
        ),
    )
    converts = {v.text: v.converts.text if v.converts else None for v in values}
    assert converts == {
        "1.55bn euros": None,
        "$2bn": "1.55bn euros",
        "£1.1bn": "1.55bn euros",
        "5%": None,
        "3%": None,  # a list, not a conversion
        "$9m": None,
        "£5m": "$9m",
        "$4bn": None,
        "10%": None,  # a share of it, not a conversion
    }


def test_currencies_named_in_a_question():
    assert currencies("How big was the fraud in pounds sterling?") == {"£"}
    assert currencies("How much, in $, did it cost?") == {"$"}
    assert currencies("How many banks were sued?") == frozenset()


@pytest.mark.parametrize(
    "asked, given, expected",
    [
        ("2004", "2004", True),
        ("2004", "2005", False),
        ("2004", "the last quarter of 2004", False),  # a part of the year
        ("the third quarter of 2004", "2004", False),  # the whole year
        ("the third quarter of 2004", "the third quarter of 2004", True),
        ("the third quarter of 2004", "the first quarter of 2004", False),  # another quarter
        ("the third quarter of 2004", "the second quarter", False),  # with no year
        ("the third quarter of 2004", "Q3 2004", True),
        ("the fourth quarter of 2004", "the final quarter of 2004", True),
        ("the first half of 2005", "the second half", False),
        ("2004", "last year", None),  # relative: the text cannot tell
        ("2004", "the last three months of 2004", False),
        ("2004", "fiscal 2004", None),  # the words cannot tell
        # a day's or a month's figure is not the whole year's
        ("2004", "1 January", False),
        ("2004", "December", False),
        ("2004", "Monday", None),
        # another month, with or without its year
        ("December 2004", "October", False),
        ("December 2004", "Friday 7 January", None),  # likely the day it was reported
        ("Sept 2004", "September", None),
        ("December", "November 2004", False),
        ("December 2004", "December", None),
        ("December", "2004", None),
        # a quarter against a run of months: the months they cover
        ("the first quarter of 2005", "the three months to 31 December", False),
        ("the second quarter of 2004", "the July to September period", False),
        ("the third quarter of 2004", "the July to September period", None),
        ("the third quarter of 2004", "the three months between July and September", None),
        ("Q4 2004", "the three months to December", None),
        ("September 2004", "in June and December 2004", False),  # two months, no run
        ("the third quarter of 2004", "October", None),  # when the figure came out?
    ],
)
def test_a_date_is_or_is_not_the_period_asked_about(asked, given, expected):
    from index.values import same_period

    assert same_period(asked, given) is expected


@pytest.mark.parametrize(
    "text, amount",
    [
        ("more than six million", 6e6),
        ("almost two thousand", 2e3),
        ("some twenty-five thousand", 25e3),
        ("several hundred", None),
        ("about seven and a half million", None),
        ("one in five", None),
        ("nine out of ten", None),
        ("three quarters", None),
        ("two to three hundred", None),
    ],
)
def test_a_number_spelled_out_amid_other_words(text, amount):
    parsed = parse_number(text)
    assert (parsed and parsed[0]) == amount


def test_a_ratio_of_two_counts_is_a_share():
    text = (
        "In 2004 one in 16 messages carried a virus, nine out of ten were spam, 3 in 2 hours, "
        "15 in 20 raids."
    )
    values = sentence_values(
        text,
        _entities(
            text,
            ("CARDINAL", "one"),
            ("CARDINAL", "16"),
            ("CARDINAL", "nine"),
            ("CARDINAL", "ten"),
            ("CARDINAL", "3"),
            ("CARDINAL", "15"),
            ("CARDINAL", "20"),
        ),
    )
    shares = {v.text: (v.label, round(v.amount, 2), v.unit) for v in values}
    assert shares == {
        "one in 16": ("PERCENT", 6.25, "%"),
        "nine out of ten": ("PERCENT", 90.0, "%"),
        "3": ("CARDINAL", 3.0, ""),  # no second count: not a ratio
        "15": ("CARDINAL", 15.0, ""),  # arrests in raids: two counts
        "20": ("CARDINAL", 20.0, ""),
    }
    one_in_16, nine_in_ten = values[0], values[1]
    assert differ(one_in_16, make_value("PERCENT", "15%"))
    assert same(one_in_16, make_value("PERCENT", "6%"))  # the ratio, rounded
    assert same(nine_in_ten, make_value("PERCENT", "90%"))
    third = sentence_values(
        "one in three", _entities("one in three", ("CARDINAL", "one"), ("CARDINAL", "three"))
    )
    assert same(third[0], make_value("PERCENT", "33%"))


def test_a_ratio_the_recogniser_reads_as_one_entity_is_a_share():
    # the recogniser often takes "one in 16" whole: it is still a share, not 16
    text = "Last year one in 16 messages carried a virus and 15 in 20 raids found nothing."
    values = sentence_values(
        text, _entities(text, ("CARDINAL", "one in 16"), ("CARDINAL", "15 in 20"))
    )
    assert [(v.text, v.label, v.unit) for v in values] == [
        ("one in 16", "PERCENT", "%"),
        ("15 in 20", "CARDINAL", ""),
    ]
    assert values[0].at == text.index("one in 16")
    assert differ(values[0], make_value("PERCENT", "just over 15%"))
