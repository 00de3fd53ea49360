# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install check sweep clean

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

test: install
	$(BIN)/python -m pytest -q

check: install
	$(BIN)/complaint-bot check

clean:
	rm -rf $(VENV) *.egg-info
