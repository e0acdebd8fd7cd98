"""Reading the corpus folder: supported files, their text and their metadata."""

from __future__ import annotations

import codecs
import copy
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.errors import CorpusError

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".html", ".htm", ".pdf"}
SIDECAR = "sources.toml"
UNKNOWN = "unknown"
META_FIELDS = ("title", "outlet", "author", "date")


class SkipFile(Exception):
    """A file that cannot be indexed; the message says why."""


@dataclass(frozen=True)
class Document:
    """One corpus file: its text (what quotes are cut from) and its metadata."""

    doc_id: str
    path: Path
    text: str
    sha256: str
    meta: dict = field(default_factory=dict)


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"
# The shapes of a whole calendar date (day, month and year) opening a piece of text.
_DATE_SHAPE = re.compile(
    rf"(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})(?=T|\b)"
    rf"|(?:{_WEEKDAY})?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}\b"
    rf"|(?:{_WEEKDAY})?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}\b)",
    re.I,
)
# A numeric date whose day and month could be swapped ("03/04/2025"): no date at all.
_TWO_WAY = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}\b")
# A label opening a line (or following a separator on it) that dates the article:
# "Published 3 March 2025", "Posted on ...", "Last updated: ...", "Date: ..."; an update
# only where the article gives no publication date. Mid-sentence ("figures published on
# 3 March ...", "a letter dated ...") it dates something else.
_DATE_LABEL = re.compile(
    r"(?:^|[|\u2022\u00b7\u2014\u2013]\s*|(?-i:(?<=[a-z])(?=[A-Z])))"
    r"(?:(?P<updated>(?:last\s+)?updated|modified)|(?:first\s+)?published|posted|date[ds]?)"
    r"\b(?:\s+(?:on|at))?\s*:?\s*",
    re.I,
)
# Where a dated label's value ends: a separator or the author after it.
_AFTER_DATE = re.compile(r"\s+(?:[|\u2022\u00b7\u2014\u2013-]|by)\s+|\s*[|\u2022\u00b7]\s*", re.I)
_SEPARATORS = re.compile(r"\s*[|\u2022\u00b7]\s*")
# A dateline opening the article: "NORTHGATE, May 3, 2026 -", "OSLO, 3 March 2025 (Wire) -"
_DATELINE = re.compile(r"^[A-Z][A-Z.' ]{1,40},\s+")
HEAD_LINES = 8
_STRICT = {"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"]}


def _parse_whole(text: str) -> str | None:
    """The ISO date of a text that is a date and nothing else (with its weekday, time and
    time zone: "Monday 3 March 2025 14:05 GMT", "9:00 AM EST, Mon March 3, 2025",
    "2031-03-03T10:00:00Z"), read with dateparser; None for anything else ("UK to vote on
    7 May 2026"), a month and year, an impossible ISO date or a numeric date that reads
    two ways."""
    import dateparser

    text = text.strip().rstrip(".,;")
    if not text or len(text) > 60 or not re.search(r"\d", text):
        return None
    two_way = _TWO_WAY.search(text)
    if two_way and int(two_way[1]) <= 12 and int(two_way[2]) <= 12 and two_way[1] != two_way[2]:
        return None  # 3 April or 4 March: a wrong date is worse than none
    iso = re.match(r"\d{4}-\d{2}-\d{2}", text)
    if iso:
        try:
            date.fromisoformat(iso.group())
        except ValueError:
            return None
    settings = dict(_STRICT, STRICT_PARSING=True)
    if two_way:
        settings["DATE_ORDER"] = "DMY" if int(two_way[1]) > 12 else "MDY"
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed is not None else None


def _opening_date(text: str) -> str | None:
    """The date a piece of text opens with, whatever follows it ("2031-03-03 logo")."""
    m = _DATE_SHAPE.match(text.strip())
    return _parse_whole(m.group()) if m else None


