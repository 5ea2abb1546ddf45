# onephone-build: `make book` builds EPUB, PDF and web edition into build/; `make test` runs the tests.
# Both set up everything they need on a fresh machine (a virtualenv with the Python packages;
# Java for epubcheck and the HTML checker, Chromium and Node for DAISY Ace, calibre for the
# AZW3 test are installed with apt-get if missing; Ace with npm into tools/node/).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
NODE_STAMP := tools/node/node_modules/.installed-$(shell cat tools/node/package.json tools/node/package-lock.json | sha1sum | cut -c1-12)

.PHONY: book test lint bench clean setup system

book: setup
	$(VENV)/bin/onephone-build all -m manuscript -o build

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/onephone-build lint -m manuscript

bench: setup
	$(PY) benchmarks/run.py

setup: system $(STAMP) $(NODE_STAMP)

# DAISY Ace (npm @daisy/ace-cli) runs Debian's Chromium: puppeteer downloads no browser.
$(NODE_STAMP): tools/node/package.json tools/node/package-lock.json
	cd tools/node && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	rm -f tools/node/node_modules/.installed-*
	touch $(NODE_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Java runs epubcheck and the Nu HTML checker; Pango (WeasyPrint) is on the machine; Node and
# Chromium run DAISY Ace; calibre's ebook-convert makes the AZW3 in the tests (its install,
# without recommends: 2 min 47 s with apt-get update, on a loaded 2-core machine).
system:
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing a Java runtime (epubcheck needs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	@$(PYTHON) -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('pango-1.0') else 1)" || { \
	  echo "installing Pango (WeasyPrint needs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }
	@{ command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; } || { \
	  echo "installing Node.js (DAISY Ace needs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@test -x /usr/bin/chromium || { \
	  echo "installing Chromium (DAISY Ace runs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v ebook-convert >/dev/null 2>&1 || { \
	  echo "installing calibre (the AZW3 test converts with ebook-convert)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends calibre; }

clean:
	rm -rf build
