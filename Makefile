# The two promises: `make run` and `make test`, on a fresh machine with Python 3.12+.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	  && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every package and version that make, CI and the Dockerfile install, with hashes.
LOCK := requirements.lock

.PHONY: run test lint format typecheck install lock upgrade messages bench backup restore clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.12 on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The lock first (pip itself included), then the project with no dependencies of its own;
# the build backend is the lock's setuptools. A changed lock or pyproject.toml reinstalls.
$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip check \
	  || { echo "requirements.lock does not satisfy pyproject.toml: run make lock."; exit 1; }
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
	$(BIN)/python bench/reminders_at_scale.py || status=1; \
	exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .

# mypy with django-stubs over lib/ and every */services.py (the list: [tool.mypy] files).
typecheck: install
	$(BIN)/mypy

# requirements.lock from pyproject.toml: the runtime, test and dev dependencies, for
# Python 3.12 on Linux. `make lock` after editing pyproject.toml keeps every other pin;
# `make upgrade` moves every pin to the newest version that pyproject.toml allows.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --all-build-deps \
	--extra test --extra dev --no-emit-index-url --no-emit-find-links \
	--output-file $(LOCK) pyproject.toml

# pip-tools at its locked version, whatever pyproject.toml asks for now.
$(BIN)/pip-compile: $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	@touch $@

lock: $(BIN)/pip-compile
	$(PIP_COMPILE)

upgrade: $(BIN)/pip-compile
	$(PIP_COMPILE) --upgrade

# The database and MEDIA_ROOT in one file (lib/backups.py): `make backup` writes
# backups/usht-<date>-<time>.tar.gz (or FILE=...); `make restore FILE=...` puts one
# back into an empty database and MEDIA_ROOT, and checks every table and file.
backup: install
	$(BIN)/python manage.py backup $(FILE)

restore: install
	@test -n "$(FILE)" || { echo "Which backup? make restore FILE=backups/usht-....tar.gz"; exit 1; }
	$(BIN)/python manage.py restore $(FILE)

# Extract new strings and compile the catalogue (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l nb --no-obsolete --no-location \
	  --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=node_modules
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) .celery staticfiles db.sqlite3 .pytest_cache .ruff_cache .mypy_cache
