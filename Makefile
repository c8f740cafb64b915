# Two entry points for a fresh machine (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint openapi bench clean

$(BIN)/provenance: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## Install, migrate the SQLite store, ingest the seed corpus and serve the API.
demo: $(BIN)/provenance
	$(BIN)/provenance demo

## Install and run the whole suite (lint, types, tests on SQLite and, where a server answers, PostgreSQL).
test: $(BIN)/provenance
	$(BIN)/ruff check provenance tests plugins bench
	$(BIN)/ruff format --check provenance tests plugins bench
	$(BIN)/mypy provenance
	$(BIN)/lint-imports
	$(BIN)/pytest

openapi: $(BIN)/provenance
	$(BIN)/provenance openapi

clean:
	rm -rf $(VENV) provenance.db provenance.db-wal provenance.db-shm
