"""Laying out the print edition in parts, in parallel processes, with a per-chapter cache.

Parts: every chapter on its own, without running heads or folios (a chapter opens on a
recto, so its pagination does not depend on where it starts); furniture sheets, each
the running heads and folios of 64 consecutive page numbers (they depend on nothing but
the page number, the title and the author, so they are laid out alongside the chapters);
and, once the chapters' page counts are known, the front matter with the contents' page
numbers. Every part is cached under a key of what shapes it: editing one chapter lays
out that chapter and the front matter again.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ...cache import Cache, digest, file_digest, tree_digest
from ...output import build_time
from ...render import Rendered
from ..assets import styles_dir, stylesheet
from . import document as pdf
from .layout import release_fonts, render_pdf

CHARS_PER_PAGE = 1900  # of chapter XHTML, a low guess: sheets for the pages guessed are laid out early


@dataclass
class Parts:
    front: bytes
    chapters: list[bytes]  # one PDF per chapter, in book order
    sheets: dict[int, bytes]  # first page number -> furniture sheet
    front_pages: int
    chapter_pages: list[int]
    bare: list[bool] | None = None  # per body part: no running head or folio on any page (a part's title page)
    nested: list[bool] | None = None  # per body part: its bookmarks go under the last part's


def first_pages(front_pages: int, chapter_pages: list[int]) -> list[int]:
    """Each chapter's first page number: chapters open on a recto (an odd page), after a
    blank verso when the part before ends on a recto."""
    starts, page = [], front_pages + 1
    for n in chapter_pages:
        page += page % 2 == 0  # a verso: leave it blank
        starts.append(page)
        page += n
    return starts


def _task(html: str, css: list[str], images: dict[str, Path], identifier: str,
          options: dict | None = None) -> tuple[bytes, int]:
    # without a print profile's options, the call is the plain one (tests count it)
    return render_pdf(html, css, images, identifier, options) if options else render_pdf(html, css, images, identifier)


# Layouts a worker process makes before it is replaced by a fresh one: WeasyPrint's
# native side keeps about 0.4 MB a chapter laid out (not Python objects: tracemalloc sees
# none), so over a long book the workers would grow without bound.
TASKS_PER_WORKER = 40


def _start_worker(scratch: str) -> None:
    """In a worker: Ctrl-C reaches the whole process group; the parent stops the pool,
    and a worker's own KeyboardInterrupt would only print a traceback. SIGTERM (how the
    pool's terminate() stops a worker) keeps its default action, which nothing can lose:
    a Python handler for it ran only between bytecodes, so a SIGTERM arriving as an idle
    worker entered its wait for the next task was lost, and terminate() waited forever
    for that worker. The worker's temporary files (WeasyPrint's font folders) go into the
    parent's ``scratch`` folder, which the parent deletes however the worker ends; a
    worker retired after its tasks deletes its own. The worker dies with its parent (a
    parent killed with SIGKILL left workers writing tracebacks into a broken pipe)."""
    import tempfile
    from multiprocessing import util

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler, inherited by the fork
    tempfile.tempdir = scratch
    util.Finalize(None, release_fonts, exitpriority=10)  # a worker retired after its tasks
    _die_with_parent()


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the worker sees the broken pipe instead
        pass
    if os.getppid() == 1:  # the parent died before the call
        os._exit(0)


class _Done:
    """A result already at hand, with the interface of the pool's AsyncResult."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


