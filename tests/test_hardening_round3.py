"""Issue 13, round three: what the second hardening left open (an SVG the PDF cannot draw,
HTML nested past the parser's limit, Unicode line separators, a cover title no face can
draw, a trim too small for the text block, a SIGKILLed build's temporary files), and a
bounded Hypothesis pass over manuscripts, book.yaml values and the importers."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from onephone_build.build import build
from onephone_build.errors import BookError

from .conftest import run_cli, write_manuscript

CHAPTERS = {"chapters/01.md": "# One\n\nThe first words.\n", "chapters/02.md": "# Two\n\nThe second words.\n"}


def _fails_cleanly(proc, *words: str) -> None:
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert len([line for line in proc.stderr.splitlines() if line.startswith("error:")]) == 1, proc.stderr
    for w in words:
        assert w in proc.stderr, proc.stderr


# -- item 2: HTML nested past the parser's limit ---------------------------------------------

def _ao3_html(middle: str) -> str:
    def chapter(n: int, body: str = "") -> str:
        return (f'<div class="meta group"><h2 class="toc-heading">Chapter {n}: C{n}</h2></div>'
                f'<div class="userstuff"><p>Text of chapter {n}.</p>{body}</div>\n')
    return ('<!DOCTYPE html><html><head><meta charset="UTF-8"/><title>T - F [Archive of Our Own]</title></head>'
            '<body><div id="preface"><div class="meta"><h1>Title</h1><div class="byline">by '
            '<a rel="author" href="x">me</a></div></div></div>\n'
            f'<div id="chapters" class="userstuff">{chapter(1)}{chapter(2, middle)}{chapter(3)}</div></body></html>')


@pytest.mark.parametrize("tag, depth", [("div", 100_000), ("em", 300), ("blockquote", 256)])
def test_html_nested_past_the_parsers_limit_is_refused_not_cut(tmp_path, tag, depth):
    src = tmp_path / "deep.html"
    src.write_text(_ao3_html(f"<{tag}>" * depth + "deep" + f"</{tag}>" * depth))
    proc = run_cli("import", str(src), "-o", str(tmp_path / "ms"))
    _fails_cleanly(proc, "deep.html:", f"nested more than 255 deep")
    assert not (tmp_path / "ms").exists()


def test_html_nested_within_the_limit_imports_every_chapter(tmp_path):
    src = tmp_path / "deep.html"
    src.write_text(_ao3_html("<div>" * 240 + "<em>" * 10 + "deep" + "</em>" * 10 + "</div>" * 240))
    proc = run_cli("import", str(src), "-o", str(tmp_path / "ms"))
    assert proc.returncode == 0, proc.stderr
    text = "".join(p.read_text() for p in sorted((tmp_path / "ms" / "chapters").glob("*.md")))
    assert "3 chapters" in proc.stdout + proc.stderr and "deep" in text and "Text of chapter 3." in text


def test_a_text_of_more_than_10_mb_in_one_piece_is_refused(tmp_path):
    src = tmp_path / "big.html"
    src.write_text(_ao3_html("<p>" + "word " * 2_200_000 + "</p>"))
    _fails_cleanly(run_cli("import", str(src), "-o", str(tmp_path / "ms")), "big.html:", "10 MB")


def test_an_epub_chapter_nested_too_deep_is_refused_naming_the_chapter(tmp_path):
    from .sources import epub_book

    made = epub_book(tmp_path / "made.epub", "Deep", "Ada Pen", [
        ("c1.xhtml", "One", "<h2>One</h2><p>First.</p>"), ("c2.xhtml", "Two", "<h2>Two</h2><p>HERE</p>"),
        ("c3.xhtml", "Three", "<h2>Three</h2><p>Third.</p>")])
    src = tmp_path / "in.epub"  # ebooklib itself cuts a deep chapter: put it in afterwards
    with zipfile.ZipFile(made) as zin, zipfile.ZipFile(src, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("c2.xhtml"):
                data = data.replace(b"<p>HERE</p>", b"<div>" * 300 + b"<p>deep</p>" + b"</div>" * 300)
            zout.writestr(info, data)
    _fails_cleanly(run_cli("import", str(src), "-o", str(tmp_path / "ms")), "in.epub:", "c2.xhtml, line",
                   "nested more than 255 deep")


# -- item 6: what a SIGKILLed build leaves, the next build removes ----------------------------

def _dead_pid() -> int:
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_the_next_build_removes_the_temporaries_of_a_dead_build_and_only_those(tmp_path):
    import subprocess

    ms = write_manuscript(tmp_path / "ms", CHAPTERS)
    out = tmp_path / "out"
    build(ms, out, ("epub",))
    dead = _dead_pid()
    stale = [out / f".test-book.epub.{dead}-abcd1234.tmp", out / ".cache" / "chapter" / f".x.json.{dead}-q1w2e3r4.tmp"]
    stale_dir = out / f".html.{dead}-zzzz9999.tmp"
    for p in stale:
        p.write_bytes(b"half a file")
    (stale_dir / "sub").mkdir(parents=True)
    (stale_dir / "sub" / "index.html").write_text("half")
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        live = out / f".test-book.pdf.{sleeper.pid}-abcd1234.tmp"  # a live process is writing it
        live.write_bytes(b"being written")
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / f".a.{dead}-abcd1234.tmp").write_text("not ours")
        (out / "link").symlink_to(elsewhere, target_is_directory=True)
        mine = [out / ".notes.tmp", out / "draft.pdf.tmp", out / f".x.{dead}.tmp"]  # not our pattern
        for p in mine:
            p.write_text("the author's")
        build(ms, out, ("epub",))  # up to date: the clean-up runs all the same
        assert not any(p.exists() for p in [*stale, stale_dir])
        assert live.exists() and all(p.exists() for p in mine)
        assert (elsewhere / f".a.{dead}-abcd1234.tmp").exists()  # a link is not followed
    finally:
        sleeper.kill()
        sleeper.wait()


def test_temporaries_carry_the_writers_process_id_and_never_an_output_name(tmp_path):
    from onephone_build.output import atomic_dir, atomic_file

    with atomic_file(tmp_path / "book.pdf") as tmp:
        assert tmp.name.startswith(f".book.pdf.{os.getpid()}-") and tmp.suffix == ".tmp"
    (tmp_path / "html").mkdir()
    with atomic_dir(tmp_path / "html") as tmp:
        assert tmp.name.startswith(f".html.{os.getpid()}-") and tmp.suffix == ".tmp"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf", "html"]


# -- item 5: the smallest trim holds the margins and the smallest text block -------------------

@pytest.mark.parametrize("trim", ["2in x 2in", "3.5in x 5in", "3.99in x 6in", "4in x 5.99in", "100mm x 152.4mm"])
def test_a_trim_too_small_for_the_text_block_is_one_line(tmp_path, trim):
    ms = write_manuscript(tmp_path / "ms", CHAPTERS, trim=trim)
    proc = run_cli("pdf", "-m", str(ms), "-o", str(tmp_path / "out"))
    _fails_cleanly(proc, "book.yaml:4:", "too small for the text", "the smallest trim is 4in x 6in")


def test_the_smallest_trim_puts_every_glyph_on_the_page(tmp_path):
    import pdfplumber

    para = "Words said over and over, with a long one, extraordinarily, among them. " * 8
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "# A Chapter Title That Is Long\n\n" + (para + "\n\n") * 6},
                          trim="101.6mm x 152.4mm", description="What the book is.", rights="All rights reserved.")
    result = build(ms, tmp_path / "out", ("pdf",), jobs=1, use_cache=False)
    with pdfplumber.open(result.outputs["pdf"]) as pdf:
        for page in pdf.pages:
            off = [c["text"] for c in page.chars if c["x0"] < -0.5 or c["top"] < -0.5
                   or c["x1"] > page.width + 0.5 or c["bottom"] > page.height + 0.5]
            assert not off, (page.page_number, "".join(off))


def test_the_trim_minimum_follows_print_css():
    import re

    from onephone_build.config.print_profiles import HOUSE_INSIDE_IN, HOUSE_MARGINS_IN, MIN_BLOCK_HEIGHT_IN
    from onephone_build.editions.assets import stylesheet

    css = stylesheet("print.css").read_text()
    top, outside, bottom, inside = (float(v) for v in re.search(
        r"@page \{\s*margin: ([\d.]+)in ([\d.]+)in ([\d.]+)in ([\d.]+)in", css).groups())
    assert (top, outside, bottom, inside) == (HOUSE_MARGINS_IN["top"], HOUSE_MARGINS_IN["outside"],
                                              HOUSE_MARGINS_IN["bottom"], HOUSE_INSIDE_IN)
    paddings = [float(v) for v in re.findall(r"padding-top: ([\d.]+)in", css)]
    assert max(paddings) == MIN_BLOCK_HEIGHT_IN  # the tallest space print.css does not break


# -- item 1: an SVG the print layout cannot draw ---------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" {root}><rect width="5" height="5"{rect}/>{more}</svg>'
UNDRAWABLE = {  # each passes the SVG cleaner; WeasyPrint logs the failure (or raises) and moves on
    "render": SVG.format(root='width="10" height="10"', rect=' transform="rotate(x)"', more=""),
    "load": SVG.format(root='width="10" height="10"', rect="", more='<image href="#x" width="5" height="5"/>'),
    "raise": SVG.format(root='width="10em" height="1e308em"', rect="", more=""),
}


def _svg_book(tmp_path, svg: str) -> Path:
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "# One\n\nFirst words.\n",
                                            "chapters/02.md": "# Two\n\nWords.\n\n![A cat, drawn](pics/cat.svg)\n"})
    (ms / "chapters/pics").mkdir()
    (ms / "chapters/pics/cat.svg").write_text(svg)
    return ms


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("case", list(UNDRAWABLE))
def test_an_svg_the_pdf_cannot_draw_is_an_error_naming_it_and_the_chapter_line(tmp_path, case, jobs):
    ms = _svg_book(tmp_path, UNDRAWABLE[case])
    with pytest.raises(BookError) as e:
        build(ms, tmp_path / "out", ("pdf",), jobs=jobs, use_cache=False)
    assert e.value.path.name == "02.md" and (e.value.line, e.value.col) == (5, 17)
    assert "cat.svg' cannot be drawn in print" in e.value.message
    build(ms, tmp_path / "out", ("epub",))  # the EPUB, which ships the SVG itself, still builds


def test_an_svg_the_pdf_cannot_draw_is_one_line_from_the_cli(tmp_path):
    ms = _svg_book(tmp_path, UNDRAWABLE["raise"])
    _fails_cleanly(run_cli("pdf", "-m", str(ms), "-o", str(tmp_path / "out")), "02.md:5:17:", "cat.svg")


def test_a_drawable_svg_still_prints(tmp_path):
    ms = _svg_book(tmp_path, SVG.format(root='width="10" height="10" viewBox="0 0 10 10"', rect="", more=""))
    result = build(ms, tmp_path / "out", ("pdf",), jobs=2, use_cache=False)
    assert result.outputs["pdf"].read_bytes().startswith(b"%PDF")


# -- item 4: the generated cover draws every script and emoji the title has ------------------

@pytest.mark.parametrize("one, other", [("僕のヒーロー", "東京の夜明け"), ("Heroes \U0001F9B8", "Heroes \U0001F600"),
                                        ("שלום", "עולם"), ("كتاب", "سلام")])
def test_the_cover_draws_a_title_in_other_scripts_not_boxes(one, other):
    """Drawn as boxes (.notdef), two titles of as many characters missing from the book face
    give the same image; drawn with faces that have them, different ones."""
    import io

    from PIL import Image

    from onephone_build.editions.cover import make_cover

    a, b = make_cover(one, "An Author"), make_cover(other, "An Author")
    assert a != b
    ink = Image.open(io.BytesIO(a)).crop((104 + 10, 700, 1600 - 114, 1100)).getbbox()
    assert ink is not None  # the title is drawn where the title goes


def test_a_cover_character_no_face_has_is_one_line(tmp_path):
    ms = write_manuscript(tmp_path / "ms", CHAPTERS, title='"Linear \U00010000 B"')
    _fails_cleanly(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")), "U+10000", "cover")
    (ms / "cover.png").write_bytes(_png(1600, 2560))
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text() + "cover: cover.png\n")
    assert run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")).returncode == 0  # a cover image: no face needed


def _png(w: int, h: int) -> bytes:
    import io

    from PIL import Image

    b = io.BytesIO()
    Image.new("RGB", (w, h), "white").save(b, "PNG")
    return b.getvalue()
