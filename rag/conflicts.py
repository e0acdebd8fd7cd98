"""Conflicts: independent sources that give different values for what the question asks, or
different speakers taking opposite positions on it.

- A *value* conflict: two relevant sentences from different stories (wire copies are one
  story), close in meaning to each other and naming the question's subject, each holding a
  value of the kind the question asks for (an amount or a date) that the other contradicts
  and that the other article never gives. One
  value written two ways ("3" and "three", "1.5bn" and "1.5 billion") is not a conflict
  (index.values).
- An *update*: the same, from one outlet on different dates: the newer report first.
- A *stance* conflict: sentences that affirm and deny the same matter, held by different
  voices (speakers, or stories when no speaker is named).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from index.corpus import UNKNOWN
from index.duplicates import SENTENCE_COSINE
from index.store import DocRecord, IndexSnapshot
from index.text import ACRONYM, STOPWORDS, Lexicon, fold, stem, words
from index.values import (
    DIMENSIONS,
    NAMES,
    NUMERIC,
    SIGNS,
    TEMPORAL,
    TIME_UNITS,
    Value,
    comparable,
    same,
    same_name,
)
from rag import slots
from rag.answerability import counts_what_is_asked
from rag.closeness import PREDICATE_MATCH, WORD_MATCH, content_words, same_stem, speaks_of
from rag.evidence import Evidence, annotate, negated
from rag.filters import Scope, nearest_chunks
from rag.question import Question
from rag.wordnet import base as verb_base
from rag.wordnet import kind_of, same_act, verb_classes

# Two sentences are about the same matter when their embeddings are at least this close,
# or this close when both answer the question (rag.answerability).
ALIGN_VALUES = 0.5
ALIGN_ANSWERS = 0.35
# The other side of a figure is often in an article the question's words do not reach: the
# sentences closest to each of the best answering sentences (at least SIBLING_MATCH) in other
# stories are read too.
SIBLING_SEEDS = 3
SIBLING_LOOK = 20
SIBLING_CHUNKS = 20  # the seed's nearest chunks whose sentences are read
SIBLING_MATCH = 0.55
# ... and at least this close to the question itself: "Shares fell 0.03%" is shaped like
# "GDP fell 0.5%" but is not about what was asked.
SIBLING_RELEVANCE = 0.4
# how many retrieved sentences below the pool are read for a value given in passing
PASSING_LOOK = 20
PASSING_WORDS = 6  # fewer words than this make no sentence to read a value in passing from
# how many of the best sentences are looked at for two told alike but for a name (_twins)
TWIN_LOOK = 8
ALIGN_STANCE = 0.7
PREDICATE_SIDE_RATIO = 0.65
# An amount set off by commas right after a name ("Jane Roe, 31,").
_APPOSED = re.compile(r"\s*,\s*")
# Evidence within this share of the best score can be a side.
SIDE_RATIO = 0.7
# A sentence speaks of a subject named in one of this many sentences before it in its
# paragraph.
PARAGRAPH_BACK = 3
# A word ending as a participle does, just before a date or inside it: a cheap first sieve
# for a clause that describes a noun ("a season ending 30 September"); the sentence is
# parsed to see only where one stands (many such words are no participle).
_PARTICIPLE = re.compile(r"\w(?:ing|ed)\b")
_PARTICIPLE_REACH = 25
# Entities that name who or what a sentence is about.
_ACTORS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"})


@dataclass(frozen=True)
class Sides:
    """The two sides of a conflict, strongest evidence first on each."""

    first: list[Evidence]
    second: list[Evidence]
    kind: str = "stance"  # "stance", "value" or "update"
    labels: tuple[str, str] = ("affirms", "denies")
    values: tuple[str, str] = ()
    newer: int | None = None  # for an update: which side (0 or 1) is the newer report
    # a value conflict's further sides, when more than two sources each give another value
    more: tuple[tuple[str, list[Evidence]], ...] = ()
    # a value conflict's value as each sentence writes it ("$4bn" in a headline on the
    # "$4.2bn" side), by sentence, where it is written otherwise than the side's value
    written: tuple[tuple[int, str], ...] = ()

    def groups(self) -> list[list[Evidence]]:
        """Every side's evidence, the first two first."""
        return [self.first, self.second] + [side for _, side in self.more]

    def side_labels(self) -> tuple[str, ...]:
        return (*self.labels, *(value for value, _ in self.more))

    def side_values(self) -> tuple[str, ...]:
        return (*self.values, *(value for value, _ in self.more)) if self.values else ()

    def all(self) -> list[Evidence]:
        return [e for side in self.groups() for e in side]


def story(snapshot: IndexSnapshot, doc_id: str) -> str:
    """The story a document carries: wire copies of one story share it."""
    return snapshot.story_of.get(doc_id, doc_id)


def voice(snapshot: IndexSnapshot, e: Evidence) -> str:
    """Who stands behind a sentence: its speaker, else its story."""
    if e.speaker is not None:
        return "speaker:" + e.speaker.key
    return "story:" + story(snapshot, snapshot.sentences[e.sentence].doc_id)


def _cosine(snapshot: IndexSnapshot, a: Evidence, b: Evidence) -> float:
    va, vb = snapshot.vectors([a.sentence, b.sentence])
    return float(va @ vb)


