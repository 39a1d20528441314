# The two promises: `make run` and `make test`, on a fresh machine with Python 3.12+.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	  && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format install messages bench clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.12 on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	@bin/run

# axe-core for the accessibility tests, from npm, when npm is on this machine.
node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	  else echo "npm not found: the axe accessibility test will be skipped."; fi

test: install node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Speed budgets, measured (not timed tests): prints a table, fails over budget.
# Both parts always run; the target fails at the end if either was over budget.
# BENCH_DATABASE_URL chooses the national part's database (see bench/national.py).
bench: install
	@status=0; \
	$(BIN)/python -m pytest bench -q -p no:cacheprovider -o testpaths=bench || status=1; \
	$(BIN)/python bench/national.py || status=1; \
	exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .

# Extract new strings and compile the catalogue (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l nb --no-obsolete --no-location \
	  --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=node_modules
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) .celery staticfiles db.sqlite3 .pytest_cache .ruff_cache
