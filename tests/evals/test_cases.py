"""Pairs from spreadsheets: CSV and JSONL import, with row-level errors."""

import json

import pytest

from evals.cases import CaseError, import_cases, load_cases

HEADER = "id,category,question,history,must_cite,facts,refuse,conflict,sides,also_in\n"


def test_csv_rows_become_pairs(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text(
        HEADER
        + 'q1,conflict,"Did the port reopen?",,000|002; 001,"reopen|ships",no,yes,000|002;001,\n'
        + "q2,follow-up,Who said that?,What happened at the port? | Who runs it?,001,,,,,\n"
        + "q3,unanswerable,What is the GDP of France?,,,,true,,,\n",
        encoding="utf-8",
    )
    q1, q2, q3 = load_cases(path)
    assert q1.must_cite == (("000", "002"), ("001",)) and q1.facts == ("reopen", "ships")
    assert q1.conflict and q1.sides == (("000", "002"), ("001",)) and not q1.refuse
    assert q2.history == ("What happened at the port?", "Who runs it?")
    assert q3.refuse and not q3.must_cite


def test_jsonl_rows_become_pairs_and_import_appends_to_the_yaml_set(tmp_path):
    src = tmp_path / "pairs.jsonl"
    rows = [
        {"id": "j1", "category": "factoid", "question": "Where?", "must_cite": [["003"]]},
        {"id": "j2", "category": "unanswerable", "question": "Who won?", "refuse": True},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    into = tmp_path / "qa.yaml"
    into.write_text("- id: old\n  category: factoid\n  question: What?\n  facts: [x]\n")
    import_cases(src, into)
    assert [c.id for c in load_cases(into)] == ["old", "j1", "j2"]
    with pytest.raises(CaseError, match="already in"):
        import_cases(src, into)  # the same ids again: refused, nothing written
    assert [c.id for c in load_cases(into)] == ["old", "j1", "j2"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("q1,factoid,,,001,,,,,\n", r"row 2: 'question' is missing or empty"),
        ("q1,,Where?,,001,,,,,\n", r"row 2: 'category' is missing or empty"),
        (
            "q1,factoid,Where?,,001,,maybe,,,\n",
            r"row 2: 'refuse' must be true or false, got 'maybe'",
        ),
        ("q1,factoid,Where?,,,,,,,\n", r"row 2: an answerable pair needs must_cite or facts"),
        (
            "q1,factoid,Where?,,001,,,,,\nq1,factoid,When?,,001,,,,,\n",
            r"row 3: id 'q1' already used by row 2",
        ),
        ("q1,factoid,Where?,,001,,,,,,extra\n", r"row 2: more cells than the header has columns"),
        ("q1,factoid,Where?,,001,,yes,,,\n", r"row 2: a 'refuse' pair cannot also have"),
        ("q1,conflict,Did it?,,001,,,yes,001,\n", r"row 2: 'sides' needs exactly two groups"),
    ],
)
def test_a_malformed_csv_row_is_named_with_what_is_wrong(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(CaseError, match=message):
        load_cases(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"id": "a", "category": "x", "question": "Q?", "facts": ["f"]}\n{not json\n',
            "line 2: not valid JSON",
        ),
        (
            '{"id": "a", "category": "x", "question": "Q?", "facts": ["f"], "answer": "y"}\n',
            "line 1: unknown field",
        ),
        ('["a", "b"]\n', "line 1: expected a mapping"),
    ],
)
def test_a_malformed_jsonl_line_is_named(tmp_path, text, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError, match=message):
        load_cases(path)


def test_unsupported_file_type_is_named(tmp_path):
    path = tmp_path / "pairs.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(CaseError, match="unsupported file type .xlsx"):
        load_cases(path)
