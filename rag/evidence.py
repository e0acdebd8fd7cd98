"""Evidence: the sentences that answer a question, who said them, and which way they lean."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from index.analysis import Speaker
from index.store import IndexSnapshot
from index.text import NEGATION, fold, negates, stem, tokens, words
from rag.filters import Scope, nearest_chunks
from rag.retrieval import Hit
from rag.wordnet import base, derived, irregular_base

W_DENSE, W_LEXICAL, W_CHUNK = 0.55, 0.30, 0.15
# the lines at the top of an article that may name what its sentences leave out: the
# headline and the first line
LEAD_LINES = 2
# ... and how much that line weighs beside the sentence when they are read together
CONTEXT_WEIGHT = 0.5
# the query's nearest chunks whose sentences may join the evidence beside the retrieved ones
NEAR_CHUNKS = 20


@dataclass
class Evidence:
    """One selected sentence (global number) with its score, speaker and stance."""

    sentence: int
    score: float
    dense: float
    lexical: float
    speaker: Speaker | None = None
    stance: int = 1  # +1 affirms the question's proposition, -1 denies it
    also: list[int] = field(default_factory=list)  # repeating sentences in other documents


_EITHER_WAY = re.compile(r"\b(?:or|whether)\s+not\b", re.I)


def polarity(text: str) -> int:
    """-1 when the text negates or denies, else +1 ('... or not?' asks both ways)."""
    text = _EITHER_WAY.sub(" ", text)
    return -1 if negates(text) else 1


def negated(text: str) -> bool:
    """Whether a question is asked in the negative ("Did Velmora not accept ...?"), a denial
    verb apart: "Did Velmora reject ...?" asks about rejecting."""
    return bool(NEGATION.search(_EITHER_WAY.sub(" ", text)))


def lexical(
    snapshot: IndexSnapshot,
    query_tokens: list[str],
    sentence: str,
    around: set[str] = frozenset(),
    acts: dict[str, tuple[str, ...]] | None = None,
) -> float:
    """IDF-weighted share of the query's tokens found in a sentence (the rarity of a token
    among sentences is read from the keyword index). around: tokens the sentence speaks of
    without writing them (the name its article is about: "The firm said ..."). acts: the
    question's verbs by token, with their base; a sentence has such a token where it names
    a noun derived from one ("founder" for "founded", "agreement" for "agreed")."""
    if not query_tokens:
        return 0.0
    sentence_words = words(sentence)
    have = set(tokens(sentence)) | around
    # an irregular verb's form has its base's token too: "paid" is "pay", "sold" "sell"
    have |= {stem(b) for w in sentence_words if (b := irregular_base(w)) is not None}
    for token, forms in (acts or {}).items():
        if token not in have and any(
            derived(f, w) or w.endswith("s") and derived(f, w[:-1])  # "founders"
            for f in forms
            for w in sentence_words
        ):
            have.add(token)
    n = len(snapshot.sentences)
    weights = [snapshot.keyword.sentence_idf(t, n) for t in query_tokens]
    found = sum(w for t, w in zip(query_tokens, weights, strict=True) if t in have)
    return found / sum(weights)


def score_sentences(
    snapshot: IndexSnapshot,
    hits: list[Hit],
    query_vector: np.ndarray,
    query_tokens: list[str],
    scope: Scope | None = None,
    extra: int = 20,
    names: frozenset[str] = frozenset(),
    verbs: tuple[str, ...] = (),
    context: bool = False,
) -> list[Evidence]:
    """Candidate sentences from the retrieved chunks and the sentences nearest the query
    among those of its nearest chunks, scored (names, verbs and context: as in score)."""
    candidates = set(snapshot.chunk_sentences(h.chunk for h in hits))
    nearest = nearest_chunks(snapshot, query_vector, NEAR_CHUNKS, scope)
    near = [g for g in snapshot.chunk_sentences(c for c, _ in nearest) if g not in candidates]
    near_dense = snapshot.vectors(near) @ query_vector if near else np.zeros(0)
    candidates.update(near[i] for i in np.argsort(-near_dense, kind="stable")[:extra].tolist())
    return score(
        snapshot, sorted(candidates), hits, query_vector, query_tokens, scope, names, verbs, context
    )


def named_around(snapshot: IndexSnapshot, g: int, names: frozenset[str]) -> set[str]:
    """Which of the question's name tokens a sentence's article writes where the sentence
    would refer back to them: its first line (the headline, where the file opens with one)
    or the sentence before it in its paragraph ("Velmora's profits rose. The firm said
    ..."; "The population of the parish ..." in an article headed with the village's
    name). Word by word: a name the article writes in another form ("Manchester United"
    for "Man Utd") still gives the words it shares."""
    if not names:
        return set()
    ref = snapshot.sentences[g]
    doc = snapshot.docs[ref.doc_id]
    found = names & doc.lead_tokens()
    if _follows_in_paragraph(doc, ref.index):
        found |= names & set(tokens(doc.sentence_text(ref.index - 1)))
    return found


def _follows_in_paragraph(doc, index: int) -> bool:
    """Whether a document's sentence has the one before it in its paragraph."""
    return index > 0 and doc.sentences[index - 1][2] == doc.sentences[index][2]


