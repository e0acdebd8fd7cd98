"""add_files: check new documents, copy the good ones into the corpus folder, index them.

A file that cannot be indexed is rejected by name with the reason and never reaches the corpus
folder; if the build itself fails, the copied files are taken out again and the previous index
keeps answering.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.config import Settings, load_settings
from core.errors import CorpusError, IndexDamagedError
from index.build import BuildReport, Progress, build_index
from index.corpus import (
    SIDECAR,
    SUPPORTED_SUFFIXES,
    Sidecar,
    SkipFile,
    load_sidecar,
    read_document,
    sha256_bytes,
)
from index.store import MANIFEST, read_manifest

# One build at a time per process: two uploads must not interleave their commits.
_BUILD_LOCK = threading.Lock()
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
EDITABLE_META = ("title", "outlet", "author", "date")


@dataclass
class AddReport:
    """Which files joined the corpus (and under what name), which were rejected and why."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (given name, saved as)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (given name, reason)
    build: BuildReport | None = None

    def summary(self) -> str:
        lines = []
        for given, saved in self.added:
            renamed = f" (saved as {saved})" if saved != given else ""
            lines.append(f"Added {given}{renamed}.")
        for given, reason in self.rejected:
            lines.append(f"Rejected {given}: {reason}.")
        if self.build is not None:
            lines.append(self.build.summary().splitlines()[0])
        return "\n".join(lines) or "No files given."


def safe_name(name: str) -> str:
    """A file name that is safe in the corpus folder: no path, no leading dot, plain chars."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    stem = _UNSAFE.sub("_", stem).strip("._-") or "document"
    return stem[:120] + suffix.lower()


def _free_name(corpus: Path, name: str, taken: set[str]) -> str:
    """name, or name-2, name-3 ... when a document with that id already exists."""
    stem, suffix = os.path.splitext(name)
    existing = {p.stem for p in corpus.iterdir()} | taken
    candidate, n = stem, 2
    while candidate in existing:
        candidate, n = f"{stem}-{n}", n + 1
    return candidate + suffix


def _check_meta(meta: dict | None) -> dict:
    out = {}
    for key, value in (meta or {}).items():
        if key not in EDITABLE_META:
            raise ValueError(f"unknown metadata field {key!r}; use {', '.join(EDITABLE_META)}")
        value = "" if value is None else str(value).strip()
        if not value:
            continue
        if key == "date":
            try:
                value = date.fromisoformat(value).isoformat()
            except ValueError:
                raise ValueError(f"date must look like 2026-02-28, got {value!r}") from None
        out[key] = value
    return out


def _toml_table(name: str, meta: dict) -> str:
    # JSON strings with ASCII escapes are valid TOML basic strings.
    body = "".join(f"{k} = {json.dumps(v)}\n" for k, v in meta.items())
    return f"\n[{json.dumps(name)}]\n{body}"


def _write_sidecar(corpus: Path, entries: dict[str, dict]) -> str | None:
    """Append metadata tables to sources.toml; returns the previous text to restore on failure."""
    path = corpus / SIDECAR
    before = path.read_text(encoding="utf-8") if path.exists() else None
    text = (before or "") + "".join(_toml_table(n, m) for n, m in entries.items())
    tomllib.loads(text)  # never leave a sidecar the next build cannot read
    tmp = path.with_name("." + SIDECAR + ".part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return before


def add_files(
    files: Sequence[Path | str],
    settings: Settings | None = None,
    *,
    meta: dict | None = None,
    names: Sequence[str] | None = None,
    on_progress: Progress | None = None,
) -> AddReport:
    """Copy readable files into the corpus folder and index them incrementally.

    Args:
        files: paths of the files to add (.txt, .md, .html or .pdf).
        settings: where the corpus and index live; defaults to ``load_settings()``.
        meta: title, outlet, author and/or date to record for every added file.
        names: the names the files should have (e.g. an upload's original names);
            defaults to each path's own name.
        on_progress: called with (fraction done, message) while indexing.

    Returns:
        An AddReport; rejected files are named with the reason and left out.

    Raises:
        ValueError: meta holds an unknown field or a malformed date.
        CorpusError: the corpus folder does not exist.
    """
    settings = settings or load_settings()
    corpus = Path(settings.corpus_dir)
    if not corpus.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus}")
    extra = _check_meta(meta)
    paths = [Path(f) for f in files]
    given = list(names) if names is not None else [p.name for p in paths]
    if len(given) != len(paths):
        raise ValueError(f"names has {len(given)} entries for {len(paths)} files")
    report = AddReport()
    with _BUILD_LOCK:
        known = _corpus_hashes(corpus, Path(settings.index_dir))
        sidecar = load_sidecar(corpus)
        staged: list[tuple[Path, str, str]] = []  # (source, given name, saved name)
        taken: set[str] = set()
        for path, name in zip(paths, given, strict=True):
            reason = _reject_reason(path, name, settings, sidecar, known)
            if reason:
                report.rejected.append((name, reason))
                continue
            saved = _free_name(corpus, safe_name(name), taken)
            taken.add(Path(saved).stem)
            known[sha256_bytes(path.read_bytes())] = saved
            staged.append((path, name, saved))
        if not staged:
            return report
        copied: list[Path] = []
        restore: list[str | None] = []  # the sidecar's text before it was changed
        try:
            for src, _, saved in staged:
                part = corpus / f".{saved}.part"  # hidden: a build never reads a half copy
                shutil.copyfile(src, part)
                os.replace(part, corpus / saved)
                copied.append(corpus / saved)
            if extra:
                restore.append(_write_sidecar(corpus, {s: extra for _, _, s in staged}))
            report.build = build_index(settings, progress=False, on_progress=on_progress)
        except BaseException:
            for p in copied:
                p.unlink(missing_ok=True)
            for before in restore:
                if before is None:
                    (corpus / SIDECAR).unlink(missing_ok=True)
                else:
                    (corpus / SIDECAR).write_text(before, encoding="utf-8")
            raise
        report.added = [(name, saved) for _, name, saved in staged]
        return report


def _corpus_hashes(corpus: Path, index_dir: Path) -> dict[str, str]:
    """sha256 -> file name for the corpus: from the manifest where the file is unchanged
    since the last build (same size and not newer), hashing only the others."""
    try:
        manifest = read_manifest(index_dir) or {"docs": {}}
    except IndexDamagedError:
        manifest = {"docs": {}}  # every file is hashed; the build makes the index anew
    indexed = {e["file"]: e for e in manifest["docs"].values()}
    built = (index_dir / MANIFEST).stat().st_mtime if indexed else 0.0
    out = {}
    for path in corpus.iterdir():
        if not path.is_file() or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        entry = indexed.get(path.name)
        if entry is not None and path.stat().st_mtime <= built:
            out[entry["sha256"]] = path.name
        else:
            out[sha256_bytes(path.read_bytes())] = path.name
    return out


def _reject_reason(
    path: Path, name: str, settings: Settings, sidecar: Sidecar, known: dict[str, str]
) -> str | None:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        return f"unsupported file type {suffix or '(none)'}; use one of {kinds}"
    try:
        read_document(path, sidecar, settings.max_file_bytes, suffix=suffix)
    except SkipFile as e:
        return str(e)
    except OSError as e:
        return f"cannot read ({e.strerror or e})"
    same = known.get(sha256_bytes(path.read_bytes()))
    if same:
        return f"the corpus already holds the same file as {same}"
    return None
