"""ask: question (+ history) -> retrieval -> evidence -> conflicts -> composed, verified Answer."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from datetime import date
from typing import TypeVar

from core.config import Settings, load_settings
from core.errors import IndexDamagedError, RagError, RecordGone, StoreBehind
from core.types import Answer, Found, Passage
from index import shared
from index.embedding import get_embedder
from index.store import IndexSnapshot, load_snapshot, store_failure
from index.text import abbreviations, fold, stem, tokens
from index.values import NUMERIC, TIME_UNITS
from rag import question as q
from rag.answerability import (
    LOOK_AT,
    answering,
    counts_what_is_asked,
    further_in_named,
    goes_by,
    named_in,
    on_subject,
    typed_by_evidence,
    unnamed,
    withheld_terms,
)
from rag.closeness import content_words, covered
from rag.compose import DISAGREE, REFUSAL, UPDATED, compose
from rag.conflicts import gives_age, pick
from rag.evidence import annotate, candidates, polarity, score, score_sentences
from rag.filters import make_filters, scope_of
from rag.retrieval import retrieve
from rag.slots import answer_names, forecast
from rag.synthesis import synthesize
from rag.verify import check, repair

# An evidence sentence must score at least this (0.55 cosine + 0.30 word overlap + 0.15
# chunk rank) for the corpus to count as answering; below it the answer is a refusal.
EVIDENCE_FLOOR = 0.42

# Added to sentences spoken by someone the question names ("What did X say ...").
SPEAKER_BONUS = 0.15

# Added to sentences holding what the question asks for: a time for "when", a number for
# "how many".
SHAPE_BONUS = 0.08

# Added to sentences that answer the question, not only share its words (rag.answerability).
ANSWER_BONUS = 0.1
# Sentences giving the age of the subject of a "how old" question rank this much higher.
AGE_BONUS = 0.15
QUOTE_FLOOR = 0.3  # a quote by the asked speaker from a retrieved article down to this
QUOTES = 4
AGE_POOL = 24  # at most this many sentences in the pool of a "how old" question
# A sentence saying the answer is not known is looked for among this many best sentences.
WITHHELD_LOOK = 8

# Share of the best sentence's score that evidence must reach; a yes/no question reaches
# further so that a denial ranked below several claims (or the reverse) is still seen.
POLAR_RATIO = 0.55

log = logging.getLogger(__name__)
T = TypeVar("T")

_SETTING_NAMES = frozenset(f.name for f in fields(Settings))


def _refusal(
    question: str,
    reason: str,
    standalone: str | None,
    timings: dict,
    on_text: Callable[[str], None] | None,
) -> Answer:
    text = f"{REFUSAL}: {reason}"
    if on_text is not None:
        stream_words(text, on_text)
    return Answer(
        question=question,
        answer=text,
        refused=True,
        standalone_question=standalone,
        timings_ms=timings,
    )


def boost(pool: list, bonus: float, applies) -> None:
    """Add bonus to the evidence for which applies(e) holds, and re-rank the pool."""
    for e in pool:
        if applies(e):
            e.score += bonus
    pool.sort(key=lambda e: -e.score)


def prefer_speakers(pool: list, names: list[str]) -> None:
    """Rank sentences by the speaker the question names above other voices: the speakers
    whose names share the most words with the question's ('Jane Roe' over 'John Roe'), or
    short forms of them."""

    def shared(e) -> int:  # by name or by a short form of one ("Rafa" Rafael Varden)
        if e.speaker is None:
            return 0
        return sum(any(goes_by(n, w) for w in e.speaker.key.split()) for n in set(names))

    best = max((shared(e) for e in pool), default=0)
    if best:
        boost(pool, SPEAKER_BONUS, lambda e: shared(e) == best)


def only_forecast(snapshot: IndexSnapshot, e, question: q.Question) -> bool:
    """Whether, for a question about what happened ("How much did it grow?"), every amount
    of the kind asked in a sentence is told as what would or will be: a forecast of it."""
    if not question.past or not question.wants & NUMERIC:
        return False
    amounts = [
        v
        for v in _values(snapshot, e.sentence)
        if v.kind == "number" and v.label in question.wants and counts_what_is_asked(v, question)
    ]
    return bool(amounts) and all(forecast(snapshot, e.sentence, v.at) for v in amounts)


def prefer_role(snapshot: IndexSnapshot, pool: list, question: q.Question, model) -> None:
    """'Who is the chief executive of X?': rank the sentences that name someone in that
    role ("chief executive Jane Roe", "Jane Roe, the chief executive") above those that
    only name someone."""
    if question.anchor is None or question.anchor[1] != "be":
        return
    boost(pool, SHAPE_BONUS, lambda e: bool(answer_names(snapshot, e, question, model)))


def name_tokens(question: q.Question) -> frozenset[str]:
    """The keyword tokens of the question's names (rag.evidence.named_around)."""
    return frozenset(t for name in question.names for t in tokens(name))


