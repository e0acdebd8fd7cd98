"""Which name in a sentence answers a question that asks for one.

A sentence that answers "Who bought Yugansk?" names several people and firms; the answer is
the one in the place the question's wh-word holds: the subject of the sentence's buying
("Baikal Finance Group bought Yugansk"), or its agent in the passive ("Yugansk was bought by
Baikal Finance Group"). The question's parse gives that place as a word and a dependency
(rag.question.name_anchor); here each sentence is parsed and its names are kept only where
they fill it. A sentence with no word like the question's anchor (the same lemma, or a word
close in meaning: "purchase" for "buy") holds no answer name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from index.store import IndexSnapshot
from index.text import DENIAL, STOPWORDS, fold
from index.values import PLACES, Value, same_name, same_period, years
from rag.closeness import PREDICATE_MATCH, word_vectors
from rag.evidence import Evidence
from rag.question import POSSIBILITY, Question
from rag.wordnet import derived, multiword, particle, same_act, within

# The dependencies of a sentence's anchor word that hold what a question's wh-word holds;
# a preposition's object is "prep:<preposition>".
_ROLES = {
    "nsubj": frozenset({"nsubj", "agent", "prep:by"}),
    "nsubjpass": frozenset({"nsubjpass", "dobj", "oprd"}),
    "dobj": frozenset({"dobj", "nsubjpass"}),
    "where": frozenset({"prep:in", "prep:at", "prep:from", "npadvmod"}),
    # a noun ("Who is the director of X?"): its apposition or compound ("director Jane
    # Roe", "Jane Roe, the director"), or the subject of the verb it matched ("Jane Roe
    # directed X")
    "be": frozenset({"appos", "compound", "nsubj", "agent", "prep:by", "attr"}),
}
_CONTENT = frozenset({"VERB", "NOUN", "ADJ"})
# The prepositions that set what a clause tells in a place ("goes on sale in Japan").
_LOCATIVE = frozenset({"in", "across", "throughout", "within"})
# a verb's subject and object: where a noun may name the act the verb reports ("the death
# toll rose to 14")
_ARGUMENTS = ("nsubj", "nsubjpass", "dobj", "attr")


@lru_cache(maxsize=256)
def _parse(text: str):
    from index.analysis import get_nlp

    # the names come from the index's entities: the recogniser is not run again
    return next(get_nlp().pipe([text], disable=["ner"]))


def _anchors(sent, lemma: str, model: str | None, close: bool = True) -> list:
    """The sentence's tokens that say what the question's anchor says, not negated ("did
    not buy" names no buyer): its own word, one derived from it, or a verb WordNet gives
    for the same act. close: also another verb whose embedding is close; the closest verbs
    can be the opposite act ("sell" for "buy"), so a conflict's sides do without."""
    tokens = [
        t
        for t in sent
        if t.pos_ in _CONTENT
        and t.lower_ not in STOPWORDS
        and t.lemma_.lower() != "be"
        and not any(c.dep_ == "neg" for c in t.children)
    ]
    abbreviation, lemma = lemma.isupper(), lemma.lower()  # rag.question._lemma
    # a phrasal verb ("take over") is another act than its verb alone ("take")
    lemma, _, asked_particle = lemma.partition(" ")
    same = [
        t
        for t in tokens
        if derived(t.lemma_.lower(), lemma)
        and (not asked_particle or particle(t) == asked_particle)
    ]
    if not same and abbreviation:  # "CEO": "chief executive"
        same = [t for t in tokens if t.pos_ in ("NOUN", "PROPN") and _spells(t, lemma)]
    verbs = [t for t in tokens if t.pos_ == "VERB"]
    if asked_particle:  # "taken" or "taken off" is not "take over", however close their embeddings
        verbs = [t for t in verbs if t.lemma_.lower() != lemma]
    if same or not verbs:
        return same
    # another verb for the same act, by WordNet ("acquire" for "buy", "bid" for "offer":
    # rag.wordnet) or, where close, by its embedding; nouns only by derivation: the
    # embedding puts "executive" as close to "chairman" as "purchase" is to "buy"
    asked = " ".join(filter(None, (lemma, asked_particle)))
    acts = [" ".join(filter(None, (fold(t.lemma_.lower()), particle(t)))) for t in verbs]
    synonyms = [same_act(asked.replace(" ", "_"), act.replace(" ", "_")) for act in acts]
    if not close:
        return [t for t, ok in zip(verbs, synonyms, strict=True) if ok]
    vectors = word_vectors([asked, *acts], model)
    sims = vectors[1:] @ vectors[0]
    return [t for t, ok, s in zip(verbs, synonyms, sims, strict=True) if ok or s >= PREDICATE_MATCH]


def multiword_acts(snapshot: IndexSnapshot, sentence: int) -> list[str]:
    """The multiword acts of a sentence's verbs (multiword)."""
    return [m for t in parsed_sentence(snapshot, sentence)[0] if (m := multiword(t))]


# The dependencies a negation is read up through: from an object or a complement to the
# verb that takes it ("did not sign the agreement", "did not say it would sign"); not from a
# subject ("the agreement does not cover troops"), nor out of a relative or adverbial clause
# ("the deal, which it signed, was not discussed").
_CLIMB = frozenset({"dobj", "pobj", "prep", "pcomp", "attr", "oprd", "xcomp", "ccomp", "acomp"})


def _negated(token) -> bool:
    """Whether the parse negates or denies a word: a negation on it or on the verb it is the
    object or complement of ("did not sign", "has neither seen nor signed", "no one talks
    about", "will take no action", "no action taken"), or such a verb denies it ("denies
    the agreement")."""
    t = token
    while True:
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ in ("preconj", "cc") and c.lower_ in ("neither", "nor")):
                return True
            if c.dep_ in ("nsubj", "nsubjpass") and (
                c.lower_ in ("nobody", "nothing", "none") or _no(c)
            ):
                return True  # "no one talks about"
            if t is token and c.dep_ == "dobj" and (c.lower_ in ("nothing", "none") or _no(c)):
                return True  # "will take no action" (not "offered no apology for raising")
        if t is not token and DENIAL.fullmatch(t.text):
            return True
        if t.dep_ == "acl" and t.head.dep_ in ("attr", "dobj") and _no(t.head):
            return True  # "there will be no action taken", not "no one arrested had been"
        if t.dep_ == "conj":  # "neither seen nor approved": the first conjunct's "neither"
            return any(
                c.dep_ in ("preconj", "cc") and c.lower_ in ("neither", "nor")
                for c in t.head.children
            )
        if t.head.i == t.i or t.dep_ not in _CLIMB and not _complement(t):
            return False  # a subject's verb says something else of it
        t = t.head


