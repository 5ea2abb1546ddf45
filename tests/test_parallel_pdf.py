"""The print edition laid out in parts (chapters in parallel processes, furniture sheets,
front matter) and joined is the same book as one straight WeasyPrint pass."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest

from onephone_build.pipeline import render
from onephone_build.editions.print import writer as pdf

from .conftest import MANUSCRIPT, pdf_page_parts, write_manuscript

SCENE = ("“I- I should have been there,” he said. “K-Kacchan? Are you… are you there?”\n\n"
         "She waited. The train did *not* come, and the platform emptied, slowly, one by one. ")


def _chapter(n: int, paragraphs: int) -> str:
    body = "\n\n".join(SCENE * (1 + (i % 3)) for i in range(paragraphs))
    return f"# Chapter {n}\n\n{body}\n\n* * *\n\n{body}\n"


def _pages(data: bytes) -> list[tuple[str, str, str]]:
    return pdf_page_parts(io.BytesIO(data))




def _outline(data: bytes) -> list[tuple[int, str, int]]:
    doc = pdfium.PdfDocument(data)
    return [(item.level, item.get_title(), item.get_dest().get_index()) for item in doc.get_toc()]


def _named_dests(data: bytes) -> dict[str, int]:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as doc:
        index = {p.obj.objgen: i for i, p in enumerate(doc.pages)}
        tree = pikepdf.NameTree(doc.Root.Names.Dests)
        return {str(k): index[v[0].objgen] for k, v in tree.items()}


def _link_targets(data: bytes) -> list[tuple[int, str]]:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as doc:
        return [(i, str(a.Dest)) for i, p in enumerate(doc.pages) for a in p.obj.get("/Annots", [])
                if a.get("/Subtype") == "/Link" and "/Dest" in a]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """Six chapters of uneven length (odd and even page counts, so blank versos)."""
    root = tmp_path_factory.mktemp("parallel")
    chapters = {f"chapters/{n:02d}.md": _chapter(n, 4 + 7 * (n % 3)) for n in range(1, 7)}
    ms = write_manuscript(root / "ms", chapters)
    r = render(ms)
    return r, pdf.build_pdf_single(r), pdf.build_pdf(r, jobs=2)


def test_same_pages_heads_folios_and_text(book):
    _, single, parallel = book
    a, b = _pages(single), _pages(parallel)
    assert len(a) == len(b) > 20
    assert any(not text.strip() for _, _, text in a), "the book should have a blank verso"
    for i, (x, y) in enumerate(zip(a, b), 1):
        assert x == y, f"page {i} differs"


def test_same_outline_contents_numbers_and_links(book):
    _, single, parallel = book
    assert _outline(parallel) == _outline(single)
    contents = lambda d: next(t for _, _, t in _pages(d) if t.startswith("Contents"))  # noqa: E731
    assert contents(parallel) == contents(single)
    # every link (contents -> chapter) lands on the same page
    dests_a, dests_b = _named_dests(single), _named_dests(parallel)
    links_a, links_b = _link_targets(single), _link_targets(parallel)
    assert links_a and [(p, dests_a[n]) for p, n in links_a] == [(p, dests_b[n]) for p, n in links_b]


def test_fonts_embedded_and_page_size_kept(book, tmp_path):
    from onephone_build.check import check_pdf

    r, _, parallel = book
    path = tmp_path / "book.pdf"
    path.write_bytes(parallel)
    w, h = (float(v[:-2]) * 72 for v in r.config.trim)
    assert check_pdf(path, (w, h)) == []


def _faces(data: bytes) -> dict[str, list[tuple[str, int]]]:
    """Per face (font name without its subset tag): every font dictionary and embedded font
    file of that face in the PDF, as (kind, object number)."""
    import pikepdf

    out: dict[str, list[tuple[str, int]]] = {}
    with pikepdf.open(io.BytesIO(data)) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                face = str(obj.FontName).split("+")[-1]
                out.setdefault(face, []).append(("descriptor", obj.objgen[0]))
                out[face] += [("file", obj[k].objgen[0]) for k in ("/FontFile", "/FontFile2", "/FontFile3")
                              if k in obj]
            elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0":
                out.setdefault(str(obj.BaseFont).split("+")[-1], []).append(("font", obj.objgen[0]))
    return out


def test_each_face_embedded_once(book):
    """Every part embeds its own subset of each face; the joined book carries one font,
    one descriptor and one file per face, and no more font bytes than the single pass."""
    _, single, parallel = book
    faces = _faces(parallel)
    assert set(faces) == set(_faces(single)) >= {"EB-Garamond", "EB-Garamond-Italic"}
    for face, objects in faces.items():
        assert sorted(kind for kind, _ in objects) == ["descriptor", "file", "font"], face
    import pikepdf

    def font_bytes(data):
        with pikepdf.open(io.BytesIO(data)) as doc:
            return sum(len(o[k].read_raw_bytes()) for o in doc.objects
                       if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"
                       for k in ("/FontFile2", "/FontFile3") if k in o)
    assert font_bytes(parallel) <= 1.1 * font_bytes(single)


def test_pages_look_the_same_as_the_single_pass(book):
    """The merged fonts draw every glyph as the parts' own subsets did: the pages render to
    the same pixels as the single pass's."""
    _, single, parallel = book
    a, b = pdfium.PdfDocument(single), pdfium.PdfDocument(parallel)
    assert len(a) == len(b)
    for i in range(len(a)):
        x, y = (doc[i].render(scale=1).to_pil().convert("L") for doc in (a, b))
        assert x.tobytes() == y.tobytes(), f"page {i + 1} renders differently"


