"""The question side: validation, steering attempts, follow-ups and key terms."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.text import ACRONYM, QUESTION_WORDS, STOPWORDS, fold, stem, words
from rag.wordnet import (
    base,
    first_act_of,
    known,
    measurable,
    multiword,
    noun_classes,
    of_length,
)

_STEERING = [
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|prompts?|rules|"
    r"guidelines|context|sources|system|above|previous|everything)\b",
    r"\b(?:system|hidden|initial)\s+prompt\b",
    r"\byou\s+are\s+now\b",
    r"\b(?:pretend|act)\s+(?:to\s+be|as|like)\b",
    r"\b(?:jailbreak|developer\s+mode|dan\s+mode)\b",
    r"\b(?:reveal|print|show|repeat)\b.{0,30}\b(?:instructions|prompt|configuration)\b",
    r"\bnew\s+instructions?\b",
    r"\bfrom\s+now\s+on\b.{0,40}\b(?:answer|respond|reply|say)\b",
]
_STEERING_RE = re.compile("|".join(_STEERING), re.I | re.S)
_ANAPHORA = frozenset(
    [
        "he",
        "she",
        "him",
        "her",
        "his",
        "hers",
        "they",
        "them",
        "their",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "such",
    ]
)
_FOLLOW_UP_START = re.compile(r"^\s*(?:and|but|also|so|what about|how about|then)\b", re.I)
# A capitalised word or a dotted abbreviation (U.S., E.U.), and runs of them.
_CAP = r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z][\w'\u2019\-]*)"
_PROPER = re.compile(rf"(?<![a-z0-9][.?!]\s)(?<!^)\b({_CAP}(?:\s+{_CAP})*)")


def validate_question(question, max_chars: int) -> str:
    """The question stripped, or a TypeError/ValueError naming the problem."""
    if not isinstance(question, str):
        raise TypeError(f"question must be a string, got {type(question).__name__}")
    q = question.strip()
    if not q:
        raise ValueError("question is empty")
    if len(q) > max_chars:
        raise ValueError(f"question is too long: {len(q)} characters (the limit is {max_chars})")
    return q


def validate_history(history) -> list[str]:
    if history is None:
        return []
    if isinstance(history, str) or not isinstance(history, (list, tuple)):
        raise TypeError(f"history must be a list of strings, got {type(history).__name__}")
    bad = [i for i, h in enumerate(history) if not isinstance(h, str)]
    if bad:
        raise TypeError(f"history items must be strings; item {bad[0]} is not")
    return [h.strip() for h in history if h.strip()]


def is_steering(question: str) -> bool:
    """Whether the question tries to change the system's instructions instead of asking."""
    return bool(_STEERING_RE.search(question))


def is_follow_up(question: str) -> bool:
    """A question that leans on an earlier one: pronouns, 'and ...', or no content of its own."""
    ws = words(question)
    if _FOLLOW_UP_START.match(question) or any(w in _ANAPHORA for w in ws):
        return True
    return len(content_words(question)) <= 1


def standalone(question: str, history: list[str]) -> str:
    """The question with the earlier questions it depends on prepended, for retrieval."""
    if not history or not is_follow_up(question):
        return question
    context = []
    for earlier in reversed(history):
        context.insert(0, earlier)
        if not is_follow_up(earlier):
            break
    return " ".join(context + [question])


def content_words(text: str) -> list[str]:
    """Folded words that say what the question is about (no stop or question words)."""
    return [w for w in words(text) if w not in STOPWORDS and w not in QUESTION_WORDS and len(w) > 1]


_WORD = re.compile(r"[^\W\d_][\w'\u2019]*")
# a word opens a sentence where only quotes or brackets stand between it and a full stop
_OPENS = re.compile(r"(?:^|[.!?:;]\s*|\n)[\"'\u2018\u201c(\[]*\s*$")
_ENDS_SENTENCE = re.compile(r"[.!?\"'\u2019\u201d)]\s*$")


def uncased(text: str) -> bool:
    """Whether a question is written with no capital past its first letter ("how old is
    marta kell"): its names cannot be told from its case."""
    letters = [c for c in text[1:] if c.isalpha()]
    return bool(letters) and not any(c.isupper() for c in letters)


def truecase(text: str, passages: Sequence[str], strict: bool = False) -> str:
    """An uncased question with each word in the case the passages write it in inside a
    sentence, where most of its inner occurrences take that form ("kell" -> "Kell",
    "fifa" -> "FIFA", "greek" -> "Greek"; "old" stays). Lines with no closing punctuation
    (headlines, which capitalise every word) and words that open a sentence say nothing.
    strict (a question whose first letter is a capital: its writer may have meant its
    other words to be lower case, "the chancellor"): nine in ten occurrences, two at least.
    A word the passages write only where a capital says nothing (opening a sentence, in a
    headline) is a name where it is always capitalised there and WordNet does not know it
    as a common word ("tallisk" -> "Tallisk"; "close" stays). A possessive's "'s" is kept
    as written ("kell's" -> "Kell's")."""
    asked = {_bare(m.group()) for m in _WORD.finditer(text)} - STOPWORDS - QUESTION_WORDS
    forms: dict[str, Counter] = {}
    opening: dict[str, Counter] = {}  # where a capital says nothing
    for passage in passages:
        for line in passage.splitlines():
            headline = not _ENDS_SENTENCE.search(line)
            for m in _WORD.finditer(line):
                word = _bare(m.group(), lower=False)
                low = word.lower()
                if low not in asked:
                    continue
                if headline or _OPENS.search(line, max(0, m.start() - 8), m.start()):
                    opening.setdefault(low, Counter())[word] += 1
                else:
                    forms.setdefault(low, Counter())[word] += 1

    def recase(m: re.Match) -> str:
        word = _bare(m.group(), lower=False)
        seen = forms.get(word.lower())
        if not seen and m.start() > 0 and not known(word.lower()):
            only = opening.get(word.lower())
            if only and all(form[:1].isupper() for form in only):
                form = only.most_common(1)[0][0]
                return form + m.group()[len(word) :]
        if not seen or m.start() == 0:
            return m.group()
        form, n = seen.most_common(1)[0]
        total = sum(seen.values())
        enough = n >= 2 and 10 * n >= 9 * total if strict else 2 * n > total
        if form == form.lower() or not enough:
            return m.group()
        return form + m.group()[len(word) :]

    return _WORD.sub(recase, text)