def passage(snapshot: IndexSnapshot, hit) -> Passage:
    """A retrieved chunk as the Answer reports it: text == document text[start:end]."""
    chunk = snapshot.chunks[hit.chunk]
    start, end = snapshot.sentences[chunk.first].start, snapshot.sentences[chunk.last].end
    text = snapshot.docs[chunk.doc_id].text[start:end]
    return Passage(chunk.doc_id, start, end, round(hit.score, 5), text)


def search(
    query: str,
    k: int | None = None,
    *,
    outlets: Sequence[str] | str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    settings: Settings | None = None,
    **options,
) -> list[Found]:
    """The passages of the corpus that best match a query, best first, with no answer: the
    retrieval ``ask`` starts from (dense and keyword search fused), for callers that write
    their own answer (MCP clients, llama-index apps).

    Args:
        query: what to look for (1 to 2,000 characters).
        k: how many passages (default: the ``top_k`` setting).
        outlets, since, until: filters, as in ``ask``.
        settings, **options: as in ``ask``.

    Raises:
        ValueError: the query is empty or too long, k is not a positive number, or a filter
            date is malformed.
        IndexNotBuiltError: there is no index yet.
    """
    settings = _resolved(settings, options, "search")
    text = q.validate_question(query, settings.max_question_chars)
    if k is None:
        k = settings.top_k
    if isinstance(k, bool) or not isinstance(k, int) or k <= 0:
        raise ValueError(f"k must be a positive whole number, got {k!r}")
    filters = make_filters(outlets, since, until)
    vector = get_embedder(settings.embed_model).encode([text])[0]
    return _on_current_index(settings, lambda snapshot: _found(snapshot, text, vector, k, filters))


def _found(snapshot: IndexSnapshot, text: str, vector, k: int, filters) -> list[Found]:
    scope = scope_of(filters, snapshot) if filters.active else None
    if scope is not None and not scope.docs:
        return []
    found = []
    for rank, hit in enumerate(retrieve(snapshot, text, vector, k, scope), 1):
        p = passage(snapshot, hit)
        meta = snapshot.meta(p.doc_id)
        doc = snapshot.docs[p.doc_id]
        chunk = snapshot.chunks[hit.chunk]
        speakers = []
        for g in range(chunk.first, chunk.last + 1):
            sp = doc.speaker(snapshot.sentences[g].index)
            if sp is not None and sp.name and sp.name not in speakers:
                speakers.append(sp.name)
        found.append(
            Found(
                rank=rank,
                doc_id=p.doc_id,
                start=p.start,
                end=p.end,
                score=p.score,
                text=p.text,
                title=meta.get("title", ""),
                outlet=meta.get("outlet", "unknown"),
                date=meta.get("date", "unknown"),
                author=meta.get("author", "unknown"),
                speakers=tuple(speakers),
            )
        )
    return found


def prefer_shape(snapshot: IndexSnapshot, pool: list, question: q.Question) -> None:
    """Rank sentences that hold the kind of value the question wants (an entity of that
    type, as the index read it) above the rest."""
    if not question.wants:
        return

    def holds(e) -> bool:
        ref = snapshot.sentences[e.sentence]
        labels = {label for label, *_ in snapshot.docs[ref.doc_id].entities[ref.index]}
        return bool(labels & question.wants) and not only_forecast(snapshot, e, question)

    boost(pool, SHAPE_BONUS, holds)


