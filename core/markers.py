"""Citation markers and the article's own bracketed notes, kept apart.

An answer cites its sources with ``[n]``. Text from the web and from encyclopedias carries
bracketed notes of its own: footnote numbers ("[39]", "[1][2]", "[3–5]"), lettered notes
("[a]"), editors' notes ("[citation needed]"). Wherever a quote is shown inside an answer, a
prompt or a list of sources, those notes are left out (they point to notes the reader does not
have), so that every ``[n]`` a reader or a program finds in an answer is one of its citations.
The citation's ``quote`` keeps the article's exact text.
"""

from __future__ import annotations

import re

# The only thing an answer's [n] can be: a citation number.
CITATION = re.compile(r"\[(\d+)\]")

# A bracketed number or list of numbers, anywhere: a reference, never an editor's words.
_NUMBERED = r"\[\s*\d+(?:\s*[,;\u2013\u2014-]\s*\d+)*\s*\]"
# Any short bracketed note glued to the word or punctuation before it: "word[a]",
# "claim.[citation needed]", "year[note 3]". An editor's insertion ("the [minister] said")
# stands apart from the word before it and stays.
_ATTACHED = r"(?<=[^\s\[(])\[[^\[\]\n]{1,40}\]"
_NOTES = re.compile(rf"(?<![ \t])[ \t]*(?:{_NUMBERED}|{_ATTACHED})")
_GAP = re.compile(r"[ \t]{2,}")
_BEFORE_PUNCT = re.compile(r"[ \t]+(?=[.,;:!?])")


def without_notes(text: str) -> str:
    """``text`` with the article's bracketed notes left out, ready to sit beside [n] markers.

    >>> without_notes("A Whig.[39] He served [1][2] twice,[citation needed] in office[a].")
    'A Whig. He served twice, in office.'
    """
    if "[" not in text:
        return text
    out = _NOTES.sub("", text)
    if out == text:
        return text
    return _BEFORE_PUNCT.sub("", _GAP.sub(" ", out))


def markers(text: str) -> list[int]:
    """The citation numbers ``text`` refers to, in order, repeats included."""
    return [int(n) for n in CITATION.findall(text)]


# The words that open a side of a stance dispute in an answer: a yes/no question's sides are
# "Yes" and "No", an open question's say what each source does; "Also" opens the rest.
POLAR_SIDES = ("Yes", "No")
OPEN_SIDES = ("Affirms", "Denies")
SIDE_LABEL = re.compile(rf"^({'|'.join((*POLAR_SIDES, *OPEN_SIDES, 'Also'))}): ")