def _bare(word: str, lower: bool = True) -> str:
    """A word without a possessive's "'s"."""
    bare = re.sub(r"['\u2019]s$", "", word, flags=re.I)
    return bare.lower() if lower else bare


def proper_names(question: str) -> list[str]:
    """Capitalised words not at the start of the question: names the corpus must contain."""
    names = []
    for m in _PROPER.finditer(question):
        for f in words(m.group(1)):
            if f not in STOPWORDS and f not in QUESTION_WORDS:
                names.append(f)
    return names


# Entity labels whose names the corpus writes in too many ways to demand one ("Britain",
# "UK", "British"), and values, which are not names.
_NOT_NAMED = frozenset(
    {"GPE", "NORP", "LOC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
)


def named_things(text: str, doc) -> tuple[tuple[str, ...], ...]:
    """The question's names of people, organisations, works, products and events, each as
    its words as written ("Marsh & McLennan" -> ("Marsh", "McLennan")). An article that
    answers is about them (rag.answerability.named_in)."""
    out = []
    for m in _PROPER.finditer(text):
        # words joined by a hyphen are one name ("Delmar-Kestrel"), whatever each one is
        hyphenated = bool(re.search(r"\w-\w", m.group(1)))
        span = doc.char_span(*m.span(1), alignment_mode="expand")
        run = [
            tok.text
            for tok in span or ()
            if (hyphenated or tok.ent_type_ not in _NOT_NAMED or _starts_a_name(tok, span))
            # an initial ("John H. Williams") is written in too many ways to demand
            and any(
                len(w) > 1 and w not in STOPWORDS and w not in QUESTION_WORDS
                for w in words(tok.text)
            )
        ]
        if run and span is not None and span.end < len(doc):
            # a number written right after a name is part of it ("Zento Play 3",
            # "Half-Light 2"), a year is not ("Brenmoor 2031")
            after = doc[span.end]
            if (
                after.idx == span.end_char + 1
                and re.fullmatch(r"\d{1,3}", after.text)
                # not a count of the plural noun after it ("Harbour 5 points clear")
                and not (after.head.i == after.i + 1 and after.head.tag_ in ("NNS", "NNPS"))
                and after.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY")
            ):
                run.append(after.text)
        if run:
            out.append(tuple(run))
    return tuple(out)


def _starts_a_name(tok, span) -> bool:
    """Whether a place's name starts a longer name that the recogniser left unlabelled
    ("Harbour City FC"): all the words after it in the run are no entity."""
    after = [t for t in span if t.i > tok.i]
    return tok.ent_type_ in ("GPE", "LOC") and bool(after) and not any(t.ent_type_ for t in after)


def key_terms(question: str) -> list[str]:
    """Stemmed content words of the question, in order, without repeats."""
    seen, out = set(), []
    for w in content_words(question):
        s = stem(w.replace(".", ""))
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


_POLAR = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+)?(?:did|does|do|is|are|was|were|has|have|had|will|would|can|"
    r"could|should|shall|may|might|must)\b|\bwhether\b|\bor not\b",
    re.I,
)


_WH_FIRST = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+)?(?:what|who|whom|whose|which|when|where|why|how)\b", re.I
)


# A clause before the question itself ("When asked about it, did he ...?").
_OPENING_CLAUSE = re.compile(
    r"^\s*(?:when|while|after|before|if|as|once|where|since|though|although)\b[^,?]*,\s*", re.I
)


def is_polar(question: str) -> bool:
    """A yes/no question: it states a proposition that sources can affirm or deny; not one
    whose question opens with a wh-word ("What did he reply when asked whether ...?"),
    after any clause before it ("When asked about it, did he deny it?" is yes/no)."""
    asked = _OPENING_CLAUSE.sub("", question, count=1)
    return bool(_POLAR.search(asked)) and not _WH_FIRST.match(asked)


# Entity labels a wh-phrase asks for; "what/which N" is typed by the noun (see _noun_type).
_LEADING_CLAUSE = re.compile(
    r"^\s*(?:when|while|after|before|if|as|once)\b[^?]*?,\s*"
    r"(?=(?:what|who|whom|whose|how|where|which|why|when)\b)",
    re.I,
)
_WANTS_DATE = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+)?(?:when|since\s+when)\b|\b(?:what|which)\s+(?:year|date|day|"
    r"month|time)s?\b|\bon\s+what\b",
    re.I,
)
_WANTS_AMOUNT = re.compile(r"\bhow\s+(?:many|much)\b", re.I)
# "how tall", "how deep": an adjective of a measured attribute (rag.wordnet.measurable)
_HOW_ADJECTIVE = re.compile(r"\bhow\s+([a-z]+)\b", re.I)
_WANTS_DURATION = re.compile(r"\bhow\s+(?:old|long)\b", re.I)
# "How old ...?", "At what age ...?", "What age is/was ...?" (not "what age group")
_WANTS_AGE = re.compile(
    r"\bhow\s+old\b|\bat\s+what\s+age\b|\bwhat\s+age\s+(?:is|was|are|were|did|does|do)\b", re.I
)
_WANTS_AGENT = re.compile(r"^\s*(?:and\s+|so\s+|but\s+)?(?:who|whom|whose)\b", re.I)
_WANTS_PLACE = re.compile(r"^\s*(?:and\s+|so\s+|but\s+)?where\b", re.I)
# "What is the name of the man ...?" asks for a name as "who" does.
_WANTS_NAME = re.compile(
    r"\b(?:what|which)(?:'s|\s+(?:is|was|are|were))\s+(?:the|his|her|their|its)\s+"
    r"(?:full\s+|real\s+)?names?\b",
    re.I,
)
_WHICH_NOUN = re.compile(r"\b(?:what|which)\s+((?:[a-z\-]+\s+){0,2}?[a-z\-]+)\b", re.I)
_TYPE_FLOOR = 0.3  # cosine of a noun to spaCy's description of a label
# A noun this close to a label's description names the kind of value, not a thing.
_KIND_OF_VALUE = 0.45
# The modals that say a thing is possible, not that it is or will be (a closed class of the
# grammar: "will", "would", "shall" tell the future or report it).
POSSIBILITY = frozenset({"may", "might", "could"})