def ages_in_articles(
    snapshot: IndexSnapshot,
    scored: list,
    hits: list,
    vector,
    question: q.Question,
    settings: Settings,
    scope,
) -> tuple[list, set[int]]:
    """The scored sentences and, for a "how old" question, every other sentence that gives
    the subject's age in the retrieved articles and in those found by the question's names
    alone: news sets an age off after a name ("Jane Roe, 30,") wherever the name falls,
    seldom where the words are like the question's ("how old" finds other people's ages).
    Also the sentences among them all that give the age (rag.conflicts.gives_age)."""
    seen = {e.sentence for e in scored}
    aged = {e.sentence for e in scored if gives_age(snapshot, e, question)}
    found = list(hits)
    name = " ".join(" ".join(n) for n in question.named)
    if name:
        by_name = get_embedder(settings.embed_model).encode([name])[0]
        found += retrieve(snapshot, name, by_name, settings.top_k, scope)
    more = [
        g
        for d in _hit_docs(snapshot, found)
        for g in snapshot.doc_sentences(d)
        if g not in seen
        and any(v.kind == "number" and v.unit in TIME_UNITS for v in _values(snapshot, g))
    ]
    found = [
        e
        for e in score(
            snapshot,
            more,
            hits,
            vector,
            list(question.terms),
            scope,
            name_tokens(question),
            question.predicate,
        )
        if gives_age(snapshot, e, question)
    ]
    if not found:
        return scored, aged
    aged.update(e.sentence for e in found)
    return sorted(scored + found, key=lambda e: (-e.score, e.sentence)), aged


def with_quotes(
    snapshot: IndexSnapshot, pool: list, hits: list, vector, question: q.Question, scope
) -> list:
    """The pool and, for "what did Jane Roe say about X?", her quotes in the retrieved
    articles that the pool lacks, however unlike the question their words are ("It was an
    unlucky moment" about a goalkeeper's mistake), down to QUOTE_FLOOR, QUOTES at most."""
    if not pool:
        return pool
    covered = {g for e in pool for g in (e.sentence, *e.also)}
    name = " ".join(question.quoted)
    # articles about what is asked: they hold the question's names besides the speaker's
    others = [
        i
        for i, phrase in enumerate(question.named)
        if not goes_by(name, " ".join(phrase)) and not goes_by(" ".join(phrase), name)
    ]
    docs = []
    for d in _hit_docs(snapshot, hits):
        held = named_in(snapshot, d, question)
        if all(held[i] is not False for i in others):
            docs.append(d)
    more = [g for d in docs for g in snapshot.doc_sentences(d) if g not in covered]
    found = score(
        snapshot,
        more,
        hits,
        vector,
        list(question.terms),
        scope,
        name_tokens(question),
        question.predicate,
    )
    found = [e for e in found if e.score >= QUOTE_FLOOR]
    annotate(snapshot, found, 1)
    said = []
    for e in found:
        if len(said) == QUOTES:
            break
        if e.sentence in covered or e.speaker is None or not goes_by(name, e.speaker.name):
            continue
        e.also.extend(snapshot.duplicates_of(e.sentence))  # one quote in two articles
        covered.update((e.sentence, *e.also))
        said.append(e)
    return sorted(pool + said, key=lambda e: (-e.score, e.sentence))


def _below(scored: list, pool: list) -> list:
    """The scored sentences the pool holds neither as its own nor as copies folded in."""
    held = {g for e in pool for g in (e.sentence, *e.also)}
    return [e for e in scored if e.sentence not in held]


def _hit_docs(snapshot: IndexSnapshot, hits: list) -> list[str]:
    """The documents of retrieved chunks, in retrieval order, each once."""
    return list(
        dict.fromkeys(snapshot.sentences[snapshot.chunks[h.chunk].first].doc_id for h in hits)
    )


def _values(snapshot: IndexSnapshot, g: int) -> list:
    ref = snapshot.sentences[g]
    return snapshot.docs[ref.doc_id].sentence_values(ref.index)


def with_ages(snapshot: IndexSnapshot, pool: list, scored: list, aged: set[int]) -> list:
    """The pool and every sentence that gives the age of the subject of a "how old"
    question (aged: those sentences, rag.conflicts.gives_age): each is an answer in its own
    right, however far below the best sentence it ranks and however unlike the question its
    other words are (near-duplicates of one already chosen stay folded into it)."""
    if not pool:
        return pool
    covered = {g for e in pool for g in (e.sentence, *e.also)}
    for e in scored:
        if len(pool) >= AGE_POOL:
            break
        if e.sentence in covered or e.sentence not in aged:
            continue
        e.also.extend(snapshot.duplicates_of(e.sentence))
        covered.update((e.sentence, *e.also))
        pool.append(e)
    pool.sort(key=lambda e: -e.score)
    return pool


