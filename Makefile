# Reading Room — the two commands a new user needs:
#   make demo   set up everything, import the sample corpus, serve http://127.0.0.1:8000
#   make test   set up everything the tests need, run the whole suite (SQLite, then PostgreSQL)

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RR := $(BIN)/readingroom
PORT ?= 8000
export PORT

.PHONY: demo test venv test-venv system-deps zotero-deps demo-deps lint pytest-sqlite pytest-postgres clean

# The virtualenv is rebuilt only when pyproject.toml changes (a stamp file records it).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed
test-venv: $(VENV)/.installed-test

# Debian packages driven for real: Tesseract (OCR) for the demo; for the tests also
# Chromium (pages), PostgreSQL (backend), nginx and curl (the deployment guide's check).
system-deps:
	@scripts/install-system-deps test

demo-deps:
	@scripts/install-system-deps

# Zotero's translation server (../shared/tools/zotero, AGPL: run beside the project, never
# copied into it) reads our pages in the tests. Its npm packages (~170 MB) go to its own
# cache once; the next runs find them there. Node >= 20.19 must be installed already.
ZOTERO_TOOL ?= $(abspath ../shared/tools/zotero)
zotero-deps:
	@scripts/install-zotero-tool "$(ZOTERO_TOOL)"

# Bytecode compiled once, as pip does for an installed package (the editable install
# does not, and PYTHONDONTWRITEBYTECODE may forbid writing it later): each command the
# demo runs then starts sooner (0.46 → 0.38 s for `readingroom import --help` here).
demo: venv demo-deps
	$(BIN)/python -m compileall -q readingroom >/dev/null
	$(RR) migrate --no-input
	$(RR) load-corpus
	scripts/demo-serve

test: test-venv system-deps zotero-deps lint pytest-sqlite pytest-postgres

lint:
	$(BIN)/ruff check readingroom bench

# Tests keep their own data directory: never the demo's database or search index.
TEST_HOME := $(CURDIR)/var/test

pytest-sqlite:
	READINGROOM_HOME=$(TEST_HOME) $(BIN)/pytest

pytest-postgres:
	READINGROOM_HOME=$(TEST_HOME) $(BIN)/python -m readingroom.testing.postgres -- \
		$(BIN)/pytest -m "not browser and not zotero and not deploy"

clean:
	rm -rf $(VENV) var/test
