# Nastavnik: two commands for a newcomer — `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
NASTAVNIK_DATA ?= instance
PYTEST_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PORT NASTAVNIK_DATA

.PHONY: run test test-anyday install test-install lint system-packages clean

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

test-install: $(VENV)/.test-installed system-packages

# Debian packages the tests use: Chromium for the browser tests (test tools may not download
# browsers here), LibreOffice for page-accurate PDFs, faketime for the any-day check.
SYSTEM_PACKAGES := chromium:chromium soffice:libreoffice-writer-nogui faketime:faketime
system-packages:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi

run: install
	NASTAVNIK_DEMO=1 $(BIN)/flask --app web migrate
	NASTAVNIK_DEMO=1 $(BIN)/flask --app web load-demo
	NASTAVNIK_DEMO=1 $(BIN)/flask --app web serve --port $(PORT)

lint: test-install
	$(BIN)/lint-imports

test: test-install lint
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite with the system clock moved (default: a year ahead): no test may depend on the
# day it runs. Chromium, LibreOffice and the fresh-clone install do not work under a faked
# clock; the product's own clock (workflow.clock) covers what those tests would.
CLOCK_SHIFT ?= +365d
test-anyday: test-install
	FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$(CLOCK_SHIFT)" $(BIN)/pytest -m "not browser and not libreoffice" \
	  --deselect tests/test_readme_commands.py -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance test-output .pytest_cache
