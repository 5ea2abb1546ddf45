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
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
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
