"""The result types every caller reads: Answer, Citation, Conflict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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

    def to_dict(self) -> dict:
        d = asdict(self)
        d["also_in"] = list(self.also_in)
        return d


@dataclass(frozen=True)
class Conflict:
    """Sources that take opposite positions; each side lists citation numbers."""

    about: str
    sides: tuple[tuple[int, ...], ...]
    labels: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "about": self.about,
            "sides": [list(s) for s in self.sides],
            "labels": list(self.labels),
        }


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
        }
