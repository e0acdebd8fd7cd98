"""Case files with their corpora, side-by-side figures, and the RAMDocs scorer."""

import json
from dataclasses import replace

import pytest

from core.config import load_settings
from evals import ramdocs
from evals.cases import load_cases
from evals.report import side_by_side
from evals.suites import GATE_OTHERS, SuiteUnavailable, bbc_dir, cited_documents, get_suite, prepare
from index.corpus import load_sidecar, read_document


def test_every_case_file_loads_with_dev_and_test_splits():
    for name in ("seeds-heldout", "contradict", "bbc"):
        cases = load_cases(get_suite(name, load_settings()).cases)
        splits = {c.split for c in cases}
        assert splits == {"dev", "test"}, name
    bbc = load_cases(get_suite("bbc", load_settings()).cases)
    by_category = {}
    for c in bbc:
        by_category[c.category] = by_category.get(c.category, 0) + 1
    assert len(bbc) >= 120
    assert by_category["conflict"] >= 30
    assert by_category["unanswerable"] >= 25
    assert by_category["who-said-what"] >= 25


def test_a_missing_corpus_names_where_it_was_looked_for(tmp_path):
    settings = load_settings(shared_dir=tmp_path / "nowhere")
    with pytest.raises(SuiteUnavailable, match="nowhere"):
        prepare(get_suite("bbc", settings))


def test_the_gate_subset_holds_every_cited_article_and_some_others(tmp_path):
    settings = load_settings()
    if not bbc_dir(settings).is_dir():
        pytest.skip(f"the BBC corpus is not at {bbc_dir(settings)} (RAG_SHARED_DIR)")
    suite = replace(
        get_suite("bbc-gate", settings), corpus=tmp_path / "corpus", index=tmp_path / "index"
    )
    prepare(suite)
    names = {p.stem for p in suite.corpus.glob("*.txt")}
    for wanted in cited_documents(suite.cases):
        assert any(n.startswith(wanted) for n in names), wanted
    assert len(names) >= len(cited_documents(suite.cases)) + GATE_OTHERS - 5
    assert all(
        (suite.corpus / f"{n}.txt").resolve().parent == bbc_dir(settings).resolve() for n in names
    )
    # the corpus's one line of metadata: every article is BBC News
    sidecar = load_sidecar(suite.corpus)
    assert sidecar.defaults == {"outlet": "BBC News"}
    doc = read_document(suite.corpus / "business_001.txt", sidecar, 1_000_000)
    assert (doc.meta["outlet"], doc.meta["date"]) == ("BBC News", "unknown")


def test_side_by_side_has_a_column_per_suite_and_split():
    overall = {
        "pass_rate": 0.5,
        "false_refusal": 1,
        "false_answer": 2,
        "missed_conflicts": 3,
        "false_conflicts": 0,
        "questions": 4,
        "passed": 2,
        "latency_ms": {"total": {"p50": 12.0}},
    }
    results = {
        "generators": {
            "extractive": {"overall": overall, "splits": {"dev": overall, "test": overall}}
        }
    }
    table = side_by_side([("bbc", results), ("seeds", results)])
    header = table.splitlines()[0]
    for column in ("bbc dev", "bbc test", "bbc all", "seeds dev", "seeds all"):
        assert column in header
    assert "| false answers | 2 |" in table


@pytest.mark.parametrize(
    "answer, gold, wrong, ok",
    [
        ("The population was 3,559 people in 2010.", ["3,559 people"], ["10,000 people"], True),
        ("Either 3,559 people or 10,000 people.", ["3,559 people"], ["10,000 people"], False),
        ("He played for the Lions and the Bears.", ["Lions", "Bears"], [], True),
        ("He played for the Lions.", ["Lions", "Bears"], [], False),
    ],
)
def test_ramdocs_exact_match_needs_every_gold_answer_and_no_wrong_one(answer, gold, wrong, ok):
    assert ramdocs.exact_match(answer, gold, wrong) is ok


def test_ramdocs_passages_are_written_one_file_each(tmp_path):
    items = [
        {"question": "q1", "documents": [{"text": "a"}, {"text": "b"}]},
        {"question": "q2", "documents": [{"text": "c"}]},
    ]
    assert ramdocs.write_pool(items, tmp_path) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "q000_d0.txt",
        "q000_d1.txt",
        "q001_d0.txt",
    ]
    assert json.dumps((tmp_path / "q001_d0.txt").read_text()) == '"c"'
