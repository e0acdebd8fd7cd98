"""The question side: validation, steering attempts, follow-ups and key terms."""

from __future__ import annotations

import re

from index.text import QUESTION_WORDS, STOPWORDS, stem, words

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
_PROPER = re.compile(rf"(?<![.?!]\s)(?<!^)\b({_CAP}(?:\s+{_CAP})*)")


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


def proper_names(question: str) -> list[str]:
    """Capitalised words not at the start of the question: names the corpus must contain."""
    names = []
    for m in _PROPER.finditer(question):
        for f in words(m.group(1)):
            if f not in STOPWORDS and f not in QUESTION_WORDS:
                names.append(f)
    return names


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


def is_polar(question: str) -> bool:
    """A yes/no question: it states a proposition that sources can affirm or deny."""
    return bool(_POLAR.search(question))


_WANTS_TIME = re.compile(
    r"^\s*(?:when\b|what\s+(?:date|day|time|year|month)\b|since\s+when\b)", re.I
)
_WANTS_NUMBER = re.compile(r"\bhow\s+(?:many|much|long|old|far)\b", re.I)
_TIME = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|yesterday|today|tomorrow|tonight|weekend|"
    r"(?:19|20)\d\d|\d{1,2}:\d\d|(?:last|next|this|earlier|later)\s+(?:week|month|year)|"
    r"\d+\s+(?:days?|weeks?|months?|years?)\s+(?:ago|later|earlier))\b",
    re.I,
)
_NUMBER = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"dozens?|hundreds?|thousands?|millions?|billions?)\b",
    re.I,
)


def answer_shape(question: str) -> re.Pattern | None:
    """What an answer must contain to fit the question: a time for "when", a number for
    "how many"; None when the question does not ask for either."""
    if _WANTS_TIME.search(question):
        return _TIME
    if _WANTS_NUMBER.search(question):
        return _NUMBER
    return None
