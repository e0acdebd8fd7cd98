"""The BBC pairs' gate of `make test`: evals/bbc.yaml over the articles its pairs cite plus
200 others (.index-bbc-gate, built where missing or changed), against
evals/baseline-bbc-gate.json and the floors of evals/thresholds-bbc-gate.toml. Where the
BBC corpus is absent, skipped with where it was looked for."""

import pytest

from core.config import load_settings
from evals.__main__ import main
from evals.suites import bbc_dir


def test_bbc_pairs_pass_their_gate(tmp_path, capsys):
    settings = load_settings()
    if not bbc_dir(settings).is_dir():
        pytest.skip(f"the BBC corpus is not at {bbc_dir(settings)} (RAG_SHARED_DIR)")
    code = main(
        ["run", "--suite", "bbc-gate", "--fail-on-regression", "--quiet"] + ["--out", str(tmp_path)]
    )
    printed = capsys.readouterr().out
    assert code == 0 and "gate passed" in printed, printed
