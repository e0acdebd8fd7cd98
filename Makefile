# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# CPU build of torch: any other spec pulls gigabytes of CUDA packages.
TORCH  := torch==2.13.0

.PHONY: install index run chat test eval bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Incremental: builds the index when missing, picks up changed files, else returns at once.
index: install
	$(BIN)/python -m index build

run: index
	$(BIN)/python -m rag chat

chat: run

test: install
	$(BIN)/python -m pytest

eval: index
	$(BIN)/python -m evals

bench: index
	$(BIN)/python -m evals.bench

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf .index reports