def answer_values(
    snapshot: IndexSnapshot, e: Evidence, question: Question, model: str | None = None
) -> list[Value]:
    """Values of the kind the question asks for in a sentence, less those the question
    itself gives and the sentence's own speaker; for 'how many N', only counts of N: where
    the sentence counts N by name ("104,000 jobs"), its other numbers answer something else
    ("around 6,000 of those in Wales"), and a bare number only where the sentence speaks of
    N at all, by its word or a close one (not "merge 35 agencies into nine"); other
    counted nouns stay ("4m consoles" for 'how many handhelds')."""
    ref = snapshot.sentences[e.sentence]
    doc = snapshot.docs[ref.doc_id]
    asked_names = set(question.names)
    out = []
    for v in doc.sentence_values(ref.index):
        if v.label not in question.wants:
            continue
        if v.kind == "number" and not counts_what_is_asked(v, question):
            continue
        if v.kind == "name" and (
            v.name <= asked_names or (e.speaker and v.name <= set(e.speaker.key.split()))
        ):
            continue
        if v.kind == "number" and any(w in question.values for w in words(v.text)):
            continue  # the question's own "$6bn", however written
        if v.kind == "date" and any(w in question.values for w in v.text.lower().split()):
            continue
        bound = _of_subject(doc, ref.index, v, question) if v.kind == "number" else None
        if bound is False:
            continue
        if question.age and not (
            bound or _age_of_subject(snapshot, e, v, doc.sentence_values(ref.index), question)
        ):
            continue  # "on Wednesday", "postponed by two weeks": no age, or another's
        if v.kind == "number" and slots.hypothetical(snapshot, e.sentence, v.at, question):
            continue
        if v.kind == "number" and slots.membership(snapshot, e.sentence, v.at):
            continue
        if (
            v.unit == "%"
            and _OF_A_WHOLE.match(doc.text, v.at + len(v.text))
            and _a_change(question)
        ):
            continue  # "debt is 140% of GDP" is no change in GDP
        if v.kind == "number" and question.past and slots.forecast(snapshot, e.sentence, v.at):
            continue  # what was forecast does not dispute what happened
        if (
            v.kind == "date"
            and _PARTICIPLE.search(doc.text, max(0, v.at - _PARTICIPLE_REACH), v.at + len(v.text))
            and slots.of_a_noun(
                snapshot, e.sentence, v.at + len(v.text) - 1, question.predicate, model
            )
        ):
            continue  # "its fiscal year ending 31 March" (the parse only where one may be)
        out.append(v)
    out = [v for v in out if v.kind != "number" or slots.in_period(doc, ref.index, v, question)]
    if question.anchor is not None:  # a name only where it fills the asked place
        names = slots.answer_names(snapshot, e, question, model, close=False)
        if not names and question.role is not None:  # as rag.answerability.answers reads it
            names = slots.answer_names(
                snapshot, e, replace(question, anchor=question.role), model, close=False
            )
        out = [v for v in out if v.kind != "name"] + names
    counted = question.units - TIME_UNITS
    if counted and any(v.kind == "number" for v in out):
        exact = [v for v in out if v.kind == "number" and v.unit in counted]
        if exact:
            out = [v for v in out if v.kind != "number" or v.unit in counted]
        elif not any(
            speaks_of(unit, [snapshot.sentence_text(e.sentence)], model)[0] for unit in counted
        ):
            # a count of the question's act, or else of some named thing: "only about 30
            # were found to be ill" beside "9,000 workers were tested" for "how many cases
            # were found"
            numbers = [v for v in out if v.kind == "number"]
            acted = [
                v
                for v in numbers
                if question.predicate
                and slots.on_act(snapshot, e.sentence, v.at, question.predicate, model)
            ]
            kept = acted or [v for v in numbers if v.unit]
            out = [v for v in out if v.kind != "number" or v in kept]
        elif counted & _stems(snapshot, e):
            # the sentence names what is asked by its own word, yet counts something else
            # by name: "leading the field at this year's Oscars with 11 nominations", "two
            # of its four producers", for "How many Oscars did it win?"
            out = [v for v in out if not _counts_another(snapshot, e, v, question)]
    return out


# a share written as a part of some whole ("140% of the country's GDP")
_OF_A_WHOLE = re.compile(r"\s+of\b", re.I)


def _a_change(question: Question) -> bool:
    """Whether the question asks by how much something changed: its verb is one WordNet
    classes as a change in one of its commonest senses ("shrink", "grow", "fall")."""
    return any("verb.change" in verb_classes(fold(p)) for p in question.predicate)


def _counts_another(snapshot: IndexSnapshot, e: Evidence, v: Value, question: Question) -> bool:
    """Whether an amount counts a noun by the parse that is neither the one a "how many"
    question counts nor a kind of it (rag.wordnet.kind_of)."""
    if v.kind != "number" or v.unit in SIGNS:
        return False
    noun = slots.counted_noun(snapshot, e.sentence, v.at, len(v.text))
    if noun is None or stem(noun) in question.units:
        return False
    if question.units & _qualifiers(snapshot, e, v):
        return False  # "3,200 member farms" counts members
    return not _of_the_asked_kind(noun, question)


# An amount of time written as an age: "30-year-old", "six-week-old", "aged 18", "at the
# age of 30", "18 years and 187 days".
_OLD_AFTER = re.compile(r"[\s-]*(?:\w+[\s-]+)?old\b", re.I)
_AGED_BEFORE = re.compile(r"\b(?:aged|age\s+of|at)\s*$", re.I)
_AND_DAYS = re.compile(r"\s+and\s+$", re.I)


def _written_as_age(text: str, v: Value, values: list[Value]) -> bool:
    """Whether a length of time is written as an age in its text (see _OLD_AFTER): followed
    by "old", after "aged", "age of" or "at", or the days after an age's years."""
    if v.kind != "number" or v.unit not in TIME_UNITS or v.at < 0:
        return False
    end = v.at + len(v.text)
    if v.text.lower().endswith("old") or _OLD_AFTER.match(text, end, end + 16):
        return True
    before = text[max(0, v.at - 12) : v.at]
    if _AGED_BEFORE.search(before):
        return True
    return any(  # "18 years and 187 days": the days beside an age's years
        w.unit == "year"
        and w.at >= 0
        and _AND_DAYS.fullmatch(text[w.at + len(w.text) : v.at])
        and _written_as_age(text, w, values)
        for w in values
        if w is not v
    )


def gives_age(snapshot: IndexSnapshot, e: Evidence, question: Question) -> bool:
    """Whether a sentence gives the age of the question's subject: a number set off after
    its name ("Jane Roe, 30,"), or an age written as one in a sentence about the subject."""
    if not question.subject:
        return False  # "How old is the bridge?": no name to read an age against
    ref = snapshot.sentences[e.sentence]
    doc = snapshot.docs[ref.doc_id]
    values = _amounts(snapshot, e)
    bound = [(v, _of_subject(doc, ref.index, v, question)) for v in values]
    if any(of for _, of in bound):
        return True
    # an age set off after another name ("John Doe, 31,") is his
    return any(of is None and _age_of_subject(snapshot, e, v, values, question) for v, of in bound)


# "the 29-year-old finished second to Jane Roe": an age standing for a person named before
_STANDS_FOR = re.compile(r"\bthe\s+$", re.I)
# "a 40-year-old man was arrested": someone not named
_SOMEONE = re.compile(r"\ban?\s+$", re.I)
# "Jane Roe, the 30-year-old, ...", "Jane Roe, a 30-year-old mother": the name's age
_SET_OFF = re.compile(r"\b([A-Z][\w'\u2019-]*)\s*,\s*(?:the|an?)\s+$")


def _age_of_subject(
    snapshot: IndexSnapshot, e: Evidence, v: Value, values: list[Value], question: Question
) -> bool:
    """Whether an age written as one is the subject's: in a sentence about the subject,
    except that "the 29-year-old" stands for the person its article names most before it,
    whoever its own sentence names ("The 29-year-old finished second to Jane Roe" is not
    Jane Roe's age); after a name and a comma ("Jane Roe, the 30-year-old,") it is that
    name's, as an age set off after it is; "a 40-year-old man" is someone not named."""
    ref = snapshot.sentences[e.sentence]
    doc = snapshot.docs[ref.doc_id]
    if not _written_as_age(doc.text, v, values):
        return False
    before = doc.text[max(0, v.at - 40) : v.at]
    if set_off := _SET_OFF.search(before):
        return any(same_name(w, set_off.group(1)) for w in question.subject)
    if _STANDS_FOR.search(before):
        return _most_named_is_subject(doc, ref.index, question)
    if _SOMEONE.search(before):
        return False
    return _names_subject(snapshot, e, question)


