"""Start-up and speed tricks, in one place, each with why it exists (measured on the
2-core machine; see the README's Performance section).

What is done here:

- ``in_background(fn, *args)``: work that does not need Pandoc's output runs in a thread
  while Pandoc reads (the EPUB's cover: drawing and encoding it is 20 ms of a 160 ms build).
- ``preload("weasyprint")``: WeasyPrint's import is 0.7 s, spent in a thread while Pandoc
  reads. Not for a long book read in chunks: its 35 MB would add to Pandoc's peak.
- ``quick_exit(code)`` and ``tune_gc()``: the console script leaves with ``os._exit`` once
  everything is written and flushed (tearing down lxml, PIL and the rest costs 20 ms), and
  runs the collector a hundred times less often (a book's AST is millions of small
  objects and few cycles, as mypy found for its own trees).

What is done where it happens, and why it is not moved here:

- Pandoc is started before the typography, the renderer and ebooklib are imported:
  ``pipeline.Rendering`` starts it, ``Rendering.finish`` imports them while it reads.
- An up-to-date build costs hashing only: ``build.py`` imports the pipeline only for an
  edition that must be made, and each edition's writer only when it is made (an EPUB
  build never loads WeasyPrint).
- ``read/pandoc.py``: the bundled Pandoc is found without importing pypandoc (80 ms), and
  starts with an 8 MB heap (``+RTS -H8m``) instead of the 64 MB its binary asks for.
- rich is imported only to print on a terminal (``console.py``); book.yaml is read with
  libyaml (``config/book.py``); ``tempfile`` is imported when the first file is written
  (``output.py``).
"""

from __future__ import annotations

import gc
import html  # noqa: F401  (see _SHARED)
import importlib
import os
import sys
import threading
from typing import Callable, Generic, TypeVar

# Imported before any thread starts: a package and its submodule imported at once from two
# threads can deadlock (one holds ``html`` and waits for ``html.entities``, the other the
# reverse; Python raises _DeadlockError). The main thread imports ``html`` for the renderer
# while the WeasyPrint preload or the cover thread imports ``html.entities``.
_SHARED = (html,)

T = TypeVar("T")


class Background(threading.Thread, Generic[T]):
    """``fn(*args)`` in a daemon thread; ``result()`` waits for it (and raises what it raised)."""

    def __init__(self, fn: Callable[..., T], *args):
        super().__init__(daemon=True)
        self._call, self._value, self._error = (fn, args), None, None
        self.start()

    def run(self) -> None:
        fn, args = self._call
        try:
            self._value = fn(*args)
        except BaseException as e:  # handed to the caller by result()
            self._error = e

    def result(self) -> T:
        self.join()
        if self._error is not None:
            raise self._error
        return self._value


def in_background(fn: Callable[..., T], *args) -> Background[T]:
    return Background(fn, *args)


def preload(module: str) -> None:
    """Import ``module`` in a thread; a later import finds it loaded (or waits for it)."""
    threading.Thread(target=importlib.import_module, args=(module,), daemon=True).start()


def tune_gc() -> None:
    gc.set_threshold(100_000, 20, 20)


def quick_exit(code: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
