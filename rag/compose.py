"""The extractive composer: an answer made of the evidence sentences, each cited."""

from __future__ import annotations

import re

from core.markers import OPEN_SIDES, POLAR_SIDES, without_notes
from core.types import Citation, Conflict
from index.corpus import UNKNOWN
from index.store import IndexSnapshot
from rag.conflicts import Sides
from rag.evidence import Evidence

_SPACE = re.compile(r"\s+")
# A next sentence that opens like this only makes sense with the one before it.
_CONTINUES = re.compile(r"^[\"\u201c]?(?:These|Those|They|This|Such|It|Its|Their)\b")

_QUOTE_MARKS = "\"“”'‘’"

REFUSAL = "The sources don't cover this"
DISAGREE = "Sources disagree."
UPDATED = "Reports changed over time; the newest first."

# Sentences of the same paragraph shown on each side of a quote.
CONTEXT_SENTENCES = 2


def source_label(meta: dict) -> str:
    """'Harbor Times, 2026-02-28' or the title when the outlet is unknown."""
    name = meta.get("outlet", UNKNOWN)
    if name == UNKNOWN:
        title = meta.get("title", UNKNOWN)
        bare = title[:80].strip(_QUOTE_MARKS)
        name = f"“{bare}”" if title != UNKNOWN else "an unattributed article"
    date = meta.get("date", UNKNOWN)
    return f"{name}, {date}" if date != UNKNOWN else name


class Composer:
    """Numbers citations in order of first use and renders evidence lines."""

    def __init__(self, snapshot: IndexSnapshot):
        self.snapshot = snapshot
        self.citations: list[Citation] = []
        self._number: dict[int, int] = {}

    def span(self, e: Evidence) -> tuple[int, int]:
        """The sentence's offsets, stretched over a next sentence that depends on it."""
        snap = self.snapshot
        ref = snap.sentences[e.sentence]
        end = ref.end
        nxt = e.sentence + 1
        same_doc = nxt < len(snap.sentences) and snap.sentences[nxt].doc_id == ref.doc_id
        if same_doc and _CONTINUES.match(snap.sentence_text(nxt)):
            end = snap.sentences[nxt].end
        return ref.start, end

    def context(self, doc_id: str, first: int, last: int) -> tuple[str, int]:
        """The paragraph(s) holding sentences first..last, at most CONTEXT_SENTENCES on each
        side; a one-sentence paragraph borrows a sentence from its neighbours."""
        rec = self.snapshot.docs[doc_id]
        paras = {rec.sentences[first][2], rec.sentences[last][2]}
        lo, hi = first, last
        while lo > 0 and first - lo < CONTEXT_SENTENCES and rec.sentences[lo - 1][2] in paras:
            lo -= 1
        while (
            hi + 1 < len(rec.sentences)
            and hi - last < CONTEXT_SENTENCES
            and rec.sentences[hi + 1][2] in paras
        ):
            hi += 1
        if (lo, hi) == (first, last):
            lo, hi = max(0, first - 1), min(len(rec.sentences) - 1, last + 1)
        start, end = rec.sentences[lo][0], rec.sentences[hi][1]
        return rec.text[start:end], start

    def cite(self, e: Evidence) -> int:
        if e.sentence in self._number:
            return self._number[e.sentence]
        snap = self.snapshot
        ref = snap.sentences[e.sentence]
        doc = snap.docs[ref.doc_id]
        start, end = self.span(e)
        last = ref.index + (1 if end > ref.end else 0)
        context, context_start = self.context(ref.doc_id, ref.index, last)
        also = []
        for g in e.also:
            other = snap.sentences[g].doc_id
            if other != ref.doc_id and other not in also:
                also.append(other)
        n = len(self.citations) + 1
        self.citations.append(
            Citation(
                n=n,
                doc_id=ref.doc_id,
                title=doc.meta["title"],
                outlet=doc.meta["outlet"],
                date=doc.meta["date"],
                quote=doc.text[start:end],
                start=start,
                end=end,
                speaker=e.speaker.name if e.speaker else None,
                role=e.speaker.role if e.speaker else None,
                also_in=tuple(sorted(also)),
                also_reported_by=tuple(source_label(snap.meta(d)) for d in sorted(also)),
                context=context,
                context_start=context_start,
                author=doc.meta.get("author")
                if doc.meta.get("author", UNKNOWN) != UNKNOWN
                else None,
            )
        )
        self._number[e.sentence] = n
        return n

    def line(self, e: Evidence) -> str:
        """The sentence, its speaker when the sentence does not name them, and its [n].

        The article's own bracketed notes ("[39]") are left out so they never read as a
        citation; the citation's quote keeps them."""
        n = self.cite(e)
        text = without_notes(_SPACE.sub(" ", self.citations[n - 1].quote).strip())
        lead = ""
        sp = e.speaker
        if sp is not None and sp.name and sp.name.split()[-1].lower() not in text.lower():
            lead = sp.name + (f" ({sp.role})" if sp.role else "") + ": "
        return f"{lead}{text} [{n}]"


def compose(
    snapshot: IndexSnapshot,
    evidence: list[Evidence],
    sides: Sides | None,
    about: str,
    polar: bool = False,
) -> tuple[str, list[Citation], list[Conflict]]:
    """The answer text, its citations and the conflicts it reports. polar: the question is
    a yes/no one (its stance sides read Yes and No)."""
    c = Composer(snapshot)
    if sides is None:
        lines = [c.line(e) for e in evidence]
        text = lines[0] + "".join(f"\n- {line}" for line in lines[1:])
        return text, c.citations, []
    if sides.kind == "stance":
        # "Yes"/"No" answer a yes/no question; an open one gets what each side does
        yes, no = POLAR_SIDES if polar else OPEN_SIDES
        shown = [f"- {yes}: {c.line(e)}" for e in sides.first]
        shown += [f"- {no}: {c.line(e)}" for e in sides.second]
        opener = DISAGREE
        order = (0, 1)
    else:
        order = (sides.newer, 1 - sides.newer) if sides.newer is not None else (0, 1)
        opener = UPDATED if sides.kind == "update" else DISAGREE
        shown = []
        groups, values = sides.groups(), sides.side_values()
        written = dict(sides.written)
        order = (*order, *range(2, len(groups)))
        for i in order:
            for e in groups[i]:
                meta = snapshot.meta(snapshot.sentences[e.sentence].doc_id)
                known = [meta.get(k, UNKNOWN) for k in ("outlet", "date")]
                where = ", ".join(x for x in known if x != UNKNOWN)
                value = written.get(e.sentence, values[i])
                shown.append(f"- {value}{f' ({where})' if where else ''}: {c.line(e)}")
    on_a_side = sides.all()
    rest = [e for e in evidence if e not in on_a_side]
    text = opener + "\n" + "\n".join(shown + [f"- Also: {c.line(e)}" for e in rest])
    cited = [tuple(c.cite(e) for e in side) for side in sides.groups()]
    labels, values = sides.side_labels(), sides.side_values()
    conflict = Conflict(
        about=about,
        sides=tuple(cited[i] for i in order),
        labels=tuple(labels[i] for i in order),
        kind=sides.kind,
        values=tuple(values[i] for i in order) if values else (),
    )
    return text, c.citations, [conflict]
