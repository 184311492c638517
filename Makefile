# Nastavnik: two commands for a newcomer — `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
NASTAVNIK_DATA ?= instance
PYTEST_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PORT NASTAVNIK_DATA

.PHONY: run test install test-install lint browser office clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

test-install: $(VENV)/.test-installed browser office

# Debian's Chromium for the browser tests (test tools may not download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# LibreOffice prints DOCX to PDF for the layout tests; hyphen-ru gives it Russian hyphenation.
office:
	@{ command -v soffice >/dev/null 2>&1 && test -d /usr/share/hyphen; } || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libreoffice-writer-nogui \
	    hyphen-ru poppler-utils >/dev/null; }

run: install
	NASTAVNIK_DEMO=1 $(BIN)/flask --app web migrate
	NASTAVNIK_DEMO=1 $(BIN)/flask --app web load-demo
	NASTAVNIK_DEMO=1 $(BIN)/flask --app web serve --port $(PORT)

lint: test-install
	$(BIN)/lint-imports

test: test-install lint
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance test-output .pytest_cache
