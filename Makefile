# Daftar: `make demo` serves the demo; `make test` runs the whole suite (SQLite, then PostgreSQL).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAFTAR_DATA_DIR ?= $(CURDIR)/data
TEST_DATA_DIR := $(CURDIR)/.pytest-data
TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/daftar
PYTEST_ARGS ?=

.PHONY: demo serve test test-sqlite test-postgres lint fmt bench clean system-deps-demo system-deps-test

demo: system-deps-demo $(STAMP)
	$(BIN)/daftar migrate --noinput
	$(BIN)/daftar demo
	@# The background worker (OCR of scans) runs beside the web server and stops with it.
	$(BIN)/daftar worker > $(DAFTAR_DATA_DIR)/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "Background worker running (log: $(DAFTAR_DATA_DIR)/worker.log)"; \
	  $(BIN)/daftar serve

test: system-deps-test $(STAMP) test-sqlite test-postgres

test-sqlite: $(STAMP)
	@echo "== test suite on SQLite"
	mkdir -p $(TEST_DATA_DIR)
	DAFTAR_DATA_DIR=$(TEST_DATA_DIR) DAFTAR_DATABASE_URL= $(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@echo "== test suite on PostgreSQL ($(TEST_PG_URL))"
	@if ! scripts/postgres-ready.sh; then \
	  if [ "$$CI" = "true" ]; then echo "PostgreSQL is not answering at 127.0.0.1:5432: the PostgreSQL pass cannot run." >&2; exit 1; \
	  else echo "PostgreSQL is not answering: skipping the PostgreSQL pass (CI=true makes this an error)." >&2; exit 0; fi; \
	fi
	mkdir -p $(TEST_DATA_DIR)
	DAFTAR_DATA_DIR=$(TEST_DATA_DIR) DAFTAR_DATABASE_URL=$(TEST_PG_URL) $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src tests bench

fmt: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP)
	$(BIN)/daftar bench --size S

system-deps-demo:
	@scripts/system-deps.sh demo

system-deps-test:
	@scripts/system-deps.sh test

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf $(VENV) $(TEST_DATA_DIR)