class _Runner:
    """Runs layout tasks in a pool of processes, or here when one process is enough."""

    def __init__(self, jobs: int, tasks: int):
        self.pool = None
        if jobs > 1 and tasks > 1:
            # fork: a worker starts at once, needs no importable __main__, and inherits
            # WeasyPrint's modules, loaded (not used: no font or Pango state) before the fork
            import weasyprint  # noqa: F401  (also waits for build.py's import in a thread)

            # Frozen while the pool lives, this process's objects are left out of the
            # workers' garbage collections (workers are forked again as they are replaced):
            # traversing the book's data in every collection made each layout two to three
            # times slower (and copied its pages).
            gc.collect()
            gc.freeze()
            self.scratch = tempfile.mkdtemp(prefix="onephone-layout-")
            self.pool = multiprocessing.get_context("fork").Pool(
                min(jobs, tasks), initializer=_start_worker, initargs=(self.scratch,),
                maxtasksperchild=TASKS_PER_WORKER)

    def submit(self, call: tuple):
        """An object whose ``get()`` waits for the layout's result (or raises its error)."""
        if self.pool is not None:
            return self.pool.apply_async(_task, call)
        return _Done(_task(*call))

    def close(self) -> None:
        """Stop the workers (every result wanted has been taken; a guess not needed is
        dropped) and delete what they left in the temporary folder."""
        if self.pool is not None:
            try:
                self.pool.terminate()
                self.pool.join()
            finally:
                gc.unfreeze()
                shutil.rmtree(self.scratch, ignore_errors=True)


class _Parts:
    """Cached parts by kind and key; the ones missing are laid out by the runner."""

    def __init__(self, cache: Cache | None, styles: str):
        self.cache, self.styles = cache, styles

    def key(self, kind: str, call: tuple) -> str:
        html, css, images, _, *options = call
        used = sorted((name, file_digest(path)) for name, path in images.items())
        return self.cache.key(kind, html, *css, self.styles, repr(used), repr(options)) if self.cache else ""

    def get(self, kind: str, key: str) -> tuple[bytes, int] | None:
        """A cached part and its page count; None when missing or unreadable."""
        if self.cache is None:
            return None
        meta = self.cache.read_json(kind, key, {"pages": int, "sha256": str})
        data = self.cache.read_bytes(kind, key, ".pdf")
        if meta is None or data is None or digest(data) != meta.get("sha256"):
            return None
        return data, int(meta["pages"])

    def get_json(self, kind: str, name: str, shape: dict) -> dict | None:
        return self.cache.read_json(kind, self.cache.key(kind, name), shape) if self.cache else None

    def put_json(self, kind: str, name: str, value: dict) -> None:
        if self.cache is not None:
            self.cache.write_json(kind, self.cache.key(kind, name), value)

    def put(self, kind: str, key: str, part: tuple[bytes, int]) -> tuple[bytes, int]:
        if self.cache is not None:
            self.cache.write_bytes(kind, key, part[0], ".pdf")
            self.cache.write_json(kind, key, {"pages": part[1], "sha256": digest(part[0])})
        return part