@dataclass(frozen=True)
class Question:
    """A question analysed once; every stage of the pipeline reads this object."""

    text: str  # as asked, stripped
    standalone: str  # with the earlier questions it depends on, for retrieval
    terms: tuple[str, ...]  # stemmed content words of the standalone question
    names: tuple[str, ...]  # folded words of the names the question uses
    polar: bool  # a yes/no question
    wants: frozenset[str]  # entity labels the answer should hold; empty = not a value
    asks_speaker: bool  # "who said ...": the answer is a speaker, not a value
    values: tuple[str, ...]  # folded words of the question's own values (not answers)
    # What an answering sentence must speak of (rag.answerability): groups of words, one
    # of each group: the noun that "how many" counts.
    focus: tuple[tuple[str, ...], ...] = ()
    # Folded head words of the names in the question's subject ("How many medals did Marion
    # Jones win?" -> jones): a value is about this subject only where the sentence names it.
    subject: tuple[str, ...] = ()
    # "What did <a named person> say ...?": the answer must be that person's words.
    quoted: tuple[str, ...] = ()
    # Currencies the question names ("in pounds" -> £): a conversion into one is an answer.
    currencies: frozenset[str] = frozenset()
    # What an answer's amount may count (stems): the noun of "how many N", lengths of time
    # for "how old / how long"; empty: anything.
    units: frozenset[str] = frozenset()
    # The word a "what" question asks about and whether it is a verb: "What was the growth
    # rate" -> ("rate", False), "What does it cost" -> ("cost", True). The evidence tells
    # what kind of value it takes (rag.answerability.typed_by_evidence).
    asked: tuple[str, bool] | None = None
    # The question's content verb ("Did Russia accept ...?" -> accept; "How many medals did
    # she win?" -> win): a sentence takes a side only if it speaks of it.
    predicate: tuple[str, ...] = ()
    # What the verb of a yes/no question is about (predicate_matter): "Would Velmora accept
    # foreign troops ...?" is not answered by what it said of accepting trade terms.
    matter: tuple[str, ...] = ()
    # The names of people, organisations, works and events, as written (not places or
    # nationalities): the articles an answer comes from name them (rag.answerability).
    named: tuple[tuple[str, ...], ...] = ()
    # A modal of possibility in the question ("How many years could he get?"): it asks
    # what may happen, so a value stated as possible can answer it.
    possible: bool = False
    # The dates with a year that the question sets ("in 2004", "the third quarter of 2004"):
    # a figure for another period answers another question (index.values.same_period).
    periods: tuple[str, ...] = ()
    # Folded surnames of the people the question names: an article that says "Mr Brown"
    # names Gordon Brown, however common the surname.
    surnames: frozenset[str] = frozenset()
    # For a question asking for a name: the word its wh-word hangs from and how (rag.slots):
    # ("buy", "nsubj") for "Who bought Yugansk?", ("director", "be") for "Who is the director
    # of the film?", ("win", "where") for "Where did Spain win the title?".
    anchor: tuple[str, str] | None = None
    # "the artist associated with X": the noun whose place a name may hold where no
    # sentence says the act ("an album by rock band Brad")
    role: tuple[str, str] | None = None
    # The question's common nouns, folded, less those of an act ("spending", "testing"),
    # which a sentence may tell with another verb: "hour" and "plant" in "How much will an
    # hour of testing at Kirra's plant cost?", what a sentence must speak of to say that
    # what is asked is not known (rag.answerability.withheld_terms)
    nouns: tuple[str, ...] = ()
    # "How much is/does ...?" with no noun after "much": an amount of money, a share or a
    # measure, not a count of things ("14 million cables" does not say what it costs)
    measure: bool = False
    # The thing whose value is asked, where a noun names it ("What salary ...?" -> salary,
    # "How much will the allowance be?" -> allowance): an answer speaks of it, or gives an
    # amount it does not say is of something else (rag.slots.measured).
    valued: tuple[str, ...] = ()
    # "How old is ...?": the answer is an age, a length of time ("30-year-old", "18 years
    # and 187 days") or a number set off after the subject's name ("Jane Roe, 30,").
    age: bool = False
    # "How long is the tunnel?": a length answers ("38 kilometres"); only a length unless
    # the noun may as well be a time ("the flight": then units holds the times too).
    length: bool = False
    # "How much did the economy grow?": asked of what happened, in the past tense with no
    # modal; a forecast ("growth would be 1.8%") is then no side of a dispute about it.
    past: bool = False
    # The places the question names, as written ("What date does it go on sale in the
    # US?" -> US): a figure a sentence sets in another place answers another question.
    places: tuple[str, ...] = ()


# Words that make a noun the thing a question asks for ("how many jobs", "which company").
_WH_DETERMINERS = frozenset({"much", "many", "what", "which"})


