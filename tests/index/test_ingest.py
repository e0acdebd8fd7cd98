"""Adding documents: checked first, copied atomically, indexed, undone if the build fails."""

import tomllib
from pathlib import Path

import pytest

import rag
from index import ingest
from index.ingest import add_files


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


ARTICLE = (
    "Harbour to reopen\n\n"
    "The port of Eastmouth will reopen to container ships on 14 April 2026, "
    "harbour master Ilse Varga said on Tuesday.\n"
)


def test_added_file_is_indexed_with_its_metadata(small_corpus, tmp_path):
    from index.build import build_index

    build_index(small_corpus, progress=False)
    steps = []
    report = add_files(
        [_write(tmp_path, "harbour.txt", ARTICLE)],
        small_corpus,
        meta={"outlet": "Eastmouth Gazette", "date": "2026-03-10", "title": ""},
        on_progress=lambda f, msg: steps.append((f, msg)),
    )
    assert report.added == [("harbour.txt", "harbour.txt")] and not report.rejected
    assert report.build.added == ["harbour"] and len(report.build.unchanged) == 3
    assert steps[-1][0] == 1.0 and any("Indexing 1/1" in m for _, m in steps)
    sidecar = tomllib.loads((small_corpus.corpus_dir / "sources.toml").read_text("utf-8"))
    assert sidecar["harbour.txt"] == {"outlet": "Eastmouth Gazette", "date": "2026-03-10"}
    answer = rag.ask("When will the port of Eastmouth reopen?", index_dir=small_corpus.index_dir)
    assert answer.citations[0].doc_id == "harbour"
    assert answer.citations[0].outlet == "Eastmouth Gazette"


def test_name_clash_is_renamed_same_file_refused_unsafe_name_cleaned(small_corpus, tmp_path):
    from index.build import build_index

    build_index(small_corpus, progress=False)
    existing = next(small_corpus.corpus_dir.glob("000_*.txt"))
    clash = _write(tmp_path, existing.name, ARTICLE)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(existing.read_bytes())
    odd = _write(tmp_path, "odd.md", ARTICLE.replace("Eastmouth", "Westmouth"))
    report = add_files(
        [clash, copy, odd], small_corpus, names=[existing.name, "copy.txt", "../../ev il.md"]
    )
    saved = dict(report.added)
    assert saved[existing.name] == existing.stem + "-2.txt"
    assert saved["../../ev il.md"] == "ev_il.md"
    assert (small_corpus.corpus_dir / "ev_il.md").exists()
    assert not (small_corpus.corpus_dir.parent / "ev il.md").exists()
    assert report.rejected == [
        ("copy.txt", f"the corpus already holds the same file as {existing.name}")
    ]
    assert existing.read_bytes() != ARTICLE.encode()  # the original is untouched


def test_failed_build_takes_the_new_files_out_and_keeps_the_old_index(
    small_corpus, tmp_path, monkeypatch
):
    from index.build import build_index

    build_index(small_corpus, progress=False)
    before = sorted(p.name for p in small_corpus.corpus_dir.iterdir())
    sidecar = (small_corpus.corpus_dir / "sources.toml").read_text("utf-8")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ingest, "build_index", broken)
    with pytest.raises(OSError, match="disk full"):
        add_files([_write(tmp_path, "new.txt", ARTICLE)], small_corpus, meta={"outlet": "X"})
    assert sorted(p.name for p in small_corpus.corpus_dir.iterdir()) == before
    assert (small_corpus.corpus_dir / "sources.toml").read_text("utf-8") == sidecar
    answer = rag.ask("Did Russia accept US security guarantees?", index_dir=small_corpus.index_dir)
    assert answer.citations


@pytest.mark.parametrize(
    ("meta", "message"),
    [({"date": "March 3"}, "date must look like"), ({"publisher": "X"}, "unknown metadata field")],
)
def test_bad_metadata_is_refused_before_anything_is_copied(small_corpus, tmp_path, meta, message):
    before = sorted(p.name for p in small_corpus.corpus_dir.iterdir())
    with pytest.raises(ValueError, match=message):
        add_files([_write(tmp_path, "new.txt", ARTICLE)], small_corpus, meta=meta)
    assert sorted(p.name for p in small_corpus.corpus_dir.iterdir()) == before


def test_cli_add_reports_each_file(small_corpus, tmp_path, capsys):
    # `python -m index add` through its entry point, in this process
    from index.__main__ import main

    good = _write(tmp_path, "harbour.txt", ARTICLE)
    bad = tmp_path / "blob.txt"
    bad.write_bytes(b"\x00\x00binary")
    code = main(
        [
            "add",
            str(good),
            str(bad),
            "--outlet",
            "Gazette",
            "--corpus",
            str(small_corpus.corpus_dir),
            "--index",
            str(small_corpus.index_dir),
        ]
    )
    printed = capsys.readouterr()
    assert code == 1, printed.err  # something was rejected
    assert "Added harbour.txt." in printed.out
    assert "Rejected blob.txt: binary file" in printed.out
    assert "Indexed 4 files" in printed.out
