"""The question side: validation, steering attempts, follow-ups and key terms."""

from __future__ import annotations

import re

from index.text import QUESTION_WORDS, STOPWORDS, fold, stem, words

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
_PROPER = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][\w'\u2019\-]*(?:\s+[A-Z][\w'\u2019\-]*)*)")


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
        for w in m.group(1).split():
            f = fold(w).removesuffix("'s").replace("'", "")
            if f and f not in STOPWORDS and f not in QUESTION_WORDS:
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
