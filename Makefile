# Two commands matter: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: run install setup serve test test-sqlite test-postgres lint format bench bench-data \
	messages clean backup restore prod prod-stop loadtest

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load territories, référentiel and demo data, then serve.
run: setup serve

setup: install
	DJANGO_ENV=development $(MANAGE) migrate --noinput
	DJANGO_ENV=development $(MANAGE) import_territories
	DJANGO_ENV=development $(MANAGE) seed_state_services
	DJANGO_ENV=development $(MANAGE) load_taxonomy
	DJANGO_ENV=development $(MANAGE) load_referentiel
	DJANGO_ENV=development $(MANAGE) load_indicators
	DJANGO_ENV=development $(MANAGE) load_label_schemes
	DJANGO_ENV=development $(MANAGE) load_demo

# The task worker (PDF reports, exports, e-mails) runs beside the web server and stops with it;
# it also starts the periodic jobs (alerts, label reminders, use-phase openings…) at their hour
# and first takes up what a previous worker left half-done (ADR 18).
serve:
	DJANGO_ENV=development $(MANAGE) demo_accounts
	DJANGO_ENV=development $(MANAGE) worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_ENV=development $(MANAGE) runserver 127.0.0.1:8000

## make test: lint + the whole suite (SQLite; PostgreSQL when DATABASE_URL is set;
## browser journeys when Chromium is present or BROWSER_TESTS=1). Extra pytest options go in
## PYTEST_ARGS, e.g. `make test PYTEST_ARGS="-k journeys -x"`.
PYTEST_WORKERS ?= 2
PYTEST_DIST ?= loadfile
PYTEST_ARGS ?=
PYTEST := DJANGO_ENV=test $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist $(PYTEST_DIST)
TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/ecoquartier

test: install lint
	$(PYTEST) $(PYTEST_ARGS)

test-sqlite: install lint
	env -u DATABASE_URL $(PYTEST) $(PYTEST_ARGS)

## make test-postgres: the suite on PostgreSQL (pytest-django creates test_<name>[_gwN]).
test-postgres: install lint
	DATABASE_URL=$(TEST_PG_URL) $(PYTEST) --create-db $(PYTEST_ARGS)

## make lint: ruff, formatting, the layers and acyclic apps of ARCHITECTURE.md (import-linter's
## contracts in pyproject.toml), and no model change without its migration. The migration check
## uses an in-memory database so a stale local database or an absent server cannot fail it.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	DJANGO_ENV=test DATABASE_URL=sqlite://:memory: $(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make bench: national-scale dataset in .bench/ (or BENCH_DATABASE_URL), built once, then
## median request times, query counts and SQL time through the full Django stack. BENCH_SCALE=10
## runs every row on ten times the data (its own databases, built once and kept: a long first
## build, which `make bench-data BENCH_SCALE=10` does alone). See docs/performance.md.
# Foundation rows first, then each domain's rows (their datasets live in their own databases).
# Every module runs even if one fails; the target fails if any did.
BENCH_MODULES := benchmarks.run benchmarks.assessments benchmarks.calls benchmarks.applications \
	benchmarks.labels benchmarks.followup benchmarks.indicators
BENCH_SCALE ?= 1
bench: install
	@status=0; for module in $(BENCH_MODULES); do \
		echo "== $$module (BENCH_SCALE=$(BENCH_SCALE))"; \
		BENCH_SCALE=$(BENCH_SCALE) DJANGO_ENV=test $(PY) -m $$module $(BENCH_ARGS) || status=1; \
	done; exit $$status

bench-data: install
	BENCH_SCALE=$(BENCH_SCALE) DJANGO_ENV=test $(PY) -m benchmarks.build

## make backup: the database and every stored file into backups/<date>/, with a manifest.
## make restore: the latest backup (or BACKUP=backups/<date>) back into the configured database
## and storage, replacing them, then checks row counts and checksums against the manifest.
BACKUPS ?= backups
backup: install
	DJANGO_ENV=$${DJANGO_ENV:-development} $(MANAGE) backup --output $(BACKUPS)

restore: install
	DJANGO_ENV=$${DJANGO_ENV:-development} $(MANAGE) restore $(BACKUP) --backups $(BACKUPS) --noinput

## make prod: the production topology on this machine (nginx with TLS on 127.0.0.1:8443, two
## gunicorn app servers, two task workers, PostgreSQL, Redis); make prod-stop stops it.
## make loadtest: locust against it (USERS=20 DURATION=60; FAILOVER=1 stops an app server
## halfway through). See docs/production.md.
prod: install
	scripts/prod.sh start

prod-stop:
	scripts/prod.sh stop

loadtest: install
	scripts/loadtest.sh

messages: install
	$(MANAGE) makemessages -l fr -l en --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3*
