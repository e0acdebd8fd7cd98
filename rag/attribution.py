"""Who said it: the speaker and role behind a sentence, from the language alone.

Works on any English news text: speech verbs ("said", "told", "according to"), the
capitalised name next to them, titles before a name ("Foreign Minister X") or in apposition
("X, chief of staff to ..."), and pronouns resolved to the last speaker in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.store import DocRecord

_SPEECH = (
    r"said|says|say|told|tells|stated|added|adds|noted|argued|argues|claimed|"
    r"warned|warns|insisted|insists|denied|denies|emphasi[sz]ed|emphasi[sz]es|indicated|indicates|"
    r"announced|announces|confirmed|confirms|explained|asserted|declared|wrote|writes|outlined|"
    r"listed|stressed|suggested|acknowledged|admitted|characteri[sz]ed|described|was quoted as saying"
)
_SPEECH_RE = re.compile(rf"\b(?:{_SPEECH})\b")
_ACCORDING = re.compile(r"\baccording to\s+(?:the\s+)?", re.I)
_CAP = r"[A-Z][\w'\u2019.\-]*"
_NAME_SEQ = re.compile(rf"{_CAP}(?:\s+(?:of\s+the\s+|of\s+|for\s+|to\s+)?{_CAP})*")
_PRONOUN = re.compile(r"^(?:He|She|They)\b")
_TITLE_WORDS = frozenset(
    [
        "minister",
        "president",
        "prime",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "secretary",
        "chancellor",
        "director",
        "chief",
        "head",
        "governor",
        "senator",
        "ambassador",
        "envoy",
        "official",
        "officials",
        "commander",
        "general",
        "chairman",
        "chairwoman",
        "leader",
        "deputy",
        "executive",
        "ceo",
        "manager",
        "founder",
        "owner",
        "attorney",
        "prosecutor",
        "judge",
        "lawyer",
        "economist",
        "professor",
        "inspector",
        "commissioner",
        "councillor",
        "councilor",
        "foreign",
        "defence",
        "defense",
        "interior",
        "finance",
        "representative",
        "adviser",
        "advisor",
        "mayor",
        "premier",
        "king",
        "queen",
        "staff",
        "editor",
        "analyst",
        "aide",
        "negotiator",
        "diplomat",
    ]
)
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "at",
        "in",
        "on",
        "for",
        "from",
        "with",
        "by",
        "after",
        "before",
        "during",
        "as",
        "but",
        "and",
        "or",
        "if",
        "when",
        "while",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "his",
        "her",
        "their",
        "our",
        "we",
        "i",
        "you",
        "he",
        "she",
        "they",
        "there",
        "here",
        "speaking",
        "however",
        "meanwhile",
        "also",
        "according",
        "russian",
        "ukrainian",
        "american",
        "european",
        "u.s.",
        "us",
        "un",
        "eu",
    ]
)
_GENERIC_SPEAKER = re.compile(
    r"((?:\b(?:a|an|the)\s+|^)(?:senior\s+|top\s+|former\s+|unnamed\s+)?[\w\-]+\s+"
    r"(?:official|diplomat|spokesman|spokeswoman|source|minister|officials|diplomats|sources))\b",
    re.I,
)


@dataclass(frozen=True)
class Speaker:
    name: str
    role: str | None = None

    @property
    def key(self) -> str:
        """Identity for comparing speakers: the last word of the name, folded."""
        return self.name.split()[-1].casefold() if self.name else ""


def _clean_name(seq: str) -> tuple[str, str]:
    """Split 'Deputy Transport Minister Anna Marsh' into (name, title words before it)."""
    words = seq.replace("\u2019s", "'s").split()
    cut = 0
    for i, w in enumerate(words):
        base = w.lower().rstrip(".,").removesuffix("'s")
        if base in _TITLE_WORDS or base in _NOT_NAMES or w.endswith("'s"):
            cut = i + 1
    name_words = [w.strip(",.") for w in words[cut:] if w.lower() not in ("of", "the", "for", "to")]
    return " ".join(name_words), " ".join(words[:cut])


def _tail_name(text: str) -> str | None:
    tail = re.search(rf"({_CAP}(?:[ \t]+{_CAP})*)\s*$", text)
    if tail:
        name, _ = _clean_name(tail.group(1))
        if name and name.split()[0].lower() not in _NOT_NAMES:
            return name
    return None


_AUX = re.compile(r"\b(?:also|has|have|had|was|were|is|previously|later|then|repeatedly)\s*$")


def _strip_aux(text: str) -> str:
    return _AUX.sub("", text.rstrip()).rstrip().rstrip(",").rstrip()


def _last_name_before(text: str) -> str | None:
    """The speaker named at the end of text (just before a speech verb), if any."""
    text = _strip_aux(text)
    head, _, last = text.rpartition(",")
    last = last.strip()
    # an appositive between the name and the verb: "X, chief of staff to Y, said"
    if (
        head
        and last[:1].islower()
        and any(w.strip("'\u2019s,").lower() in _TITLE_WORDS for w in last.split())
    ) and not _GENERIC_SPEAKER.fullmatch(last):
        name = _tail_name(head)
        if name:
            return name
    return _tail_name(text)


def _generic(text: str) -> str | None:
    m = _GENERIC_SPEAKER.search(text)
    return m.group(1) if m else None


def _speaker_in(sentence: str) -> tuple[str, bool] | None:
    """(speaker, is_named) for a speaker in the sentence itself ('a senior official' is unnamed)."""
    for m in _ACCORDING.finditer(sentence):
        rest = sentence[m.end() :]
        after = _NAME_SEQ.match(rest)
        if after:
            name, _ = _clean_name(after.group(0))
            if name and name.split()[0].lower() not in _NOT_NAMES:
                return name, True
        generic = (
            _generic("the " + rest[:80])
            if not rest[:2].lower().startswith("a")
            else _generic(rest[:80])
        )
        if generic:
            return generic, False
    for m in _SPEECH_RE.finditer(sentence):
        before = sentence[: m.start()]
        # the speaker stands outside the quotation marks
        before = re.sub(r"[\"\u201c][^\"\u201d]*[\"\u201d]\s*,?", " ", before)
        clause = re.split(r"[;:(]|\bthat\b|\bwhat\b|\bwhich\b", before)[-1]
        tail = _strip_aux(clause.rpartition(",")[2])
        generic = _GENERIC_SPEAKER.search(tail)
        if generic and generic.end() == len(tail):
            return generic.group(1).strip(), False
        name = _last_name_before(clause)
        if name:
            return name, True
        after = re.match(rf"\s+({_CAP}(?:[ \t]+{_CAP})*)", sentence[m.end() :])
        if after and not clause.strip():
            continue
        if after:
            name, _ = _clean_name(after.group(1))
            if (
                name
                and name.split()[0].lower() not in _NOT_NAMES
                and m.group(0) in ("said", "says")
            ):
                return name, True
    return None


def _full_name(doc: DocRecord, name: str) -> str:
    """Expand a surname to the form the document uses ('Marsh' -> 'Anna Marsh')."""
    if " " in name:
        return name
    for m in re.finditer(rf"\b([A-Z][\w'\u2019\-]+)[ \t]+{re.escape(name)}\b", doc.text):
        first = m.group(1)
        base = first.lower().removesuffix("'s").removesuffix("\u2019s")
        if (
            base not in _NOT_NAMES
            and base not in _TITLE_WORDS
            and not first.endswith(("'s", "\u2019s"))
        ):
            return f"{first} {name}"
    return name


_LEADING = frozenset(["the", "a", "an", "in", "at", "on", "by", "and", "but", "speaking"])
_WORD_BEFORE = re.compile(r"([\w'\u2019\-]+)[ \t]+$")


def _title_before(text: str) -> str | None:
    """Title words that end text: 'Russia's Foreign Minister', 'Kremlin spokesman'."""
    words: list[str] = []
    modifier_used = False
    while True:
        m = _WORD_BEFORE.search(text)
        if not m:
            break
        w = m.group(1)
        base = w.lower().removesuffix("'s").removesuffix("\u2019s")
        # one lower-case modifier may stand before a title word: "port director"
        modifier = (
            not modifier_used
            and words
            and words[0].lower() in _TITLE_WORDS
            and base not in _NOT_NAMES
            and w.isalpha() | w.lower().endswith(("'s", "\u2019s"))
        )
        if not (w[:1].isupper() or base in _TITLE_WORDS or modifier) or (
            base in _NOT_NAMES and not w[:1].isupper()
        ):
            break
        if modifier and not w[:1].isupper() and base not in _TITLE_WORDS:
            modifier_used = True
        if base in ("the", "a", "an", "in", "at", "on", "speaking", "by"):
            break
        words.insert(0, w)
        text = text[: m.start()]
        if len(words) >= 5:
            break
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    if any(w.lower().removesuffix("'s").removesuffix("\u2019s") in _TITLE_WORDS for w in words):
        return " ".join(words)
    return None