def _no(noun) -> bool:
    """Whether a noun is determined by "no" ("no action")."""
    return any(d.dep_ == "det" and d.lower_ == "no" for d in noun.children)


def _complement(clause) -> bool:
    """Whether a clause under a noun says what the noun holds ("claims that he knew"), not
    which one it is ("the guarantees offered by the US")."""
    return clause.dep_ == "acl" and any(
        c.dep_ == "mark" and c.lower_ in ("that", "whether") for c in clause.children
    )


def stance(
    snapshot: IndexSnapshot, sentence: int, predicate: tuple[str, ...], model: str | None = None
) -> int | None:
    """-1 where the sentence's parse negates or denies the act the question's verb names,
    +1 where it states it, None where no word of the sentence names it: "Velmora has neither
    seen nor approved the terms" denies accepting them; a headline's "Velmora Might Accept
    Terms, But Don't Expect A Deal" does not, its negation being of another verb."""
    sent = parsed_sentence(snapshot, sentence)[0]
    acts = [
        (t, DENIAL.fullmatch(word) is None)
        for word in predicate
        for t in _acts(sent, fold(word), model)
    ]
    if not acts:
        return None
    # a denial in the place of what is asked is its opposite ("rejected" for "accept")
    opposed = [_negated(t) or bool(asks and DENIAL.fullmatch(t.text)) for t, asks in acts]
    return -1 if any(opposed) else 1