def test_one_process_gives_the_same_book(book):
    r, _, parallel = book
    assert _pages(pdf.build_pdf(r, jobs=1)) == _pages(parallel)


def test_the_real_book_too():
    r = render(MANUSCRIPT)
    assert _pages(pdf.build_pdf(r, jobs=2)) == _pages(pdf.build_pdf_single(r))


def test_workers_replaced_after_each_layout_give_the_same_book(book, monkeypatch):
    """Workers are recycled (WeasyPrint's native memory grows with every layout); a fresh
    worker must lay out as the first one did."""
    from onephone_build.editions.print import parts as pdfparts

    r, _, parallel = book
    started, init = [], pdfparts._Worker.__init__

    def counting(self, scratch):
        init(self, scratch)
        started.append(self.process.pid)

    monkeypatch.setattr(pdfparts, "TASKS_PER_WORKER", 1)
    monkeypatch.setattr(pdfparts._Worker, "__init__", counting)
    assert _pages(pdf.build_pdf(r, jobs=2)) == _pages(parallel)
    assert len(set(started)) >= len(r.chapters) + 1  # a new process for every layout (chapters, front, sheets)


def test_a_worker_that_dies_is_an_error_not_a_hang(book, monkeypatch):
    import os

    from onephone_build.editions.print import parts as pdfparts

    r, _, _ = book
    monkeypatch.setattr(pdfparts, "_task", lambda *a, **k: os._exit(3))
    with pytest.raises(RuntimeError, match="a layout worker stopped \\(exit code 3\\)"):
        pdf.build_pdf(r, jobs=2)


def _layout_events(monkeypatch) -> list[str]:
    """What the build hands the layout pool and takes back, in order: "front" when a
    front-matter document is submitted, "chapter done" when a chapter's layout is taken."""
    from onephone_build.editions.print import parts as pdfparts

    events, submit = [], pdfparts._Runner.submit

    def recording(self, call, **kw):
        result = submit(self, call, **kw)
        if '<nav class="contents"' in call[0]:
            events.append("front")
        elif '<section class="chapter"' in call[0]:
            get = result.get

            def taken():
                value = get()
                events.append("chapter done")
                return value

            result.get = taken
        return result

    monkeypatch.setattr(pdfparts._Runner, "submit", recording)
    return events


@pytest.mark.parametrize("added, same_length", [
    ("\n\nA short line more.\n", True),
    ("\n\n" + SCENE * 40 + "\n", False),
])
def test_after_an_edit_the_front_matter_is_laid_out_early_on_a_guess(tmp_path, monkeypatch, added,
                                                                     same_length):
    """The last build's page counts are the guess, and the front matter is laid out beside
    the edited chapter: right, that layout is the one used; wrong, the front matter is laid
    out again once the chapter is done. The book is the same either way."""
    from onephone_build.build import build

    chapters = {f"chapters/{n:02d}.md": _chapter(n, 3 + 4 * (n % 2)) for n in range(1, 5)}
    ms = write_manuscript(tmp_path / "ms", chapters)
    out = tmp_path / "out"
    build(ms, out, ("pdf",), jobs=2)
    path = ms / "chapters/02.md"
    path.write_text(path.read_text() + added)
    events = _layout_events(monkeypatch)
    built = build(ms, out, ("pdf",), jobs=2).outputs["pdf"].read_bytes()
    assert events == (["front", "chapter done"] if same_length else ["front", "chapter done", "front"])
    monkeypatch.undo()
    assert _pages(built) == _pages(pdf.build_pdf_single(render(ms)))


STOP_AT_ONCE = """
import signal
from onephone_build.editions.print import parts
signal.signal(signal.SIGTERM, lambda *a: None)  # a Python handler, as the command line has one
parts._task = lambda *a, **k: (b"%PDF", 1)
for _ in range(60):
    runner = parts._Runner(2, 5)
    runner.submit(("<p>x</p>",))
    runner.close()  # at once: a worker may not have reached its own signal settings yet
print("stopped")
"""


def test_workers_stopped_as_soon_as_they_start_never_hang():
    """A SIGTERM that reached a fresh worker before it set SIGTERM to its default action was
    lost (the parent's Python handler took it), and close() waited for that worker forever:
    a build stalled after an error in its first layout."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", STOP_AT_ONCE], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "stopped", proc.stderr
