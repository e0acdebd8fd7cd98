"""Values a question asks for (amounts, counts, dates, names), read from the entities the index
found in a sentence and normalised so that one value written two ways compares equal:
"3" and "three", "1.5bn" and "1.5 billion", "5 March" and "March 5", "Roe" and "Jane
Roe". Two values *differ* only when they can be compared (same currency or unit, the same
part of a date) and disagree.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache

from index.text import fold, stem, words

NUMERIC = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
TEMPORAL = frozenset({"DATE", "TIME"})
NAMES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART"})

SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "bn": 1e9,
    "billion": 1e9,
    "tn": 1e12,
    "trillion": 1e12,
}
CURRENCY_SIGNS = {"$": "$", "£": "£", "€": "€", "¥": "¥"}
# Units of an amount that is money or a share, not a count of things.
SIGNS = frozenset({*CURRENCY_SIGNS, "%"})
# Currency names after a number ("5 billion dollars") map to the sign the text would use.
_CURRENCY_WORDS = {
    "dollar": "$",
    "pound": "£",
    "sterling": "£",
    "euro": "€",
    "yen": "¥",
}
_NUMBER = re.compile(
    r"(?P<cur>[$£€¥])?\s*(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(?P<scale>k|mn|m|bn|tn|thousand|million|billion|trillion)?\b",
    re.I,
)
_PERCENT = re.compile(r"%|\bper\s*cent\b|\bpercent\b", re.I)
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_DAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DAY_NUM = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b")
# A length of time ("187 days", "a 30-year-old", "two weeks") is an amount of its unit.
TIME_UNITS = frozenset(
    {"second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century"}
)
# "two years ago", "the 21st century", "2-3 weeks", "between two and three years": a point
# in time, an ordinal or a range, not one length of time.
_NOT_A_LENGTH = re.compile(
    r"\b(?:ago|later|earlier|before|after|since|between)\b|\d(?:st|nd|rd|th)\b"
    # an ordinal in words, not a unit of time that ends as one does ("a four-month ban")
    r"|\b(?:\w+-)?(?!(?:" + "|".join(sorted(TIME_UNITS)) + r")\b)"
    r"(?:first|third|fifth|eighth|ninth|twelfth|\w+[^e]th|\w+ieth)\b"
    r"|\b\w+-second\b"
    r"|\d\s*(?:[-\u2013]|to|or)\s*\d",
    re.I,
)
_IRREGULAR = {"centuries": "century"}
_TIME_UNIT = re.compile(
    r"\b(" + "|".join(sorted(TIME_UNITS | set(_IRREGULAR), key=len, reverse=True)) + r")s?\b",
    re.I,
)


def time_unit(word: str) -> str | None:
    """The unit of time a word names ('centuries' -> 'century'), else None."""
    m = _TIME_UNIT.fullmatch(fold(word).strip())
    return None if m is None else _IRREGULAR.get(m.group(1).lower(), m.group(1).lower())


@dataclass(frozen=True)
class Value:
    """One value as written, and its normal form."""

    label: str
    text: str
    amount: float | None = None
    precision: float = 1.0  # the last place written: 0.01bn for "$1.13bn", 1 for "13"
    # currency sign, "%", a measure's dimension ("[length]", amount in metres: _measure),
    # or the stem of the noun counted
    unit: str = ""
    date: tuple[int | None, int | None, int | None, int | None] | None = None  # y, m, d, weekday
    name: frozenset[str] = frozenset()
    # an amount in brackets after another ("$11bn (£5.7bn)"): the amount it converts
    converts: Value | None = None
    # where it starts in its text, when read from one (which date is nearest an amount)
    at: int = field(default=-1, compare=False)

    @property
    def kind(self) -> str:
        if self.label in NUMERIC or self.amount is not None:
            return "number"
        if self.label in TEMPORAL:
            return "date"
        return "name"


@lru_cache(maxsize=1)
def _number_parser():
    import number_parser

    return number_parser


@lru_cache(maxsize=65536)
def _spelled_out(text: str) -> str:
    """'the past two weeks' -> 'the past 2 weeks' (English, as the index's parser reads;
    without a language the parser tries each it knows on every call)."""
    try:
        return _number_parser().parse(text, language="en")
    except (TypeError, ValueError):
        return text


@lru_cache(maxsize=65536)
def _spelled_number(text: str) -> float | None:
    """'five million' -> 5000000.0; None where the text is no number the parser reads."""
    try:
        return float(_number_parser().parse_number(text, language="en"))
    except (TypeError, ValueError):  # no number, or one the parser cannot read
        return None


_SCALE_WORDS = frozenset({*SCALES, "hundred"})


def _worded_number(text: str) -> float | None:
    """The number spelled out after other words ('more than six million' -> 6000000.0): the
    run of number words that ends the text, where it starts with a digit's word (not
    'several hundred'); None where words follow it ('seven and a half million', 'three
    quarters') or another number comes before it ('one in five', 'two to three hundred')."""
    if re.search(r"\d", text):
        return None
    tokens = re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower())
    start = len(tokens)
    while start > 0 and (
        _spelled_number(tokens[start - 1]) is not None
        or (tokens[start - 1] == "and" and start < len(tokens))
    ):
        start -= 1
    run = tokens[start:]
    while run and run[0] == "and":
        run.pop(0)
    if not run or run[0] in _SCALE_WORDS:
        return None
    if any(_spelled_number(w) is not None for w in tokens[:start]):
        return None  # another number before it: a ratio or a range ('nine out of ten')
    return _spelled_number(" ".join(run))