def _acts(sent, lemma: str, model: str | None) -> list:
    """The sentence's words for an act, negated or not: the verb, a word derived from it
    (in any part of speech, as a headline's capitals parse), or another verb for the act."""
    out, verbs = [], []
    for t in sent:
        word = t.lemma_.lower()
        if derived(word, lemma) or derived(t.lower_, lemma):
            out.append(t)
        elif t.pos_ in _CONTENT and word not in STOPWORDS and same_act(lemma, word):
            out.append(t)  # "acquired" for "buy", the noun "acceptance" for "accept"
        elif (phrase := multiword(t)) and same_act(lemma, phrase):
            out.append(t)  # "stepped down" for "resign"
        elif t.pos_ == "VERB" and word not in STOPWORDS:
            verbs.append(t)
    if verbs:  # the rest by their embeddings, in one batch
        vectors = word_vectors([lemma, *(fold(t.lemma_.lower()) for t in verbs)], model)
        sims = vectors[1:] @ vectors[0]
        out += [t for t, s in zip(verbs, sims, strict=True) if s >= PREDICATE_MATCH]
    return sorted(out, key=lambda t: t.i)


def _spells(noun, abbreviation: str) -> bool:
    """Whether a noun and the words compounded before it spell an abbreviation by their
    initials, or all of it but its last letter ("prime minister" PM, "chief executive" CEO,
    the officer left unsaid)."""
    initials, at = noun.lower_[0], noun.i
    while at > 0 and len(initials) < len(abbreviation):
        before = noun.doc[at - 1]
        if before.head.i != noun.i or before.dep_ not in ("compound", "amod"):
            break
        initials, at = before.lower_[0] + initials, at - 1
        if initials in (abbreviation, abbreviation[:-1]):
            return True
    return False


def _role(child) -> str:
    if child.dep_ == "prep":
        return f"prep:{child.lower_}"
    return child.dep_


def _place(root, anchor) -> tuple[str, int] | None:
    """How a name's head token depends on an anchor token, and how far down: the dependency
    of the anchor's child on the path, or 'appos' where the anchor stands in apposition
    to the name or both are the arguments of one 'be'."""
    if anchor.head.i == root.i and anchor.dep_ in ("appos", "compound"):
        return "appos", 1
    if anchor.head.i == root.i and anchor.dep_ == "acl":
        # "Jane Roe, 34, charged with ...", "Acme, based in Leeds": the name is what the
        # reduced clause describes: a past participle's passive subject, else its subject
        return ("nsubjpass" if anchor.tag_ == "VBN" else "nsubj"), 1
    described = anchor.head
    if described.dep_ == "appos" and described.head.i == root.i:
        described = root  # "Tessenford, the market town where she was born"
    if described.i == root.i and anchor.dep_ == "relcl":
        # "Harbor Group, which bought the terminal, ...": the role of the relative pronoun;
        # "the quay at Nettlefield, where the ship was built": the place
        pronoun = [c.dep_ for c in anchor.children if c.tag_ in ("WDT", "WP")]
        if not pronoun and any(c.lower_ == "where" for c in anchor.children):
            return "prep:in", 1
        return (pronoun[0] if pronoun else "nsubj"), 1
    if (
        anchor.dep_ == "xcomp"
        and root.dep_ == "nsubj"
        and root.head.i == anchor.head.i
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in anchor.children)
    ):
        # "Tessary Group has agreed to acquire Ferrowind": the subject of the verb the
        # anchor completes is the anchor's own
        return "nsubj", 2
    if (
        anchor.head.i == root.head.i
        and anchor.head.lemma_ == "be"
        and {anchor.dep_, root.dep_} <= {"nsubj", "attr"}
    ):
        return "attr", 2
    depth, t, below = 0, root, None
    while t.head.i != t.i:
        depth += t.dep_ != "conj"  # "Roe and Doe bought": both are the subject
        if t.head.i == anchor.i:
            # "designed and built by Roe": the agent of a verb joined to the anchor's
            return _role(below if t.dep_ == "conj" and below is not None else t), depth
        t, below = t.head, t
    return None


def parsed_sentence(snapshot: IndexSnapshot, sentence: int):
    """A sentence's parse and where it starts in its document's text."""
    ref = snapshot.sentences[sentence]
    doc = snapshot.docs[ref.doc_id]
    start, end = doc.sentences[ref.index][:2]
    return _parse(doc.text[start:end]), start


def has_anchor(
    snapshot: IndexSnapshot, sentence: int, anchor: tuple[str, str], model: str | None = None
) -> bool:
    """Whether a sentence says what the question's anchor says ("bought", "acquired")."""
    return bool(_anchors(parsed_sentence(snapshot, sentence)[0], anchor[0], model))