@lru_cache(maxsize=4096)
def _role_in_text(text: str, name: str) -> str | None:
    esc = re.escape(name)
    for m in re.finditer(rf"\b{esc}\b", text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        title = _title_before(text[line_start : m.start()])
        if title:
            return title
    # "Anna Marsh, chief of staff to ...," / "the head of X, Anna Marsh,"
    for pattern in (
        rf"{esc},[ \t]+((?:the[ \t]+)?[a-z][^,.;\n]{{3,80}}),",
        rf"\bthe[ \t]+([a-z][^,.;\n]{{3,80}}),[ \t]+(?:[A-Z][\w\-]+[ \t]+)?{esc}\b",
    ):
        for m in re.finditer(pattern, text):
            role = m.group(1)
            if any(w.lower().strip("'\u2019s") in _TITLE_WORDS for w in role.split()):
                return role.removeprefix("the ").strip()
    return None


def role_of(doc: DocRecord, name: str) -> str | None:
    """The title the document gives this person, if any."""
    if not name or not name[:1].isupper():
        return None
    return _role_in_text(doc.text, name) or _role_in_text(doc.text, name.split()[-1])


def attribute(doc: DocRecord, index: int, lookback: int = 3) -> Speaker | None:
    """The speaker of sentence `index` in `doc`, resolving 'He added' to an earlier speaker."""
    sentence = doc.sentence_text(index)
    found = _speaker_in(sentence)
    if found is None and _PRONOUN.match(sentence) and _SPEECH_RE.search(sentence):
        for j in range(index - 1, max(-1, index - 1 - lookback), -1):
            found = _speaker_in(doc.sentence_text(j))
            if found and found[1]:
                break
            found = None
    if found is None and sentence[:1] in '"\u201c' and index > 0:
        # a quotation that goes on from the previous sentence keeps its speaker
        prev = doc.sentence_text(index - 1)
        if prev[:1] in '"\u201c' or prev.rstrip()[-1:] in '"\u201d':
            return attribute(doc, index - 1, lookback)
    if found is None:
        return None
    name, named = found
    if not named:
        return Speaker(name)
    name = _full_name(doc, name)
    return Speaker(name, role_of(doc, name))