def build_parts(r: Rendered, glue: str, jobs: int | None = None, cache: Cache | None = None,
                step=None, profile_css: str = "", options: dict | None = None,
                images: dict[str, Path] | None = None) -> Parts:
    """``profile_css``, ``options`` and ``images``: a print profile's page (margins, bleed,
    colour), WeasyPrint options and images (converted for its colour space), for every part alike."""
    cfg = r.config
    jobs = jobs or os.cpu_count() or 1
    images = pdf.image_files(r) if images is None else images
    # what the layout reads of styles/: print.css and the faces (not epub.css or web.css)
    store = _Parts(cache, digest(file_digest(stylesheet("print.css")), tree_digest(styles_dir() / "fonts")))
    extra = [profile_css] if profile_css else []
    setup = [pdf.page_setup_css(cfg), pdf.PART_CSS["chapter"], *extra]
    heads = [pdf.page_css(r), pdf.PART_CSS["sheet"], *extra]
    opts = (options,) if options else ()

    def sheet_call(first: int) -> tuple:
        return pdf.furniture_sheet(r, first), heads, {}, cfg.identifier, *opts

    calls = [(pdf.chapter_document(r, rc, glue), setup, {n: images[n] for n in rc.images if n in images},
              cfg.identifier, *opts) for rc in pdf.body_units(r)]
    keys = [store.key("pdf-chapter", c) for c in calls]
    chapters = [store.get("pdf-chapter", k) for k in keys]
    guess = 6 + sum(len(rc.xhtml) // CHARS_PER_PAGE + 1 for rc in pdf.body_units(r))
    sheets: dict[int, tuple[bytes, int] | None] = {}
    for first in range(1, guess + 1, pdf.SHEET_PAGES):
        sheets[first] = store.get("pdf-sheet", store.key("pdf-sheet", sheet_call(first)))
    todo = sorted((i for i, c in enumerate(chapters) if c is None), key=lambda i: -len(calls[i][0]))
    last = store.get_json("pdf-pages", cfg.identifier, {"front": int, "chapters": [int]})  # the page counts of this book's last build
    when = build_time()  # one creation time for every layout of the front matter

    def front_call(starts: list[int]) -> tuple:
        return (pdf.front_document(r, starts, when), [pdf.page_css(r), pdf.PART_CSS["front"], *extra], images,
                cfg.identifier, *opts)

    runner = _Runner(jobs, len(todo) + sum(v is None for v in sheets.values()) + 1)
    try:
        # the longest chapters first, the sheets last: the pool stays busy to the end
        pending = [(i, runner.submit(calls[i])) for i in todo]
        # The front matter (the contents' numbers) waits for every chapter's page count.
        # Laid out at once on a guess, beside the chapters, it tells its own length (which
        # does not depend on the numbers), and after an edit, when the edited chapters
        # most often keep their length (the guess: the last build's counts), it is the one.
        early, front_pages = None, last["front"] if last else 5  # early: (its document, its layout)
        if runner.pool is not None and todo:
            known = last and len(last["chapters"]) == len(chapters)
            guessed = [c[1] if c else (last["chapters"][i] if known else len(calls[i][0]) // CHARS_PER_PAGE + 1)
                       for i, c in enumerate(chapters)]
            call = front_call(first_pages(front_pages, guessed))
            early = call[0], runner.submit(call)
        sheet_jobs = {f: runner.submit(sheet_call(f)) for f, v in sheets.items() if v is None}
        for done, (i, fut) in enumerate(pending, 1):
            chapters[i] = store.put("pdf-chapter", keys[i], fut.get())
            if step:
                step(done, len(pending))
        chapter_pages = [c[1] for c in chapters]
        if early:
            front_pages = early[1].get()[1]
        for _ in range(3):
            starts = first_pages(front_pages, chapter_pages)
            total = starts[-1] + chapter_pages[-1] - 1 if starts else front_pages
            for first in range(1, total + 1, pdf.SHEET_PAGES):
                if first not in sheets:
                    sheets[first] = store.get("pdf-sheet", store.key("pdf-sheet", sheet_call(first)))
                    if sheets[first] is None:
                        sheet_jobs[first] = runner.submit(sheet_call(first))
            call = front_call(starts)
            key = store.key("pdf-front", call)
            front = store.get("pdf-front", key)
            if front is None:
                layout = early[1] if early and early[0] == call[0] else runner.submit(call)
                front = store.put("pdf-front", key, layout.get())
            if first_pages(front[1], chapter_pages) == starts:
                front_pages = front[1]
                break
            front_pages = front[1]
        else:  # pragma: no cover - the front matter's length does not depend on its numbers
            raise RuntimeError("the front matter's page count did not settle")
        for first, fut in sheet_jobs.items():
            sheets[first] = store.put("pdf-sheet", store.key("pdf-sheet", sheet_call(first)), fut.get())
        store.put_json("pdf-pages", cfg.identifier, {"front": front_pages, "chapters": chapter_pages})
    finally:
        runner.close()
        release_fonts()  # this process's own, from the layouts made here (-j 1)
    return Parts(front[0], [c[0] for c in chapters], {f: s[0] for f, s in sheets.items() if s},
                 front_pages, chapter_pages, [pdf.bare(r, u) for u in pdf.body_units(r)],
                 [pdf.nested(r, u) for u in pdf.body_units(r)])