def in_context(snapshot: IndexSnapshot, g: int, query_vector: np.ndarray, names: set[str]) -> float:
    """How close a sentence that leaves out some of the question's names (``names``: those
    its article writes where it would refer back to them, named_around) is to the question
    when read with a line that writes one of them, weighed less than the sentence itself:
    the sentence before it in its paragraph, or else one of its article's first LEAD_LINES
    lines ("The agreement was signed on March 21" under "Harbour Trade Agreement"). The
    weighted sum of the two embeddings, made unit length; -1 where no such line has a
    vector (a name only in a title kept apart from the text)."""
    ref = snapshot.sentences[g]
    doc = snapshot.docs[ref.doc_id]
    first = snapshot.doc_sentences(ref.doc_id)[0]
    lines = [g - 1] if _follows_in_paragraph(doc, ref.index) else []
    lines += [first + i for i in range(min(LEAD_LINES, len(doc.sentences)))]
    source = next(
        (i for i in lines if i != g and names & set(tokens(snapshot.sentence_text(i)))), None
    )
    if source is None:
        return -1.0
    own, line = snapshot.vectors([g, source])
    both = own + CONTEXT_WEIGHT * line
    norm = float(np.linalg.norm(both))
    return float(both @ query_vector) / norm if norm else -1.0


def verb_acts(query_tokens: list[str], verbs: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The question's verbs among its tokens, each with its folded forms: as written and
    its base ("founded", "found")."""
    out: dict[str, tuple[str, ...]] = {}
    for verb in verbs:
        folded = fold(verb)
        for token in tokens(verb):
            if token in query_tokens:
                out[token] = tuple(dict.fromkeys(f for f in (folded, base(folded)) if f))
    return out


def score(
    snapshot: IndexSnapshot,
    sentences: list[int],
    hits: list[Hit],
    query_vector: np.ndarray,
    query_tokens: list[str],
    scope: Scope | None = None,
    names: frozenset[str] = frozenset(),
    verbs: tuple[str, ...] = (),
    context: bool = False,
) -> list[Evidence]:
    """Sentences scored by their closeness to the question, their words and the rank of
    their chunk among the hits, best first. names: the tokens of the question's names; a
    sentence has those its article names where it would refer back to them
    (named_around). verbs: the question's verbs, whose act a sentence may name by a noun
    derived from one (lexical). context: a sentence that leaves out a name its article
    writes above it is ranked by its closeness read with that line where that is closer
    (in_context); its ``dense`` stays its own."""
    acts = verb_acts(query_tokens, verbs)
    chunk_score = {h.chunk: h.score / hits[0].score for h in hits} if hits else {}
    dense = snapshot.vectors(sentences) @ query_vector if sentences else np.zeros(0)
    out = []
    for g, d in zip(sentences, dense.tolist(), strict=True):
        ref = snapshot.sentences[g]
        if scope is not None and ref.doc_id not in scope.docs:
            continue
        around = named_around(snapshot, g, names)
        ranked = d
        if context and around and ref.index >= LEAD_LINES:  # not the lead lines themselves
            unsaid = around - set(tokens(snapshot.sentence_text(g)))
            if unsaid:
                ranked = max(d, in_context(snapshot, g, query_vector, unsaid))
        lex = lexical(snapshot, query_tokens, snapshot.sentence_text(g), around, acts)
        s = W_DENSE * ranked + W_LEXICAL * lex + W_CHUNK * chunk_score.get(ref.chunk, 0.0)
        out.append(Evidence(g, s, d, lex))
    out.sort(key=lambda e: (-e.score, e.sentence))
    return out


def candidates(
    snapshot: IndexSnapshot,
    scored: list[Evidence],
    floor: float,
    ratio: float = 0.7,
    pool: int = 16,
) -> list[Evidence]:
    """Sentences close enough to the best one to be part of the answer, near-duplicates folded
    into the first (best) of their group."""
    if not scored or scored[0].score < floor:
        return []
    cutoff = max(floor, scored[0].score * ratio)
    chosen: list[Evidence] = []
    covered: dict[int, Evidence] = {}
    for e in scored:
        if e.score < cutoff or len(chosen) >= pool:
            break
        if e.sentence in covered:
            continue
        if len(tokens(snapshot.sentence_text(e.sentence))) < 3:
            continue
        chosen.append(e)
        for dup in snapshot.duplicates_of(e.sentence):
            covered[dup] = e
            e.also.append(dup)
    return chosen


def annotate(snapshot: IndexSnapshot, evidence: list[Evidence], question_polarity: int) -> None:
    """Fill in each sentence's speaker and its stance toward the question."""
    for e in evidence:
        ref = snapshot.sentences[e.sentence]
        e.speaker = snapshot.docs[ref.doc_id].speaker(ref.index)
        e.stance = polarity(snapshot.sentence_text(e.sentence)) * question_polarity
