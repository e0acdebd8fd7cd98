"""Which documents a question may be answered from: by outlet and by publication date."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

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
        return self.allows_outlet(str(meta.get("outlet", UNKNOWN))) and self.allows_date(
            str(meta.get("date", ""))
        )

    def allows_outlet(self, outlet: str) -> bool:
        return not self.outlets or outlet.casefold() in {o.casefold() for o in self.outlets}

    def allows_date(self, value: str) -> bool:
        if self.since is None and self.until is None:
            return True
        try:
            day = date.fromisoformat(value[:10])
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


@dataclass(frozen=True, eq=False)
class Scope:
    """The documents a filter leaves: by id, as a mask over the index's document numbers,
    and as a Chroma where clause on the chunks' metadata (so that the vector search itself
    looks among them only)."""

    docs: frozenset[str]
    mask: np.ndarray
    where: dict | None  # None for a filter that restricts nothing


_FACETS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _facets(snapshot) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """The distinct outlets and dates of an index's documents and each document's, as
    codes: a filter is then judged once per distinct value, not once per document."""
    if snapshot not in _FACETS:
        outlets: dict[str, int] = {}
        dates: dict[str, int] = {}
        n = len(snapshot.metas)
        outlet_code, date_code = np.empty(n, np.int32), np.empty(n, np.int32)
        for i, meta in enumerate(snapshot.metas):
            outlet_code[i] = outlets.setdefault(str(meta.get("outlet", UNKNOWN)), len(outlets))
            date_code[i] = dates.setdefault(str(meta.get("date", UNKNOWN)), len(dates))
        _FACETS[snapshot] = (list(outlets), outlet_code, list(dates), date_code)
    return _FACETS[snapshot]


def scope_of(filters: Filters, snapshot) -> Scope:
    """The Scope of filters over an opened index (index.store.IndexSnapshot); the where
    clause names the outlet and date values of the documents let through, exactly as the
    index stored them (few distinct values even in a large corpus)."""
    outlets, outlet_code, dates, date_code = _facets(snapshot)
    keep_outlet = np.asarray([filters.allows_outlet(o) for o in outlets] or [True])
    keep_date = np.asarray([filters.allows_date(d) for d in dates] or [True])
    mask = keep_outlet[outlet_code] & keep_date[date_code]
    docs = frozenset(snapshot.doc_ids[i] for i in np.flatnonzero(mask))
    clauses = []
    if filters.outlets:
        values = sorted(outlets[c] for c in np.unique(outlet_code[mask]))
        clauses.append({"outlet": {"$in": values}})
    if filters.since is not None or filters.until is not None:
        values = sorted(dates[c] for c in np.unique(date_code[mask]))
        clauses.append({"date": {"$in": values}})
    where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
    return Scope(docs, mask, where)


def nearest_chunks(snapshot, vector, n: int, scope: Scope | None) -> list[tuple[int, float]]:
    """(chunk number, cosine) of the n chunks nearest a vector within the scope, if any."""
    if scope is None:
        return snapshot.dense_search(vector, n)
    return snapshot.dense_search(vector, n, scope.where, scope.mask)


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
