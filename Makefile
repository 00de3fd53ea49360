# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# What the bot needs (`make run`, `check`, `sweep`), and the test extra besides (`make test`, `lint`).
STAMP      := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint typecheck install check sweep clean nginx

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# The development set-up: the bot and the test extra.
install: $(TEST_STAMP)

# Validates settings, migrates the database, then starts the bot in Socket Mode.
run: $(STAMP)
	$(BIN)/complaint-bot run

# The checks that keep the code's shape: lint and format, types (mypy as configured in
# pyproject.toml: strict for bot/ and storage/), and which package may import which.
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

test: nginx lint
	$(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/complaint-bot check

# Sends what is due now, once (the scheduler's job, from the command line).
sweep: $(STAMP)
	$(BIN)/complaint-bot sweep

# The suite runs the shipped nginx configuration in front of `serve` (tests/end_to_end/test_nginx_recipe.py).
nginx:
	@PATH="$$PATH:/usr/sbin:/usr/local/sbin" command -v nginx >/dev/null || { \
	  echo "make test needs nginx, to test deploy/nginx/complaint-bot.conf: apt-get install nginx" \
	       "(Debian, Ubuntu), dnf install nginx (Fedora) or brew install nginx (macOS); .ci/run installs it." >&2; \
	  exit 1; }

clean:
	rm -rf $(VENV) *.egg-info