def _apposed(doc, index: int, v: Value) -> str | None:
    """The name an amount is set off after ("Jane Roe, 31,"), or None: a name the
    recogniser found there, or the last name of a person it found elsewhere in the article
    ("Ada Lind won ... Lind, 27, attacked")."""
    for label, start, end, _ in doc.entities[index]:
        if label in NAMES and end <= v.at and _APPOSED.fullmatch(doc.text[end : v.at]):
            return doc.text[start:end]
    before = _NAME_BEFORE.search(doc.text, max(0, v.at - 40), v.at)
    if before and fold(before.group(1)) in {person[-1] for person in doc.people()}:
        return before.group(1)
    return None


_NAME_BEFORE = re.compile(r"\b([A-Z][\w'\u2019-]+)\s*,\s*$")


def _of_subject(doc, index: int, v: Value, question: Question) -> bool | None:
    """Whether an amount set off after a name is the question's subject's (True) or another
    person's (False: "Jane Roe, 31, and John Doe, 30"); None where it follows no name."""
    name = _apposed(doc, index, v) if question.subject else None
    if name is None:
        return None
    # the subject's whole name where the question gives it ("Lena Varga", not any Varga)
    full = [
        " ".join(n) for n in question.named if any(fold(w) in question.subject for w in n)
    ] or list(question.subject)
    return any(same_name(f, name) for f in full)


def _bound(snapshot: IndexSnapshot, e: Evidence, v: Value, question: Question) -> bool:
    """Whether a value is tied to what is asked by the sentence's parse: a name filling the
    asked place (answer_values keeps no other), an amount set off after the subject's
    name."""
    if v.kind == "name":
        return question.anchor is not None
    ref = snapshot.sentences[e.sentence]
    return v.kind == "number" and bool(
        _of_subject(snapshot.docs[ref.doc_id], ref.index, v, question)
    )


def _names_subject(snapshot: IndexSnapshot, e: Evidence, question: Question) -> bool:
    """Whether the sentence (its speaker, its article's title, the sentences before it in
    its paragraph, or its article before it where it names no one else: _anaphoric) names
    the question's subject: a figure about another country or person
    answers another question."""
    if not question.subject:
        return True
    ref = snapshot.sentences[e.sentence]
    doc = snapshot.docs[ref.doc_id]
    said = set(words(snapshot.sentence_text(e.sentence))) | set(words(doc.meta.get("title", "")))
    i = ref.index
    if _anaphoric(doc, i, question):
        # "Aged 18, the Londoner became ...": a sentence that names nobody speaks of whom
        # its article has named before it
        said |= set(words(doc.text[: doc.sentences[i][0]]))
    else:
        # "... Jane Roe won ... She said ...": named earlier in the paragraph
        for j in range(i - 1, max(-1, i - 1 - PARAGRAPH_BACK), -1):
            if doc.sentences[j][2] != doc.sentences[i][2]:
                break
            said |= set(words(doc.text[doc.sentences[j][0] : doc.sentences[j][1]]))
    if e.speaker is not None:
        said |= set(e.speaker.key.split())
    text = snapshot.sentence_text(e.sentence)
    return all(
        any(same_name(w, s) for s in said) or _abbreviated(w, question.named, text, doc.lexicon())
        for w in question.subject
    )


def _anaphoric(doc, index: int, question: Question) -> bool:
    """Whether a sentence names nothing of the kind its article takes the question's subject
    to be (no person, where the subject is one) while the nearest sentence before it that
    names one of that kind names the subject: what the sentence says is then the subject's
    ("Jane Roe won ... Aged 18, the Londoner became ..."; not where only another person was
    named since)."""
    kinds = _subject_kinds(doc, index, question)
    if any(label in kinds for label, *_ in doc.entities[index]):
        return False
    return _last_named_is_subject(doc, index, question, kinds)


def _subject_kinds(doc, index: int, question: Question) -> set[str]:
    """The kinds (person, organisation, ...) the article names the subject as before a
    sentence."""
    return {
        label
        for per_sentence in doc.entities[:index]
        for label, start, end, _ in per_sentence
        if label in _ACTORS and _is_subject(doc, start, end, question)
    }


def _is_subject(doc, start: int, end: int, question: Question) -> bool:
    return any(same_name(w, n) for w in question.subject for n in words(doc.text[start:end]))


def _last_named_is_subject(doc, index: int, question: Question, kinds: set[str]) -> bool:
    """Whether the nearest sentence before this one that names something of one of these
    kinds (those the article names the subject as) names the subject."""
    for j in range(index - 1, -1, -1):  # the nearest sentence naming one of that kind
        named = [(a, b) for label, a, b, _ in doc.entities[j] if label in kinds]
        if named:
            return any(_is_subject(doc, a, b, question) for a, b in named)
    return False


_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019-]*")


def _most_named_is_subject(doc, index: int, question: Question) -> bool:
    """Whether the subject is the one of its kind the article names most often before this
    sentence (by last name, wherever that is written: "Jane Roe" and "Roe" are one; of two
    named as often, the one named nearest before it, and of two in that sentence the
    first): the one a description such as "the 30-year-old" stands for, whoever its own
    sentence names."""
    kinds = _subject_kinds(doc, index, question)
    people = {
        w[-1]
        for per_sentence in doc.entities[:index]
        for label, a, b, _ in per_sentence
        if label in kinds and (w := words(doc.text[a:b]))
    }
    said = [  # as names, capitalised: "Price" the person, not a price
        [f for w in _CAPITALISED.findall(doc.text, a, b) if (f := fold(w)) in people]
        for a, b, *_ in doc.sentences[:index]
    ]
    counts = Counter(w for per_sentence in said for w in per_sentence)
    if not counts:
        return False
    top = max(counts.values())
    most = next(w for per_sentence in reversed(said) for w in per_sentence if counts[w] == top)
    return any(same_name(w, most) for w in question.subject)


def _abbreviated(
    word: str, named: tuple[tuple[str, ...], ...], text: str, article: Lexicon
) -> bool:
    """Whether a sentence writes, in capitals, the initials of the question's name holding
    this word, in an article that spells the name out ('GM' for General Motors)."""
    for name in named:
        content = [w for w in name if fold(w) not in STOPWORDS]
        if len(content) > 1 and word in {fold(w) for w in content}:
            initials = "".join(w[0] for w in content).upper()
            if (
                len(initials) in ACRONYM
                and re.search(rf"\b{initials}\b", text)
                and article.joins([fold(w) for w in name])
            ):
                return True
    return False


