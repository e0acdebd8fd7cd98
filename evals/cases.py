"""Question/answer pairs: the YAML set, and spreadsheets (CSV, JSONL) analysts write.

Fields of a pair (YAML keys, CSV columns, JSON keys):

- ``id`` (required, unique), ``question`` (required), ``category`` (required in files you
  import; a tag such as factoid, who-said-what, conflict, follow-up, unanswerable);
- ``history``: earlier questions of the conversation, oldest first;
- ``must_cite``: groups of document-id prefixes; each group needs one cited document;
- ``facts``: strings the answer must contain (case-insensitive);
- ``refuse``: true when the corpus cannot answer;
- ``conflict``: true when the sources disagree; ``sides``: doc-id prefix groups per side;
- ``also_in``: true when a cited sentence has wire copies the answer must name once;
- ``split``: ``dev`` (tune on it) or ``test`` (only report it); empty = dev.

In CSV, list fields are written inline: ``history`` and ``facts`` separated by ``|``;
``must_cite`` and ``sides`` as groups separated by ``;`` of prefixes separated by ``|``
(``000|002; 001``); booleans as true/false, yes/no or 1/0 (empty = false).
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import yaml

QA_FILE = Path(__file__).resolve().parent / "qa.yaml"
SPLITS = ("dev", "test")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


class CaseError(ValueError):
    """A malformed pair: the message names the file, the row and what is wrong."""


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    question: str
    history: tuple[str, ...] = ()
    refuse: bool = False
    must_cite: tuple[tuple[str, ...], ...] = ()
    facts: tuple[str, ...] = ()
    conflict: bool = False
    sides: tuple[tuple[str, ...], ...] = ()
    also_in: bool = False
    split: str = "dev"

    def to_dict(self) -> dict:
        d = asdict(self)
        return {
            k: v for k, v in d.items() if v not in ((), False, None) and (k, v) != ("split", "dev")
        }


_KNOWN = {f.name for f in fields(Case)}


def _bool(value, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{name}' must be true or false, got {value!r}")


def _strings(value, name: str, sep: str = "|") -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(sep)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str | int) for v in value):
        raise ValueError(f"'{name}' must be a list of strings, got {value!r}")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _groups(value, name: str) -> tuple[tuple[str, ...], ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [g.split("|") for g in value.split(";")]
    if not isinstance(value, list | tuple):
        raise ValueError(f"'{name}' must be a list of lists of doc-id prefixes, got {value!r}")
    groups = []
    for g in value:
        if isinstance(g, str | int):
            g = [g]
        group = _strings(list(g), name)
        if not group:
            raise ValueError(f"'{name}' has an empty group in {value!r}")
        groups.append(group)
    return tuple(groups)


def make_case(row: dict, *, require_category: bool = True) -> Case:
    """A Case from one row; raises ValueError naming the field that is wrong."""
    if not isinstance(row, dict):
        raise ValueError(f"expected a mapping of fields, got {type(row).__name__}")
    unknown = sorted(set(row) - _KNOWN)
    if unknown:
        raise ValueError(
            f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN))}"
        )
    for name in ("id", "question") + (("category",) if require_category else ()):
        value = row.get(name)
        if value is None or not str(value).strip():
            raise ValueError(f"'{name}' is missing or empty")
    case = Case(
        id=str(row["id"]).strip(),
        category=str(row.get("category") or "uncategorised").strip(),
        question=str(row["question"]).strip(),
        history=_strings(row.get("history"), "history"),
        refuse=_bool(row.get("refuse", False), "refuse"),
        must_cite=_groups(row.get("must_cite"), "must_cite"),
        facts=_strings(row.get("facts"), "facts"),
        conflict=_bool(row.get("conflict", False), "conflict"),
        sides=_groups(row.get("sides"), "sides"),
        also_in=_bool(row.get("also_in", False), "also_in"),
        split=str(row.get("split") or "dev").strip().lower(),
    )
    if case.split not in SPLITS:
        raise ValueError(f"'split' must be one of {', '.join(SPLITS)}, got {case.split!r}")
    if case.refuse and (case.must_cite or case.facts or case.conflict):
        raise ValueError("a 'refuse' pair cannot also have must_cite, facts or conflict")
    if not case.refuse and not (case.must_cite or case.facts):
        raise ValueError("an answerable pair needs must_cite or facts (or set refuse: true)")
    if case.sides and len(case.sides) != 2:
        raise ValueError(f"'sides' needs exactly two groups, got {len(case.sides)}")
    return case


def _rows(path: Path) -> list[tuple[str, object]]:
    """(where, row) for every row of a YAML, CSV or JSONL file."""
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise CaseError(f"{path}: cannot read ({e})") from None
    if suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as e:
            raise CaseError(f"{path}: not valid YAML ({e})") from None
        if not isinstance(data, list):
            raise CaseError(f"{path}: expected a list of pairs")
        return [(f"entry {i + 1}", row) for i, row in enumerate(data)]
    if suffix == ".csv":
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames:
            raise CaseError(f"{path}: no header row")
        out = []
        for row in reader:
            if None in row:
                raise CaseError(
                    f"{path}: row {reader.line_num}: more cells than the header has columns"
                )
            if any((v or "").strip() for v in row.values()):
                out.append((f"row {reader.line_num}", {k.strip(): v for k, v in row.items()}))
        return out
    if suffix in (".jsonl", ".ndjson"):
        out = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append((f"line {n}", json.loads(line)))
            except json.JSONDecodeError as e:
                raise CaseError(f"{path}: line {n}: not valid JSON ({e.msg})") from None
        return out
    raise CaseError(
        f"{path}: unsupported file type {suffix or '(none)'}; use .yaml, .csv or .jsonl"
    )


def load_cases(path: Path | str = QA_FILE) -> list[Case]:
    """Every pair in a YAML, CSV or JSONL file; CaseError names the first bad row."""
    path = Path(path)
    strict = path.suffix.lower() not in (".yaml", ".yml")
    cases, seen = [], {}
    for where, row in _rows(path):
        try:
            case = make_case(row, require_category=strict)
        except ValueError as e:
            raise CaseError(f"{path}: {where}: {e}") from None
        if case.id in seen:
            raise CaseError(f"{path}: {where}: id {case.id!r} already used by {seen[case.id]}")
        seen[case.id] = where
        cases.append(case)
    if not cases:
        raise CaseError(f"{path}: no pairs")
    return cases


def to_yaml(cases: list[Case]) -> str:
    """Pairs as YAML entries in the style of evals/qa.yaml."""
    out = []
    for case in cases:
        d = case.to_dict()
        for key in ("history", "facts"):
            if key in d:
                d[key] = list(d[key])
        for key in ("must_cite", "sides"):
            if key in d:
                d[key] = [list(g) for g in d[key]]
        out.append(yaml.safe_dump([d], sort_keys=False, allow_unicode=True, width=100))
    return "\n".join(out)


def import_cases(source: Path | str, into: Path | str = QA_FILE) -> list[Case]:
    """Append the pairs of a CSV/JSONL file to a YAML set; nothing is written if any row is
    bad or an id is already used."""
    new = load_cases(source)
    into = Path(into)
    existing = load_cases(into) if into.exists() else []
    taken = {c.id for c in existing}
    clash = [c.id for c in new if c.id in taken]
    if clash:
        raise CaseError(f"{source}: id(s) already in {into}: {', '.join(clash)}")
    text = into.read_text(encoding="utf-8") if into.exists() else ""
    joined = text.rstrip("\n") + "\n\n" + to_yaml(new) if text else to_yaml(new)
    into.write_text(joined, encoding="utf-8")
    return new
