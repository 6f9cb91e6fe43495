# Two commands matter: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: run install setup serve test test-sqlite test-postgres lint format bench messages clean

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
	DJANGO_ENV=development $(MANAGE) load_demo

serve:
	DJANGO_ENV=development $(MANAGE) demo_accounts
	DJANGO_ENV=development $(MANAGE) runserver 127.0.0.1:8000

## make test: lint + the whole suite (SQLite; PostgreSQL when DATABASE_URL is set;
## browser journeys when BROWSER_TESTS=1).
test: install lint
	DJANGO_ENV=test $(BIN)/pytest -q -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_ENV=test $(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	DJANGO_ENV=test $(PY) -m benchmarks.run

messages: install
	$(MANAGE) makemessages -l fr -l en --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3*