def _labels(*names) -> frozenset[str]:
    from index.values import NAMES, NUMERIC, TEMPORAL

    sets = {"number": NUMERIC, "date": TEMPORAL, "agent": frozenset({"PERSON", "ORG", "NORP"})}
    sets["place"] = frozenset({"GPE", "LOC", "FAC"})
    sets["names"] = NAMES
    out: set[str] = set()
    for n in names:
        out |= sets[n]
    return frozenset(out)


@lru_cache(maxsize=4)
def _label_vectors(embed) -> tuple[list[str], object]:
    """spaCy's own description of each entity label, embedded once per embedder."""
    import spacy

    from index.analysis import VALUE_LABELS

    labels = sorted(VALUE_LABELS - {"ORDINAL"})
    return labels, embed([spacy.explain(label) or label for label in labels])


def _noun_type(noun: str, embed) -> frozenset[str]:
    """The entity label whose description the noun is closest to, if close enough."""
    from index.values import NUMERIC, TEMPORAL

    labels, vectors = _label_vectors(embed)
    scores = vectors @ embed([noun])[0]
    best = int(scores.argmax())
    if scores[best] < _TYPE_FLOOR:
        return frozenset()
    label = labels[best]
    # only amounts and dates: a noun close to "Companies, agencies ..." is as often the
    # thing asked about ("what repairs") as the kind of answer
    for group in (NUMERIC, TEMPORAL):
        if label in group:
            return group
    return frozenset()


def asks_when(text: str) -> bool:
    """Whether a question asks for a point in time ("When ...?", "In what year ...?"), not
    a length of one."""
    if clause := _LEADING_CLAUSE.match(text):
        text = text[clause.end() :]
    return bool(_WANTS_DATE.search(text)) and not _WANTS_DURATION.search(text)


def _how_adjectives(text: str) -> list[str]:
    """The words after "how", folded: the adjectives of "how tall", "how deep"."""
    return [m.group(1).lower() for m in _HOW_ADJECTIVE.finditer(text)]


def answer_type(text: str, embed=None) -> frozenset[str]:
    """The entity labels a question asks for: a date for 'when', an amount for 'how many',
    a person or organisation for 'who', a place for 'where'; for 'what/which N', the label
    whose description N is closest to (embed: the sentence embedder). A clause before the
    question ("When asked if ..., what did she reply?") asks nothing."""
    if clause := _LEADING_CLAUSE.match(text):
        return answer_type(text[clause.end() :], embed)
    if _WANTS_DATE.search(text):
        return _labels("date")
    if _WANTS_DURATION.search(text) or _WANTS_AGE.search(text):
        return _labels("number", "date")
    if _WANTS_AMOUNT.search(text) or any(measurable(a) for a in _how_adjectives(text)):
        return _labels("number")
    if _WANTS_AGENT.search(text):
        return _labels("agent")
    if _WANTS_PLACE.search(text):
        return _labels("place")
    if _WANTS_NAME.search(text):
        return _labels("names")
    m = _WHICH_NOUN.search(text)
    if m and embed is not None:
        phrase = [w for w in m.group(1).lower().split() if w not in STOPWORDS]
        if phrase:
            return _noun_type(" ".join(phrase), embed)
    return frozenset()


# WordNet's classes of things that have a length: "How long is the tunnel?" asks for one,
# "How long is the ban?" for a time.
_LONG_THINGS = frozenset({"noun.artifact", "noun.object", "noun.location"})
_NOT_LONG = frozenset(
    {"noun.act", "noun.event", "noun.time", "noun.communication", "noun.state", "noun.process"}
)
_AGENTS = frozenset({"PERSON", "GPE", "NORP"})  # (the recogniser takes many a tunnel for an ORG)