def head_date(text: str, labelled_only: bool = False) -> str:
    """The publication date the head of an article gives, as ISO, or "unknown": from a line
    opening with "Published/Posted/Date ..." (the date up to a separator or "by"), a line
    that is only a date (with its weekday, time and zone), a dateline opening the article
    ("NORTHGATE, May 3, 2026 -"), else an "Updated ..." line. Never a date from a sentence:
    an article's first date is as often the date of what it reports. labelled_only: the
    text is a page's chrome by its headline, where only a labelled line dates the article."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    updated = None
    for line in lines if labelled_only else lines[:HEAD_LINES]:
        for label in _DATE_LABEL.finditer(line):
            value = _AFTER_DATE.split(line[label.end() :], maxsplit=1)[0]
            found = _parse_whole(value) or _opening_date(value)
            if found is None:
                continue
            if not label.group("updated"):
                return found
            updated = updated or found
        if labelled_only:
            continue
        # a line that is only a date, or a piece of a header line between separators
        # ("By Ana Ruiz | 3 March 2025")
        for piece in _SEPARATORS.split(line):
            found = _parse_whole(piece)
            if found is not None:
                return found
        dateline = _DATELINE.match(line)
        if dateline and (found := _opening_date(line[dateline.end() :])):
            return found
    return updated or UNKNOWN


# "By Ana Ruiz" alone on a line near the head of an article ("by Ana Ruiz, Coastal Ledger").
_BYLINE = re.compile(r"^[ \t]*by[ \t]+([^\n]{3,100})$", re.I | re.M)
BYLINE_LINES = 6


def _only_names(doc) -> bool:
    """Proper names joined by 'and' or punctuation, and no date ('By Monday')."""
    names = [t for t in doc if t.pos_ == "PROPN"]
    kinds = {e.label_ for e in doc.ents}
    return (
        bool(names)
        and all(t.pos_ in ("PROPN", "CCONJ", "PUNCT") for t in doc)
        and not kinds & {"DATE", "TIME", "CARDINAL", "ORDINAL"}
    )


def byline(text: str) -> str | None:
    """The author a byline at the head of the text names: a line that is only "By" and
    proper names, with an optional outlet after a comma or bar ("By declaring their assets
    ..." is a sentence, "By Monday, talks ..." a date: neither is a byline)."""
    head = "\n".join(text.splitlines()[:BYLINE_LINES])
    for m in _BYLINE.finditer(head):
        line = m.group(1).strip().rstrip(".")
        parts = re.split(r"\s*[,|]\s*", line, maxsplit=1)
        author, outlet = parts[0], parts[1] if len(parts) > 1 else ""
        if len(author.split()) > 8:
            continue
        from index.analysis import get_nlp

        nlp = get_nlp()
        if _only_names(nlp(author)) and (not outlet or _only_names(nlp(outlet))):
            return author
    return None


def _title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if len(line) >= 3:
            return line[:200]
    return UNKNOWN


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# chardet reads at most this much of a file (detection time grows with the bytes read).
DETECT_BYTES = 65_536
# Below this confidence a detected charset is not trusted over Windows-1252, the legacy
# charset of most Western text (what the HTML standard decodes unlabelled Latin-1 as):
# chardet is unsure of short texts and then names code pages that garble "£" and accents.
TRUST_DETECTION = 0.5
_LEGACY = "windows-1252"


# Byte-order marks, UTF-32's first (its little-endian mark begins with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _cp1252_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start : error.end]
    return bad.decode(_LEGACY, errors="replace"), error.end


codecs.register_error("newscite-cp1252", _cp1252_bytes)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """The file's text and its encoding: UTF-16 or UTF-32 where a byte-order mark says so;
    UTF-8 where it is valid; UTF-8 with a few stray
    Windows-1252 bytes, read as such; else the charset chardet detects ("ISO-8859-1",
    "Windows-1251", ...) when it is confident, Windows-1252 when it is not. A file chardet
    takes for no text at all is skipped."""
    for bom, encoding in _BOMS:  # UTF-32 and UTF-16 hold NUL bytes: read by their mark
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise SkipFile(f"not valid {encoding.upper()} text") from None
    if b"\x00" in data[:8192]:
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as e:
        bad = e.start
    mixed = data.decode("utf-8", errors="replace")
    if any(ord(c) > 127 and c != "\ufffd" for c in mixed):
        # valid multi-byte UTF-8 beside invalid bytes: one stray legacy character
        return data.decode("utf-8", errors="newscite-cp1252"), "utf-8+windows-1252"
    import chardet

    guess = chardet.detect(data[:DETECT_BYTES])
    encoding = guess.get("encoding")
    if not encoding:
        raise SkipFile(f"not valid UTF-8 text (byte {bad}) and not text in any charset")
    if (guess.get("confidence") or 0) < TRUST_DETECTION or encoding.lower() in ("ascii", "utf-8"):
        encoding = _LEGACY
    try:
        return data.decode(encoding), encoding
    except (LookupError, UnicodeDecodeError):  # a byte the charset leaves undefined
        return data.decode("iso-8859-1"), "iso-8859-1"


def _html_page(raw: str) -> tuple[str, dict]:
    """A web page's article text and the metadata the page gives (title, author, date,
    site name as outlet), read by trafilatura, a library made for news and web article
    extraction: menus, footers, cookie notices, related links and comments are left out.
    A page with no article text (a tiny page) keeps its visible text.

    The date is the page's own: its structured metadata (meta tags, JSON-LD, microdata),
    else a dated line between its headline and its first paragraph (head_date). Never a
    date found elsewhere on the page: a sidebar's or a comment's <time> dates another
    story or another person's words."""
    import trafilatura
    from bs4 import BeautifulSoup

    found = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        # less boilerplate for the same article text (evals/pages: leakage 7.0% -> 6.2%,
        # recall 100% both)
        favor_precision=True,
    )
    soup = BeautifulSoup(raw, "html.parser")
    meta = {}
    text = ""
    visible = visible_text(soup)
    if found is not None:
        text = found.text or ""
        if len(text) >= WHOLE_PAGE * len(visible):
            # the extractor found no article in the page's layout (a page laid out in
            # tables) and kept it whole: jusText's paragraph classifier tells the
            # article's paragraphs from the menus and link lists
            text = _justext(raw) or text
        for name, given in (
            ("title", found.title),
            ("author", found.author),
            ("outlet", found.sitename),
        ):
            if given and str(given).strip():
                meta[name] = str(given).strip()
    if not text.strip():
        text = visible
    dated = _metadata_date(soup)
    if dated is None:
        dated = _headline_date(soup, text, meta.get("title"))
    if dated is not None:
        meta["date"] = dated
    return text, meta