def _withheld(
    snapshot: IndexSnapshot,
    pool: list,
    answering_: list,
    question: q.Question,
    model: str | None = None,
):
    """A sentence among the best that says what is asked is not known or not disclosed
    ("although it didn't say who", rag.answerability.withheld_terms), ranked above every
    sentence that answers the question otherwise, or above those only that lack what its
    clause says is not known ("it has not said how much it will cost to develop" outweighs
    what the service costs its users, for "how much is it spending to develop it"); None
    where there is none."""
    above: list[list[str]] = []  # the content words of the answering sentences ranked higher
    for e in pool[:WITHHELD_LOOK]:
        unknown = withheld_terms(snapshot, e, question, model)
        if unknown is not None and not any(
            all(covered(t, have, model) for t in unknown) for have in above
        ):
            return e
        if e in answering_:
            above.append(content_words(snapshot.sentence_text(e.sentence)))
    return None


def missing_terms(
    snapshot: IndexSnapshot, question: str, spelled: Callable[[str], bool] | None = None
) -> list[str]:
    """The question's names when the corpus holds none of them in any spelling (one known
    name, 'Roe' beside an unknown 'American', means the corpus is about the question);
    else its key words when most of them are unknown. ``spelled(abbreviation)``: whether
    the articles spell out an abbreviation the corpus never writes ("FPS" where they say
    "Free Port of Sarnia"); without it, such an abbreviation counts as unknown."""
    short = abbreviations(question)

    def known(word: str) -> bool:
        if snapshot.keyword.knows_like(stem(word.replace(".", ""))):
            return True
        return spelled is not None and fold(word) in short and spelled(fold(word))

    names = q.proper_names(question)
    unknown = [n for n in names if not known(n)]
    if names and len(unknown) == len(names):
        return unknown
    content = q.content_words(question)
    missing = [w for w in content if not known(w)]
    if len(missing) >= 2 and len(missing) * 2 >= len(content):
        return missing
    return []


def _not_mentioned(
    text: str,
    missing: list[str],
    standalone: str,
    timings: dict[str, float],
    total: float,
    on_text: Callable[[str], None] | None,
) -> Answer:
    timings["total"] = total
    shown = ", ".join(f"“{m}”" for m in missing[:3])
    return _refusal(text, f"no article mentions {shown}.", standalone, timings, on_text)


def stream_words(text: str, on_text: Callable[[str], None]) -> None:
    """Hand the finished answer to a streaming caller a word at a time."""
    for piece in re.findall(r"\S+\s*|\s+", text):
        on_text(piece)


def ask(
    question: str,
    history: list[str] | None = None,
    *,
    outlets: Sequence[str] | str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    on_text: Callable[[str], None] | None = None,
    settings: Settings | None = None,
    **options,
) -> Answer:
    """Answer a question from the indexed corpus, quoting and citing the articles.

    Args:
        question: what the user asks (1 to 2,000 characters).
        history: earlier user questions of the same conversation, oldest first; used to
            resolve follow-ups such as "And what did he say next?".
        outlets: answer only from articles of these outlets (case-insensitive).
        since, until: answer only from articles published in this inclusive date range
            (ISO dates); articles with no known date are left out when a range is set.
        on_text: called with pieces of the answer text as they are produced, for streaming.
        settings: settings resolved once where the program starts (``load_settings()``);
            without them, the environment is read on this call.
        **options: any field of ``core.config.Settings`` (``index_dir``, ``top_k``, ...).

    Returns:
        An Answer: cited sentences, conflicts between sources, or a refusal when the
        corpus does not cover the question.

    Raises:
        TypeError: question is not a string, history not a list of strings, or an option
            is unknown.
        ValueError: the question is empty or too long, or a filter date is malformed.
        IndexNotBuiltError: there is no index yet (build it with ``python -m index build``).

    Example:
        >>> answer = ask("Did Russia accept US security guarantees for Ukraine?")
        >>> answer.conflicts[0].sides
        ((1,), (2,))
    """
    t0 = time.perf_counter()
    settings = _resolved(settings, options, "ask")
    text = q.validate_question(question, settings.max_question_chars)
    earlier = q.validate_history(history)
    filters = make_filters(outlets, since, until)
    return _on_current_index(
        settings, lambda snapshot: _answer(text, earlier, filters, settings, snapshot, on_text, t0)
    )


def _resolved(settings: Settings | None, options: dict, caller: str) -> Settings:
    """The settings a call runs with: the given ones (or the environment's) and its options;
    an unknown option is a TypeError that names it."""
    unknown = sorted(set(options) - _SETTING_NAMES)
    if unknown:
        raise TypeError(f"unknown option(s) for {caller}: {', '.join(unknown)}")
    return settings.with_options(**options) if settings else load_settings(**options)