def _on_verb(
    snapshot: IndexSnapshot,
    evidence: list[Evidence],
    predicate: tuple[str, ...],
    model,
    floor: float = PREDICATE_MATCH,
    verbs: bool = True,
    close: bool = True,
) -> list[bool]:
    """For each sentence, whether it speaks of one of the question's words: the word, an
    inflection, with ``close`` a word close in meaning by the embedder; for ``verbs``, also
    a verb naming the same act (rag.wordnet: "bid" for "offer", "stepped down" for
    "resign") or the act or doer derived from it ("agreement")."""
    texts = [snapshot.sentence_text(e.sentence) for e in evidence]
    if close:
        checks = [speaks_of(word, texts, model, floor) for word in predicate]
    else:
        said = [content_words(t) for t in texts]
        checks = [[same_stem(word, ws) for ws in said] for word in predicate]
    found = [any(column) for column in zip(*checks, strict=True)]
    if verbs:
        acts = [fold(word) for word in predicate]
        found = [
            ok
            or any(slots.derived(a, w) or same_act(a, w) for a in acts for w in content_words(t))
            # (the parse only where no word does: "stepped down" for "resign")
            or any(same_act(a, m) for m in slots.multiword_acts(snapshot, e.sentence) for a in acts)
            for ok, t, e in zip(found, texts, evidence, strict=True)
        ]
    return found


def _says_verb(snapshot: IndexSnapshot, e: Evidence, predicate: tuple[str, ...]) -> bool:
    """Whether a sentence holds one of the question's verbs itself, or a word derived from
    it ("knew", "agreement"), not only another verb for the act."""
    words_ = content_words(snapshot.sentence_text(e.sentence))
    asked = {fold(p) for p in predicate}
    asked |= {b for p in asked if (b := verb_base(p)) is not None}
    return any(slots.derived(p, w) or verb_base(w) in asked for p in asked for w in words_)


def _stems(snapshot: IndexSnapshot, e: Evidence) -> set[str]:
    return {stem(w) for w in words(snapshot.sentence_text(e.sentence))}


def _same_unit(x: Value, y: Value, y_stems: set[str]) -> bool:
    """Whether y counts what x counts: the same unit, or none while its sentence names x's
    ("80 ships" and "that brought to 49 the number of ships"); not "seven times" and
    "4.88m"."""
    return x.kind != "number" or not x.unit or x.unit == y.unit or x.unit in y_stems


def _measure_alike(
    x: Value, y: Value, x_stems: set[str], y_stems: set[str], x_text: str, y_text: str
) -> bool:
    """Whether x and y measure one thing: comparable values of one unit, or counts of a thing
    named two ways, where each sentence names the other's unit ("26 billion texts" and
    "133m text messages")."""
    if comparable(x, y):
        return _same_unit(x, y, y_stems) and _same_unit(y, x, x_stems)
    if x.kind != "number" or y.kind != "number" or SIGNS & {x.unit, y.unit}:
        return False
    return _modifies(x.unit, y, y_text) or _modifies(y.unit, x, x_text)


def _counts_of_the_act(
    snapshot: IndexSnapshot,
    a: Evidence,
    x: Value,
    b: Evidence,
    y: Value,
    question: Question,
    model: str | None,
) -> bool:
    """Whether two counts, one of them of no named thing, both count what the question's
    verb does ("only about 30 were found to be ill" and "about 60 cases of lung disease were
    found", for "How many cases were found?")."""
    return (
        x.kind == y.kind == "number"
        and not (x.unit and y.unit)
        and comparable(x, y)
        and bool(question.predicate)
        and slots.on_act(snapshot, a.sentence, x.at, question.predicate, model)
        and slots.on_act(snapshot, b.sentence, y.at, question.predicate, model)
    )


def _qualifiers(snapshot: IndexSnapshot, e: Evidence, v: Value) -> frozenset[str]:
    """The nouns compounded with the noun an amount counts ("gold" in "three gold medals",
    from the parse): a count of a narrower kind of thing. Not adjectives ("300 new jobs"
    are jobs). Empty where the amount counts no noun."""
    if v.kind != "number" or not v.unit or v.unit in SIGNS or v.at < 0:
        return frozenset()
    sent, start = slots.parsed_sentence(snapshot, e.sentence)
    end = v.at - start + len(v.text)
    after = [t for t in sent if t.idx >= end][:4]
    for t in after:
        if stem(fold(t.text)) == v.unit:
            return frozenset(
                stem(fold(c.text))
                for c in t.children
                if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN") and c.idx >= end
            )
    return frozenset()


def _asked_stems(question: Question) -> frozenset[str]:
    return frozenset(stem(w) for w in words(question.text))


def _narrower(
    snapshot: IndexSnapshot, e: Evidence, v: Value, other: DocRecord, asked: frozenset[str]
) -> frozenset[str]:
    """The nouns that make an amount count a narrower kind of thing than the other article
    speaks of ("gold" in "three gold medals", where the other article never says gold), and
    the question does not ask of."""
    lexicon = other.lexicon()
    return frozenset(w for w in _qualifiers(snapshot, e, v) - asked if not lexicon.names(w))


def _modifies(unit: str, v: Value, text: str) -> bool:
    """Whether a counted noun is written as a modifier of what v counts, right after v in
    its document's text ("text" in "133m text messages")."""
    end = v.at + len(v.text)
    found = re.match(r"\W*(\w+)\s+(\w+)", fold(text[end : end + 60]))
    return bool(found) and stem(found.group(1)) == unit and stem(found.group(2)) == v.unit


def _original(v: Value, other: list[Value], question: Question) -> bool:
    """Whether v may stand for its sentence against the other's values: a conversion
    ("$11bn (£5.7bn)") may not when the other sentence gives an amount comparable with the
    one it converts (compare the originals: conversions at different rates are no
    dispute), unless the question asks in the conversion's currency."""
    if v.converts is None or v.unit in question.currencies:
        return True
    return not any(
        comparable(v.converts, o) and v.converts.unit == o.unit for o in other if o.converts is None
    )


def _mentions(snapshot: IndexSnapshot, doc_id: str, value: Value) -> bool:
    """Whether a document gives this value anywhere, at least as precisely: then it does not
    contradict it ("2%" elsewhere in an article is not "1.6%" rounded). A name, in any form
    and as any kind of entity: by its rarest word (index.text.Lexicon)."""
    doc = snapshot.docs[doc_id]
    if value.kind == "name":
        own = [w for w in value.name if w not in STOPWORDS] or sorted(value.name)
        if not own:
            return False
        return doc.lexicon().names(snapshot.keyword.rarest(own))
    return any(
        (other.label == value.label or value.kind == other.kind == "number")
        and same(other, value)
        and (value.kind != "number" or other.precision <= value.precision)
        for i in range(len(doc.sentences))
        for other in doc.sentence_values(i)
    )


def _dated(snapshot: IndexSnapshot, e: Evidence) -> tuple[str, str]:
    meta = snapshot.meta(snapshot.sentences[e.sentence].doc_id)
    return meta.get("outlet", UNKNOWN), meta.get("date", UNKNOWN)


