"""Laying out the print edition in parts, in parallel processes, with a per-chapter cache.

Parts: every chapter on its own, without running heads or folios (a chapter opens on a
recto, so its pagination does not depend on where it starts); furniture sheets, each
the running heads and folios of 64 consecutive page numbers (furniture.py) (they depend on nothing but
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
from ...config.book import trim_inches
from ...output import SCRATCH_PREFIX, build_time
from ...render import Rendered
from ..assets import styles_dir, stylesheet
from . import boxset, document as pdf
from .furniture import sheet_first
from .glyphs import check_glyphs
from .layout import release_fonts, render_pdf

CHARS_PER_PAGE = 1900  # of chapter XHTML on a GUESS_TRIM page, a low guess: sheets for the pages guessed are laid out early
GUESS_TRIM = 5.5 * 8.5  # the trim (square inches) CHARS_PER_PAGE was measured on
FRONT_PAGES = 5  # the front matter's pages, guessed before it is ever laid out


def _chars_per_page(r: Rendered) -> int:
    width, height = trim_inches(r.config.trim)
    return max(1, round(CHARS_PER_PAGE * width * height / GUESS_TRIM))


def page_guesses(r: Rendered) -> list[int]:
    """Each chapter's page count, guessed from its length before anything is laid out."""
    per_page = _chars_per_page(r)
    return [len(rc.xhtml) // per_page + 1 for rc in pdf.body_units(r)]


def book_pages_guess(r: Rendered) -> int:
    """The book's page count, guessed low before anything is laid out: the chapters'
    length at a low guess of a page's, their part-filled last pages not counted.
    Measured: 351 for the 389 pages of the 100k bench novel's KDP interior, 383 for Pride
    and Prejudice's 447, 229 for Tom Sawyer's 262, 23 for this book's 25. Low, so that a
    print interior's inside margin, searched up from the band of this count, is the least
    its page count allows (writer.build_interior)."""
    per_page = _chars_per_page(r)
    return FRONT_PAGES + sum(len(rc.xhtml) for rc in pdf.body_units(r)) // per_page


@dataclass
class Parts:
    front: bytes
    chapters: list[bytes]  # one PDF per chapter, in book order
    sheets: dict[tuple[int, int], bytes]  # (running heads, first page number) -> furniture sheet
    front_pages: int
    chapter_pages: list[int]
    chapter_marks: list[list[int]]  # per body part, where each of its pages begins (pagemarks.py)
    bare: list[bool] | None = None  # per body part: no running head or folio on any page (a part's title page)
    nested: list[int] | None = None  # per body part: how deep its bookmarks go under the last volume's or part's
    heads: list[int] | None = None  # per body part: which running heads its pages carry (boxset.heads; 0: the book's)

    def page_starts(self) -> list[list[tuple[int, int]]]:
        """Per body part: (page number, letters of the part before the page) for each page."""
        starts = first_pages(self.front_pages, self.chapter_pages)
        return [[(first + i, offset) for i, offset in enumerate(marks)]
                for first, marks in zip(starts, self.chapter_marks)]


def first_pages(front_pages: int, chapter_pages: list[int]) -> list[int]:
    """Each chapter's first page number: chapters open on a recto (an odd page), after a
    blank verso when the part before ends on a recto."""
    starts, page = [], front_pages + 1
    for n in chapter_pages:
        page += page % 2 == 0  # a verso: leave it blank
        starts.append(page)
        page += n
    return starts


def sheets_needed(front_pages: int, chapter_pages: list[int], heads: list[int], bare: list[bool]) -> set:
    """The furniture sheets (running heads, first page number) the body's pages take: every
    page of a part of the body but its opening one, and none of a bare part's."""
    out = set()
    for start, n, head, no_furniture in zip(first_pages(front_pages, chapter_pages), chapter_pages, heads, bare):
        if not no_furniture:
            out.update((head, sheet_first(number))
                       for number in range(start + 1, start + n))
    return out


def _task(html: str, css: list[str], images: dict[str, Path], identifier: str,
          options: dict | None = None, marks: bool = False) -> tuple:
    """(PDF, pages), and with ``marks`` where each page begins (a chapter's)."""
    extra = {"marks": True} if marks else {}
    # without a print profile's options, the call is the plain one (tests count it)
    return render_pdf(html, css, images, identifier, options, **extra) if options else render_pdf(
        html, css, images, identifier, **extra)


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
    """A result already at hand, with the interface of a layout waited for."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


def _serve(conn, scratch: str, tasks: int) -> None:
    """A worker: lays out what the parent sends, ``tasks`` times at most, then leaves."""
    _start_worker(scratch)
    for _ in range(tasks):
        try:
            call = conn.recv()
        except EOFError:  # the parent is gone, or closed the pipe
            return
        args, kw = call
        try:
            reply = ("ok", _task(*args, **kw))
        except Exception as e:  # handed to the parent, which raises it where it waits
            reply = ("error", e)
        try:
            conn.send(reply)
        except Exception as e:  # an error that does not pickle
            conn.send(("error", RuntimeError(f"{type(e).__name__}: {e}")))


class _Worker:
    def __init__(self, scratch: str):
        ours, theirs = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(theirs, scratch, TASKS_PER_WORKER), daemon=True)
        self.process.start()
        theirs.close()
        self.conn, self.tasks, self.waiting = ours, 0, None


class _Layout:
    """A layout sent to (or waiting for) a worker; ``get()`` waits for its result."""

    def __init__(self, runner: "_Runner", call: tuple, extra: dict):
        self.runner, self.call, self.done, self.value, self.error = runner, (call, extra), False, None, None

    def get(self):
        while not self.done:
            self.runner.step()
        if self.error is not None:
            raise self.error
        return self.value


class _Runner:
    """Runs layout tasks in worker processes, or here when one process is enough.

    Its own small pool, not multiprocessing.Pool: a worker and the parent share nothing
    but a pipe each (no lock across processes), so stopping the workers cannot hang;
    Pool.terminate() did, waiting for a queue lock an idle worker held (and before that,
    for a worker whose SIGTERM handler never ran): CI stalled on it. A worker is forked
    again after ``TASKS_PER_WORKER`` layouts."""

    def __init__(self, jobs: int, tasks: int):
        self.parallel = jobs > 1 and tasks > 1
        self.workers: list[_Worker] = []
        self.queue: list[_Layout] = []
        self.jobs = min(jobs, tasks)
        if self.parallel:
            # fork: a worker starts at once, needs no importable __main__, and inherits
            # WeasyPrint's modules, loaded (not used: no font or Pango state) before the fork
            import weasyprint  # noqa: F401  (also waits for build.py's import in a thread)

            # Frozen while the workers live, this process's objects are left out of the
            # workers' garbage collections (workers are forked again as they are replaced):
            # traversing the book's data in every collection made each layout two to three
            # times slower (and copied its pages).
            gc.collect()
            gc.freeze()
            self.scratch = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")  # output.remove_stale_scratch

    def submit(self, call: tuple, marks: bool = False):
        """An object whose ``get()`` waits for the layout's result (or raises its error)."""
        extra = {"marks": True} if marks else {}
        if not self.parallel:
            return _Done(_task(*call, **extra))
        layout = _Layout(self, call, extra)
        self.queue.append(layout)
        self._dispatch()
        return layout

    def _dispatch(self) -> None:
        """Hand the waiting layouts to idle workers, forking workers up to ``jobs``."""
        while self.queue:
            idle = next((w for w in self.workers if w.waiting is None), None)
            if idle is None:
                if len(self.workers) >= self.jobs:
                    return
                idle = _Worker(self.scratch)
                self.workers.append(idle)
            layout = self.queue.pop(0)
            idle.conn.send(layout.call)
            idle.tasks += 1
            idle.waiting = layout

    def step(self) -> None:
        """Wait for one worker's result (or death) and hand out more work."""
        from multiprocessing.connection import wait

        busy = {w.conn: w for w in self.workers if w.waiting is not None}
        if not busy:
            raise RuntimeError("a layout was waited for that no worker has")
        for conn in wait(list(busy)):
            worker = busy[conn]
            layout, worker.waiting = worker.waiting, None
            try:
                kind, value = conn.recv()
            except (EOFError, OSError):
                worker.process.join()
                kind, value = "error", RuntimeError(
                    f"a layout worker stopped (exit code {worker.process.exitcode})")
            layout.done = True
            if kind == "ok":
                layout.value = value
            else:
                layout.error = value
            if worker.tasks >= TASKS_PER_WORKER or kind != "ok":
                self._retire(worker)
        self._dispatch()

    def _retire(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.conn.close()
        worker.process.join(5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()

    def close(self) -> None:
        """Stop the workers (every result wanted has been taken; a guess not needed is
        dropped) and delete what they left in the temporary folder."""
        if not self.parallel:
            return
        try:
            for worker in self.workers:
                # SIGKILL: a SIGTERM that came before a fresh worker had set it to its default
                # action ran the parent's Python handler's trip in the child, and was lost when
                # the child set the default (a build stalled in join). The worker holds no lock
                # and its temporary files are in the scratch folder, deleted below.
                worker.process.kill()
            for worker in self.workers:
                worker.process.join()
                worker.conn.close()
            self.workers.clear()
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

    def get(self, kind: str, key: str, marks: bool = False) -> tuple | None:
        """A cached part and its page count (and with ``marks`` where its pages begin);
        None when missing or unreadable."""
        if self.cache is None:
            return None
        meta = self.cache.read_json(kind, key, {"pages": int, "sha256": str, **({"marks": [int]} if marks else {})})
        data = self.cache.read_bytes(kind, key, ".pdf")
        if meta is None or data is None or digest(data) != meta.get("sha256"):
            return None
        if marks:
            return (data, int(meta["pages"]), meta["marks"]) if len(meta["marks"]) == meta["pages"] else None
        return data, int(meta["pages"])

    def get_json(self, kind: str, name: str, shape: dict) -> dict | None:
        return self.cache.read_json(kind, self.cache.key(kind, name), shape) if self.cache else None

    def put_json(self, kind: str, name: str, value: dict) -> None:
        if self.cache is not None:
            self.cache.write_json(kind, self.cache.key(kind, name), value)

    def put(self, kind: str, key: str, part: tuple) -> tuple:
        if self.cache is not None:
            self.cache.write_bytes(kind, key, part[0], ".pdf")
            marks = {"marks": part[2]} if len(part) > 2 else {}
            self.cache.write_json(kind, key, {"pages": part[1], "sha256": digest(part[0]), **marks})
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
    volumes = [boxset.layout_css(r)] if r.volumes else []  # a box set's (none for a book of one volume)
    setup = [pdf.page_setup_css(cfg), *volumes, pdf.PART_CSS["chapter"], *extra]
    heads = [pdf.page_css(r), pdf.PART_CSS["sheet"], *extra]
    titles, unit_heads = boxset.head_titles(r), boxset.heads(r)
    units = pdf.body_units(r)
    bare = [pdf.bare(r, u) for u in units]
    opts = (options,) if options else ()

    def sheet_call(sheet: tuple[int, int]) -> tuple:
        head, first = sheet  # a volume's sheets carry its title
        return (pdf.furniture_sheet(r, first), heads + ([boxset.sheet_css(titles[head])] if head else []), {},
                cfg.identifier, *opts)

    def chapter_call(rc, document: str) -> tuple:
        return document, setup, {n: images[n] for n in rc.images if n in images}, cfg.identifier, *opts

    # a chapter's layout is keyed on what its print markup is made of: a cached chapter's
    # markup is not made at all (after an edit, 44 of 45 chapters at 100k words: 0.3 s)
    keys = [store.key("pdf-chapter", chapter_call(rc, pdf.chapter_inputs(r, rc, glue))) for rc in units]
    chapters = [store.get("pdf-chapter", k, marks=True) for k in keys]
    todo = sorted((i for i, c in enumerate(chapters) if c is None), key=lambda i: -len(units[i].xhtml))
    calls = {i: chapter_call(units[i], pdf.chapter_document(r, units[i], glue)) for i in todo}
    # every character the parts to be laid out show has a face, before any is laid out
    check_glyphs(r, pdf.front_matter(r, None, build_time()) + "".join(c[0] for c in calls.values()))
    guess = page_guesses(r)
    sheets: dict[tuple[int, int], tuple[bytes, int] | None] = {}
    for sheet in sorted(sheets_needed(6, guess, unit_heads, bare)):
        sheets[sheet] = store.get("pdf-sheet", store.key("pdf-sheet", sheet_call(sheet)))
    last = store.get_json("pdf-pages", cfg.identifier, {"front": int, "chapters": [int]})  # the page counts of this book's last build
    when = build_time()  # one creation time for every layout of the front matter

    def front_call(starts: list[int]) -> tuple:
        return (pdf.front_document(r, starts, when), [pdf.page_css(r), *volumes, pdf.PART_CSS["front"], *extra], images,
                cfg.identifier, *opts)

    runner = _Runner(jobs, len(todo) + sum(v is None for v in sheets.values()) + 1)
    try:
        # the longest chapters first, the sheets last: the pool stays busy to the end
        pending = [(i, runner.submit(calls[i], marks=True)) for i in todo]
        # The front matter (the contents' numbers) waits for every chapter's page count.
        # Laid out at once on a guess, beside the chapters, it tells its own length (which
        # does not depend on the numbers), and after an edit, when the edited chapters
        # most often keep their length (the guess: the last build's counts), it is the one.
        early, front_pages = None, last["front"] if last else FRONT_PAGES  # early: (its document, its layout)
        if runner.parallel and todo:
            known = last and len(last["chapters"]) == len(chapters)
            guessed = [c[1] if c else (last["chapters"][i] if known else guess[i])
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
            for sheet in sorted(sheets_needed(front_pages, chapter_pages, unit_heads, bare)):
                if sheet not in sheets:
                    sheets[sheet] = store.get("pdf-sheet", store.key("pdf-sheet", sheet_call(sheet)))
                    if sheets[sheet] is None:
                        sheet_jobs[sheet] = runner.submit(sheet_call(sheet))
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
        for sheet, fut in sheet_jobs.items():
            sheets[sheet] = store.put("pdf-sheet", store.key("pdf-sheet", sheet_call(sheet)), fut.get())
        store.put_json("pdf-pages", cfg.identifier, {"front": front_pages, "chapters": chapter_pages})
    finally:
        runner.close()
        release_fonts()  # this process's own, from the layouts made here (-j 1)
    return Parts(front[0], [c[0] for c in chapters], {f: s[0] for f, s in sheets.items() if s},
                 front_pages, chapter_pages, [c[2] for c in chapters], bare, pdf.depths(r), unit_heads)