def in_slot(
    snapshot: IndexSnapshot,
    sentence: int,
    names: list[Value],
    anchor: tuple[str, str],
    model: str | None = None,
    close: bool = True,
) -> list[Value]:
    """The names of a sentence that fill the place the question asks about: those in one of
    the anchor's roles, the nearest to it where several are."""
    if not names:
        return []
    sent, start = parsed_sentence(snapshot, sentence)
    lemma, dep = anchor
    roles = _ROLES.get(dep, frozenset({dep}))
    anchors = _anchors(sent, lemma, model, close)
    placed: list[tuple[int, Value]] = []
    for v in names:
        span = sent.char_span(v.at - start, v.at - start + len(v.text), alignment_mode="expand")
        if span is None:
            continue
        # every token whose head is outside the span: an entity can run over a word
        # ("the Burgess Company at"), and the span's root is then that word
        heads = [t for t in span if not span.start <= t.head.i < span.end or t.head.i == t.i]
        depths = []
        for a, head in ((a, h) for a in anchors for h in heads):
            place = _place(head, a)
            # a noun that names the doer ("director Jane Roe", "the winner, Jane Roe") gives
            # the doer by apposition, whatever the question's verb asks
            ok = roles | _ROLES["be"] if a.pos_ == "NOUN" and dep == "nsubj" else roles
            if place is not None and place[0] in ok:
                depths.append(place[1])
        if depths:
            placed.append((min(depths), v))
    if not placed:
        return []
    nearest = min(d for d, _ in placed)
    return [v for d, v in placed if d == nearest]


def made_by(snapshot: IndexSnapshot, sentence: int) -> bool:
    """Whether a sentence names a person or a firm as the maker of a thing: after 'by' on a
    noun ("an album by Jane Roe") or on a participle describing one ("a series written by
    Jane Roe"); not the agent of what the sentence says happened ("was bought by")."""
    ref = snapshot.sentences[sentence]
    doc = snapshot.docs[ref.doc_id]
    names = [
        v for v in doc.sentence_values(ref.index) if v.label in ("PERSON", "ORG") and v.at >= 0
    ]
    if not names:
        return False
    sent, start = parsed_sentence(snapshot, sentence)
    for v in names:
        span = sent.char_span(v.at - start, v.at - start + len(v.text), alignment_mode="expand")
        by = span.root.head if span is not None and span.root.dep_ == "pobj" else None
        if by is None or by.lower_ != "by":
            continue
        if by.head.pos_ in ("NOUN", "PROPN") or by.head.dep_ == "acl":
            return True
    return False


def in_period(doc, index: int, v: Value, question: Question) -> bool:
    """Whether an amount in sentence ``index`` of a document is for the period the question
    asks about, read from the date written nearest it ("1.4% growth target in 2005" is not
    2004's growth, nor "shrank 0.2% in the last quarter of 2004", nor "added 337,000 jobs in
    October" December's); an amount with no date, or a relative one ("last year"), may
    be, and so may any where the question names no period."""
    if not question.periods or v.at < 0:
        return True
    # every date entity, also those with no calendar value ("last year"), less the
    # amount's own words ("18 years and 187 days" is a length of time, no period)
    dates = [
        (a, doc.text[a:b])
        for label, a, b, _ in doc.entities[index]
        if label == "DATE" and not a <= v.at < b
    ]
    if not dates:
        return True
    _, nearest = min(dates, key=lambda d: abs(d[0] - v.at))
    return any(same_period(p, nearest) is not False for p in question.periods)


def _of_asked_years(doc, index: int, question: Question) -> bool:
    """Whether sentence ``index`` may tell of the years the question asks about: it names
    one of them, or no year at all ("the 2030 winner, Jane Roe" tells of no 2031 prize;
    "appointed in March 2031" and "who joined in 2020, was appointed in 2031" may)."""
    asked = {y for p in question.periods for y in years(p)}
    if not asked:
        return True
    given = {
        y for label, a, b, _ in doc.entities[index] if label == "DATE" for y in years(doc.text[a:b])
    }
    return not given or bool(given & asked)


