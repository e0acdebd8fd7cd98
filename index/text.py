"""Word-level text helpers shared by the keyword index and the answer pipeline."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'][A-Za-z0-9]+)*")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "s",
        "t",
        "don",
        "now",
        "ever",
        "tell",
        "told",
        "say",
        "says",
        "said",
        "according",
    ]
)

# Words that shape a question but never name what it is about.
QUESTION_WORDS = frozenset(
    [
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "many",
        "much",
        "anyone",
        "anybody",
        "someone",
        "something",
        "anything",
        "source",
        "sources",
        "article",
        "articles",
        "report",
        "reports",
        "reported",
        "corpus",
        "news",
        "mention",
        "mentioned",
        "mentions",
        "give",
        "given",
        "name",
        "named",
        "kind",
        "sort",
    ]
)


def fold(text: str) -> str:
    """Lower-case and strip accents and typographic quotes so variants compare equal."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("\u2019", "'").replace("\u2018", "'").lower()


@lru_cache(maxsize=1)
def _stemmer():
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English Snowball stem of a folded word."""
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """Folded words, with possessives and dotted abbreviations normalised (U.S. -> us)."""
    out = []
    for w in _WORD.findall(fold(text)):
        if w.endswith("'s"):
            w = w[:-2]
        out.append(w.replace(".", "").replace("'", ""))
    return [w for w in out if w]


def tokens(text: str) -> list[str]:
    """Stemmed content words: the keyword index's and the overlap measures' unit."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


# Lengths of the abbreviations a lexicon recognises ("FA", "WTO", "BoE"...).
ACRONYM = range(2, 6)
# Shortest word matched by prefix or by a near spelling: shorter words have too many.
SPELLING_MIN = 5


def is_abbreviation(word: str) -> bool:
    """Whether a word as written is an abbreviation: two to five characters, two or more
    of them capitals ("WTO", "BoE", "FPS")."""
    return len(word) in ACRONYM and sum(c.isupper() for c in word) > 1


def abbreviations(text: str) -> set[str]:
    """The folded abbreviations a text writes (is_abbreviation)."""
    return {fold(w) for w in _WORD.findall(text) if is_abbreviation(w)}


class Lexicon:
    """The words of one text, for asking whether it names something: its stems, its long
    words (for prefixes and spellings), the abbreviations it writes in capitals, and the
    initials of its runs of words ('Football Association' spells fa)."""

    def __init__(self, text: str):
        self._text = text
        self._folded: str | None = None
        self.stems: set[str] = set()
        self.long: set[str] = set()
        self.abbreviations: set[str] = set()  # written in capitals: "WTO", "BoE"
        # per line, the first letters of its content words and whether each is a capital
        self._initials: list[tuple[str, str]] = []
        for line in re.split(r"[.!?;:\n]", text):
            ws = words(line)
            self.stems.update(stem(w) for w in ws)
            self.long.update(w for w in ws if len(w) >= SPELLING_MIN)
            content = [w for w in _WORD.findall(line) if w.lower() not in STOPWORDS]
            self.abbreviations.update(fold(w) for w in content if is_abbreviation(w))
            firsts = "".join(w[0] for w in content)
            self._initials.append(
                (fold(firsts), "".join("C" if c.isupper() else "c" for c in firsts))
            )

    def spells(self, abbreviation: str, capitals: bool = False) -> bool:
        """Whether a run of the text's words has these initials; two-letter ones (or, with
        ``capitals``, all) only from capitalised words, as any two words would otherwise
        spell some ("accept foreign troops" spells "aft")."""
        n = len(abbreviation)
        if n not in ACRONYM:
            return False
        for letters, case in self._initials:
            at = letters.find(abbreviation)
            while at >= 0:
                if (n > 2 and not capitals) or case[at : at + n] == "C" * n:
                    return True
                at = letters.find(abbreviation, at + 1)
        return False

    def joins(self, folded: list[str]) -> bool:
        """Whether the text writes these words as one hyphenated name ('half-life'; also
        with an en-dash, a non-breaking hyphen or a space between them)."""
        if self._folded is None:
            self._folded = fold(self._text)
        joined = r"[-\u2010\u2011\u2013\s]?".join(re.escape(w) for w in folded)
        return bool(re.search(rf"\b{joined}\b", self._folded))

    def names(self, word: str) -> bool:
        """Whether the text holds a folded word: an inflection, a longer form of it (the
        text's 'Yuganskneftegas' for 'Yugansk', not its 'Green' for 'Greenspan'), a near
        spelling ('organization')."""
        if stem(word) in self.stems:
            return True
        if len(word) < SPELLING_MIN:
            return False
        if any(w.startswith(word) for w in self.long):
            return True
        import difflib

        return bool(difflib.get_close_matches(word, self.long, n=1, cutoff=0.85))


# Words that negate a sentence, and verbs that deny what they take (closed classes of the
# language, read by rag.evidence for a stance and by index.duplicates: a sentence and its
# denial are no copies of one another).
NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|none|nothing|cannot|without)\b|n[’']t\b", re.I
)
DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ial)|reject(?:s|ed|ion)?|refus(?:e|es|ed|al)|dismiss(?:es|ed)?|"
    r"rebuff(?:s|ed)?|contradict(?:s|ed)?|disput(?:e|es|ed)|rul(?:e|es|ed) out)\b",
    re.I,
)


def negates(text: str) -> bool:
    """Whether a sentence negates or denies something."""
    return bool(NEGATION.search(text) or DENIAL.search(text))