def _on_current_index(settings: Settings, work: Callable[[IndexSnapshot], T]) -> T:
    """work(snapshot) on the current index; when a build commits meanwhile and removes what
    the index it replaced used, once more on the new one. A record still missing then is
    damage (IndexDamagedError names the rebuild)."""
    snapshot = load_snapshot(settings)
    try:
        return work(snapshot)
    except RecordGone as gone:
        if settings.chroma_host:  # another machine's build, published meanwhile
            try:
                shared.fetch(settings, force=True)
            except RagError:
                raise
            except Exception as e:  # chromadb raises plain Exceptions
                raise store_failure(settings, e) from None
        fresh = load_snapshot(settings)
        if fresh is snapshot:
            raise IndexDamagedError(str(settings.index_dir), _missing(gone)) from None
        try:
            return work(fresh)
        except RecordGone as again:
            raise IndexDamagedError(str(settings.index_dir), _missing(again)) from None


def _missing(gone: RecordGone) -> str:
    return str(gone) if isinstance(gone, StoreBehind) else f"no record {gone}"


def _answer(
    text: str,
    earlier: list[str],
    filters,
    settings: Settings,
    snapshot: IndexSnapshot,
    on_text: Callable[[str], None] | None,
    t0: float,
) -> Answer:
    timings: dict[str, float] = {}

    def elapsed(since: float) -> float:
        return round((time.perf_counter() - since) * 1000, 2)

    if q.is_steering(text):
        timings["total"] = elapsed(t0)
        return _refusal(
            text, "this system only answers questions about the articles.", None, timings, on_text
        )
    embedder = get_embedder(settings.embed_model)
    question_ = q.analyse(text, earlier, embedder.encode)
    standalone = question_.standalone
    missing = missing_terms(snapshot, text)
    # an abbreviation the corpus never writes may be spelled out in the articles retrieved
    if missing and not abbreviations(text) & {fold(m) for m in missing}:
        return _not_mentioned(text, missing, standalone, timings, elapsed(t0), on_text)

    scope = None
    if filters.active:
        scope = scope_of(filters, snapshot)
        if not scope.docs:
            timings["total"] = elapsed(t0)
            reason = f"no article is {filters.describe()}."
            return _refusal(text, reason, standalone, timings, on_text)

    t = time.perf_counter()
    vector = embedder.encode([standalone])[0]
    hits = retrieve(snapshot, standalone, vector, settings.top_k, scope)
    retrieved = tuple(passage(snapshot, h) for h in hits)
    timings["retrieve"] = elapsed(t)
    if missing:
        lexicons = [snapshot.docs[d].lexicon() for d in dict.fromkeys(p.doc_id for p in retrieved)]
        missing = missing_terms(
            snapshot, text, lambda a: any(x.spells(a, capitals=True) for x in lexicons)
        )
        if missing:
            return _not_mentioned(text, missing, standalone, timings, elapsed(t0), on_text)
    if q.uncased(text):  # its names read in the case the articles write them
        cased = q.truecase(text, [p.text for p in retrieved], strict=text[:1].isupper())
        if cased != text:
            question_ = q.analyse(cased, earlier, embedder.encode)

    t = time.perf_counter()
    scored = score_sentences(
        snapshot,
        hits,
        vector,
        list(question_.terms),
        scope,
        names=name_tokens(question_),
        verbs=question_.predicate,
        # a value may be told in a sentence that leaves its subject to the headline; a
        # claim is weighed by what its own sentence says
        context=not question_.polar,
    )
    # "How old is ...?": the sentences that give the subject's age, read once, come first
    aged: set[int] = set()
    if question_.age:
        scored, aged = ages_in_articles(snapshot, scored, hits, vector, question_, settings, scope)
    if aged:
        boost(scored, AGE_BONUS, lambda e: e.sentence in aged)
    # A yes/no question looks further down the ranking for the other side of a dispute.
    pool = candidates(
        snapshot, scored, EVIDENCE_FLOOR, ratio=POLAR_RATIO if question_.polar else 0.7
    )
    if aged:
        pool = with_ages(snapshot, pool, scored, aged)
    if question_.quoted:
        pool = with_quotes(snapshot, pool, hits, vector, question_, scope)
    if not pool:
        timings["evidence"] = elapsed(t)
        timings["total"] = elapsed(t0)
        reason = "nothing in the articles answers this question"
        if filters.active:
            reason += f" among those {filters.describe()}"
        return replace(
            _refusal(text, reason + ".", standalone, timings, on_text), retrieved=retrieved
        )
    annotate(snapshot, pool, polarity(text))
    typed = typed_by_evidence(snapshot, pool, question_)
    if typed:
        question_ = replace(question_, wants=typed)
    prefer_speakers(pool, list(question_.names))
    prefer_shape(snapshot, pool, question_)
    prefer_role(snapshot, pool, question_, settings.embed_model)
    answering_ = answering(snapshot, pool, question_, settings.embed_model)
    if question_.age and question_.subject:  # "How old is Jane Roe?": only her age answers
        answering_ = [e for e in answering_ if e.sentence in aged]
    # what happened is told by the sentences that say so, where any does, not by forecasts
    answering_ = [e for e in answering_ if not only_forecast(snapshot, e, question_)] or answering_
    if not answering_:
        timings["evidence"] = elapsed(t)
        timings["total"] = elapsed(t0)
        reason = "the articles closest to it do not answer it"
        return replace(
            _refusal(text, reason + ".", standalone, timings, on_text), retrieved=retrieved
        )
    further = further_in_named(snapshot, pool, scored, answering_, question_, settings.embed_model)
    if question_.age and question_.subject:
        further = [e for e in further if e.sentence in aged]
    # (answering sentences of the articles that hold the question's names may have moved up)
    pool = sorted(pool + further, key=lambda e: (-e.score, e.sentence))
    answering_ = [e for e in pool if e in answering_ or e in further]
    missing_names = unnamed(snapshot, answering_, question_)
    # what an article about something else withholds says nothing of what is asked
    pool, answering_ = on_subject(snapshot, pool, answering_, question_)
    withheld = _withheld(snapshot, pool, answering_, question_, settings.embed_model)
    if withheld is not None:
        timings["evidence"] = elapsed(t)
        timings["total"] = elapsed(t0)
        reason = "the articles closest to it say it is not known or was not disclosed."
        return replace(_refusal(text, reason, standalone, timings, on_text), retrieved=retrieved)
    if missing_names:
        timings["evidence"] = elapsed(t)
        timings["total"] = elapsed(t0)
        shown = ", ".join(f"“{m}”" for m in missing_names[:3])
        reason = f"the articles closest to it do not name {shown}."
        return replace(_refusal(text, reason, standalone, timings, on_text), retrieved=retrieved)
    if len(answering_) < min(len(pool), LOOK_AT):
        boost(pool, ANSWER_BONUS, lambda e: e in answering_)
    evidence, sides = pick(
        snapshot,
        pool,
        settings.max_evidence,
        question_,
        settings.embed_model,
        answers={e.sentence for e in answering_},
        scope=scope,
        query=vector,
        further=_below(scored, pool),
    )
    timings["evidence"] = elapsed(t)

    t = time.perf_counter()
    answer_text, citations, conflicts = compose(
        snapshot, evidence, sides, standalone, question_.polar
    )
    problems = check(snapshot, answer_text, citations)
    if problems:  # never ship an unverifiable line; what is sound still answers
        log.warning("answer to %r repaired: %s", text, "; ".join(problems))
        answer_text, citations, conflicts = repair(
            snapshot, answer_text, citations, conflicts, (DISAGREE, UPDATED)
        )
        if not answer_text:
            timings["total"] = elapsed(t0)
            reason = "no sentence of the answer could be checked against its article."
            return replace(
                _refusal(text, reason, standalone, timings, on_text), retrieved=retrieved
            )
    timings["compose"] = elapsed(t)
    answer = Answer(
        question=text,
        answer=answer_text,
        refused=False,
        citations=tuple(citations),
        conflicts=tuple(conflicts),
        standalone_question=standalone if standalone != text else None,
        timings_ms=timings,
        retrieved=retrieved,
    )
    if settings.generator != "extractive":
        extractive = answer
        answer = synthesize(settings, standalone, answer, on_text)
        problems = check(snapshot, answer.answer, list(answer.citations))
        if problems:  # the checked extractive answer stands in, saying why
            log.warning("generated answer to %r failed its check: %s", text, "; ".join(problems))
            answer = replace(
                extractive,
                generation=answer.generation,
                timings_ms=answer.timings_ms,
                fallback="the generated answer failed its final check: " + "; ".join(problems),
            )
    elif on_text is not None:
        stream_words(answer_text, on_text)
    answer.timings_ms["total"] = elapsed(t0)
    return answer
