"""One value written two ways compares equal; different values of one kind differ."""

import pytest

from index.values import comparable, differ, make_value, same


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
        ("DATE", "Tuesday", "Wednesday"),
        ("DATE", "16 March", "17 March"),
        ("CARDINAL", "13", "10"),
        ("ORG", "Gazprom", "Surgutneftegas"),
    ],
)
def test_different_values_of_one_kind_differ(label, a, b):
    assert differ(make_value(label, a), make_value(label, b))


def test_amounts_in_different_currencies_or_units_are_not_compared():
    assert not comparable(make_value("MONEY", "$500m"), make_value("MONEY", "£266m"))
    jobs, people = make_value("CARDINAL", "200", "jobs"), make_value("CARDINAL", "300", "people")
    assert not comparable(jobs, people)


def test_text_without_a_value_gives_none():
    assert make_value("CARDINAL", "several") is None
    assert make_value("DATE", "recently") is None


def test_fractions_and_unreadable_numbers_do_not_break_the_parse():
    assert make_value("CARDINAL", "3½").amount == 3.5
    assert make_value("DATE", "March 3½").date[2] != 31
    assert same(make_value("QUANTITY", "2½ miles"), make_value("QUANTITY", "2.5 miles"))
