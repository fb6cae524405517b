PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := survey

.PHONY: run test test-fast check-forms fonts offline-js clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

## run: install, prepare instance/, migrate, load forms/, serve on 127.0.0.1:5000
run: $(VENV)/.installed
	$(BIN)/flask i18n compile
	$(BIN)/flask setup
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## test: the whole suite (TEST_DATABASE_URL=postgresql://... to run it on PostgreSQL)
test: $(VENV)/.installed-test
	$(BIN)/python scripts/vendor-fonts --check
	$(BIN)/flask i18n compile
	$(BIN)/flask i18n check
	$(BIN)/pytest

## test-fast: skip the slow browser tests while working
test-fast: $(VENV)/.installed-test
	$(BIN)/flask i18n compile
	$(BIN)/pytest -m "not slow"

## fonts: re-fetch the pinned web fonts from npm (needs npm; the result is committed)
fonts: $(BIN)/python
	$(BIN)/python scripts/vendor-fonts

## offline-js: rebuild the tablet app's one-file bundle after editing survey/static/offline/*.js (needs npm)
offline-js: $(BIN)/python
	$(BIN)/python scripts/build-offline-js

check-forms: $(VENV)/.installed
	$(BIN)/flask forms check

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