def answer_names(
    snapshot: IndexSnapshot,
    e: Evidence,
    question: Question,
    model: str | None = None,
    close: bool = True,
) -> list[Value]:
    """The names in a sentence that answer a question asking for one: of a kind it wants,
    not a name the question gives, in the anchor's place, in a sentence that does not tell
    of other years than the question's (_of_asked_years)."""
    if question.anchor is None:
        return []
    ref = snapshot.sentences[e.sentence]
    doc = snapshot.docs[ref.doc_id]
    asked = set(question.names)
    # the sentence's speaker may be the answer: "Jane Roe described him as ..."
    # a name in the place 'where' asks for is a place, whatever the recogniser took it for
    # (a small town read as a firm or a person; a shipyard that is a firm's)
    where = question.anchor[1] == "where"
    names = [
        v
        for v in doc.sentence_values(ref.index)
        if v.kind == "name" and (where or v.label in question.wants) and not v.name <= asked
    ]
    if names and not _of_asked_years(doc, ref.index, question):
        return []
    found = in_slot(snapshot, e.sentence, names, question.anchor, model, close)
    return [v if v.label in PLACES or not where else replace(v, label="LOC") for v in found]


def hypothetical(snapshot: IndexSnapshot, sentence: int, at: int, question: Question) -> bool:
    """Whether the value at document offset ``at`` is stated only as possible where the
    question asks what is or was (it has no modal of possibility): the first verb above it
    in the parse has a modal of possibility ("could face up to 85 years"; not a future,
    "will face a fine of £1,000") or a condition ("faces 85 years if convicted")."""
    if question.possible:  # "How many years could he get?": the possible figure answers
        return False
    token = _verb_above(snapshot, sentence, at)
    if token is None:
        return False
    return any(c.tag_ == "MD" and c.lower_ in POSSIBILITY for c in token.children) or any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "if" for m in c.children)
        for c in token.children
    )


_FUTURE = frozenset({"would", "will", "'ll", "wo"})


def forecast(snapshot: IndexSnapshot, sentence: int, at: int) -> bool:
    """Whether the value at document offset ``at`` is told as what would or will be: the
    first verb above it in the parse takes "would" or "will" ("said growth would be 1.8%"),
    or is an infinitive under a passive in the present ("the trial is expected to last two
    months", "growth is forecast to reach 2%"; not "it was expected to", "it has agreed to
    pay £5m", "it is to pay £5m")."""
    token = _verb_above(snapshot, sentence, at)
    if token is None:
        return False
    if any(c.tag_ == "MD" and c.lower_ in _FUTURE for c in token.children):
        return True
    while token.tag_ == "VB" and token.dep_ == "xcomp" and token.head.i != token.i:
        token = token.head
        if token.pos_ not in ("VERB", "AUX") or token.lemma_ == "be":
            return False  # "is to pay £5m" tells of a deal made, not a forecast
        if any(c.tag_ == "MD" and c.lower_ in _FUTURE for c in token.children):
            return True  # "will try to sell"
        # a passive in the present: "is expected to", "are forecast to", "is set to"; not
        # "was expected to", "has agreed to pay", nor a headline's "agrees to pay"
        if any(c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in token.children):
            return True
    return False


def membership(snapshot: IndexSnapshot, sentence: int, at: int) -> bool:
    """Whether the number at document offset ``at`` is the "one" of "X is one of ...", said
    of something ("was one of only two winners", "Jane Roe, one of the judges"): it places
    it in a group and counts nothing. Not "only one of the 12 crew survived" nor "won one
    of its five races", which count."""
    sent, start = parsed_sentence(snapshot, sentence)
    token = next((t for t in sent if t.idx <= at - start < t.idx + len(t)), None)
    return (
        token is not None
        and token.like_num
        and token.lower_ in ("one", "1")
        and token.dep_ in ("attr", "appos")
        and any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children)
    )


def _verb_above(snapshot: IndexSnapshot, sentence: int, at: int):
    """The first verb above the token at document offset ``at`` in its sentence's parse."""
    return _way_to_verb(snapshot, sentence, at)[0]


def _way_to_verb(snapshot: IndexSnapshot, sentence: int, at: int) -> tuple:
    """The first verb above the token at document offset ``at`` (None where there is none)
    and the tokens passed on the way up to it, that one first."""
    sent, start = parsed_sentence(snapshot, sentence)
    token = next((t for t in sent if t.idx <= at - start < t.idx + len(t)), None)
    path = []
    while token is not None and token.pos_ not in ("VERB", "AUX"):
        path.append(token)
        token = None if token.head.i == token.i else token.head
    return token, path


