# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck install check sweep clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Validates settings, migrates the database, then starts the bot in Socket Mode.
run: install
	$(BIN)/complaint-bot run

# The checks that keep the code's shape: lint and format, types (mypy as configured in
# pyproject.toml: strict for bot/ and storage/), and which package may import which.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

check: install
	$(BIN)/complaint-bot check

# Sends what is due now, once (the scheduler's job, from the command line).
sweep: install
	$(BIN)/complaint-bot sweep

clean:
	rm -rf $(VENV) *.egg-info
