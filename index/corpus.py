"""Reading the corpus folder: supported files, their text and their metadata."""

from __future__ import annotations

import codecs
import hashlib
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


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I), ("mon", "d", "y")),
    (re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I), ("d", "mon", "y")),
]


def first_date(text: str) -> str:
    """The first complete calendar date in the text, as ISO, or "unknown"."""
    found = []
    for pattern, order in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            parts = dict(zip(order, m.groups(), strict=True))
            month = _MONTHS[parts["mon"].lower()] if "mon" in parts else int(parts["m"])
            try:
                found.append((m.start(), date(int(parts["y"]), month, int(parts["d"]))))
            except ValueError:
                continue
    return min(found)[1].isoformat() if found else UNKNOWN


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


def _html_text(raw: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
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


def extract_text(path: Path, data: bytes, suffix: str | None = None) -> tuple[str, str | None]:
    """The text of a file (of type suffix, default its own), on which quotes and offsets are
    counted, and the character encoding it was decoded from (None for a PDF)."""
    suffix = (suffix or path.suffix).lower()
    if suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise SkipFile("not a PDF file (no %PDF header)")
        return _pdf_text(path), None
    raw, encoding = _decode(path, data)
    return (_html_text(raw) if suffix in (".html", ".htm") else raw), encoding


def _read_sidecar(corpus_dir: Path) -> dict:
    path = corpus_dir / SIDECAR
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{path} is not valid TOML: {e}") from None


def load_sidecar(corpus_dir: Path) -> dict[str, dict]:
    """Per-file metadata from sources.toml, keyed by file name (or doc id)."""
    data = _read_sidecar(corpus_dir)
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def example_questions(corpus_dir: Path) -> list[str]:
    """The ``example_questions = [...]`` list at the top of sources.toml, if any."""
    found = _read_sidecar(corpus_dir).get("example_questions", [])
    if not isinstance(found, list):
        return []
    return [q.strip() for q in found if isinstance(q, str) and q.strip()]


def metadata(path: Path, text: str, sidecar: dict[str, dict]) -> dict:
    """Title, outlet, author and date: from the sidecar, else derived from the text."""
    given = sidecar.get(path.name) or sidecar.get(path.stem) or {}
    derived = {
        "title": _title(text),
        "outlet": UNKNOWN,
        "author": byline(text) or UNKNOWN,
        "date": first_date(text),
    }
    meta = {}
    for name in META_FIELDS:
        value = given.get(name)
        meta[name] = str(value).strip() if value not in (None, "") else derived[name]
    return meta


def read_document(
    path: Path, sidecar: dict[str, dict], max_bytes: int, suffix: str | None = None
) -> Document:
    """Read one corpus file (of type suffix, default its own), or raise SkipFile naming why."""
    size = path.stat().st_size
    if size == 0:
        raise SkipFile("empty file")
    if size > max_bytes:
        raise SkipFile(f"too large ({size} bytes; the limit is {max_bytes})")
    data = path.read_bytes()
    text, encoding = extract_text(path, data, suffix)
    if not text.strip():
        raise SkipFile("no text in the file")
    meta = metadata(path, text, sidecar)
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