_FRACTION = re.compile(r"(\d*)\s*([\u00bc-\u00be\u2150-\u215e])")


def _fractions(text: str) -> str:
    """'3½' -> '3.5': vulgar fraction characters as decimals, before anything splits them."""

    def decimal(m: re.Match) -> str:
        whole = int(m.group(1)) if m.group(1) else 0
        return f"{whole + unicodedata.numeric(m.group(2)):g}"

    return _FRACTION.sub(decimal, text)


def parse_number(text: str, head: str = "") -> tuple[float, float, str] | None:
    """(amount, precision, unit) of a written amount; None when none is found. The
    precision is the value of the last place written, so that '$1.1bn' and '$1.13bn' can be
    one figure rounded."""
    unit = ""
    text = _fractions(text)
    m = _NUMBER.search(text)
    if m:
        num = m.group("num").replace(",", "")
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        decimals = len(num.partition(".")[2])
        amount = float(num) * scale
        precision = scale * 10.0**-decimals
        unit = CURRENCY_SIGNS.get(m.group("cur") or "", "")
    else:
        amount = _spelled_number(text.lower())
        if amount is None:
            amount = _worded_number(text)
            if amount is None:
                return None
        # "five million" is written to the million
        precision = next((s for s in sorted(SCALES.values(), reverse=True) if amount >= s), 1.0)
        precision = precision if any(w in SCALES for w in words(text)) else 1.0
    if _PERCENT.search(text):
        unit = "%"
    if not unit:
        for w in words(text):
            if stem(w) in _CURRENCY_WORDS:
                unit = _CURRENCY_WORDS[stem(w)]
                break
    if not unit and head:
        unit = currency_word(head) or stem(fold(head))
    return amount, precision, unit


def currency_word(word: str) -> str | None:
    """The sign of a currency a word names ('euros' -> '€'), else None."""
    return _CURRENCY_WORDS.get(stem(fold(word)))


def parse_date(text: str) -> tuple[int | None, int | None, int | None, int | None] | None:
    """(year, month, day, weekday) as far as the text gives them; None for none of them."""
    low = fold(_fractions(text))
    year = int(m.group(1)) if (m := _YEAR.search(low)) else None
    month = weekday = day = None
    for w in re.findall(r"[a-z]+", low):
        if month is None and w in _MONTHS:
            month = _MONTHS[w]
        if weekday is None and w in _DAYS:
            weekday = _DAYS[w]
    if month is not None:
        for m in _DAY_NUM.finditer(_YEAR.sub(" ", low)):
            if 1 <= int(m.group(1)) <= 31:
                day = int(m.group(1))
                break
    parts = (year, month, day, weekday)
    return parts if any(p is not None for p in parts) else None