def _siblings(
    snapshot: IndexSnapshot,
    found: list[tuple[Evidence, list[Value]]],
    question: Question,
    scope: Scope | None,
    query: np.ndarray | None,
    answers: set[int],
    model: str | None = None,
) -> list[tuple[Evidence, list[Value]]]:
    """Sentences of other stories that state what the best answering sentences state (their
    embeddings are close), holding a value the question asks for."""
    have = {e.sentence for e, _ in found} | {g for e, _ in found for g in e.also}
    seeds = [e for e, _ in found if e.sentence in answers] or [e for e, _ in found]
    seeds = seeds[:SIBLING_SEEDS]
    if not seeds:
        return []
    out = []
    for seed, seed_vector in zip(seeds, snapshot.vectors(e.sentence for e in seeds), strict=True):
        # the sentences of the chunks nearest the seed sentence: its closest sentences
        # are among them, found without comparing it with every sentence
        chunks = nearest_chunks(snapshot, seed_vector, SIBLING_CHUNKS, scope)
        near = [g for g in snapshot.chunk_sentences(c for c, _ in chunks) if g != seed.sentence]
        if not near:
            continue
        vectors = snapshot.vectors(near)
        sims = vectors @ seed_vector
        home = story(snapshot, snapshot.sentences[seed.sentence].doc_id)
        for k in np.argsort(-sims, kind="stable")[:SIBLING_LOOK].tolist():
            g = near[k]
            if sims[k] < SIBLING_MATCH:
                break
            ref = snapshot.sentences[g]
            if g in have or (scope is not None and ref.doc_id not in scope.docs):
                continue
            if story(snapshot, ref.doc_id) == home:
                continue
            dense = float(vectors[k] @ query) if query is not None else seed.dense
            if dense < SIBLING_RELEVANCE:
                continue
            e = Evidence(g, seed.score * float(sims[k]), dense, 0.0)
            annotate(snapshot, [e], 1)  # its speaker; a figure takes no stance
            e.also.extend(snapshot.duplicates_of(g))
            have.update([g, *e.also])
            values = answer_values(snapshot, e, question, model)
            if values and _names_subject(snapshot, e, question):
                out.append((e, values))
    return out


def _passing_kinds(question: Question) -> frozenset[str]:
    """The kinds of value a sentence may give in passing: amounts, and dates where the
    question has a verb; a name, or a date of no act, is too often another's ("the pier,
    opened in 1899" for "When was the pier fire?")."""
    if not question.names:
        return frozenset()
    return question.wants & (NUMERIC | (TEMPORAL if question.predicate else frozenset()))


def _in_passing(
    snapshot: IndexSnapshot,
    found: list[tuple[Evidence, list[Value]]],
    further: list[Evidence],
    question: Question,
    model: str | None,
    kinds: frozenset[str],
) -> list[tuple[Evidence, list[Value]]]:
    """Sentences of other stories than the best answer's, among the retrieved ones below the
    pool, that give a value of the asked kind (kinds: _passing_kinds) in passing
    (_passing_values): news sets a
    figure in a clause about something else ("the town, now home to 15,900 people, has
    outgrown its schools"; "That agreement, signed in March 1913, divided the fishing
    grounds"), worded too unlike the answering sentence to be its sibling. Such a sentence
    is only ever the other side of one found without it (find_value_conflict), never a
    third."""
    if not found or not kinds:
        return []
    have = {g for e, _ in found for g in (e.sentence, *e.also)}
    home = story(snapshot, _doc(snapshot, found[0][0]))
    out = []
    for e in further[:PASSING_LOOK]:
        if e.sentence in have or story(snapshot, _doc(snapshot, e)) == home:
            continue
        e = Evidence(e.sentence, e.score, e.dense, e.lexical)
        annotate(snapshot, [e], 1)  # its speaker; a figure takes no stance
        values = _passing_values(snapshot, e, question, model, kinds)
        if values:
            e.also.extend(snapshot.duplicates_of(e.sentence))
            have.update((e.sentence, *e.also))
            out.append((e, values))
    return out


def _passing_values(
    snapshot: IndexSnapshot, e: Evidence, question: Question, model: str | None, kinds
) -> list[Value]:
    """The values a sentence gives of what is asked, read from its parse rather than from
    its likeness to the question: an amount, or a date of the question's act (kinds), in
    an article that writes every name word of the question (in some inflection, not a near
    spelling: "Sarrow" is no "Skarrow"), from a sentence that speaks of the subject
    (_names_subject) and, for a question with a verb, of that act, as the value's own verb
    (rag.slots.on_act), for one without, a measure of a dimension (a length, a mass); not
    a value said of something else the sentence names ("Its neighbour, the Sable Spire,
    ... 340 metres": rag.slots.said_of_another). The sentence's speaker must be filled in
    (rag.evidence.annotate)."""
    ref = snapshot.sentences[e.sentence]
    doc = snapshot.docs[ref.doc_id]
    if not {v.label for v in doc.sentence_values(ref.index)} & kinds:
        return []
    if len(words(snapshot.sentence_text(e.sentence))) < PASSING_WORDS:
        return []  # a dateline or a headline of a few words
    stems = doc.lexicon().stems
    if not all(stem(w) in stems for w in question.names):
        return []
    if not _names_subject(snapshot, e, question):
        return []
    # (the embedder's closeness of words is left out: no parse confirms it here)
    if (
        question.predicate
        and not _on_verb(snapshot, [e], question.predicate, model, close=False)[0]
    ):
        return []
    out = []
    for v in answer_values(snapshot, e, question, model):
        if v.label not in kinds:
            continue
        # on the asked act itself, where the question has a verb: not "a 1999 agreement"
        # in a sentence about flights; else a measure of a dimension ("287 metres" for
        # "How tall is ...?"), not any count in a sentence about the subject
        acted = bool(question.predicate) and slots.on_act(
            snapshot, e.sentence, v.at, question.predicate, model
        )
        if not (acted if question.predicate else v.unit in DIMENSIONS):
            continue
        if not _of_another(snapshot, e, v, question, acted):
            out.append(v)
    return out


def _says_subject(snapshot: IndexSnapshot, e: Evidence, question: Question) -> bool:
    """Whether a sentence itself writes every word of the question's subject."""
    said = words(snapshot.sentence_text(e.sentence))
    return all(any(same_name(w, s) for s in said) for w in question.subject)


def _of_another(
    snapshot: IndexSnapshot, e: Evidence, v: Value, question: Question, doer: bool | None = None
) -> bool:
    """Whether the sentence says a value of something it names that is neither in the
    question (any of its words: "iPod" is the question's though no name of it) nor the
    sentence's speaker nor the value itself (rag.slots.said_of_another). Where the value's
    verb is the question's act, its subject is whoever did the act ("Ostmark and Velland
    signed the treaty in June 1923" for "When was the accord signed?"), no other. doer:
    whether it is, where already read (rag.slots.on_act)."""
    own = set(words(question.text)) | set(words(v.text))
    if e.speaker is not None:
        own |= set(e.speaker.key.split())
    if doer is None:
        doer = bool(question.predicate) and slots.on_act(
            snapshot, e.sentence, v.at, question.predicate
        )
    return slots.said_of_another(snapshot, e.sentence, v.at, own, subjects=not doer)