# what a value is said of: the nouns on its way up to its verb, the verb's subject and
# what is set beside it ("Its neighbour, the Sable Spire,"), owner or compound
_SUBJECTS = ("nsubj", "nsubjpass")
_BESIDE = ("appos", "compound", "nmod", "poss")
# a verb with no subject of its own takes the one of the verb it hangs on: "plans to
# build", "is under construction and is expected to reach"
_HANDED_DOWN = ("xcomp", "conj")


def said_of_another(
    snapshot: IndexSnapshot, sentence: int, at: int, own: set[str], subjects: bool = True
) -> bool:
    """Whether the value at document offset ``at`` is said of something named that is none
    of ``own`` (folded words that are not another's: the question's, the value's own): a
    proper noun among the nouns on its way up to its verb; with ``subjects``, also that
    verb's subject ("Acme Mining bought the quarry for 410 million crowns", for the length
    of a trail), or for a clause that describes a noun ("That agreement, signed in March
    1913"), that noun and its own verb's subject ("Acme paid fines totalling $1.7m"); with
    what is set beside each ("Its neighbour, the Sable Spire, is expected to reach 340
    metres"). A relative clause's own subject ("which") is no name: the noun it describes
    is read instead."""
    token, path = _way_to_verb(snapshot, sentence, at)
    held = list(path)
    while token is not None and subjects:
        if token.dep_ in ("acl", "relcl"):
            # the noun it describes, and on up to that noun's verb ("paid fines totalling
            # $1.7m": who paid them)
            held.append(token.head)
            token = token.head
            while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
                token = token.head
            if token.pos_ not in ("VERB", "AUX"):
                break
            continue
        doers = [c for c in token.children if c.dep_ in _SUBJECTS]
        held += doers
        if doers or token.dep_ not in _HANDED_DOWN or token.head.i == token.i:
            break
        token = token.head
    held += [c for t in list(held) for c in t.children if c.dep_ in _BESIDE]
    return any(
        t.pos_ == "PROPN" and fold(t.text) not in own and fold(t.text) not in STOPWORDS
        for t in held
    )


def on_act(
    snapshot: IndexSnapshot,
    sentence: int,
    at: int,
    predicate: tuple[str, ...],
    model: str | None = None,
) -> bool:
    """Whether the first verb above the value at document offset ``at`` says the act of
    the question's verb ("only about 30 were found", not "9,000 workers were tested", for
    "How many cases were found?"), as done, not as what someone expects, hopes or plans to
    do ("expected to sell around two million"). The act may be named by a noun: one the
    value counts on the way up to the verb ("14 deaths were confirmed"), or the verb's
    subject or object or a word compounded with it ("bringing the death toll to 14", "the
    death toll rose to 14", for "How many people died?")."""
    token, path = _way_to_verb(snapshot, sentence, at)
    if token is None or token.dep_ == "xcomp":
        return False
    acts = {t.i for w in predicate for t in _acts(token.sent, fold(w), model)}
    if token.i in acts:
        return True
    args = [c for c in token.children if c.dep_ in _ARGUMENTS]
    nouns = path + args + [c for a in args for c in a.children if c.dep_ == "compound"]
    return any(n.i in acts and n.pos_ in ("NOUN", "PROPN") for n in nouns)


def of_a_noun(
    snapshot: IndexSnapshot,
    sentence: int,
    at: int,
    predicate: tuple[str, ...],
    model: str | None = None,
) -> bool:
    """Whether the value at document offset ``at`` (a date's last word: the recogniser takes
    "fiscal year ending 31 March" for one date) belongs to a clause that describes a noun
    ("its fiscal year ending 31 March", "the season starting in May") of another act than
    the question's: it says when that thing is, not when the asked act happened."""
    token = _verb_above(snapshot, sentence, at)
    return (
        token is not None
        and token.dep_ == "acl"
        and not any(token in _acts(token.sent, fold(w), model) for w in predicate)
    )


