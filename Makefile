# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CORES  := $(shell nproc 2>/dev/null || echo 2)
# pytest workers: one per core, at most 4 (each loads the models: about 1.5 GB)
TEST_WORKERS := $(shell n=$(CORES); [ $$n -gt 4 ] && n=4; echo $$n)
RUN_STAMP := $(VENV)/.run-stamp
# CPU build of torch: any other spec pulls gigabytes of CUDA packages.
TORCH  := torch==2.13.0
# llama.cpp (the local-llm extra) is compiled for AVX2, not -march=native: a native build
# picks up AVX-512/AMX instructions that this machine's CPU lists but cannot run (SIGILL).
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

.PHONY: install local-llm index run chat test eval bench stress lint clean browser

# What the default (extractive) answers need: enough for `make run`.
$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e .
	touch $(RUN_STAMP)

# Everything: the test tools and the local LLM (llama.cpp, compiled on every core: a few
# minutes).
$(STAMP): $(RUN_STAMP)
	CMAKE_ARGS="$(LLAMA_CMAKE)" CMAKE_BUILD_PARALLEL_LEVEL=$(CORES) \
	  $(BIN)/pip install -q -e ".[dev,local-llm]"
	touch $(STAMP)

install: $(STAMP)

# The local LLM generator, opt-in for `make run` (make test installs it anyway).
local-llm: $(STAMP)

# Incremental: builds the index when missing, picks up changed files, else returns at once.
index: $(RUN_STAMP)
	$(BIN)/python -m index build

# The chat UI on http://127.0.0.1:7860 (RAG_UI_HOST / RAG_UI_PORT to change).
run: index
	$(BIN)/python -m ui

# The same questions in the terminal.
chat: index
	$(BIN)/python -m rag chat

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads one).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Every test, the eval gates among them: evals/qa.yaml against evals/baseline.json and the
# floors in evals/thresholds.toml (tests/evals/test_report.py), and the BBC pairs over the
# articles they cite plus 200 others against evals/baseline-bbc-gate.json
# (tests/evals/test_bbc_gate.py, which builds that index; skipped, saying why, where the BBC
# corpus is absent). A regression fails the run. The set-up steps run side by side, and
# the tests on every core (at most 4); a worker that runs out of tests takes queued ones from
# another (worksteal: the BBC gate is one long test), and the slowest tests are listed.
test:
	$(MAKE) --no-print-directory -j3 install browser index
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15

# Every case file over its whole corpus, side by side (dev and test splits), then RAMDocs.
# Reports under reports/<timestamp>/ (results.json, report.md, report.html).
eval: index
	$(BIN)/python -m evals run --suite seeds --suite seeds-heldout --suite contradict --suite bbc
	$(BIN)/python -m evals ramdocs

bench: index
	$(BIN)/python -m evals.bench
	$(BIN)/python -m evals.scale

# Reliability under load, faults and hostile input (evals/stress.py; minutes, bounded, all on
# 127.0.0.1): a table of figures, also under reports/stress-<time>.md. The tests run a short
# version of each check.
stress: install browser index
	$(BIN)/python -m evals.stress

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf .index .index-bbc .index-bbc-gate .index-ramdocs .bench reports
