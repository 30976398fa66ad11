# Milepost: `make run` to try it, `make test` for everything CI checks.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint typecheck test-sqlite test-postgres test-browser test-smoke postgres bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(BIN)/milepost migrate --no-input
	DEBUG=1 $(BIN)/milepost demo
	@echo ""
	@echo "Milepost is at http://$(HOST):$(PORT)/  (log in as shown above; Ctrl+C stops it)"
	DEBUG=1 $(BIN)/milepost runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	DEBUG=1 $(BIN)/mypy

test-sqlite: install
	$(BIN)/pytest -m "not browser and not smoke" -q

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

test-postgres: install postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser and not smoke" -q

test-browser: install
	$(BIN)/pytest -m browser -q

# The production server (gunicorn, DEBUG off) on a PostgreSQL database of its own.
test-smoke: install postgres
	$(BIN)/pytest -m smoke -q tests/smoke

test: lint typecheck test-sqlite test-postgres test-browser test-smoke

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
