"""How well web pages are read: the article's text kept, the page's boilerplate left out, and
the page's own title, author, date and site found.

evals/pages/ holds saved news pages (``*.html``) and, in ``expected-*.yaml``, for each page
snippets of its article text (``main``), snippets of its boilerplate (menus, footers,
cookie notices, related links, comments: ``boilerplate``) and its metadata. The check reads
every page as the index does (index.corpus.extract) and reports:

- main-text recall: the share of article snippets found in the text kept;
- boilerplate leakage: the share of boilerplate snippets found in it;
- clean pages: pages that leak no boilerplate snippet and keep every article snippet;
- metadata: pages whose date, author, title and site are read right (a page that gives no
  date must come out "unknown": an invented date counts as wrong).

The same figures for the page's whole visible text show what extraction buys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index.corpus import UNKNOWN, extract, visible_text

PAGES = Path(__file__).resolve().parent / "pages"
_SPACE = re.compile(r"\s+")


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass
class PageResult:
    file: str
    main_found: int
    main_total: int
    leaked: list[str]
    boilerplate_total: int
    missed: list[str]
    meta: dict  # field -> (expected, read)
    meta_right: dict = field(default_factory=dict)  # field -> bool

    @property
    def clean(self) -> bool:
        return not self.leaked and not self.missed


def load_expected(folder: Path = PAGES) -> list[dict]:
    """Every page entry of the folder's expected-*.yaml files, each checked for its fields."""
    entries = []
    for path in sorted(folder.glob("expected-*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            missing = {"file", "main", "boilerplate"} - set(entry)
            if missing:
                raise ValueError(f"{path.name}: an entry lacks {', '.join(sorted(missing))}")
            if not (folder / entry["file"]).is_file():
                raise ValueError(f"{path.name}: no page {entry['file']} in {folder}")
            entries.append(entry)
    return entries


def _same(expected, read: str, field_: str) -> bool:
    if expected in (None, ""):
        return read == UNKNOWN if field_ == "date" else True
    expected = _norm(str(expected)).lower().translate(_QUOTES)
    read = _norm(read).lower().translate(_QUOTES)
    if field_ == "date":
        return read == expected
    # a title or site may be written with the site's name beside it; an author with a title
    return expected in read or read in expected and len(read) >= 0.6 * len(expected)


def check_page(folder: Path, entry: dict, visible: bool = False) -> PageResult:
    """One page read as the index reads it (visible: its whole visible text instead)."""
    path = folder / entry["file"]
    data = path.read_bytes()
    if visible:
        text, meta = visible_text(data.decode("utf-8", errors="replace")), {}
    else:
        text, _, meta = extract(path, data)
    kept = _norm(text)
    main = [_norm(s) for s in entry["main"]]
    boiler = [_norm(s) for s in entry["boilerplate"]]
    result = PageResult(
        file=entry["file"],
        main_found=sum(s in kept for s in main),
        main_total=len(main),
        leaked=[s for s in boiler if s in kept],
        boilerplate_total=len(boiler),
        missed=[s for s in main if s not in kept],
        meta={},
    )
    if not visible:
        for name, key in (
            ("date", "date"),
            ("author", "author"),
            ("title", "title"),
            ("site", "outlet"),
        ):
            read = meta.get(key) or UNKNOWN
            result.meta[name] = (entry.get(name), read)
            result.meta_right[name] = _same(entry.get(name), read, name)
    return result


def run(folder: Path = PAGES, visible: bool = False) -> dict:
    """The figures over every page of the folder."""
    results = [check_page(folder, e, visible) for e in load_expected(folder)]
    main = sum(r.main_total for r in results)
    boiler = sum(r.boilerplate_total for r in results)
    out = {
        "pages": len(results),
        "main_recall": sum(r.main_found for r in results) / main if main else 0.0,
        "boilerplate_leakage": sum(len(r.leaked) for r in results) / boiler if boiler else 0.0,
        "clean_pages": sum(r.clean for r in results),
        "per_page": [
            {
                "file": r.file,
                "missed": r.missed,
                "leaked": r.leaked,
                "meta": {k: list(v) for k, v in r.meta.items()},
            }
            for r in results
        ],
    }
    if not visible:
        for name in ("date", "author", "title", "site"):
            out[f"{name}_right"] = sum(r.meta_right.get(name, False) for r in results)
        dated = [r for r in results if r.meta["date"][0]]
        out["dates_given"] = len(dated)
        out["dates_invented"] = sum(
            1 for r in results if not r.meta["date"][0] and r.meta["date"][1] != UNKNOWN
        )
        out["dates_missed"] = sum(1 for r in dated if r.meta["date"][1] == UNKNOWN)
        out["dates_wrong"] = sum(
            1 for r in dated if not r.meta_right["date"] and r.meta["date"][1] != UNKNOWN
        )
    return out


def table(kept: dict, visible: dict) -> str:
    n = kept["pages"]
    rows = [
        "| reading | main-text recall | boilerplate leakage | clean pages |",
        "|---|---|---|---|",
        f"| the index (trafilatura) | {kept['main_recall']:.1%} | "
        f"{kept['boilerplate_leakage']:.1%} | {kept['clean_pages']}/{n} |",
        f"| the page's whole visible text | {visible['main_recall']:.1%} | "
        f"{visible['boilerplate_leakage']:.1%} | {visible['clean_pages']}/{n} |",
        "",
        f"metadata right on {n} pages: date {kept['date_right']} "
        f"({kept['dates_given']} pages give one; {kept['dates_missed']} missed, "
        f"{kept['dates_wrong']} read wrong, "
        f"{kept['dates_invented']} invented where the page gives none), "
        f"author {kept['author_right']}, title {kept['title_right']}, site {kept['site_right']}",
    ]
    return "\n".join(rows)