def counted_noun(snapshot: IndexSnapshot, sentence: int, at: int, length: int) -> str | None:
    """The noun a number at document offset ``at`` counts, by the parse ("miners" in "twelve
    miners were hurt", "customers" in "1.7 million cable customers", "producers" in "two of
    its four producers"), folded; None where it counts no noun."""
    sent, start = parsed_sentence(snapshot, sentence)
    span = sent.char_span(at - start, at - start + length, alignment_mode="expand")
    if span is None:
        return None
    numbers = [t for t in span if t.like_num or t.pos_ == "NUM"]
    if not numbers:
        return None
    t = numbers[-1]  # "an estimated 1.7 million": "million", which "1.7" compounds
    while t.dep_ in ("compound", "quantmod") and t.head.pos_ == "NUM" and t.head.i != t.i:
        t = t.head
    if t.dep_ in ("nummod", "quantmod", "compound") and t.head.pos_ in ("NOUN", "PROPN"):
        return fold(t.head.text)
    # a part of what it counts: "two of its four producers"
    for of in (c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"):
        for noun in of.children:
            if noun.dep_ == "pobj" and noun.tag_ in ("NNS", "NNPS"):
                return fold(noun.text)
    return None


def measured(snapshot: IndexSnapshot, sentence: int, at: int, length: int) -> str | None:
    """The common noun the sentence says an amount at document offset ``at`` is an amount
    of: "a bonus of £44,914", "a rise to £5.35", "£20 notes", "the minimum wage is £4.85",
    "the wage is set at £4.85" (the subject of "be" or of a passive). None where no noun is
    named for it: "sold for £339", "shares reached 500p", "he earns £90,000"."""
    sent, start = parsed_sentence(snapshot, sentence)
    span = sent.char_span(at - start, at - start + length, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:  # "£63 ... and £111": as the first
        root = root.head
    head = root.head
    if root.dep_ in ("nummod", "compound", "quantmod", "amod") and head.pos_ == "NOUN":
        return head.lemma_.lower()
    if root.dep_ == "pobj" and head.pos_ == "ADP":
        if head.head.pos_ == "NOUN":  # "a bonus of £44,914", "an increase to £5.35"
            return head.head.lemma_.lower()
        verb = head.head
    elif root.dep_ in ("attr", "acomp", "oprd"):
        verb = head
    else:
        return None
    copula = verb.lemma_ == "be"
    for c in verb.children:
        if c.pos_ == "NOUN" and (c.dep_ == "nsubjpass" or (copula and c.dep_ == "nsubj")):
            return c.lemma_.lower()
    return None


def _names_place(text: str, found: list[str], asked: str) -> bool:
    """Whether a sentence names a place the question asks of: as written, or a place
    WordNet gives as the same or a part of it, or one it is part of ("America" for "the
    US", "London" for "the UK")."""
    written = [w for w in asked.split() if not w.islower()] or asked.split()
    if all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in written):
        return True
    return any(
        same_name(place, asked) or within(place, asked) or within(asked, place) for place in found
    )


def elsewhere(snapshot: IndexSnapshot, sentence: int, places: tuple[str, ...]) -> bool:
    """Whether a sentence tells of another place than those the question asks of: neither
    it nor its article's title names one of them, and it sets what it tells in a place
    that WordNet knows as neither one of them, nor a part of one, nor a whole one is part
    of ("will go on sale in Japan on 12 December", for "When does it go on sale in the
    US?"). A place WordNet does not know may hold the asked one ("The town, in Varn
    county, ..."): no sign of another."""
    if not places:
        return False
    ref = snapshot.sentences[sentence]
    doc = snapshot.docs[ref.doc_id]
    text = snapshot.sentence_text(sentence) + "\n" + doc.meta.get("title", "")
    spans = [(a, b) for label, a, b, *_ in doc.entities[ref.index] if label in PLACES]
    found = [doc.text[a:b] for a, b in spans]
    if not spans or any(_names_place(text, found, asked) for asked in places):
        return False
    sent, start = parsed_sentence(snapshot, sentence)
    for (a, b), place in zip(spans, found, strict=True):
        if any(
            within(place, asked) is not False or within(asked, place) is not False
            for asked in places
        ):
            continue
        span = sent.char_span(a - start, b - start, alignment_mode="expand")
        root = span.root if span is not None else None
        while root is not None and root.dep_ == "conj":  # "in Japan and Korea"
            root = root.head
        if root is not None and root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE:
            return True
    return False
