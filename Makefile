# Nastavnik: two commands for a newcomer — `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
NASTAVNIK_DATA ?= instance
PYTEST_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PORT NASTAVNIK_DATA

.PHONY: run test test-anyday install test-install lint system-packages clean translations

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
# browsers here), LibreOffice with Russian hyphenation for page-accurate PDFs, poppler for
# PDF pages as pictures, faketime for the any-day check.
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui hyphen-ru faketime poppler-utils
system-packages:
	@missing=""; for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
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
	FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$(CLOCK_SHIFT)" $(BIN)/pytest -m "not browser and not libreoffice and not slow" \
	  --deselect tests/test_readme_commands.py -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance test-output .pytest_cache

# Region under load over real HTTP (PostgreSQL, own Redis on 127.0.0.1:6390, gunicorn ×2,
# Celery ×2 + beat on ports ≥ 8100). Prints figures; never fails on a timing.
# BENCH_DATABASE_URL is recreated (default postgresql://postgres@127.0.0.1:5432/nastavnik_bench).
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/nastavnik_bench
export BENCH_DATABASE_URL
.PHONY: bench bench-full faults faults-full bench-tools
# redis-server (started on its own port, never the machine's), pg_dump/pg_restore, wrk
# (the C load client the transition is measured with) and the Django peer's packages.
$(VENV)/.peer-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[peer]'
	touch $@

bench-tools: $(VENV)/.peer-installed
	@command -v redis-server >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1 && \
	  command -v wrk >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server postgresql-client wrk >/dev/null; }

bench: test-install bench-tools
	$(BIN)/python bench/run.py --schools 20 --users 8 --duration 20 --rss-requests 3000 --rounds 3
	$(BIN)/python bench/bench_preview.py --repeat 5
	$(BIN)/python bench/bench_officer_lists.py --schools 150 --rounds 3

bench-full: test-install bench-tools
	$(BIN)/python bench/run.py --schools 3000 --users 32 --duration 120 --rss-requests 20000 --rounds 5 --directors 400
	$(BIN)/python bench/bench_officer_lists.py --schools 3000 --rounds 5

faults: test-install bench-tools
	$(BIN)/python bench/faults.py --quick

faults-full: test-install bench-tools
	$(BIN)/python bench/faults.py

# The English catalogue: extract every _()/_l() string from web/ (sorted, no line numbers, so
# branches merge cleanly), add new msgids to web/translations/en, compile the .mo. Then fill
# the empty msgstr (tests/web/test_translations.py names them) and run it again.
# `make translations PYBABEL=/path/to/pybabel` skips installing the venv.
PYBABEL ?= $(BIN)/pybabel
TRANSLATIONS := web/translations
translations: $(if $(filter command line,$(origin PYBABEL)),,install)
	$(PYBABEL) -q extract -F babel.cfg -k _l --no-location --sort-output \
	  -o $(TRANSLATIONS)/messages.pot .
	$(PYBABEL) -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
	  --no-fuzzy-matching --ignore-obsolete
	$(PYBABEL) -q compile -d $(TRANSLATIONS)