def _metadata_date(soup) -> str | None:
    """The publication date a page's structured metadata gives (its head's meta tags,
    JSON-LD, microdata), read by htmldate from those alone."""
    from htmldate import find_date

    parts = [str(soup.head)] if soup.head else []
    parts += [str(t) for t in soup.find_all("script", type="application/ld+json")]
    parts += [str(t) for t in soup.find_all(attrs={"itemprop": re.compile("^date", re.I)})]
    if not parts:
        return None
    page = "<html>" + "".join(parts) + "</html>"
    try:
        found = find_date(page, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None
    return found or None


def _headline_date(soup, text: str, title: str | None) -> str | None:
    """A dated line of the page between its headline and its article's first paragraph
    ("By Ana Ruiz | 3 March 2025", "Published: ..."): the article's byline area. Where
    the headline is not found, only a labelled line just before the first paragraph."""
    headline = _squash(title or "").casefold()
    # the article's first lines (a standfirst may come before the byline), as the page
    # writes them: no list marker
    firsts = [
        _squash(line).lstrip("-*\u2022 ")
        for line in text.splitlines()
        if len(line.split()) >= 8 and _squash(line).casefold() != headline
    ][:2]
    if not firsts:
        return None
    body = soup.body or soup
    # the page's lines as one string (inline elements split a paragraph into lines)
    lines = [_squash(line) for line in visible_text(body).splitlines()]
    lines = [line for line in lines if line]
    starts, joined = [], ""
    for line in lines:
        starts.append(len(joined))
        joined += line + " "
    found = [joined.find(first[:40]) for first in firsts]
    found = [f for f in found if f >= 0]
    if not found:
        return None
    at = max(found)
    top = joined.casefold().rfind(headline, 0, at) if headline else -1
    if top >= 0:
        begin = top + len(headline)
        region = [line for line, s in zip(lines, starts, strict=True) if begin <= s < at]
        dated = head_date("\n".join(region))
    else:
        region = [line for line, s in zip(lines, starts, strict=True) if s < at][-4:]
        dated = head_date("\n".join(region), labelled_only=True)
    return None if dated == UNKNOWN else dated


def _squash(text: str) -> str:
    """Whitespace as one space, none before punctuation ("libquarry , the": an inline link)."""
    return re.sub(r"\s+([,.;:!?])", r"\1", " ".join(text.split()))


# An extraction that keeps this share of a page's visible text isolated no article in it.
WHOLE_PAGE = 0.95


def _justext(raw: str) -> str:
    import justext

    paragraphs = justext.justext(raw, justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def visible_text(page) -> str:
    """Every visible line of a page, or of a parsed element of one (no scripts, styles or
    templates), boilerplate and all."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser") if isinstance(page, str) else copy.copy(page)
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, ValueError, OSError) as e:
        raise SkipFile(f"unreadable PDF ({e})") from None


def extract(path: Path, data: bytes, suffix: str | None = None) -> tuple[str, str | None, dict]:
    """The text of a file (of type suffix, default its own), on which quotes and offsets are
    counted, the character encoding it was decoded from (None for a PDF), and the metadata
    the file itself gives (a web page's title, author, date and site)."""
    suffix = (suffix or path.suffix).lower()
    if suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise SkipFile("not a PDF file (no %PDF header)")
        return _pdf_text(path), None, {}
    raw, encoding = _decode(path, data)
    if suffix in (".html", ".htm"):
        text, meta = _html_page(raw)
        return text, encoding, meta
    return raw, encoding, {}


def extract_text(path: Path, data: bytes, suffix: str | None = None) -> tuple[str, str | None]:
    """The text of a file and its encoding (see extract)."""
    text, encoding, _ = extract(path, data, suffix)
    return text, encoding


def _read_sidecar(corpus_dir: Path) -> dict:
    path = corpus_dir / SIDECAR
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{path} is not valid TOML: {e}") from None


# The fields sources.toml may set for every file at its top ("outlet = \"Coastal Ledger\""):
# a title is each file's own.
DEFAULT_FIELDS = ("outlet", "author", "date")


@dataclass(frozen=True)
class Sidecar:
    """sources.toml: per-file tables keyed by file name (or doc id), and the defaults its
    top-level keys give for every file."""

    files: dict[str, dict] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)

    def entry(self, path: Path) -> dict:
        """The table sources.toml gives for this file, or {}."""
        return self.files.get(path.name) or self.files.get(path.stem) or {}

    def state(self, path: Path) -> str:
        """What the sidecar says of this file, for telling whether it changed."""
        entry = json.dumps(self.entry(path), sort_keys=True, default=str)
        if not self.defaults:
            return entry
        return entry + json.dumps(self.defaults, sort_keys=True, default=str)


def load_sidecar(corpus_dir: Path) -> Sidecar:
    """Per-file metadata from sources.toml, and its defaults for every file."""
    data = _read_sidecar(corpus_dir)
    defaults = {}
    for name in DEFAULT_FIELDS:
        value = data.get(name)
        if value is None or isinstance(value, dict):
            continue  # a table: the entry of a file named so ("date.txt")
        if not isinstance(value, str | date):
            raise CorpusError(
                f"{corpus_dir / SIDECAR}: {name} must be a string for every file, "
                f"got {type(value).__name__}"
            )
        defaults[name] = str(value).strip()
    files = {str(k): v for k, v in data.items() if isinstance(v, dict)}
    return Sidecar(files, defaults)


def example_questions(corpus_dir: Path) -> list[str]:
    """The ``example_questions = [...]`` list at the top of sources.toml, if any."""
    found = _read_sidecar(corpus_dir).get("example_questions", [])
    if not isinstance(found, list):
        return []
    return [q.strip() for q in found if isinstance(q, str) and q.strip()]


def metadata(path: Path, text: str, sidecar: Sidecar, found: dict | None = None) -> dict:
    """Title, outlet, author and date: the file's sidecar entry first, then what the file
    itself gives (found: a web page's own metadata; a byline and a dated line at the head
    of a text), then the sidecar's defaults for every file; else "unknown"."""
    given = sidecar.entry(path)
    found = found or {}
    derived = {
        "title": found.get("title") or _title(text),
        "outlet": found.get("outlet"),
        "author": found.get("author") or byline(text),
        "date": found.get("date") or head_date(text),
    }
    meta = {}
    for name in META_FIELDS:
        value = given.get(name)  # the file's own entry, "unknown" included, decides
        if value in (None, ""):
            value = derived[name]
            if value in (None, "", UNKNOWN):
                value = sidecar.defaults.get(name) or UNKNOWN
        meta[name] = str(value).strip()
    return meta


def read_document(
    path: Path, sidecar: Sidecar, max_bytes: int, suffix: str | None = None
) -> Document:
    """Read one corpus file (of type suffix, default its own), or raise SkipFile naming why."""
    size = path.stat().st_size
    if size == 0:
        raise SkipFile("empty file")
    if size > max_bytes:
        raise SkipFile(f"too large ({size} bytes; the limit is {max_bytes})")
    data = path.read_bytes()
    text, encoding, found = extract(path, data, suffix)
    if not text.strip():
        raise SkipFile("no text in the file")
    meta = metadata(path, text, sidecar, found)
    if encoding not in (None, "utf-8"):
        meta["encoding"] = encoding  # a legacy charset, detected
    return Document(path.stem, path, text, sha256_bytes(data), meta)


def discover(corpus_dir: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Supported files in the corpus folder, and (name, reason) for the ones passed over."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    files, skipped = [], []
    for path in sorted(corpus_dir.iterdir()):
        if path.name.startswith(".") or path.name == SIDECAR or path.is_dir():
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(path)
        else:
            skipped.append((path.name, f"unsupported file type {path.suffix or '(none)'}"))
    stems: dict[str, Path] = {}
    unique = []
    for path in files:
        if path.stem in stems:
            skipped.append((path.name, f"same document id as {stems[path.stem].name}"))
            continue
        stems[path.stem] = path
        unique.append(path)
    return unique, skipped
