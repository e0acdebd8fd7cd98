"""Reading corpus files: metadata from the sidecar, derived metadata, bad files named."""

import codecs
from pathlib import Path

import pytest

from core.errors import CorpusError
from index.corpus import Sidecar, SkipFile, byline, head_date, load_sidecar, read_document
from tests.conftest import SEEDS

NONE = Sidecar()


def test_sidecar_metadata_is_used_for_seed_files():
    sidecar = load_sidecar(SEEDS)
    doc = read_document(SEEDS / "000_678fb64ae03cb8b5.txt", sidecar, 10_000_000)
    assert doc.doc_id == "000_678fb64ae03cb8b5"
    assert doc.meta == {
        "title": "Russia would accept security guarantees for Ukraine, Budanov says",
        "outlet": "Kyiv Independent",
        "author": "Lucy Pakhnyuk",
        "date": "2026-02-28",
    }


def test_every_seed_file_has_sidecar_metadata():
    sidecar = load_sidecar(SEEDS)
    for path in SEEDS.glob("*.txt"):
        assert path.name in sidecar.files, path.name
        assert set(sidecar.entry(path)) >= {"title", "outlet", "author", "date"}


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Posted on February 19, 2031 by staff", "2031-02-19"),
        ("date 2026-02-28 site logo", "2026-02-28"),
        ("Published 3 March 2025.", "2025-03-03"),
        ("Dock deal done\nMonday 3 March 2025 14:05 GMT\nThe port said so.", "2025-03-03"),
        ("NORTHGATE, Feb 28, 2026 - Officials said the talks would go on.", "2026-02-28"),
        ("Dock deal\nUpdated: 4 March 2025\nPublished: 3 March 2025", "2025-03-03"),
        ("Dock deal\n2 min readLast updated: February 9, 2026", "2026-02-09"),
        ("Dock deal\nPublished 14/03/2025", "2025-03-14"),
        # not the article's date: the date of what it reports, a time, a date that reads
        # two ways, a month with no day
        ("Talks on Feb. 26, 2026 in Geneva", "unknown"),
        ("Storm\nThe storm hit at 1400 GMT on 3 March 2025.", "unknown"),
        ("Storm\nPublished 03/04/2025", "unknown"),
        ("Storm\nPublished March 2025", "unknown"),
        ("on Monday", "unknown"),
        # a sentence that holds a date, even with a label's word in it
        ("UK to vote on 7 May 2026", "unknown"),
        ("BORN 3 March 1950", "unknown"),
        ("Figures published on 3 March 2025 by the statistics office show growth", "unknown"),
        ("The letter, dated 3 March 1999, was found.", "unknown"),
        ("The law was updated on 1 January 2024 to close a loophole", "unknown"),
        ("Date: 2025-13-01", "unknown"),
        # header lines as sites write them
        ("Published: 2026-02-28T10:00:00Z", "2026-02-28"),
        ("date: 2026-02-28T10:00:00+00:00", "2026-02-28"),
        ("Dock deal\n2025-03-03 10:30:00", "2025-03-03"),
        ("Dock deal\nMarch 3, 2025 10:30 AM GMT+0", "2025-03-03"),
        ("Dock deal\nPublished 9:00 AM EST, Mon March 3, 2025", "2025-03-03"),
        ("Dock deal\nPublished: 10:30, 3 March 2025", "2025-03-03"),
        ("Dock deal\nBy Ana Ruiz | 3 March 2025", "2025-03-03"),
        ("Home | News | Published 3 March 2025 | 2 min read", "2025-03-03"),
    ],
)
def test_the_date_comes_from_the_head_of_the_article_only(text, iso):
    assert head_date(text) == iso


def test_other_files_get_derived_metadata(tmp_path: Path):
    md = tmp_path / "note.md"
    md.write_text(
        "# Ceasefire holds in the north\n\nPublished March 3, 2026\n\n"
        "The truce agreed on 12 January 2026 held.\n"
    )
    doc = read_document(md, Sidecar({"note.md": {"outlet": "Wire Daily"}}), 10_000)
    assert doc.meta["title"] == "Ceasefire holds in the north"
    assert doc.meta["date"] == "2026-03-03"
    assert doc.meta["outlet"] == "Wire Daily"
    assert doc.meta["author"] == "unknown"


def test_a_date_in_the_body_never_dates_the_article(tmp_path: Path):
    path = tmp_path / "storm.txt"
    path.write_text(
        "Storm batters coast\nThe storm, the worst since 16 October 1987, hit at 1400 GMT.\n"
    )
    assert read_document(path, NONE, 10_000).meta["date"] == "unknown"


