# The README's two commands: `make run` and `make test`. Both create .venv on
# first use with nothing but Python >= 3.11 and make.
#
# The package is installed non-editable, exactly as users get it, so the tests
# exercise the wheel's layout (templates/ and themes/ inside the package).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.deps-stamp
SOURCES := $(shell find composer templates themes -type f -not -name '*.pyc' 2>/dev/null) pyproject.toml

.PHONY: run test install lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Dependencies change rarely: reinstall them only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $@

# The package itself is reinstalled whenever its sources change.
$(VENV)/.pkg-stamp: $(STAMP) $(SOURCES)
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall .
	touch $@

install: $(VENV)/.pkg-stamp

# The demo keeps its own home inside .venv: it must never sign your drafts as
# the example's sender, nor add its sends to your history (`make clean` drops it).
DEMO_HOME ?= $(VENV)/demo-home

run: install
	OUTREACH_HOME=$(DEMO_HOME) $(BIN)/outreach --draft examples/draft.toml

test: install
	$(BIN)/python -P -m pytest

lint: install
	$(BIN)/python -m pip install --quiet ruff
	$(BIN)/ruff check composer tests benchmarks
	$(BIN)/ruff format --check composer tests benchmarks

bench: install
	$(BIN)/python -m pip install --quiet ".[bench]"
	$(BIN)/python -P benchmarks/run.py
	$(BIN)/python -P benchmarks/agreement.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
