"""The result types every caller reads: Answer, Citation, Conflict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from core.markers import without_notes


@dataclass(frozen=True)
class Citation:
    """One quoted passage: ``quote == document_text[start:end]``."""

    n: int
    doc_id: str
    title: str
    outlet: str
    date: str
    quote: str
    start: int
    end: int
    speaker: str | None = None
    role: str | None = None
    also_in: tuple[str, ...] = ()
    # "Outlet, date" of each also_in document, in the same order.
    also_reported_by: tuple[str, ...] = ()
    # The paragraph around the quote: quote == context[start - context_start:end - context_start].
    context: str = ""
    context_start: int = 0
    # The article's author (sidecar or byline), when known.
    author: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["also_in"] = list(self.also_in)
        d["also_reported_by"] = list(self.also_reported_by)
        return d

    def source(self) -> str:
        """'Outlet, date' with whatever is known."""
        known = [x for x in (self.outlet, self.date) if x and x != "unknown"]
        return ", ".join(known) or "unknown outlet"


@dataclass(frozen=True)
class Conflict:
    """Sources that disagree; each side lists citation numbers.

    kind: "stance" (opposite positions), "value" (different figures, dates or names for the
    same thing) or "update" (one outlet revising its own report; the newer side first).
    values: for value and update conflicts, the value each side gives, as written.
    """

    about: str
    sides: tuple[tuple[int, ...], ...]
    labels: tuple[str, ...] = ()
    kind: str = "stance"
    values: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "about": self.about,
            "kind": self.kind,
            "sides": [list(s) for s in self.sides],
            "labels": list(self.labels),
            "values": list(self.values),
        }


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, in retrieval order: what the answer was chosen from."""

    doc_id: str
    start: int
    end: int
    score: float  # fused reciprocal-rank score
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Found:
    """A passage ``rag.search`` finds: its place in its article, and the article's metadata.
    ``text == open(file).read()[start:end]``."""

    rank: int
    doc_id: str
    start: int
    end: int
    score: float  # fused reciprocal-rank score
    text: str
    title: str
    outlet: str
    date: str
    author: str
    speakers: tuple[str, ...] = ()  # who is quoted in the passage, in order

    def to_dict(self) -> dict:
        d = asdict(self)
        d["speakers"] = list(self.speakers)
        return d


@dataclass(frozen=True)
class Answer:
    """What ``rag.ask`` returns."""

    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    generator: str = "extractive"
    standalone_question: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    retrieved: tuple[Passage, ...] = ()
    # LLM generators only: share of the draft's sentences that survived verification, the
    # sentences dropped (with why), why the extractive answer was used instead (if it was),
    # and the model's speed.
    groundedness: float | None = None
    dropped: tuple[dict, ...] = ()
    fallback: str | None = None
    generation: dict | None = None

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "generator": self.generator,
            "standalone_question": self.standalone_question,
            "timings_ms": dict(self.timings_ms),
            "retrieved": [p.to_dict() for p in self.retrieved],
            "groundedness": self.groundedness,
            "dropped": [dict(d) for d in self.dropped],
            "fallback": self.fallback,
            "generation": dict(self.generation) if self.generation else None,
        }

    def to_markdown(self) -> str:
        """The question, the answer and its numbered sources, ready to paste."""
        lines = [f"**Q:** {self.question}", "", self.answer]
        if self.citations:
            lines += ["", "**Sources**", ""]
        for c in self.citations:
            quote = without_notes(" ".join(c.quote.split()))
            by = f", by {c.author}" if c.author else ""
            line = (
                f"[{c.n}] {c.source()}{by}, *{c.title}*: “{quote}” ({c.doc_id}, {c.start}–{c.end})"
            )
            if c.also_reported_by:
                line += f"; also reported by {', '.join(c.also_reported_by)}"
            lines.append(line + "  ")
        return "\n".join(lines)