def test_sidecar_defaults_apply_to_every_file_and_entries_override_them(tmp_path: Path):
    (tmp_path / "sources.toml").write_text(
        'outlet = "BBC News"\nexample_questions = ["Who won?"]\n\n["b.txt"]\noutlet = "Reuters"\n'
    )
    (tmp_path / "a.txt").write_text("Dock deal done\nThe port said so.\n")
    (tmp_path / "b.txt").write_text("Dock deal done\nThe port said so again.\n")
    sidecar = load_sidecar(tmp_path)
    assert sidecar.defaults == {"outlet": "BBC News"}
    assert read_document(tmp_path / "a.txt", sidecar, 10_000).meta["outlet"] == "BBC News"
    assert read_document(tmp_path / "b.txt", sidecar, 10_000).meta["outlet"] == "Reuters"


def test_a_default_that_is_no_string_is_named(tmp_path: Path):
    (tmp_path / "sources.toml").write_text("outlet = 3\n")
    with pytest.raises(CorpusError, match="outlet must be a string"):
        load_sidecar(tmp_path)


PAGE = (Path(__file__).parent.parent / "data" / "port.html").read_text(encoding="utf-8")
UNDATED = PAGE.replace(
    '<meta property="article:published_time" content="2026-05-03T09:00:00Z">', ""
)


def test_a_web_page_keeps_its_article_and_its_own_metadata(tmp_path: Path):
    page = tmp_path / "port.html"
    page.write_text(PAGE)
    doc = read_document(page, NONE, 100_000)
    assert "reopened on Sunday, four days after a storm" in doc.text
    assert "backlog of forty vessels" in doc.text and "around £12m" in doc.text
    for boilerplate in ("cookies", "Most read", "bypass", "Copyright", "Privacy", "alert"):
        assert boilerplate not in doc.text
    assert "<p>" not in doc.text
    assert doc.meta == {
        "title": "Port reopens after storm",
        "outlet": "The Coastal Ledger",
        "author": "Ana Ruiz",
        "date": "2026-05-03",
    }


def test_a_page_without_a_date_of_its_own_is_undated(tmp_path: Path):
    page = tmp_path / "port.html"
    page.write_text(UNDATED)
    assert read_document(page, NONE, 100_000).meta["date"] == "unknown"


def test_a_tiny_page_keeps_its_visible_text(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><script>alert(1)</script><style>p{}</style></head>"
        "<body><h1>Port reopens</h1><p>The port reopened on May 2, 2026.</p></body></html>"
    )
    doc = read_document(page, NONE, 10_000)
    assert "The port reopened on May 2, 2026." in doc.text
    assert "alert" not in doc.text and "<p>" not in doc.text
    assert doc.meta["title"] == "Port reopens"
    assert doc.meta["date"] == "unknown"  # a date in the text is not the page's


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\n  ", "no text"),
        ("binary.txt", b"\x00\x01\x02binary", "binary"),
        ("noise.txt", bytes(range(1, 256)) * 2, "not text in any charset"),
        ("fake.pdf", b"this is no pdf", "not a PDF"),
        ("big.txt", b"x" * 2000, "too large"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path: Path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SkipFile, match=reason):
        read_document(path, NONE, max_bytes=1000)


@pytest.mark.parametrize(
    "text, encoding, detected",
    [
        (
            "Chelsea sacked Adrian Mutu, a \xa315.8m signing from Parma, after he tested "
            "positive for cocaine. The caf\xe9 owner said na\xefve fans were shocked.\n",
            "latin-1",
            ("iso-8859-1", "windows-1252"),
        ),
        # short texts, where detection is unsure: Windows-1252, not a code page that
        # garbles the pound sign or the accent
        ("He paid \xa35,000 for the car.\n", "latin-1", ("iso-8859-1", "windows-1252")),
        ("Caf\xe9 au lait\n", "latin-1", ("iso-8859-1", "windows-1252")),
        ("Prices rose \u20ac5, \u201csharply\u201d.\n", "cp1252", ("windows-1252",)),
        (
            "\u0426\u0435\u043d\u044b \u043d\u0430 \u043d\u0435\u0444\u0442\u044c "
            "\u0432\u044b\u0440\u043e\u0441\u043b\u0438 \u043d\u0430 5% \u0437\u0430 "
            "\u043d\u0435\u0434\u0435\u043b\u044e, \u0441\u043e\u043e\u0431\u0449\u0438"
            "\u043b \u043c\u0438\u043d\u0438\u0441\u0442\u0440 \u044d\u043d\u0435\u0440"
            "\u0433\u0435\u0442\u0438\u043a\u0438. \u041f\u0440\u0430\u0432\u0438"
            "\u0442\u0435\u043b\u044c\u0441\u0442\u0432\u043e \u0437\u0430\u044f"
            "\u0432\u0438\u043b\u043e, \u0447\u0442\u043e \u0440\u043e\u0441\u0442 "
            "\u0446\u0435\u043d \u043f\u0440\u043e\u0434\u043e\u043b\u0436\u0438"
            "\u0442\u0441\u044f.\n",
            "cp1251",
            ("windows-1251",),
        ),
    ],
)
def test_a_legacy_encoded_file_is_decoded_and_its_charset_recorded(
    tmp_path: Path, text, encoding, detected
):
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path, NONE, max_bytes=10_000)
    assert doc.text == text  # quotes are cut from the text as written
    assert doc.meta["encoding"].lower() in detected