def _counts_asked(
    snapshot: IndexSnapshot, e: Evidence, values: list[Value], question: Question
) -> bool:
    """Whether one of a sentence's values counts the noun a "how many" question counts, by
    name or as a kind of it in WordNet ("9,000 spectators" for "how many people")."""
    if not question.focus:
        return False
    for v in values:
        if v.kind != "number" or v.unit in SIGNS:
            continue
        noun = slots.counted_noun(snapshot, e.sentence, v.at, len(v.text))
        if noun and _of_the_asked_kind(noun, question):
            return True
    return False


def _of_the_asked_kind(noun: str, question: Question) -> bool:
    """Whether a counted noun is the one a "how many" question counts or, by WordNet, a
    kind of it ("9,000 spectators" for "how many people")."""
    return any(
        fold(noun) == (a := fold(group[0])) or kind_of(fold(noun), a) for group in question.focus
    )


def find_value_conflict(
    snapshot: IndexSnapshot,
    pool: list[Evidence],
    question: Question,
    answers: set[int] = frozenset(),
    scope: Scope | None = None,
    model: str | None = None,
    query: np.ndarray | None = None,
    further: list[Evidence] = (),
) -> Sides | None:
    """Two independent sources giving different values for what the question asks.

    answers: sentences known to answer the question (rag.answerability); two of them need
    less closeness to count as speaking of the same matter. scope: the documents a filter
    leaves, when one is set. query: the question's embedding. further: the retrieved
    sentences below the pool, best first, where another story may give a value in passing
    (_in_passing)."""
    # a name (who, where) is a side only where the sentence's parse puts it in the place
    # the question asks about (rag.slots)
    asks_value = question.wants & (NUMERIC | TEMPORAL) or question.anchor is not None
    if not asks_value or question.asks_speaker or not pool:  # the other side may be a sibling
        return None
    best = pool[0].score
    found = []
    for e in pool:
        # an age set off after the subject's name is one however unlike the question the
        # rest of its sentence is
        near = e.score >= best * SIDE_RATIO or question.age and gives_age(snapshot, e, question)
        if not near or not _names_subject(snapshot, e, question):
            continue
        values = answer_values(snapshot, e, question, model)
        if values and not _says_subject(snapshot, e, question):
            # a sentence that leaves the subject to its article: not what it says of
            # something else it names ("Its neighbour, the Orlen Mast, ... 240 metres")
            values = [v for v in values if not _of_another(snapshot, e, v, question)]
        if values:
            found.append((e, values))
    found += _siblings(snapshot, found, question, scope, query, answers, model)
    # a figure set in another place than the asked one answers another question
    found = [f for f in found if not slots.elsewhere(snapshot, f[0].sentence, question.places)]
    # a sentence whose parse ties a value to what is asked speaks of the asked matter
    # however unlike another its words are (read only where the words do not settle it)
    kinds = _passing_kinds(question)
    tied_: dict[int, list[Value]] = {}

    def tied(e: Evidence, v: Value) -> bool:
        if e.sentence not in tied_:
            tied_[e.sentence] = (
                _passing_values(snapshot, e, question, model, kinds) if kinds else []
            )
        return v in tied_[e.sentence]

    best_pair, found, stems = _best_pair(
        snapshot, found, question, answers, model, tied, frozenset()
    )
    in_passing: set[int] = set()
    if best_pair is None and kinds:
        # only where the pool holds no dispute: a value another story gives in passing
        passing = _in_passing(snapshot, found, further, question, model, kinds)
        if passing:
            in_passing = {e.sentence for e, _ in passing}
            tied_.update((e.sentence, values) for e, values in passing)
            best_pair, found, stems = _best_pair(
                snapshot, found + passing, question, answers, model, tied, in_passing
            )
    if best_pair is None:
        twins = _twins(snapshot, pool, question, model)
        if twins is None:
            return None
        a, b, pair = twins
        found = [(a, [pair[0]]), (b, [pair[1]])]
        stems = {e.sentence: _stems(snapshot, e) for e, _ in found}
        return _value_sides(snapshot, found, a, b, pair, question, answers, stems)
    a, b, pair = best_pair
    return _value_sides(snapshot, found, a, b, pair, question, answers, stems, in_passing)


def _best_pair(
    snapshot: IndexSnapshot,
    found: list[tuple[Evidence, list[Value]]],
    question: Question,
    answers: set[int],
    model: str | None,
    tied,
    in_passing: set[int],
):
    """The strongest pair of sentences of independent stories giving different values of
    one measure for what is asked (find_value_conflict), among those that speak of the
    question's act; with the sentences kept and their stems. tied(e, v): whether a
    sentence's parse ties a value to what is asked. Two values given in passing
    (in_passing) are never a pair."""
    counted = False
    if question.predicate and found:
        # "how many prizes did it win": a count of nominations answers another question;
        # but where no sentence uses the question's verb, a count of the asked thing
        # itself answers in another ("drew 9,000 spectators" for "how many people
        # attended"), and two such counts are of one thing ("9,000 spectators" and "12,000
        # people")
        on_verb = _on_verb(snapshot, [e for e, _ in found], question.predicate, model)
        if not any(on_verb):
            on_verb = [_counts_asked(snapshot, e, values, question) for e, values in found]
            counted = True
        found = [f for f, ok in zip(found, on_verb, strict=True) if ok]
    stems = {e.sentence: _stems(snapshot, e) for e, _ in found}
    # "three gold medals" counts a narrower thing than "five medals", unless it is asked
    asked = _asked_stems(question)
    best_pair, best_strength = None, float("-inf")
    for i, (a, va) in enumerate(found):
        doc_a = snapshot.sentences[a.sentence].doc_id
        for b, vb in found[i + 1 :]:
            strength = min(a.score, b.score)  # a dispute is as strong as its weaker side
            if strength <= best_strength:
                continue
            doc_b = snapshot.sentences[b.sentence].doc_id
            if doc_a == doc_b or story(snapshot, doc_a) == story(snapshot, doc_b):
                continue
            if b.sentence in a.also or a.sentence in in_passing and b.sentence in in_passing:
                continue
            # a value either sentence shares with the other is agreement, not a side
            own_a = [x for x in va if not any(same(x, y) for y in vb)]
            own_b = [y for y in vb if not any(same(y, x) for x in va)]
            if not own_a or not own_b:
                continue
            both_answer = a.sentence in answers and b.sentence in answers
            # sentences about one matter; or one of them ties its value to what is asked
            # by its parse (_passing_values); or figures each written beside the subject's
            # name ("Jane Roe, 30," and "Roe, 29,"), whatever else their sentences say
            aligned = _cosine(snapshot, a, b) >= (ALIGN_ANSWERS if both_answer else ALIGN_VALUES)
            stems_a, stems_b = stems[a.sentence], stems[b.sentence]
            record_a, record_b = snapshot.docs[doc_a], snapshot.docs[doc_b]
            text_a, text_b = record_a.text, record_b.text
            pair = next(
                (
                    (x, y)
                    for x in own_a
                    for y in own_b
                    # (the parse-read ties last: they cost a parse where words do not
                    # settle it)
                    if _original(x, vb, question)
                    and _original(y, va, question)
                    and (
                        _measure_alike(x, y, stems_a, stems_b, text_a, text_b)
                        or _counts_of_the_act(snapshot, a, x, b, y, question, model)
                        or counted
                    )
                    and (
                        aligned
                        or _bound(snapshot, a, x, question)
                        and _bound(snapshot, b, y, question)
                        or tied(a, x)
                        or tied(b, y)
                    )
                    and _narrower(snapshot, a, x, record_b, asked)
                    == _narrower(snapshot, b, y, record_a, asked)
                    and not _mentions(snapshot, doc_b, x)
                    and not _mentions(snapshot, doc_a, y)
                ),
                None,
            )
            if pair is not None:
                best_pair, best_strength = (a, b, pair), strength
    return best_pair, found, stems


