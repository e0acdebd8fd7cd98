"""Every hand-written pair in evals/qa.yaml through rag.ask, against the committed baseline:
the gate `make test` applies."""

import json

from evals.__main__ import BASELINE, main
from evals.run import load_cases


def test_qa_set_is_big_and_varied():
    cases = load_cases()
    assert len(cases) >= 60
    categories = {c.category for c in cases}
    assert {
        "factoid",
        "who-said-what",
        "date",
        "conflict",
        "duplicate",
        "follow-up",
        "unanswerable",
    } <= categories
    assert sum(c.refuse for c in cases) >= 10
    assert sum(len(c.history) >= 2 for c in cases) >= 2  # multi-turn conversations


def test_qa_set_passes_its_gate(seed_index, tmp_path, capsys):
    # the Q&A gate of `make test`: every pair against evals/baseline.json and the floors of
    # evals/thresholds.toml (quote fidelity 1.0, the pass rate, no question regressed)
    settings, _ = seed_index
    code = main(
        ["run", "--index", str(settings.index_dir), "--corpus", str(settings.corpus_dir)]
        + ["--compare", str(BASELINE), "--fail-on-regression", "--quiet"]
        + ["--out", str(tmp_path)]
    )
    printed = capsys.readouterr().out
    assert code == 0 and "gate passed" in printed, printed
    [run] = [p for p in tmp_path.iterdir() if p.is_dir()]
    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    extractive = results["generators"]["extractive"]
    assert extractive["overall"]["questions"] == len(load_cases())
    defining = next(q for q in extractive["questions"] if q["id"] == "conflict-accept-guarantees")
    assert defining["passed"], defining["failures"]
