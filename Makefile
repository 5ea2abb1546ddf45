# onephone-build: `make book` builds EPUB, PDF and web edition into build/; `make test` runs the tests.
# Both set up everything they need on a fresh machine (a virtualenv with the Python packages;
# Java for epubcheck and the HTML checker, Pango and HarfBuzz's subsetter for WeasyPrint,
# Chromium and Node for DAISY Ace and the line-breaking test, calibre for the AZW3 test, the
# Noto faces and a CMYK profile are installed with apt-get if missing; Ace with npm into tools/node/).

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

# WeasyPrint's C declarations parsed once, into the virtualenv (editions/print/weasyffi.py:
# 0.2 s of every PDF build's WeasyPrint import otherwise; rewritten only when they change).
# The package's bytecode compiled (changed modules only): pip compiles an installed package,
# but not an editable one, and where PYTHONDONTWRITEBYTECODE is set (CI images, this
# project's machine) every run compiled every module again: 20 ms of a 0.13 s no-change build.
setup: system $(STAMP) $(NODE_STAMP)
	@$(PY) -m compileall -q onephone_build
	@$(PY) -m onephone_build.editions.print.weasyffi

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

# Java runs epubcheck and the Nu HTML checker; Pango lays out the PDF; HarfBuzz's subsetter
# (libharfbuzz-subset0) keeps WeasyPrint off fontTools' subsetter, which made a PDF build
# 1.7 times slower (benchmarks/run.py says at its start whether it is there); Debian's
# Chromium lays the EPUB and web markup out in the line-breaking test (no browser download);
# libgs-common has the CMYK ICC profile the IngramSpark (PDF/X-1a) interior declares as its
# output intent.
# Node and Chromium run DAISY Ace; calibre's ebook-convert makes the AZW3 in the tests (its
# install, without recommends: 2 min 47 s with apt-get update, on a loaded 2-core machine).
system:
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing a Java runtime (epubcheck needs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	@$(PYTHON) -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('pango-1.0') else 1)" || { \
	  echo "installing Pango (WeasyPrint needs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }
	@$(PYTHON) -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('harfbuzz-subset') else 1)" || { \
	  echo "installing HarfBuzz's font subsetter (WeasyPrint subsets fonts with it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0; }
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Chromium (the line-breaking test lays the EPUB and web markup out in it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@test -f /usr/share/color/icc/ghostscript/ps_cmyk.icc || { \
	  echo "installing the CMYK output profile of PDF/X interiors (libgs-common)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgs-common; }
	@# the print edition's fallback faces (book.yaml fonts.fallback): Hebrew, Arabic, CJK, emoji
	@fc-list -q "Noto Serif CJK JP" && fc-list -q "Noto Color Emoji" && fc-list -q "Noto Serif Hebrew" || { \
	  echo "installing the Noto fallback faces"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji; }
	@{ command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; } || { \
	  echo "installing Node.js (DAISY Ace needs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@command -v ebook-convert >/dev/null 2>&1 || { \
	  echo "installing calibre (the AZW3 test converts with ebook-convert)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends calibre; }

clean:
	rm -rf build