def _twins(
    snapshot: IndexSnapshot, pool: list[Evidence], question: Question, model: str | None
) -> tuple[Evidence, Evidence, tuple[Value, Value]] | None:
    """Two sentences of independent stories told alike (embeddings as close as a copy's,
    index.duplicates) but for one name each, on a question asking who or where, and not
    sharing the name in the asked place: the names are the sides, whatever kind the
    recogniser took each for ("the final was played in Tarnby" and "the final was played
    in Velmora", read as a person)."""
    if not question.wants & NAMES:
        return None
    asked = set(question.names)
    near = [e for e in pool[:TWIN_LOOK] if _names_subject(snapshot, e, question)]
    vectors = snapshot.vectors(e.sentence for e in near) if near else None
    for i, a in enumerate(near):
        for j in range(i + 1, len(near)):
            b = near[j]
            doc_a, doc_b = _doc(snapshot, a), _doc(snapshot, b)
            if story(snapshot, doc_a) == story(snapshot, doc_b) or b.sentence in a.also:
                continue
            if float(vectors[i] @ vectors[j]) < SENTENCE_COSINE:
                continue
            names_a, names_b = _names_of(snapshot, a, asked), _names_of(snapshot, b, asked)
            own_a = [x for x in names_a if not any(same(x, y) for y in names_b)]
            own_b = [y for y in names_b if not any(same(y, x) for x in names_a)]
            if len(own_a) != 1 or len(own_b) != 1:
                continue
            # two that share the name in the asked place agree on it ("appointed Lena Marsh,
            # replacing Tom Reyes" and "Lena Marsh was appointed after a vote led by Carl
            # Diaz")
            placed = slots.answer_names(snapshot, a, question, model, close=False)
            if any(same(p, x) for p in placed for x in names_a if x not in own_a):
                continue
            x, y = own_a[0], own_b[0]
            if _mentions(snapshot, doc_b, x) or _mentions(snapshot, doc_a, y):
                continue
            return a, b, (x, y)
    return None


def _names_of(snapshot: IndexSnapshot, e: Evidence, asked: set[str]) -> list[Value]:
    """A sentence's names, less the question's own and its speaker's."""
    ref = snapshot.sentences[e.sentence]
    speaker = set(e.speaker.key.split()) if e.speaker else set()
    return [
        v
        for v in snapshot.docs[ref.doc_id].sentence_values(ref.index)
        if v.kind == "name" and not v.name <= asked and not (speaker and v.name <= speaker)
    ]


def _value_sides(
    snapshot, found, a, b, pair: tuple[Value, Value], question, answers, stems, passing=()
) -> Sides:
    x, y = pair
    first, second = [a], [b]
    written: list[tuple[int, str]] = []
    others: list[tuple[Evidence, list[Value]]] = []
    for e, values in found:
        if e in (a, b):
            continue
        has_x = next((v for v in values if same(v, x)), None)
        has_y = next((v for v in values if same(v, y)), None)
        if (has_x is None) != (has_y is None):
            (first if has_x else second).append(e)
            own = has_x or has_y
            if own.text != (x if has_x else y).text:
                written.append((e.sentence, own.text))
        elif not has_x:
            others.append((e, values))
    # a third figure must answer the question itself, not be given in passing
    others = [(e, values) for e, values in others if e.sentence not in passing]
    more = _more_sides(snapshot, others, (a, b), (x, y), question, answers, stems)
    (outlet_a, date_a), (outlet_b, date_b) = _dated(snapshot, a), _dated(snapshot, b)
    kind, newer = "value", None
    if UNKNOWN not in (outlet_a, date_a, date_b) and outlet_a == outlet_b and date_a != date_b:
        kind, newer = "update", 0 if date_a > date_b else 1
    if kind == "update":
        more = []  # one outlet's revisions: the newest and the one it replaced
    return Sides(
        first, second, kind, (x.text, y.text), (x.text, y.text), newer, tuple(more), tuple(written)
    )


def _more_sides(snapshot, others, ends, pair, question, answers, stems):
    """Further values for the same thing, each from a story of its own that gives none of
    the values already sides (three films of one title, three directors), from a sentence
    close in meaning to both ends of the first pair."""
    sides: list[tuple[Value, list[Evidence]]] = []
    asked = _asked_stems(question)
    for e, values in others:
        doc_e = _doc(snapshot, e)
        anchors = list(ends) + [side[0] for _, side in sides]
        shown = list(pair) + [v for v, _ in sides]
        if any(story(snapshot, doc_e) == story(snapshot, _doc(snapshot, o)) for o in anchors):
            continue
        if any(_mentions(snapshot, doc_e, v) for v in shown):
            continue
        for z in values:
            if not all(comparable(z, v) and not same(z, v) for v in shown):
                continue
            if not _same_unit(z, pair[0], stems[ends[0].sentence]):
                continue
            if any(
                _narrower(snapshot, e, z, snapshot.docs[_doc(snapshot, end)], asked)
                != _narrower(snapshot, end, value, snapshot.docs[doc_e], asked)
                for end, value in zip(ends, pair, strict=True)
            ):
                continue  # "three gold medals" against "five medals"
            # a name filling the asked place (rag.slots) is a side as the first two are;
            # a third figure must answer the question and say what both ends say: a stray
            # amount in a sentence on the topic would otherwise crowd out the two sides
            if z.kind == "name":
                close = all(_cosine(snapshot, e, o) >= ALIGN_VALUES for o in ends)
            else:
                close = e.sentence in answers and all(
                    _cosine(snapshot, e, o) >= SIBLING_MATCH for o in ends
                )
            if close and not any(_mentions(snapshot, _doc(snapshot, o), z) for o in anchors):
                sides.append((z, [e]))
                break
    return [(z.text, side) for z, side in sides]


def _doc(snapshot: IndexSnapshot, e: Evidence) -> str:
    return snapshot.sentences[e.sentence].doc_id