def test_a_stray_legacy_byte_in_utf8_text_keeps_the_rest_as_written(tmp_path: Path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Z\xfcrich \u2014 prices rose".encode() + b" to \xa35.\n")
    doc = read_document(path, NONE, max_bytes=10_000)
    assert doc.text == "Z\xfcrich \u2014 prices rose to \xa35.\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be"])
def test_a_utf16_or_utf32_file_with_its_mark_is_decoded(tmp_path: Path, encoding):
    text = "Z\xfcrich \u2014 prices rose to \xa35.\n"
    path = tmp_path / "wide.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    doc = read_document(path, NONE, max_bytes=10_000)
    assert doc.text == text and doc.meta["encoding"].startswith("utf-")


def test_a_utf8_file_records_no_encoding(tmp_path: Path):
    path = tmp_path / "plain.txt"
    path.write_text("Caf\xe9 prices rose 5% in Z\xfcrich.\n", encoding="utf-8")
    assert "encoding" not in read_document(path, NONE, max_bytes=10_000).meta


@pytest.mark.parametrize(
    "head, author",
    [
        ("Dock deal done\nBy Ana Ruiz\nMarch 3, 2031\n", "Ana Ruiz"),
        ("Dock deal done\nby Ana Ruiz and Tom Lee, Coastal Ledger\n", "Ana Ruiz and Tom Lee"),
        ("Tax amnesty\nBy declaring their assets, people could legalise their property.\n", None),
        ("Japan shrinks\nBy 2007, Japan's population is expected to peak.\n", None),
        ("Talks end\nBy Monday, talks had collapsed.\n", None),
        ("Dock deal done\nBy Ana Ruiz | Coastal Ledger\n", "Ana Ruiz"),
        (
            "Dock deal done\nThe port said so.\nThe mayor agreed.\n"
            + "Filler line.\n" * 6
            + "By Ana Ruiz\n",
            None,
        ),  # not at the head
    ],
)
def test_a_byline_at_the_head_names_the_author(head, author):
    assert byline(head) == author


def test_byline_fills_the_author_and_the_sidecar_overrides_it(tmp_path: Path):
    path = tmp_path / "dock.txt"
    path.write_text("Dock deal done\nBy Ana Ruiz\nThe port said the deal was done.\n")
    assert read_document(path, NONE, 10_000).meta["author"] == "Ana Ruiz"
    given = Sidecar({"dock.txt": {"author": "Coastal Ledger staff"}})
    assert read_document(path, given, 10_000).meta["author"] == "Coastal Ledger staff"


def test_a_dated_line_by_the_headline_dates_the_page(tmp_path: Path):
    page = tmp_path / "port.html"
    page.write_text(
        UNDATED.replace(
            "<h1>Port reopens after storm</h1>",
            "<h1>Port reopens after storm</h1>"
            '<div class="byline"><a href="/ana">Ana Ruiz</a> <span class="share">Share</span>'
            ' | <span class="dates">Published: May 4, 2026 at 3:52 PM</span></div>',
        )
    )
    doc = read_document(page, NONE, 100_000)
    assert "Published" not in doc.text  # the extractor leaves the byline area out
    assert doc.meta["date"] == "2026-05-04"


def test_dates_elsewhere_on_a_page_do_not_date_it(tmp_path: Path):
    page = tmp_path / "port.html"
    page.write_text(
        UNDATED.replace(
            '<li><a href="/y">Fans queue overnight for cup final tickets</a></li>',
            '<li><a href="/y">Fans queue overnight for cup final tickets</a> '
            '<time datetime="2024-11-02">2 November 2024</time></li>',
        ).replace(
            "</article>",
            '</article><section class="comments"><div class="comment"><b>Sam</b> '
            '<time datetime="2026-05-05T10:00">5 May 2026</time><p>Good news for the town, '
            "and about time too.</p></div></section>",
        )
    )
    assert read_document(page, NONE, 100_000).meta["date"] == "unknown"


def test_a_date_that_reads_two_ways_does_not_date_a_page(tmp_path: Path):
    page = tmp_path / "port.html"
    page.write_text(
        UNDATED.replace(
            "<h1>Port reopens after storm</h1>",
            "<h1>Port reopens after storm</h1><p>Published: 05/04/2026</p>",
        )
    )
    assert read_document(page, NONE, 100_000).meta["date"] == "unknown"
