"""Does a sentence answer the question, or only share its words? Read from evidence, not from
a list of words the corpus lacks.

A question's *focus* comes from its parse (rag.question): the noun that "how many" counts
("how many visitors"). A sentence answers when

- every focus term is in it: the same stem, a word whose embedding is close (cosine >=
  ``WORD_MATCH``), so inflections and aliases count ("shares" for "stake"), or a word for
  a kind of it that one of its amounts counts (rag.wordnet: "twelve miners" for "how many
  people"); and
- for a question asking the value of a thing a noun names ("What salary ...?", "How much
  will the allowance be?"), it speaks of that thing, or holds an amount it does not say is
  of something else ("a bonus of £44,914" answers no salary question); and
- for "What did <a named person> say ...?", it is that person's (the index's speaker); and
- for a question that asks for a value (an amount, a date, a person or organisation), it
  holds one of that kind beyond those the question gives itself ("When ...?" is not
  answered by a sentence with no date, "How much ...?" by one with no amount); for "who"
  with a parse of where the name sits ("Who bought X?"), a name in that place
  (rag.slots), or the speaker of a quote that does not speak of the act ("Who described
  her as ...?").

The names of the question are not part of the focus: retrieval already found the articles
about them; what is missing in a near miss is what is asked (a date, an amount, the thing
counted).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import replace

from index.store import IndexSnapshot
from index.text import ACRONYM, STOPWORDS, Lexicon, fold, stem, words
from index.values import (
    LENGTH,
    NAMES,
    NUMERIC,
    PLACES,
    SIGNS,
    TEMPORAL,
    TIME_UNITS,
    Value,
    same_name,
    time_unit,
)
from rag.closeness import (
    base_forms,
    content_words,
    covered,
    same_stem,
    word_vectors,
)
from rag.evidence import Evidence, annotate, polarity
from rag.question import Question, asks_when
from rag.slots import (
    answer_names,
    counted_noun,
    has_anchor,
    hypothetical,
    in_period,
    made_by,
    measured,
    on_act,
    parsed_sentence,
)
from rag.wordnet import FIRST, kind_of, money_unit, verb_classes

LOOK_AT = 8
# A value within this many words of the asked word ("rate of 3.7%", "costs $150") is what
# the word takes.
TYPE_WINDOW = 3
_TOKEN = re.compile(r"[\w'-]+")


def answers(
    snapshot: IndexSnapshot, e: Evidence, question: Question, model: str | None = None
) -> bool:
    """Whether evidence sentence e answers the question (see the module's docstring)."""
    if question.quoted and not (
        e.speaker is not None and goes_by(" ".join(question.quoted), e.speaker.name)
    ):
        return False
    sentence_words = content_words(snapshot.sentence_text(e.sentence))
    counted: list[str] | None = None
    for group in question.focus:
        if any(covered(term, sentence_words, model) for term in group):
            continue
        if counted is None:
            counted = _counted(snapshot, e)
        if not any(kind_of(w, fold(group[0])) for w in counted):
            return False
    # "What salary ...?": a bonus of £44,914 is not one; "he earns £90,000" may be
    if (
        question.valued
        and not any(covered(t, sentence_words, model) for t in question.valued)
        and not _holds_wanted(snapshot, e, question, unnamed=True, model=model)
    ):
        return False
    # a place is not required: "where" is as often answered by "at his home" as by a name
    typed = question.wants - PLACES
    # only a verb's place: "Who is the artist of X?" is answered as often by "an album by
    # Jane Roe" as by a sentence that names an artist
    verb = question.anchor is not None and question.anchor[1] != "be"
    if typed and verb and not question.asks_speaker:
        # "Who bought X?": a name in the place the parse gives the buyer; a quote that
        # does not speak of the act may answer "who described her as ..." by its speaker
        if answer_names(snapshot, e, question, model):
            return True
        # "the artist associated with X" where no sentence says "associated": a name in
        # the artist's own place ("an album by rock band Brad")
        if question.role is not None and answer_names(
            snapshot, e, replace(question, anchor=question.role), model
        ):
            return True
        quoted = e.speaker is not None and e.speaker.named
        if not quoted or set(words(e.speaker.name)) & set(question.names):
            return False  # the question's own people are not who it asks for
        # only an act of words or of the mind, as WordNet classes one of the verb's two
        # commonest senses: a quote may say who praised, blamed or attacked, not who won
        if not _SAID_ACTS & set(verb_classes(question.anchor[0].split()[0])[:FIRST]):
            return False
        return not has_anchor(snapshot, e.sentence, question.anchor, model)
    if typed and question.anchor is not None and answer_names(snapshot, e, question, model):
        return True  # "the company's chief executive Jane Roe said": its speaker, in the role
    if (
        typed
        and question.anchor is not None
        and question.anchor[1] == "be"
        and not covered(question.anchor[0], sentence_words, model)
        and not made_by(snapshot, e.sentence)
    ):
        # "Who is the chief executive of X?": a name beside no such role; "an album by Jane
        # Roe" or "a series written by Jane Roe" names the artist or the creator of X
        return False
    return not (
        typed
        and not question.asks_speaker
        and not _holds_wanted(snapshot, e, question, model=model)
    )


# WordNet's classes of acts that a quote itself does
_SAID_ACTS = frozenset({"verb.communication", "verb.cognition"})


def _counted(snapshot: IndexSnapshot, e: Evidence) -> list[str]:
    """The nouns a sentence's numbers count ("miners" in "twelve miners were hurt"), not
    every noun it holds ("the minister said")."""
    ref = snapshot.sentences[e.sentence]
    nouns = (
        counted_noun(snapshot, e.sentence, v.at, len(v.text))
        for v in snapshot.docs[ref.doc_id].sentence_values(ref.index)
        if v.kind == "number"
    )
    return [n for n in nouns if n]


def goes_by(asked: str, name: str) -> bool:
    """Whether a question's name for someone is this person's name: written another way
    (index.values.same_name), or, for a one-word name, a short form of one of its words
    ("Rafa" for Rafael Varden, "Fergie" for Ian Ferguson): four letters at least in common
    at the start, and at most two more."""
    if same_name(asked, name):
        return True
    short = words(asked)
    if len(short) != 1:
        return False
    return any(_short_form(short[0], w) for w in words(name))


def _short_for_person(doc, word: str) -> bool:
    """Whether a one-word name is a short form of a word of a person the article names
    ("Rafa" where it names Rafael Varden)."""
    return any(_short_form(word, w) for person in doc.people() for w in person)


def _short_form(short: str, word: str) -> bool:
    """Whether a word is a short form of a longer name word, cut to its first syllable or
    so: its first four letters where it has one or two more ("Rafa", Rafael), or its first
    four or five letters and a diminutive's ending of at most two letters where the longer
    word goes on with three or more ("Fergie", Ferguson). Not a name that a longer one
    only extends ("Jack" and Jackson, "Robin" and Robinson, "Marco" and Marcondes)."""
    common = len(os.path.commonprefix([short, word]))
    if common == len(short):
        return common == 4 and 1 <= len(word) - common <= 2
    return 4 <= common <= 5 and len(short) - common <= 2 and len(word) - common >= 3


def named_in(snapshot: IndexSnapshot, doc_id: str, question: Question) -> list[bool | None]:
    """For each name of the question (rag.question.named_things), whether the document
    holds it (index.text.Lexicon: an inflection, a longer form, a near spelling, the
    initials of a name or the name of initials): a name of several words by its rarest
    word in the corpus ("Emirates" of "Emirates Stadium"), a person's also by the surname
    ("Mr Brown" names Gordon Brown). None for an abbreviation the
    document lacks: abbreviations are the names written in the most ways ("GDP" where an
    article says "the economy")."""
    doc = snapshot.docs[doc_id]
    lex = doc.lexicon()
    out: list[bool | None] = []
    for phrase in question.named:
        if len(phrase) > 1 and phrase[-1].isupper() and len(phrase[-1]) in ACRONYM:
            # a closing abbreviation ("Harbour City FC", "Volta AG") is often left unwritten
            phrase = phrase[:-1]
        folded = [(written, f) for written in phrase for f in words(written)]
        numbered = len(phrase) > 1 and phrase[-1].isdigit()
        if numbered or len(phrase) > 1 and _as_written(phrase, question.text) != " ".join(phrase):
            # one name written with hyphens ("Half-Life") is not its common words apart,
            # nor one with a number ("Zento Play 3") another of its series
            out.append(lex.joins([f for _, f in folded]) or _people_joined(doc, folded))
            continue
        initials = "".join(f[0] for _, f in folded)
        if len(folded) > 1 and initials in lex.abbreviations:
            out.append(True)
            continue
        rarest = snapshot.keyword.rarest([f for _, f in folded])
        abbreviation = all(w.isupper() and len(f) in ACRONYM for w, f in folded)
        surname = folded[-1][1] if folded[-1][1] in question.surnames else None
        if (
            lex.names(rarest)
            or (surname and lex.names(surname))
            or (abbreviation and lex.spells(rarest))
            or (
                len(folded) == 1
                and rarest in question.surnames  # a person's, as the question reads it
                and _short_for_person(snapshot.docs[doc_id], rarest)
            )
        ):
            out.append(True)
        else:
            out.append(None if abbreviation else False)
    return out


def _people_joined(doc, folded: list[tuple[str, str]]) -> bool:
    """Whether a hyphenated name joins names the article writes, in any spelling, one of
    them at least a person's ("a Daskal-Petrova summit" where it names Ivo Daskal and Ana
    Petrova), not one name's common words ("Half-Life")."""
    people = doc.people()
    if len(folded) < 2 or not people:
        return False
    lex = doc.lexicon()
    if not all(written[:1].isupper() and lex.names(f) for written, f in folded):
        return False
    names = Lexicon("\n".join(" ".join(person) for person in people))
    return any(names.names(f) for _, f in folded)


def unnamed(snapshot: IndexSnapshot, pool: list[Evidence], question: Question) -> list[str]:
    """The question's names that no article of the answering sentences holds, when none of
    those articles holds the question's subject (or, for a question whose subject is not a
    name, any of its names): a question about "Changyu" answered only from articles about
    other winemakers. Else nothing: questions about two things ("Mittal's and Marsh's job
    cuts") are answered by an article for each."""
    if not question.named:
        return []
    about = _subject_phrases(question)
    found = [
        named_in(snapshot, d, question)
        for d in {snapshot.sentences[e.sentence].doc_id for e in pool}
    ]
    if any(f[i] for f in found for i in about):
        return []
    return [
        _as_written(question.named[i], question.text)
        for i in about
        if any(f[i] is False for f in found)
    ]


def _subject_phrases(question: Question) -> list[int]:
    """The question's names that hold its subject (all of them where none does)."""
    return [
        i
        for i, phrase in enumerate(question.named)
        if any(f in question.subject for w in phrase for f in words(w))
    ] or list(range(len(question.named)))


def on_subject(
    snapshot: IndexSnapshot, pool: list[Evidence], answering_: list[Evidence], question: Question
) -> tuple[list[Evidence], list[Evidence]]:
    """The pool and the answering sentences without those of articles that hold none of the
    question's names, where an answering sentence's article holds one: "How many cars does
    the Saab plant make?" is not answered by another maker's new plant, however alike its
    words. Any of its names, not only its subject's: a comparison ("How quickly did X sell
    out compared with Y?") is answered by an article about each. Unchanged where no
    answering article holds one (unnamed says why)."""
    if not question.named:
        return pool, answering_
    names = _names_doc(snapshot, question)
    if not any(names(e) for e in answering_):
        return pool, answering_
    return [e for e in pool if names(e)], [e for e in answering_ if names(e)]


def further_in_named(
    snapshot: IndexSnapshot,
    pool: list[Evidence],
    scored: list[Evidence],
    answering_: list[Evidence],
    question: Question,
    model: str | None = None,
) -> list[Evidence]:
    """Where no answering sentence's article holds the question's names while the best
    sentences' articles do, the answering sentences further down those articles: "what
    dates is the festival on?" is answered by an article about that festival, in a sentence
    whose words are less like the question's than another festival's. Where some answering
    sentence's article holds the names, none are added; but if the best sentence of all
    is such an article's and does not answer, that article's best answering sentence is
    raised just above it."""
    if not question.named:
        return []
    holds = _names_doc(snapshot, question)
    held = [e for e in answering_ if holds(e)]
    if held:
        # where the best sentence of all does not answer, its article's best answering
        # sentence leads (scores changed in place: the caller sorts the pool again)
        if pool and pool[0] not in answering_ and holds(pool[0]):
            top = snapshot.sentences[pool[0].sentence].doc_id
            own = [e for e in held if snapshot.sentences[e.sentence].doc_id == top]
            _stand_with_article(snapshot, pool, own[:1])
        return []
    docs = {snapshot.sentences[e.sentence].doc_id for e in pool[:LOOK_AT] if holds(e)}
    if not docs:
        return []
    seen = {e.sentence for e in pool}
    further = [
        e
        for e in scored
        if e.sentence not in seen and snapshot.sentences[e.sentence].doc_id in docs
    ][:LOOK_AT]
    annotate(snapshot, further, polarity(question.text))
    found = [
        e
        for e in further
        if _specific(snapshot, e, question) and answers(snapshot, e, question, model)
    ]
    _stand_with_article(snapshot, pool, found)
    return found


def _stand_with_article(
    snapshot: IndexSnapshot, pool: list[Evidence], answering_: list[Evidence]
) -> None:
    """An answering sentence stands where its article's best sentence stands, just before
    it, in their own order (its score is raised, never lowered)."""
    best: dict[str, float] = {}
    for e in pool:
        doc_id = snapshot.sentences[e.sentence].doc_id
        best[doc_id] = max(best.get(doc_id, e.score), e.score)
    for rank, e in enumerate(answering_):
        doc_id = snapshot.sentences[e.sentence].doc_id
        e.score = max(e.score, best.get(doc_id, e.score) + 1e-6 * (len(answering_) - rank))


def _specific(snapshot: IndexSnapshot, e: Evidence, question: Question) -> bool:
    """Whether a sentence far down the ranking holds a value that can only answer what is
    asked: a calendar date (a month at least) for "when", an amount of the asked unit
    ("how many cars", "how long" in time units); not a line that is only a date (an
    article's dateline) nor any number for a question that names no unit."""
    ref = snapshot.sentences[e.sentence]
    doc = snapshot.docs[ref.doc_id]
    text = snapshot.sentence_text(e.sentence)
    for v in doc.sentence_values(ref.index):
        if len(v.text) >= len(text.strip(" .")) - 1:
            continue  # the whole line is the value
        if question.units:
            if v.kind == "number" and v.unit in question.units:
                return True
        elif v.label in question.wants & TEMPORAL and v.date and v.date[1] is not None:
            return True
    return False


def _names_doc(snapshot: IndexSnapshot, question: Question):
    """Whether an evidence sentence's article holds one of the question's names."""
    cache: dict[str, bool] = {}

    def holds(e: Evidence) -> bool:
        doc_id = snapshot.sentences[e.sentence].doc_id
        if doc_id not in cache:
            cache[doc_id] = any(f is True for f in named_in(snapshot, doc_id, question))
        return cache[doc_id]

    return holds


def _as_written(phrase: tuple[str, ...], text: str) -> str:
    joined = "-".join(phrase)
    return joined if joined in text else " ".join(phrase)


def counts_what_is_asked(v: Value, question: Question) -> bool:
    """Whether an amount can answer 'how many N', 'how old' or 'how long' (a length where
    the question asks for one: rag.question.asks_length): not money (unless N is a
    currency) or a share; a length of time for a question about time, a count of things (not
    of years) for one about things. Counted nouns are not matched word for word: 'consoles'
    answers 'how many handhelds'. For a bare 'how much', not a count of things other than
    money."""
    if (
        question.measure
        and v.label == "CARDINAL"
        and v.unit
        and v.unit not in SIGNS
        and not money_unit(fold(v.unit))  # "840 crowns" is a price, "14m cables" is not
    ):
        return False
    if question.length:  # "How long is the tunnel?": a length, not a toll or a year
        if v.unit == LENGTH:
            return True
        if not question.units & TIME_UNITS:  # a length only
            return False
    if not question.units or v.kind != "number":
        return True
    if v.unit in SIGNS:  # "how many euros" asks for money
        return v.unit in question.currencies
    if not v.unit:
        return True
    return (v.unit in TIME_UNITS) == bool(question.units & TIME_UNITS)


def _an_age(v: Value) -> bool:
    """Whether the index read a bare number as a person's age: years that its text does not
    name ("Jane Roe, 42,"; not "42 years")."""
    return v.unit in TIME_UNITS and not any(time_unit(w) for w in words(v.text))


def _no_count(text: str) -> bool:
    """Whether a phrase holds no number, in figures or words ("last year", "yesterday";
    not "the nineteenth month in a row"), as the parser's vocabulary reads them."""
    from index.analysis import get_nlp

    vocab = get_nlp().vocab
    return not any(vocab[w].like_num for w in text.split())


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _counts_another(v: Value, question: Question, said: set[str]) -> bool:
    """Whether an amount counts another thing than the one asked, in a sentence that names
    the asked thing (the noun itself, ``said`` holding the sentence's words in the singular)
    without counting it: "the two sides agreed on an exchange of hostages" gives no number
    of hostages. Where the sentence does not name it, its count of a thing may be that one
    in other words ("3m players" for "how many gamers"; "9 billion calls" beside "calling"
    for "how many phone calls")."""
    things = question.units - TIME_UNITS
    counted = {_singular(fold(group[0])) for group in question.focus}
    return (
        bool(counted & said)
        and v.kind == "number"
        and bool(v.unit)
        and v.unit not in SIGNS
        and stem(fold(v.unit)) not in things
        and not any(kind_of(fold(v.unit), c) for c in counted)  # "40 miners" are people
    )


def _holds_wanted(
    snapshot: IndexSnapshot,
    e: Evidence,
    question: Question,
    unnamed: bool = False,
    model: str | None = None,
) -> bool:
    """An entity of a wanted kind that the question does not give itself ('five months' is a
    date here even though it cannot be compared as one): not a name the question uses ("Mr
    Roe" when it asks about Jane Roe), not a share when it asks how many. unnamed: only an
    amount the sentence does not say is of some thing (rag.slots.measured)."""
    ref = snapshot.sentences[e.sentence]
    asked = fold(question.text)
    wanted = question.wants - PLACES
    if question.units & TIME_UNITS:  # "for the 19th month in a row" says how many months
        wanted |= {"ORDINAL"}
    speaker = fold(e.speaker.name) if e.speaker else ""
    doc = snapshot.docs[ref.doc_id]
    amounts = {v.text: v for v in doc.sentence_values(ref.index) if v.kind == "number"}
    said = (
        {_singular(w) for w in words(snapshot.sentence_text(e.sentence))}
        if question.units - TIME_UNITS
        else set()
    )
    for label, text, _ in doc.sentence_entities(ref.index):
        folded = fold(text)
        if label not in wanted or folded in asked or folded in speaker:
            continue
        if label in NAMES:
            last = words(text)[-1:] or [""]
            if any(same_name(last[0], n) for n in question.names):
                continue
        value = amounts.get(text)
        if value is None and label in TEMPORAL and question.units & TIME_UNITS and _no_count(text):
            continue  # "last year" is when, not how many years
        if value is None and question.measure and label == "CARDINAL":
            continue  # "trillions of calculations" gives no amount to say what it costs
        if value is not None and value.label in TEMPORAL and asks_when(question.text):
            continue  # "When ...?" asks for a time, not a length of one ("a six-week job")
        if value is not None and not counts_what_is_asked(value, question):
            continue
        if value is not None and _counts_another(value, question, said):
            continue
        if (
            value is not None
            and question.measure
            and value.label == "CARDINAL"
            and not value.unit
            and question.predicate
            and not on_act(snapshot, e.sentence, value.at, question.predicate, model)
        ):
            continue  # "the stadium holds 40,000" does not say how much it cost
        if value is not None and not question.age and _an_age(value):
            continue  # "Jane Roe, 42," gives her age, not how many years anything lasted
        if value is not None and hypothetical(snapshot, e.sentence, value.at, question):
            continue  # "could face up to 85 years" is not what he was sentenced to
        if value is not None and not in_period(doc, ref.index, value, question):
            continue  # October's figure does not answer for December
        if unnamed and (
            value is None
            or value.label == "CARDINAL"  # a count of something, not an amount of it
            or measured(snapshot, e.sentence, value.at, len(value.text))
        ):
            continue
        return True
    return False


def answering(
    snapshot: IndexSnapshot, pool: list[Evidence], question: Question, model: str | None = None
) -> list[Evidence]:
    """The evidence sentences that answer the question, among the ``LOOK_AT`` best: a date
    far down the ranking belongs to another matter."""
    best = pool[:LOOK_AT]
    if question.focus:  # embed at once the words of every sentence an inflection leaves open
        texts = [content_words(snapshot.sentence_text(e.sentence)) for e in best]
        open_ = [
            w
            for ws in texts
            if not all(any(same_stem(t, ws) for t in group) for group in question.focus)
            for w in ws
        ]
        if open_:
            terms = [fold(t) for group in question.focus for t in group]
            word_vectors(terms + base_forms(open_, model), model)
    return [e for e in best if answers(snapshot, e, question, model)]


def typed_by_evidence(
    snapshot: IndexSnapshot, pool: list[Evidence], question: Question
) -> frozenset[str]:
    """The kind of value a "what" question asks for, read from how its best evidence uses the
    asked word: an amount beside the noun ("a rate of 3.7%", "a two-year ban") or right
    after the verb, as its object ("costs $150"). Empty
    unless at least half the sentences that use the word hold one beside it; the labels
    that many sentences hold."""
    if question.wants or question.asked is None:
        return frozenset()
    word, is_verb = question.asked
    target = stem(fold(word))
    asked = fold(question.text)
    votes: Counter = Counter()
    using = 0
    for e in pool[:LOOK_AT]:
        ref = snapshot.sentences[e.sentence]
        doc = snapshot.docs[ref.doc_id]
        start, end, _ = doc.sentences[ref.index]
        spots = [
            m.span()
            for m in _TOKEN.finditer(doc.text, start, end)
            if stem(fold(m.group())) == target
        ]
        if not spots:
            continue
        using += 1
        kinds = set()
        for label, a, b, _ in doc.entities[ref.index]:
            # a verb's dates are when it happened ("said on Tuesday"), not what it takes
            if label not in NUMERIC | TEMPORAL or (is_verb and label in TEMPORAL):
                continue
            if fold(doc.text[a:b]) in asked:
                continue
            for x, y in spots:
                if is_verb:
                    # the verb's object ("costs $150"), not an amount after a preposition
                    # ("sold for £339" answers "for how much", not "what did it sell")
                    if a >= y and not doc.text[y:a].strip():
                        kinds.add(label)
                    continue
                gap = doc.text[y:a] if a >= y else doc.text[b:x]
                if len(_TOKEN.findall(gap)) <= TYPE_WINDOW:
                    kinds.add(label)
        votes.update(kinds)
    return frozenset(label for label, n in votes.items() if n * 2 >= using)


# What a question's kind of value is asked with, and what an article says it does not know
# with: "it did not say who", "has not said how much it spent", "would not say when".
_AMOUNT_WH = frozenset({"how much", "how many", "how long", "how far", "how big", "how old"})
_NAME_WH = frozenset({"who", "whom", "which"})
_WH_OF_KIND = (
    (NUMERIC, _AMOUNT_WH),
    (TEMPORAL, frozenset({"when"})),
    (PLACES, frozenset({"where"})),
    (NAMES - PLACES, _NAME_WH),
)
_WH_GROUPS = tuple(asked for _, asked in _WH_OF_KIND)
_WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
_FIRST_PERSON = frozenset({"i", "we"})
# A withheld clause this short is the bare question ("didn't say who", "would not say how
# much"); a longer one must speak of what the question asks.
_BARE_CLAUSE = 2


def _wh_phrase(tokens) -> str:
    """'how much' for a clause opening "how much ...", else its first word."""
    first = tokens[0].lower_
    if first == "how" and len(tokens) > 1:
        return f"how {tokens[1].lower_}"
    return first


def withheld(snapshot: IndexSnapshot, sentence: int) -> tuple[str, list] | None:
    """A clause a negated verb governs that opens with a question word ("it didn't say who",
    "has not said how much it spent"), read from the parse: its question word(s) and its
    own tokens. Not where the negated verb's subject is "I" or "we" (a speaker's own "I don't
    know what he meant")."""
    sent, _ = parsed_sentence(snapshot, sentence)
    for verb in sent:
        if verb.pos_ not in ("VERB", "AUX") or not any(c.dep_ == "neg" for c in verb.children):
            continue
        if any(c.dep_ == "nsubj" and c.lower_ in _FIRST_PERSON for c in verb.children):
            continue
        for clause in verb.children:
            if clause.dep_ not in ("ccomp", "dobj", "xcomp", "attr"):
                continue
            tokens = sorted(clause.subtree, key=lambda t: t.i)
            if tokens[0].tag_ in _WH_TAGS:
                return _wh_phrase(tokens), tokens
    return None


def withheld_wh(snapshot: IndexSnapshot, sentence: int) -> str | None:
    """The question word(s) of a withheld clause (see withheld), or None."""
    found = withheld(snapshot, sentence)
    return found[0] if found else None


def withheld_terms(
    snapshot: IndexSnapshot, e: Evidence, question: Question, model: str | None = None
) -> frozenset[str] | None:
    """Where a sentence says that what the question asks is not known or not disclosed, the
    question's word stems its clause repeats (empty for the bare question); else None.

    A negated verb governing a clause of the question's kind that is the bare question
    ("although it didn't say who" for "which company") or speaks of what is asked ("has not
    said how much it spent developing it" for "how much is it spending to develop it"); not
    "did not say how the deal would be financed" for how much it paid. A yes/no question
    ("Did they reveal who ...?") is answered, not refused."""
    if question.polar:
        return None
    found = withheld(snapshot, e.sentence)
    if found is None:
        return None
    wh, clause = found
    kinds = [asked for labels, asked in _WH_OF_KIND if question.wants & labels]
    if not kinds:  # "Which company ...?", whose noun sets no kind: the question's own words
        ws = words(question.text)
        own = f"how {ws[1]}" if ws[:1] == ["how"] and len(ws) > 1 else (ws[0] if ws else "")
        kinds = [group for group in _WH_GROUPS if own in group]
    if not any(wh in asked for asked in kinds):
        return None
    if len(clause) <= _BARE_CLAUSE:
        return frozenset()
    said = {stem(fold(t.text)) for t in clause}
    shared = {t for t in question.terms if stem(t) in said}
    if not shared:
        return None
    # "has not said how much it will spend on new cranes": a thing the question does not
    # ask about is what is withheld (its verb may differ: "cost" for "spend")
    asked = content_words(question.text)
    things = [t.text for t in clause if t.pos_ in ("NOUN", "PROPN") and len(t.text) > 1]
    if not all(covered(w, asked, model) for w in things if fold(w) not in STOPWORDS):
        return None
    # ... and it withholds what the question asks about, all of it: "has not said how much
    # the plant will cost to build" says nothing of what an hour of testing there costs
    told = [fold(t.text) for t in clause if not t.is_punct]
    if not all(covered(n, told, model) for n in question.nouns):
        return None
    return frozenset(shared)
