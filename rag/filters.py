"""Which documents a question may be answered from: by outlet and by publication date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from index.corpus import UNKNOWN


def _day(value, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be an ISO date string like 2026-02-28, got {value!r}")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(f"{name} must be a date like 2026-02-28, got {value!r}") from None


@dataclass(frozen=True)
class Filters:
    """Outlets (any of, case-insensitive) and an inclusive date range; empty = everything."""

    outlets: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.outlets) or self.since is not None or self.until is not None

    def allows(self, meta: dict) -> bool:
        """Whether a document with this metadata passes; an unknown date fails a date range."""
        if self.outlets:
            outlet = str(meta.get("outlet", UNKNOWN)).casefold()
            if outlet not in {o.casefold() for o in self.outlets}:
                return False
        if self.since is None and self.until is None:
            return True
        try:
            day = date.fromisoformat(str(meta.get("date", ""))[:10])
        except ValueError:
            return False
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def describe(self) -> str:
        """'from Reuters or AP, published 2026-01-01 to 2026-02-28', for refusals."""
        parts = []
        if self.outlets:
            parts.append("from " + " or ".join(self.outlets))
        if self.since and self.until:
            parts.append(f"published {self.since.isoformat()} to {self.until.isoformat()}")
        elif self.since:
            parts.append(f"published on or after {self.since.isoformat()}")
        elif self.until:
            parts.append(f"published on or before {self.until.isoformat()}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Scope:
    """The documents a filter leaves, by id and as a Chroma where clause on the chunks'
    metadata (so the vector search itself looks among them only)."""

    docs: frozenset[str]
    where: dict


def scope_of(filters: Filters, metas: dict[str, dict]) -> Scope:
    """The Scope of filters over documents' metadata (doc_id -> meta); the where clause
    names the outlet and date values of the documents let through (few distinct values
    even in a large corpus), exactly as the index stored them."""
    docs = frozenset(d for d, meta in metas.items() if filters.allows(meta))
    clauses = []
    for field in ("outlet", "date"):
        if field == "outlet" and not filters.outlets:
            continue
        if field == "date" and filters.since is None and filters.until is None:
            continue
        values = sorted({str(metas[d].get(field, UNKNOWN)) for d in docs})
        clauses.append({field: {"$in": values}})
    if not clauses:
        return Scope(docs, {})
    return Scope(docs, clauses[0] if len(clauses) == 1 else {"$and": clauses})


def make_filters(outlets: Iterable[str] | str | None = None, since=None, until=None) -> Filters:
    """Validated Filters; raises TypeError/ValueError naming the bad value."""
    if isinstance(outlets, str):
        outlets = [outlets]
    names: list[str] = []
    for o in outlets or ():
        if not isinstance(o, str):
            raise TypeError(f"outlets must be strings, got {o!r}")
        if o.strip() and o.strip() not in names:
            names.append(o.strip())
    start, end = _day(since, "since"), _day(until, "until")
    if start and end and start > end:
        raise ValueError(f"since ({start.isoformat()}) is after until ({end.isoformat()})")
    return Filters(tuple(names), start, end)