def asks_length(doc) -> str | None:
    """Whether "how long is N?" asks for a length: "length" where N's head noun is, in
    more of its commonest WordNet senses, an artifact, object or place than an act, event,
    time or state; "either" where as many ("cycleway": a way, a manner, a place; "flight");
    else None, a length of time."""
    for root in (t for t in doc if t.dep_ == "ROOT"):
        if root.lemma_ != "be":
            return None
        for subj in (c for c in root.children if c.dep_ == "nsubj"):
            # the head noun ("the prison sentence": a sentence, no prison); the common noun
            # before a name ("the river Tesk"); a name's head word ("the Pellanor Strait
            # Tunnel"), not a person's or a country's ("Bush")
            common = [c for c in subj.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
            if subj.pos_ == "NOUN":
                head = subj
            elif common:
                head = common[-1]
            elif subj.ent_type_ not in _AGENTS and subj.text[:1].isupper():
                head = subj
            else:
                return None
            classes = _compound_classes(fold(head.text))
            long = sum(c in _LONG_THINGS for c in classes)
            not_long = sum(c in _NOT_LONG for c in classes)
            if long > not_long:
                return "length"
            return "either" if long and long == not_long else None
    return None


def _compound_classes(word: str) -> tuple[str, ...]:
    """WordNet's classes of a noun, or of the longest noun it ends in where WordNet does not
    have it: a closed compound names a kind of its last part ("cycleway": way)."""
    for start in range(len(word) - 2):
        classes = noun_classes(word[start:])
        if classes:
            return classes
    return ()


def asks_speaker(doc) -> bool:
    """'Who said ...?': 'who' is the subject of a verb that governs a clause (the parse, as
    index.analysis reads speakers), so the answer is a speaker, not a value."""
    for tok in doc:
        if (
            tok.lower_ in ("who", "whom")
            and tok.dep_ in ("nsubj", "nsubjpass")
            and any(c.dep_ in ("ccomp", "xcomp") for c in tok.head.children)
        ):
            return True
    return False


def subject_names(doc) -> tuple[str, ...]:
    """Folded head words of the proper names in the subject of the question's main verb."""
    from index.values import currency_word

    out: list[str] = []
    for root in (t for t in doc if t.dep_ == "ROOT"):
        for subj in (c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")):
            for t in subj.subtree:
                if t.dep_ not in ("compound", "flat") and _names_head(t):
                    out += [w for w in words(t.text) if w not in STOPWORDS]
    if not out:
        # the small model often misparses questions: the named agents outside a
        # prepositional phrase ('did Marion Jones win at the Sydney Olympics')
        for ent in doc.ents:
            # not a currency's country ('in US dollars')
            if (
                ent.label_ in ("PERSON", "ORG", "GPE")
                and ent.root.dep_ != "pobj"
                and not currency_word(ent.root.head.text)
            ):
                out += [w for w in words(ent.text) if w not in STOPWORDS][-1:]
    return tuple(dict.fromkeys(out))


def _names_head(t) -> bool:
    """Whether a token heads a proper name: a proper noun, or a capitalised word the parse
    took for a common noun after a proper one ("Half-Life": Half, then Life)."""
    return t.pos_ == "PROPN" or (
        t.text[:1].isupper()
        and t.i > 0
        and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in t.children)
    )


def quoted_person(doc) -> tuple[str, ...]:
    """For 'What did Jane Roe say/tell/argue ...?' (the verb's object is 'what', its subject a
    person's name): the folded words of that name."""
    for root in (t for t in doc if t.dep_ == "ROOT"):
        if not any(c.dep_ == "dobj" and c.lower_ == "what" for c in root.children):
            continue
        for subj in (c for c in root.children if c.dep_ == "nsubj"):
            if subj.ent_type_ == "PERSON":
                return tuple(w for w in words(subj.text) if w not in STOPWORDS)
    return ()


def main_predicate(doc) -> tuple[str, ...]:
    """The content verb at the root of a question, or the adjective after 'is' with the
    verb it governs ('Is Russia willing to accept ...?' -> willing, accept). Where a clause
    before the question takes the root ('asked if ..., what did she reply?'), the verb the
    wh-word is the object or subject of."""
    # (not in a yes/no question: its wh-word opens a clause of what it asks about, "Is
    # the FA taking action over what he said?")
    polar = is_polar(doc.text)
    wh_words = () if polar else doc
    for wh in (t for t in wh_words if t.tag_ in ("WP", "WDT") and t.dep_ in ("dobj", "nsubj")):
        verb = wh.head
        if (
            wh.sent.root.i < wh.i
            and verb.dep_ != "ROOT"
            and verb.pos_ == "VERB"
            and not verb.is_stop
        ):
            return (verb.text,)
    for root in (t for t in doc if t.dep_ == "ROOT"):
        if root.pos_ == "VERB" and not root.is_stop:
            # "expected to raise": either verb
            governed = [g.text for g in root.children if g.dep_ == "xcomp" and g.pos_ == "VERB"]
            # "step down": the multiword verb WordNet has too ("resigned" says it)
            phrase = multiword(root)
            return (root.text, *governed, *([phrase] if phrase else []))
        # in a yes/no question a light verb names the act with its object ("Did the FA
        # take action ...?"): either
        light = [c.text for c in root.children if c.dep_ == "dobj" and c.pos_ == "NOUN"]
        if root.pos_ == "VERB" and light and polar and root.lemma_ not in ("have", "be", "do"):
            return (root.text, *light)
        # "Is the FA taking action ...?" where the parse took the -ing form for an
        # adjective: the first content verb after the opening auxiliary, unless what the
        # auxiliary governs comes before it ("Is Russia willing to accept ...?")
        verb = next(
            (
                t
                for t in doc
                if t.pos_ == "VERB"
                and not t.is_stop
                # on the question's own spine, not in a clause of one of its nouns ("the
                # report published by ...") or of a preposition
                and t.dep_ in ("amod", "acomp", "xcomp", "advcl")
                and (t.head.dep_ == "ROOT" or t.head.head.dep_ == "ROOT")
            ),
            None,
        )
        opened = root.pos_ == "AUX" and root.i == 0 and verb is not None
        for c in root.children:
            if opened and c.i > verb.i:
                return (verb.text,)
            if any(g.lower_ == "how" for g in c.children):
                continue  # "How big was ...": the measure asked for, not a claim
            if (
                c.dep_ in ("acomp", "xcomp", "ccomp")
                and c.pos_ in ("VERB", "ADJ")
                and c.text.isalpha()
            ):
                governed = [g.text for g in c.children if g.dep_ == "xcomp" and g.pos_ == "VERB"]
                return (c.text, *governed)
        if opened:
            return (verb.text,)
    return ()


def of_the_event(doc, predicate: tuple[str, ...]) -> tuple[str, ...]:
    """Where the question's verb only says that something happened ("When did the flood
    happen?", "Where did the attack take place?": a verb whose commonest sense in WordNet
    is happen's; not "fall" or "strike", which mean it only rarely), the act
    asked about is its subject's noun ("flood"), whatever verb a sentence tells it by ("The
    flood hit Greyholm on November 7"); else the predicate as it is."""
    if not predicate:  # a light verb the parse reads as the root: "take place"
        predicate = tuple(m for t in doc if t.dep_ == "ROOT" and (m := multiword(t)))
        if not predicate:
            return ()
    if not first_act_of(fold(predicate[0]), "happen"):
        return predicate if "_" not in predicate[0] else ()
    for t in doc:
        if t.text == predicate[0] or multiword(t) == predicate[0]:
            subjects = [c for c in t.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"]
            if subjects:
                return (subjects[0].text,)
    return predicate


# Prepositions of a time or a circumstance: what they take is not what a claim is about.
_ADJUNCTS = frozenset({"after", "before", "during", "since", "until", "amid", "despite"})


def predicate_matter(doc) -> tuple[str, ...]:
    """The common nouns the question's verb is about: its object ("Would Velmora accept
    foreign troops ...?" -> troops), with the objects of its prepositions ("Did Velmora take
    part in the talks?" -> part, talks; "Did he agree to the terms?" -> terms), not
    of a time or a circumstance ("after a deal"). Names are left to retrieval."""
    for root in (t for t in doc if t.dep_ == "ROOT"):
        if root.pos_ != "VERB" or root.is_stop:
            return ()
        # and what a clause it takes is about ("accept troops being stationed", parsed as
        # the clause "troops being stationed"; "rule out Jane Roe becoming chairman")
        heads = [root, *(c for c in root.children if c.dep_ in ("ccomp", "xcomp"))]
        objects = [
            c
            for h in heads
            for c in h.children
            if c.dep_ == "dobj" or h is not root and c.dep_ in ("nsubj", "nsubjpass", "attr")
        ]
        objects += [
            g
            for h in heads
            for c in h.children
            if c.dep_ == "prep" and c.lower_ not in _ADJUNCTS
            for g in c.children
            if g.dep_ == "pobj"
        ]
        objects += [c for o in objects for c in o.conjuncts]
        return tuple(dict.fromkeys(fold(o.text) for o in objects if o.pos_ == "NOUN"))
    return ()


# WordNet's classes of nouns whose commonest sense is an amount: "price", "height"
# (attributes), "fee", "salary" (possessions), "dozen" (quantities), "rate" (time); and
# those of things a name answers for ("the capital" is assets first, a city third)
_VALUE_CLASSES = frozenset({"noun.attribute", "noun.possession", "noun.quantity", "noun.time"})
_NAMED_CLASSES = frozenset({"noun.location", "noun.person", "noun.group"})


def _value_noun(doc) -> frozenset[str]:
    """An amount, where a 'what/which N' or 'what is the N of' question's noun N names one
    in its commonest sense and no place, person or group in its other common ones, by
    WordNet's classes of its senses (rag.wordnet.noun_classes)."""
    asked = asked_word(doc)
    if asked is None or asked[1]:
        return frozenset()
    token = next((t for t in doc if t.text == asked[0]), None)
    if token is None or token.pos_ != "NOUN" or token.ent_type_:
        return frozenset()
    from index.values import time_unit

    if time_unit(token.lemma_.lower()):  # "In what minute ...?" asks when, not how many
        return frozenset()
    classes = noun_classes(token.lemma_.lower())
    if classes and classes[0] in _VALUE_CLASSES and not _NAMED_CLASSES & set(classes):
        return _labels("number")
    return frozenset()


def asked_word(doc) -> tuple[str, bool] | None:
    """(word, is_verb) a 'what/which' question asks about, from its parse."""
    for t in doc:
        if t.lower_ not in ("what", "which"):
            continue
        head = t.head
        if t.dep_ == "det":
            return head.text, False
        if t.dep_ in ("attr", "nsubj") and head.lemma_ == "be":
            nouns = [c for c in head.children if c.i != t.i and c.dep_ in ("nsubj", "attr")]
            return (nouns[0].text, False) if nouns else None
        if t.dep_ == "dobj":
            return head.text, True
        return None
    return None


_WH_NAME = frozenset({"who", "whom", "whose", "where", "which", "what"})


def _object_question(doc, start: int) -> tuple[str, str] | None:
    """'Who did the festival appoint as its chair?': the wh-word is the object of the verb
    after the subject. The small parser often tags that verb a noun, so it is read from
    the word order: the first verb after 'did', else the word before the first
    preposition or punctuation."""
    rest = list(doc[start:])
    verb = next((t for t in rest if t.pos_ == "VERB"), None)
    if verb is None:
        ends = [i for i, t in enumerate(rest) if t.pos_ in ("ADP", "PUNCT")]
        verb = rest[ends[0] - 1] if ends and ends[0] > 0 else None
    if verb is None or verb.pos_ in ("PROPN", "PRON", "DET"):
        return None
    if verb.i > 0 and doc[verb.i - 1].pos_ == "DET":
        return None  # "Who did the work?": 'did' is the verb and 'the work' its object
    return verb.lemma_.lower(), "dobj"


def _lemma(noun) -> str:
    """A noun's lemma, in capitals where the question writes it as an abbreviation ("CEO"),
    which rag.slots then reads by its initials."""
    if noun.text.isupper() and len(noun.text) in ACRONYM:
        return noun.text
    return noun.lemma_.lower()


def _named(noun):
    """'the name of the man': the man."""
    if noun.lemma_.lower() == "name":
        of = [g for c in noun.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        return of[0] if of else noun
    return noun


def _described_by_act(noun) -> tuple[str, str] | None:
    """'the man charged with ...', 'the firm that built ...': the act that picks out whom
    "what is the name of N" asks for, and N's place in it (the passive subject of a past
    participle, the subject of an -ing form, the relative pronoun's place)."""
    for c in noun.children:
        if c.pos_ not in ("VERB", "AUX") or c.lemma_ == "be":
            continue
        if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG"):
            return c.lemma_.lower(), "nsubjpass" if c.tag_ == "VBN" else "nsubj"
        if c.dep_ == "relcl":
            pronoun = [g.dep_ for g in c.children if g.tag_ in ("WDT", "WP")]
            if pronoun and pronoun[0] in ("nsubj", "nsubjpass", "dobj"):
                return c.lemma_.lower(), pronoun[0]
    return None


def _where_anchor(doc, head) -> tuple[str, str] | None:
    """The act 'where' asks the place of: the verb it hangs on, or the verb whose auxiliary
    the parse hangs it on ('Where was the treaty signed?' -> sign), or a participle the
    parse took for a clause of the subject ('Where was the painter Jane Roe born?')."""
    if head.pos_ == "AUX" and head.dep_ in ("aux", "auxpass", "advcl"):
        head = head.head
    elif head.pos_ == "AUX" and head.lemma_ == "be":
        participles = [t for t in doc if t.tag_ in ("VBN", "VBD") and t.pos_ == "VERB"]
        head = participles[0] if participles else head
    return (head.lemma_.lower(), "where") if head.pos_ in ("VERB", "AUX") else None


def name_anchor(doc, acts: bool = True) -> tuple[str, str] | None:
    """The lemma the question's wh-word (or its 'which/what N') depends on and the
    dependency, read from the parse; for 'who is/was N', N with the role 'be'."""
    for t in doc:
        if t.lower_ not in _WH_NAME:
            continue
        if (
            t.lower_ in ("who", "whom")
            and t.i + 2 < len(doc)
            and doc[t.i + 1].lemma_ == "do"
            and doc[t.i + 2].dep_ != "neg"  # "Who didn't vote?": the subject
        ):
            anchor = _object_question(doc, t.i + 2)
            if anchor is not None:
                return anchor
        wh = t.head if t.dep_ == "det" and t.head.pos_ in ("NOUN", "PROPN") else t
        head, dep = wh.head, wh.dep_
        if wh.lower_ == "where":
            return _where_anchor(doc, head)
        if dep == "poss" or wh.lower_ == "whose":  # "whose company ..."
            return None
        if dep == "pobj" and head.dep_ in ("prep", "agent"):
            role = "nsubj" if head.dep_ == "agent" else f"prep:{head.lower_}"
            return head.head.lemma_.lower(), role
        if head.lemma_ == "be":
            other = [
                c for c in head.children if c.i != wh.i and c.dep_ in ("nsubj", "attr", "acomp")
            ]
            # "Who is Jane Roe?" asks for a description, not a name; "the CEO of X" is a
            # role however it is capitalised
            # ("the Rolling Pins", a name compounded of words, is a name)
            ok = other and (
                other[0].pos_ != "PROPN"
                or any(c.dep_ == "det" and c.lower_ == "the" for c in other[0].children)
                and not any(c.dep_ == "compound" for c in other[0].children)
            )
            if not ok:
                return None
            named = _named(other[0])
            act = _described_by_act(named) if acts else None
            return act or (_lemma(named), "be")
        if dep in ("nsubj", "nsubjpass", "dobj") and head.pos_ in ("VERB", "AUX"):
            # a phrasal verb keeps its particle: "who took over" asks for no taker
            particle = [c.lower_ for c in head.children if c.dep_ == "prt"]
            return " ".join([head.lemma_.lower(), *particle[:1]]), dep
        return None
    return None


def _how_much(t) -> bool:
    """'much' of 'how much'."""
    return t.lower_ == "much" and t.i > 0 and t.doc[t.i - 1].lower_ == "how"


def bare_how_much(doc) -> bool:
    """'How much is/does ...?' with no noun after 'much' (not 'how much oil')."""
    return any(_how_much(t) and t.head.pos_ not in ("NOUN", "PROPN") for t in doc)


def focus_terms(doc) -> tuple[tuple[str, ...], ...]:
    """The words an answer must speak of (rag.answerability): the noun that 'how many'
    counts ('how many visitors'), with its compound modifiers ('how many jail terms')."""
    groups: list[tuple[str, ...]] = []
    for wh in doc:
        head = wh.head
        if not (wh.lower_ == "how" and head.lower_ == "many"):
            continue
        noun = head.head
        # a plural name counts things too: "how many Oscars"
        if noun.pos_ == "NOUN" and not noun.ent_type_ or noun.tag_ == "NNPS":
            compounds = [c.text for c in noun.children if c.dep_ == "compound"]
            groups.append((noun.text, *compounds))
    return tuple(groups)


def _how_much_is(t) -> bool:
    """'much' of 'How much is/will ... be'."""
    return _how_much(t) and t.head.lemma_ == "be" and t.head.pos_ in ("AUX", "VERB")


def valued_noun(doc, embed) -> tuple[str, ...]:
    """The thing whose value a question asks for, where a noun names it: "What salary was
    she on?", "What is the salary of ...?", "How much will the allowance be?" (the subject
    of "be"). Not a noun that only
    names the kind of value ("what percentage", "what amount"): its description of an
    entity label is too close (``_KIND_OF_VALUE``). An answer speaks of the thing: a bonus
    does not say what a salary was."""
    for t in doc:
        noun = None
        if t.lower_ in ("what", "which") and t.dep_ == "det":
            noun = t.head
        elif (
            t.lower_ in ("what", "which") and t.dep_ in ("attr", "nsubj") and t.head.lemma_ == "be"
        ):
            # "What is the salary of ...?"
            nouns = [c for c in t.head.children if c.i != t.i and c.dep_ in ("nsubj", "attr")]
            noun = nouns[0] if nouns else None
        elif _how_much_is(t):
            subjects = [c for c in t.head.children if c.dep_ == "nsubj"]
            noun = subjects[0] if subjects else None
            # "How much is the company worth?": the subject has the value, it is not one
            if any(c.dep_ == "acomp" and c.i != t.i for c in t.head.children):
                noun = None
            # "How much are the owners suing for?" parsed with "be" as the verb: the
            # subject's verb (an -ing form after it) is what is asked about
            if noun is not None and any(c.dep_ == "acl" and c.tag_ == "VBG" for c in noun.children):
                noun = None
        if noun is None or noun.pos_ != "NOUN" or noun.ent_type_:
            continue
        if _WANTS_DATE.search(f"what {noun.text}"):  # "what year": the kind of value
            continue
        if embed is not None:
            _, vectors = _label_vectors(embed)
            if float((vectors @ embed([noun.text])[0]).max()) >= _KIND_OF_VALUE:
                continue
        return (noun.text, *(c.text for c in noun.children if c.dep_ == "compound"))
    return ()


def _past_passive(verb, aux_seen: bool = False) -> bool:
    """A passive in the past that tells of an act ("was sentenced", "were sold"), not of
    what was expected or planned ("were expected to be cut": it governs an infinitive)."""
    if any(c.dep_ == "xcomp" for c in verb.children):
        return False
    return aux_seen or any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in verb.children)


def asks_past(doc) -> bool:
    """Whether a question asks what happened: its main verb, not "be", is in the past
    tense, takes "did" or is a passive in the past ("How much did the economy grow?", "How
    long was he jailed for?"; not "What was the forecast?", nor "How much will it grow?")."""
    for t in doc:
        if t.dep_ == "ROOT" and t.pos_ == "VERB" and t.lemma_ != "be":
            return (
                t.tag_ == "VBD"
                or any(c.dep_ == "aux" and c.lower_ == "did" for c in t.children)
                or _past_passive(t)
            )
        if t.dep_ == "ROOT" and t.lemma_ == "be" and t.tag_ == "VBD":
            # a past passive the parser hung off "was" ("How many years was he sentenced
            # to?" parsed with "sentenced" under "he" or "was"); not "What was the expected
            # growth?"
            return any(
                v.tag_ == "VBN" and v.pos_ == "VERB" and v.dep_ != "amod" and _past_passive(v, True)
                for v in doc[t.i + 1 :]
            )
    return False


def as_verbs(doc):
    """Read as a verb a word the tagger calls a noun though an auxiliary governs it and it
    ends the question, where WordNet knows it as a verb: in 'How much will the console
    cost?' the parse hangs 'will' on 'cost', which no noun takes ('will an hour of testing
    ... cost' hangs it on 'hour', which is no verb and does not end the question); or where
    it is the root and has a subject as well."""
    words_ = [t for t in doc if not t.is_punct]
    last = words_[-1] if words_ else None
    for t in doc:
        if (
            t.pos_ == "NOUN"
            and any(c.dep_ == "aux" for c in t.children)
            # or it is the root with a subject: "By how much did Japan's GDP shrink in ...?"
            and (t.i == last.i or t.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in t.children))
            and base(t.lower_) is not None
        ):
            t.pos_, t.tag_ = "VERB", "VB"
    return doc


def analyse(text: str, history: list[str], embed=None) -> Question:
    """Read a validated question once: its standalone form, terms, names, shape and the kind
    of value it asks for."""
    from index.analysis import get_nlp
    from index.values import (
        NAMES,
        NUMERIC,
        PLACES,
        TEMPORAL,
        TIME_UNITS,
        currencies,
        months_named,
        time_unit,
        years,
    )

    full = standalone(text, history)
    wants = answer_type(text, embed)
    doc = as_verbs(get_nlp()(text))  # one parse for every reading below
    if not wants:  # "What is the salary of ...?": the kind of thing its noun names
        wants = _value_noun(doc)
    full_doc = doc if full == text else get_nlp()(full)
    names = tuple(proper_names(full if full != text else text))
    values = tuple(w for w in words(text) if w[:1].isdigit())
    focus = focus_terms(doc)
    # the head noun counts ("how many day trips" counts trips, not days)
    units = frozenset(time_unit(group[0]) or stem(fold(group[0])) for group in focus)
    age = bool(_WANTS_AGE.search(text))
    reading = asks_length(doc) if _WANTS_DURATION.search(text) and not age else None
    length = reading is not None
    # "How deep is the mine?": an adjective of a length in its commonest sense asks for one
    # of a thing or a place, as "how long" does (not "How deep are the cuts?", "How far
    # did the currency fall?")
    if not length and not age and not _WANTS_DURATION.search(text):
        length = asks_length(doc) == "length" and any(of_length(a) for a in _how_adjectives(text))
    if reading == "length":
        wants -= TEMPORAL
    elif age or _WANTS_DURATION.search(text):
        units |= TIME_UNITS  # (where either may answer, a time as well as a length)
    if units & TIME_UNITS:  # "how many months": "the 19th month" is a date entity
        wants |= TEMPORAL
    valued = valued_noun(doc, embed) if wants & (NUMERIC | TEMPORAL) else ()
    anchor = name_anchor(doc) if wants & NAMES else None
    role = name_anchor(doc, acts=False) if anchor is not None else None
    return Question(
        text=text,
        standalone=full,
        terms=tuple(key_terms(full)),
        names=names,
        polar=is_polar(text),
        wants=wants,
        asks_speaker=bool(wants) and asks_speaker(doc),
        values=values,
        focus=focus,
        subject=subject_names(doc),
        quoted=quoted_person(full_doc),
        currencies=currencies(text),
        units=units,
        asked=asked_word(doc),
        predicate=of_the_event(doc, main_predicate(doc)),
        matter=predicate_matter(doc) if is_polar(text) else (),
        named=named_things(text, doc),
        periods=tuple(
            e.text
            for e in doc.ents
            if e.label_ == "DATE" and (years(e.text) or months_named(e.text))
        ),
        surnames=frozenset(
            words(e.text)[-1] for e in doc.ents if e.label_ == "PERSON" and words(e.text)
        ),
        anchor=anchor,
        role=role if role != anchor else None,
        nouns=tuple(
            dict.fromkeys(
                fold(t.text)
                for t in doc
                if t.pos_ == "NOUN"
                and not t.is_stop
                and not t.lower_.endswith("ing")
                # not the noun the wh-word asks about ("how much money", "what price")
                and not any(
                    c.lower_ in _WH_DETERMINERS and c.dep_ in ("amod", "det") for c in t.children
                )
            )
        ),
        measure=bare_how_much(doc),
        valued=valued,
        possible=any(t.tag_ == "MD" and t.lower_ in POSSIBILITY for t in doc),
        age=age,
        length=length,
        past=asks_past(doc),
        places=tuple(dict.fromkeys(e.text for e in doc.ents if e.label_ in PLACES)),
    )