def find_stance_conflict(
    snapshot: IndexSnapshot,
    evidence: list[Evidence],
    aligned: bool,
    predicate: tuple[str, ...] = (),
    model: str | None = None,
    matter: tuple[str, ...] = (),
    asked: int = 1,
) -> Sides | None:
    """Opposite stances among the strongest evidence, held by different voices.

    A voice sits on the side of its most relevant sentence, so a speaker who is quoted both
    ways does not disagree with himself; a denial only counts when it is as relevant to the
    question as the claim it would contradict (within ``SIDE_RATIO`` of the best score).
    When ``aligned`` (an open question, whose stance the question does not set), a denial
    also needs a claim close in meaning to it on the other side. With a ``predicate`` (the
    verb of a yes/no question), only sentences that speak of one of its words take a side: a quote that
    merely shares the question's topic neither affirms nor denies it; with a ``matter`` (what
    that verb is about), a sentence affirms only if it also speaks of one of its words
    ("would accept the trade terms" affirms no question about accepting troops).
    """
    if len(evidence) < 2:
        return None
    if predicate:
        on_verb = _on_verb(snapshot, evidence, predicate, model)
        evidence = [e for e, ok in zip(evidence, on_verb, strict=True) if ok]
        for e in evidence:  # which way a sentence leans on that act, read from its parse
            leans = slots.stance(snapshot, e.sentence, predicate, model)
            if leans is not None:
                e.stance = leans * asked
        if matter:
            # a denial of the question's own verb may put its object in other words ("denied
            # claims that he knew ..."); one of another verb must name it ("did not respond
            # to requests for comment" denies nothing about the troops asked of)
            on_matter = _on_verb(snapshot, evidence, matter, model, WORD_MATCH, verbs=False)
            evidence = [
                e
                for e, m in zip(evidence, on_matter, strict=True)
                if m or (e.stance < 0 and _says_verb(snapshot, e, predicate))
            ]
        if len(evidence) < 2:
            return None
    best = max(e.score for e in evidence)
    # sentences on the question's verb are on topic: a side may rank a little lower
    ratio = PREDICATE_SIDE_RATIO if predicate else SIDE_RATIO
    strong = [e for e in evidence if e.score >= best * ratio]
    side_of: dict[str, int] = {}
    for e in sorted(strong, key=lambda e: -e.score):
        side_of.setdefault(voice(snapshot, e), e.stance)
    affirm = [e for e in strong if side_of[voice(snapshot, e)] == 1 and e.stance == 1]
    deny = [e for e in strong if side_of[voice(snapshot, e)] == -1 and e.stance == -1]
    if aligned:
        # an open question sets no stance: a side is a speaker whose claim is denied by
        # another speaker's sentence about the same matter
        def opposed(x: Evidence, others: list[Evidence]) -> bool:
            return (x.speaker is not None and x.speaker.named) and any(
                (o.speaker is not None and o.speaker.named)
                and o.speaker.key != x.speaker.key
                and _cosine(snapshot, x, o) >= ALIGN_STANCE
                for o in others
            )

        affirm, deny = (
            [a for a in affirm if opposed(a, deny)],
            [d for d in deny if opposed(d, affirm)],
        )
    if not affirm or not deny:
        return None
    if not any(e.speaker is not None for e in affirm + deny):
        return None  # unattributed narration on both sides is not a dispute between sources
    return Sides(affirm, deny)


def _amounts(snapshot: IndexSnapshot, e: Evidence) -> list[Value]:
    """The amounts a sentence gives, whatever they are of."""
    ref = snapshot.sentences[e.sentence]
    return [v for v in snapshot.docs[ref.doc_id].sentence_values(ref.index) if v.kind == "number"]


def _named_first(side: list[Evidence]) -> list[Evidence]:
    return sorted(side, key=lambda e: (e.speaker is None or e.speaker.role is None, -e.score))


def _spread(snapshot: IndexSnapshot, side: list[Evidence]) -> list[Evidence]:
    """A side's sentences with one from each story first, in their order: a side held by
    two sources shows both before a second sentence of either."""
    seen: set[str] = set()
    first, later = [], []
    for e in side:
        home = story(snapshot, snapshot.sentences[e.sentence].doc_id)
        (later if home in seen else first).append(e)
        seen.add(home)
    return first + later


def pick(
    snapshot: IndexSnapshot,
    pool: list[Evidence],
    limit: int,
    question: Question,
    model: str | None = None,
    answers: set[int] = frozenset(),
    scope: Scope | None = None,
    query: np.ndarray | None = None,
    further: list[Evidence] = (),
) -> tuple[list[Evidence], Sides | None]:
    """The evidence to show: both sides first when sources disagree, else the best sentences
    with no voice repeated before every voice has had a place. further: the retrieved
    sentences below the pool (find_value_conflict)."""
    sides = find_value_conflict(snapshot, pool, question, answers, scope, model, query, further)
    if sides is None:
        open_ = not question.polar
        # an open question asking for an amount or a date is disputed by values (above),
        # or by a denial of the claim that gives the amount ("has not signed any lease"
        # against "agreed to lease the dock for ten years"): the affirming side must answer
        # it, and speak of its verb as on a yes/no question
        amount = open_ and bool(question.wants & NUMERIC)
        # "who said ...?" and "what did Jane Roe say ...?" ask for one voice, not a dispute
        if not (open_ and (question.asks_speaker or question.quoted)):
            sides = find_stance_conflict(
                snapshot,
                pool,
                aligned=open_,
                predicate=question.predicate if question.polar or amount else (),
                model=model,
                matter=question.matter,
                asked=-1 if negated(question.text) else 1,
            )
        if sides is not None and amount:
            # a "denial" that gives an amount itself ("was fined two weeks' wages after he
            # accused the manager of lying") states a figure, which the values settle
            valued = [
                e
                for e in sides.first
                if e.sentence in answers and answer_values(snapshot, e, question, model)
            ]
            denied = [e for e in sides.second if not _amounts(snapshot, e)]
            sides = replace(sides, first=valued, second=denied) if valued and denied else None
        if sides is not None and open_ and question.anchor is not None:
            # "who is the CEO of X?" is disputed by a denial of a claim that names someone
            # in that place, not by any two opposed sentences about X
            named = [e for e in sides.first if slots.answer_names(snapshot, e, question, model)]
            sides = replace(sides, first=named) if named else None
    if sides is not None:
        per_side = max(1, limit // (2 + len(sides.more)))

        def shown(side: list[Evidence]) -> list[Evidence]:
            side = _named_first(side) if sides.kind == "stance" else side
            return _spread(snapshot, side)[:per_side]

        first, second = shown(sides.first), shown(sides.second)
        more = tuple((value, shown(side)) for value, side in sides.more)
        sides = replace(sides, first=first, second=second, more=more)
        return sides.all(), sides
    first, later, seen = [], [], set()
    best = pool[0].score
    for e in pool:
        if e.score < best * 0.8:
            later.append(e)
            continue
        v = voice(snapshot, e)
        (later if v in seen else first).append(e)
        seen.add(v)
    chosen = (first + later)[:limit]
    return sorted(chosen, key=lambda e: -e.score), None
