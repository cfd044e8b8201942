# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate lint format bench audit clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv --without-pip $(VENV)

# uv (pinned) installs the locked set in a fraction of pip's time: parallel downloads and a
# venv without pip's own bootstrap. No bytecode compilation up front (12 of its 17 s, for
# ~6,000 files, most never imported): each module is compiled once, on first import, and
# cached (`make test` lets Python write its caches even where PYTHONDONTWRITEBYTECODE is set).
# Where uv cannot be fetched, the venv gets pip and pip installs the same locked set.
UV_VERSION := 0.13.8

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	( $(PYTHON) -m pip --python $(BIN)/python install --quiet uv==$(UV_VERSION) \
	  && $(BIN)/uv pip install --quiet --python $(BIN)/python \
	     -c requirements.lock -e ".[dev]" ) \
	|| ( $(BIN)/python -m ensurepip --default-pip \
	  && $(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]" )
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py load_guide
	$(BIN)/python manage.py bootstrap_site
	$(BIN)/python manage.py runstack --host $(HOST) --port $(PORT)

# One test process per core (docs/decisions.md 104: neither a third process nor bytecode
# compiled at install measured faster on a fresh clone).
test: lint
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

# The browser suite, saving every page it checks to var/screenshots/<name>.jpg (`make test`
# saves only the pages that fail their check).
screenshots: install
	env -u PYTHONDONTWRITEBYTECODE SCREENSHOTS=1 $(BIN)/python -m pytest -n 2 --dist loadfile tests/browser

# Style (ruff) and the import direction between apps (import-linter contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Figures, not pass/fail tests (docs/performance.md): the embedded broker under load, then
# the site at full volume behind gunicorn and a Celery worker, measured from another process
# (every page and list, the recommendation, the CSV import, the pipeline export against
# COPY), printed as a table and written to var/bench.json. Needs PostgreSQL (DATABASE_URL).
# The single-figure benches stay runnable alone: python -m bench, bench.imports,
# bench.recommendations, bench.reports.
bench: install
	$(BIN)/python -m bench.broker
	$(BIN)/python -m bench.server

# Known vulnerabilities in the locked packages (pip-audit over requirements.lock; needs a
# vulnerability database it can reach: PyPI's, or AUDIT_SERVICE=osv). Exits 2 with a plain
# message when it cannot audit; never part of `make test`.
audit: install
	$(BIN)/python scripts/audit.py

clean:
	rm -rf $(VENV) var
