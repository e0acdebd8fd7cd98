"""python -m evals run: the three report files, plots a browser can see, and the gate."""

import json

import pytest

import rag.pipeline
from evals.__main__ import BASELINE, main
from evals.run import load_cases
from rag.retrieval import retrieve


@pytest.fixture(scope="module")
def good_run(seed_index, tmp_path_factory):
    """Every pair of the Q&A set against the committed baseline, as the gate of `make test`
    runs them (test_qa_set_passes_its_gate); the report tests read its files."""
    settings, _ = seed_index
    out = tmp_path_factory.mktemp("reports")
    args = ["run", "--index", str(settings.index_dir), "--corpus", str(settings.corpus_dir)]
    gate = ["--compare", str(BASELINE), "--fail-on-regression"]
    code = main([*args, *gate, "--out", str(out), "--quiet"])
    [folder] = [p for p in out.iterdir() if p.is_dir()]
    return args, out, folder, code


@pytest.fixture(scope="module")
def few_run(good_run, tmp_path_factory):
    """A run of the first 24 pairs of the Q&A set: what the gate runs compare with."""
    import yaml

    from evals.cases import QA_FILE

    args, *_ = good_run
    cases = tmp_path_factory.mktemp("cases") / "fewer.yaml"
    pairs = yaml.safe_load(QA_FILE.read_text(encoding="utf-8"))[:24]
    cases.write_text(yaml.safe_dump(pairs, allow_unicode=True), encoding="utf-8")
    args = [*args, "--cases", str(cases)]
    out = tmp_path_factory.mktemp("few")
    assert main([*args, "--out", str(out), "--compare", "none", "--quiet"]) == 0
    [folder] = [p for p in out.iterdir() if p.is_dir()]
    return args, out, folder


def test_qa_set_passes_its_gate(good_run):
    # the Q&A gate of `make test`: every pair against evals/baseline.json and the floors of
    # evals/thresholds.toml (quote fidelity 1.0, the pass rate, no question regressed)
    _, _, folder, code = good_run
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert code == 0 and results["gate"]["passed"], results["gate"]
    extractive = results["generators"]["extractive"]
    assert extractive["overall"]["questions"] == len(load_cases())
    defining = next(q for q in extractive["questions"] if q["id"] == "conflict-accept-guarantees")
    assert defining["passed"], defining["failures"]


def test_run_writes_json_markdown_and_html_and_prints_a_summary(good_run, few_run, capsys):
    _, _, folder, _ = good_run
    assert {p.name for p in folder.iterdir()} == {"results.json", "report.md", "report.html"}
    results = json.loads((folder / "results.json").read_text())
    ext = results["generators"]["extractive"]
    assert ext["overall"]["quote_fidelity"] == 1.0
    assert ext["overall"]["questions"] >= 60
    assert (
        ext["overall"]["latency_ms"]["total"]["p95"] >= ext["overall"]["latency_ms"]["total"]["p50"]
    )
    first = ext["questions"][0]
    assert {"metrics", "failures", "answer", "support"} <= set(first)
    assert first["answer"]["retrieved"], "retrieved passages are kept for the report"
    md = (folder / "report.md").read_text()
    assert "| citation precision |" in md and "## Definitions" in md
    # a second run compares with the last one of the same pairs by default and prints the
    # compact table
    few_args, few_out, few_folder = few_run
    capsys.readouterr()
    assert main([*few_args, "--out", str(few_out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "citation recall" in printed and f"vs {few_folder / 'results.json'}" in printed


def test_report_html_shows_plots_and_failures_first_in_a_browser(good_run, page):
    _, _, folder, _ = good_run
    page.goto((folder / "report.html").as_uri())
    for plot in ("#plot-metrics", "#plot-latency"):
        width = page.eval_on_selector(plot, "img => img.complete ? img.naturalWidth : 0")
        assert width > 300, f"{plot} did not render"
    rows = page.locator("details.q")
    assert rows.count() >= 60
    statuses = [rows.nth(i).get_attribute("class") for i in range(rows.count())]
    fails = [i for i, s in enumerate(statuses) if "fail" in s]
    assert fails == list(range(len(fails)))  # failures first
    rows.first.locator("summary").click()
    assert rows.first.locator("pre.answer").is_visible()
    assert "Retrieved passages" in rows.first.inner_text()


def test_broken_retrieval_shows_regressions_and_fails_the_gate(few_run, monkeypatch, capsys):
    args, out, folder = few_run

    def worst_first(snapshot, query, vector, top_k, docs=None):
        ranked = retrieve(snapshot, query, vector, len(snapshot.chunks), docs)
        return list(reversed(ranked))[:top_k]

    monkeypatch.setattr(rag.pipeline, "retrieve", worst_first)
    broken = out / "broken"
    code = main(
        [*args, "--out", str(broken), "--compare", str(folder), "--fail-on-regression", "--quiet"]
    )
    printed = capsys.readouterr().out
    assert code == 1
    assert "gate FAILED" in printed and "question(s) regressed" in printed
    [run] = [p for p in broken.iterdir() if p.is_dir()]
    results = json.loads((run / "results.json").read_text())
    cmp = results["compare"]["generators"]["extractive"]
    assert len(cmp["regressions"]) >= 5
    assert cmp["deltas"]["hit_rate"]["delta"] < 0 or cmp["deltas"]["mrr"]["delta"] < 0
    html = (run / "report.html").read_text()
    assert "Regressions (" in html and "gate-fail" in html


def test_same_run_passes_the_gate_against_itself(few_run, capsys):
    args, out, folder = few_run
    code = main(
        [
            *args,
            "--out",
            str(out / "again"),
            "--compare",
            str(folder),
            "--fail-on-regression",
            "--quiet",
        ]
    )
    assert code == 0, capsys.readouterr().out
    assert "gate passed" in capsys.readouterr().out


def test_unknown_generator_and_bad_cases_file_are_named(good_run, tmp_path, capsys):
    args, *_ = good_run
    assert main([*args, "--out", str(tmp_path), "--generator", "gpt-9", "--quiet"]) == 2
    assert "generator must be one of" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("id,category,question\nq1,factoid,\n")
    assert main([*args, "--out", str(tmp_path), "--cases", str(bad), "--quiet"]) == 2
    assert "row 2: 'question' is missing" in capsys.readouterr().err


def test_two_generators_side_by_side_in_one_report(good_run, tmp_path):
    args, *_ = good_run
    cases = tmp_path / "few.csv"
    cases.write_text(
        "id,category,question,must_cite,facts,refuse\n"
        "rosatom,factoid,What did Rosatom confirm?,002,inspectors,\n"
        "iaea,factoid,Which agency helped secure the truce at the nuclear plant?,002,,\n"
        "gdp,unanswerable,What is the GDP of France?,,,true\n"
    )
    out = tmp_path / "reports"
    code = main(
        [
            *args,
            "--cases",
            str(cases),
            "--out",
            str(out),
            "--compare",
            "none",
            "--generator",
            "extractive",
            "--generator",
            "llama-cpp",
            "--quiet",
        ]
    )
    assert code == 0
    [run] = [p for p in out.iterdir() if p.is_dir()]
    results = json.loads((run / "results.json").read_text())
    assert set(results["generators"]) == {"extractive", "llama-cpp"}
    llm = results["generators"]["llama-cpp"]["overall"]
    assert llm["generation"]["answers"] == 2  # the refusal never reached the model
    assert llm["quote_fidelity"] == 1.0
    html = (run / "report.html").read_text()
    assert html.count("class='side-by-side' style='--cols:2'") == 3
    assert "Draft by SmolLM2" in html