# A measure's unit of measurement, read by pint: its text after the number ("4.89 metres",
# "4.88m", "10km", "300 miles per hour", "2,000 square miles", "3m miles" with "m" for
# million before a unit word); the amount is kept in the base unit of its dimension, so a
# length in miles and one in kilometres compare. "5ft 10in" is the sum of its parts.
_MEASURE = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*|-)"  # "6.2-kilometre tunnel"
    r"(?:(?P<scale>thousand|million|billion|trillion|k|m|mn|bn|tn)\s+(?=[^\W\d_]))?"
    r"(?P<unit>[^\W\d_][^\d]*?)(?=[\s.,;:)]*(?:\d|$))",
    re.I,
)
# What a measure may measure: lengths, areas, volumes, masses, speeds (a length of time is
# a date entity's, read below; "30C" is no coulomb).
LENGTH = "[length]"  # the unit of a length's value (its amount in metres)
DIMENSIONS = frozenset({LENGTH, "[mass]", "[length] ** 2", "[length] ** 3", "[length] / [time]"})
# The units of measurement news writes (pint's names); pint also knows "points", "bags",
# "hands" and "shots", which in news count things. "pound" is money there: a weight in
# pounds is written "lb".
_NEWS_UNITS = frozenset(
    {
        "meter", "kilometer", "centimeter", "millimeter", "mile", "nautical_mile", "yard",
        "foot", "inch", "kilogram", "gram", "milligram", "metric_ton", "ton", "pound", "ounce", "stone",
        "liter", "milliliter", "gallon", "barrel", "oil_barrel", "hectare", "acre", "knot",
        "mile_per_hour", "hour", "second", "minute",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def _units():
    import pint

    return pint.UnitRegistry()


def _one_measure(num: str, scale: str, unit: str) -> tuple[float, float, str] | None:
    # units keep their case ("C" is no "c"); "per" and "square" are written as pint reads
    unit = re.sub(r"\bper\b", "/", unit, flags=re.I)
    unit = re.sub(
        r"\b(square|sq|cubic)\s+(\w+)",
        lambda u: u.group(2) + ("**3" if u.group(1).lower() == "cubic" else "**2"),
        unit,
        flags=re.I,
    )
    if re.search(r"\bpounds?\b", unit, re.I):
        return None
    registry = _units()
    try:
        parsed = registry.parse_units(unit.strip())
        quantity = registry.Quantity(1.0, parsed)
        base = quantity.to_base_units()
    except Exception:  # pint raises its own errors, and others, on what is no unit
        return None
    dimension = str(quantity.dimensionality)
    if dimension not in DIMENSIONS or not set(parsed._units) <= _NEWS_UNITS:
        return None
    num = num.replace(",", "")
    factor = SCALES.get(scale.lower(), 1.0) * float(base.magnitude)
    return float(num) * factor, factor * 10.0 ** -len(num.partition(".")[2]), dimension


@lru_cache(maxsize=65536)
def _measure(text: str) -> tuple[float, float, str] | None:
    """(amount in base units, precision, dimension) of a measurement, or None where the text
    holds no number followed by a unit of one of DIMENSIONS, or parts that do not add up
    to one measure."""
    text = _fractions(text)
    parts = [
        _one_measure(m.group("num"), m.group("scale") or "", m.group("unit"))
        for m in _MEASURE.finditer(text if re.search(r"\d", text) else _spelled_out(text))
    ]
    if not parts or None in parts or len({p[2] for p in parts}) > 1:
        return None
    return sum(p[0] for p in parts), min(p[1] for p in parts), parts[0][2]


def make_value(label: str, text: str, head: str = "") -> Value | None:
    """A Value from an entity's label and text (head: the noun a count counts)."""
    if label == "QUANTITY" and (measured := _measure(text)) is not None:
        amount, precision, unit = measured
        return Value(label, text, amount=amount, precision=precision, unit=unit)
    if label in NUMERIC:
        parsed = parse_number(text, head)
        if parsed is None:
            return None
        amount, precision, unit = parsed
        return Value(label, text, amount=amount, precision=precision, unit=unit)
    if label in TEMPORAL:
        if time_unit(head) and (parsed := parse_number(text)) and parsed[2] == "":
            # an age written alone ("Jane Roe, 30,"), counted in years by the analysis
            return Value(label, text, amount=parsed[0], precision=parsed[1], unit=time_unit(head))
        parts = parse_date(text)
        if parts:
            return Value(label, text, date=parts)
        unit = _TIME_UNIT.search(fold(text))
        spelled = _spelled_out(text)
        if unit is None or any(_NOT_A_LENGTH.search(fold(t)) for t in (text, spelled)):
            return None
        # "four-month" is spelled "4 - month"
        parsed = parse_number(text) or parse_number(re.sub(r"\s+-\s+", "-", spelled))
        if parsed is None:
            return None
        amount, precision, _ = parsed
        return Value(label, text, amount=amount, precision=precision, unit=time_unit(unit.group(0)))
    if label in NAMES:
        name = frozenset(w for w in words(text) if w not in ("the",))
        return Value(label, text, name=name) if name else None
    return None


_ASIDE = re.compile(r"^\s*[(\[]\s*$|^\s*[;,/]\s*$")
# "one in 16", "nine out of ten", "one in every five": the words between a ratio's two counts
_RATIO_GAP = re.compile(r"\s+(?:(?P<in>in)|out\s+of)\s+(?:every\s+)?", re.I)


def _ratio(text: str, before: Value, v: Value, end: int) -> Value | None:
    """A share written as a ratio of two counts ("one in 16 messages" is 6.25%, comparable
    with "15% of e-mail"; "9 out of 10"), or None; "in" only after a number in words, as
    news writes a share ("one in five"), not two counts ("15 in 20 raids"). Its precision is what one more in the denominator
    changes, so "one in three" and "30%" are one share rounded."""
    if not (before.label == v.label == "CARDINAL") or before.unit or before.at < 0:
        return None
    gap = _RATIO_GAP.fullmatch(text[before.at + len(before.text) : v.at])
    if not gap:
        return None
    if gap.group("in") and re.search(r"\d", before.text):
        return None  # "arrested 15 in 20 raids": counts; a share says "one in five"
    if not (0 < before.amount <= v.amount):
        return None
    share = 100.0 * before.amount / v.amount
    return Value(
        "PERCENT",
        text[before.at : end],
        amount=share,
        precision=share / v.amount,
        unit="%",
        at=before.at,
    )


def _ratio_entity(label: str, text: str) -> Value | None:
    """A share the recogniser took as one entity ("one in 16"), read as _ratio reads two."""
    if label != "CARDINAL":
        return None
    for gap in _RATIO_GAP.finditer(text):
        first, second = text[: gap.start()], text[gap.end() :]
        a, b = make_value(label, first), make_value(label, second)
        if a is not None and b is not None and not a.unit and not b.unit:
            b = replace(b, at=gap.end())
            return _ratio(text, replace(a, at=0), b, len(text))
    return None


def sentence_values(text: str, entities) -> list[Value]:
    """The values of a text's entities ((label, start, end, counted noun) with offsets into
    text); an amount bracketed after another ``converts`` it."""
    out: list[Value] = []
    last: tuple[int, Value] | None = None  # end of the previous amount, and it
    for label, start, end, head in entities:
        v = _ratio_entity(label, text[start:end]) or make_value(label, text[start:end], head)
        if v is None:
            continue
        v = replace(v, at=start)
        if out and (share := _ratio(text, out[-1], v, end)) is not None:
            out[-1] = share
            last = (end, share)
            continue
        if v.kind == "number" and last is not None:
            gap, before = text[last[0] : start], last[1]
            money = v.unit in CURRENCY_SIGNS and before.unit not in ("%", v.unit)
            if money and _ASIDE.match(gap) and ("(" in gap or before.converts):
                v = replace(v, converts=before.converts or before)
        if v.kind == "number":
            last = (end, v)
        out.append(v)
    return out


def currencies(text: str) -> frozenset[str]:
    """The currencies a text names, as signs: 'in pounds' -> {'£'}."""
    found = {sign for sign in CURRENCY_SIGNS if sign in text}
    found |= {_CURRENCY_WORDS[stem(w)] for w in words(text) if stem(w) in _CURRENCY_WORDS}
    return frozenset(found)


def same(a: Value, b: Value) -> bool:
    """One value written two ways (or one more precisely than the other)."""
    if a.kind != b.kind:
        return False
    if a.kind == "number":
        if a.unit and b.unit and a.unit != b.unit:
            return False  # 80% is not 80 banks
        coarse = max(a.precision, b.precision)
        return abs(a.amount - b.amount) <= coarse / 2 + 1e-9 * coarse
    if a.kind == "date":
        # and they tell one part of a date at least: "Tuesday" is not "May 15"
        pairs = [(x, y) for x, y in zip(a.date, b.date, strict=True) if None not in (x, y)]
        return bool(pairs) and all(x == y for x, y in pairs)
    return same_name(a.text, b.text)


@lru_cache(maxsize=65536)
def _alike(a: str, b: str) -> bool:
    """Two spellings of one word ('Tchaikovskiy', 'Tchaikovsky')."""
    if a == b:
        return True
    if 2 * min(len(a), len(b)) < 0.8 * (len(a) + len(b)):  # the ratio cannot reach 0.8
        return False
    matcher = SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


def same_name(a: str, b: str) -> bool:
    """One name written two ways: 'Roe' and 'Jane Roe', 'Yuri Ivanenko' and 'Yurii
    Ivanenko' (one surname, one initial); 'Ann Hale' and 'Tom Hale' are two people."""
    wa = [w for w in words(a) if w != "the"]
    wb = [w for w in words(b) if w != "the"]
    if not wa or not wb:
        return False
    short, long_ = sorted((wa, wb), key=len)
    if all(any(_alike(x, y) for y in long_) for x in short):
        return True
    return _alike(wa[-1], wb[-1]) and wa[0][0] == wb[0][0]


def comparable(a: Value, b: Value) -> bool:
    """Whether two values measure the same kind of thing, so that a difference means a
    disagreement: same currency or unit, the same part of a date, names of one kind."""
    if a.kind != b.kind:
        return False
    if a.kind == "number":
        # an amount of money, a share or a measure is not comparable with a bare count
        return (
            a.unit == b.unit
            or not (a.unit and b.unit)
            and not any(u in SIGNS or u.startswith("[") for u in (a.unit, b.unit))
        )
    if a.kind == "date":
        # a weekday alone is told from the day it was written: "Sunday" in one report and
        # "Thursday" in another may be one day, or two of different weeks
        return any(
            x is not None and y is not None for x, y in zip(a.date[:3], b.date[:3], strict=True)
        )
    # "built at the Rosk shipyard" and "built at Nettlefield" answer one "where"
    return a.label == b.label or any({a.label, b.label} <= kind for kind in _ONE_KIND)


# What the recogniser labels places: a town, a region, a building.
PLACES = frozenset({"GPE", "LOC", "FAC"})
# Names of these kinds can name the same sort of thing, whatever the recogniser took each
# for: a buyer is a firm or a person; a place is any place.
_ONE_KIND = (frozenset({"ORG", "PERSON"}), PLACES)


def differ(a: Value, b: Value) -> bool:
    """Two values that answer the same thing differently."""
    return comparable(a, b) and not same(a, b)


def years(text: str) -> frozenset[str]:
    """The years a date's text names ('the last quarter of 2004' -> {'2004'})."""
    return frozenset(_YEAR.findall(text))


# Words that make a date a part of a year: its quarters, halves and seasons; months and
# shorter lengths of time are read from calendar names and TIME_UNITS.
_YEAR_PARTS = frozenset({"quarter", "half", "spring", "summer", "autumn", "fall", "winter"})
_LONG_UNITS = frozenset({"year", "decade", "century"})


def _part_of_year(rest: str) -> bool:
    for w in words(rest):
        unit = time_unit(w)
        if w in _YEAR_PARTS or w in _MONTHS or (unit is not None and unit not in _LONG_UNITS):
            return True
    return False


_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2}
_ORDINAL_WORDS.update({"3rd": 3, "4th": 4})
# Parts of a year written as one word ("Q3", "H1").
_NAMED_PARTS = {f"q{n}": ("quarter", n) for n in range(1, 5)} | {
    f"h{n}": ("half", n) for n in range(1, 3)
}
_LAST = frozenset({"last", "final"})
_PARTS_IN_YEAR = {"quarter": 4, "half": 2}


def _which_part(text: str) -> tuple[str, int] | None:
    """('quarter', 3) for 'the third quarter' or 'Q3', ('half', 2) for 'the second half' or
    'the last half'; None where the text names no numbered part of a year."""
    ws = words(text)
    for i, w in enumerate(ws):
        if w in _NAMED_PARTS:
            return _NAMED_PARTS[w]
        part = w.rstrip("s")
        if part in _PARTS_IN_YEAR and i > 0:
            before = ws[i - 1]
            if before in _LAST:
                return part, _PARTS_IN_YEAR[part]
            if before in _ORDINAL_WORDS:
                return part, _ORDINAL_WORDS[before]
    return None


def _names_day(text: str) -> bool:
    folded = fold(text)
    return any(w in _DAYS for w in words(folded)) or bool(_DAY_NUM.search(_YEAR.sub(" ", folded)))


def months_named(text: str) -> frozenset[int]:
    """The calendar months a date's words name ("December 2004": {12})."""
    return frozenset(_MONTHS[w] for w in words(fold(text)) if w in _MONTHS)


_MONTH_WORD = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_OF = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
# "July to September", "July-September", "between July and September" (not "June and
# December": two months)
_MONTH_SPAN = re.compile(
    rf"(?:\bbetween\s+{_MONTH_WORD}\s+and|\b{_MONTH_WORD}\s*(?:to|-|\u2013|through|until))"
    rf"\s*{_DAY_OF}{_MONTH_WORD}\b",
    re.I,
)
# "the three months to (31) December", "the six months ended June"
_MONTHS_TO = re.compile(
    rf"\b(\w+)\s+months\s+(?:to|ending|ended|through|until)\s+{_DAY_OF}{_MONTH_WORD}\b", re.I
)


def months_covered(text: str) -> tuple[frozenset[int], bool]:
    """The calendar months a date covers and whether it spans them (a quarter, a half, a
    run of months: "the third quarter", "the July to September period", "the three months
    to 31 December") rather than naming them one by one ("in October", "on 1 January")."""
    folded = fold(text)
    if {"fiscal", "financial"} & set(words(folded)):
        return frozenset(), False  # a year of its own, which the calendar cannot place
    part = _which_part(folded)
    if part is not None:
        size = 12 // _PARTS_IN_YEAR[part[0]]
        return frozenset(range(size * (part[1] - 1) + 1, size * part[1] + 1)), True
    if m := _MONTHS_TO.search(folded):
        count = _spelled_number(m.group(1)) if not m.group(1).isdigit() else float(m.group(1))
        if count and 1 <= count <= 12:
            end = _MONTHS[m.group(2)]
            return frozenset((end - i - 1) % 12 + 1 for i in range(int(count))), True
    if m := _MONTH_SPAN.search(folded):
        first = _MONTHS[m.group(1) or m.group(2)]
        last = _MONTHS[m.group(3)]
        return frozenset((first + i - 1) % 12 + 1 for i in range((last - first) % 12 + 1)), True
    return months_named(text), False


def same_period(asked: str, given: str) -> bool | None:
    """Whether a date a sentence gives is the period a question asks about: False for
    another year ('in 2005' for 2004), for a part of the year against the whole ('the
    last quarter of 2004' for 2004, or the reverse), or for another quarter or half, with or
    without a year ('the second quarter' for the third quarter of 2004); None when the question's date names no
    year, the sentence's is relative ('last year'), or their words cannot tell ('fiscal
    2004'). Two dates that name months, quarters or runs of months name the same period
    only if a month is shared (months_covered)."""
    wanted, found = years(asked), years(given)
    (months, spans), (given_months, span) = months_covered(asked), months_covered(given)
    # a month named alone against a quarter may be when the quarter's figure came out
    alone = not span and (spans or _names_day(given))
    if months and given_months and not months & given_months and not alone:
        # another month, quarter or run of months ("in October" for December 2004, "the
        # three months to 31 December" for the first quarter); a day ("on Friday 7
        # January") is as likely the day a figure was reported as the period it is for
        return False
    parts = _which_part(fold(asked)), _which_part(fold(given))
    if None not in parts and parts[0] != parts[1] and parts[0][0] == parts[1][0]:
        return False  # another quarter or half ("the second quarter" for the third)
    if wanted and not found and parts[0] is None:
        # a month's or a day's figure ("on 1 January", "in December") is not the whole
        # year's a question asks for
        whole_year = not _part_of_year(_YEAR.sub("", fold(asked)))
        if whole_year and _part_of_year(fold(given)):
            return False
    if not wanted or not found:
        return None
    if not wanted & found:
        return False
    rest = [_YEAR.sub("", fold(t)) for t in (asked, given)]
    part = [_part_of_year(r) or _which_part(r) is not None for r in rest]
    if part[0] != part[1]:
        return False
    if not part[0]:
        return True if not any(words(r) for r in rest) else None
    if None not in parts and parts[0] == parts[1]:
        return True  # "the third quarter of 2004" and "Q3 2004"
    return True if words(rest[0]) == words(rest[1]) else None
