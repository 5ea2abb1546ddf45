"""No line breaks inside a stammer or name-honorific, none before an em dash or an ellipsis,
and no hyphenation inside a stammered word: proved by laying out the built EPUB's own
XHTML and CSS with WeasyPrint at narrow widths and reading the lines back."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from onephone_build.editions.assets import font_file
from onephone_build.editions.print.layout import BOOK_ROOT

WIDTHS_IN = (1.9, 2.4, 3.1, 4.2)
FACES = {
    "reader default serif (DejaVu Serif)": "",
    "EB Garamond": "@font-face {{ font-family: G; src: url('{r}'); }} "
                   "@font-face {{ font-family: G; font-style: italic; src: url('{i}'); }} "
                   "html {{ font-family: G; }}",
}
XHTML_NS = {"x": "http://www.w3.org/1999/xhtml"}
# an opening quote, or a dash or ellipsis after the line start, a space or an opening quote
OPENING_AT_END = re.compile("[\u201c\u2018]$|(?:^|[\\s\u201c\u2018(\\[])[\u2014\u2013\u2026]$")
HARD = Path(__file__).parent / "fixtures" / "hard-breaks"


@pytest.fixture(scope="module")
def epub_parts(book_build):
    z = zipfile.ZipFile(book_build.outputs["epub"])
    chapters = sorted(n for n in z.namelist() if re.match(r"EPUB/chapter-\d+\.xhtml$", n))
    return {n: z.read(n).decode() for n in chapters}, z.read("EPUB/styles/epub.css").decode()


def glued_units(xhtml: str) -> set[str]:
    """The texts the EPUB marks as unbreakable."""
    doc = etree.fromstring(xhtml.encode())
    return {"".join(s.itertext()) for s in doc.xpath("//x:span[@class='nw']", namespaces=XHTML_NS)}


def layout_lines(xhtml: str, css: str, width_in: float, face_css: str) -> list[str]:
    fonts = FontConfiguration()
    page = f"@page {{ size: {width_in}in 40in; margin: 0.1in; }} h1 {{ break-before: auto; }}"
    doc = HTML(string=xhtml.replace('href="styles/epub.css"', "")).render(stylesheets=[CSS(string=css, font_config=fonts),
                                                 CSS(string=page + face_css, font_config=fonts)],
                                    font_config=fonts)
    lines = []
    with pdfplumber.open(io.BytesIO(doc.write_pdf())) as pdf:
        for p in pdf.pages:
            lines += [ln.strip() for ln in (p.extract_text() or "").splitlines() if ln.strip()]
    return lines


def crosses(joined: str, unit: str, cut: int) -> bool:
    """Does an occurrence of ``unit`` in ``joined`` straddle the line break at ``cut``?"""
    at = joined.find(unit)
    while at >= 0:
        if at < cut < at + len(unit):
            return True
        at = joined.find(unit, at + 1)
    return False


def violations(lines: list[str], units: set[str]) -> list[str]:
    bad = []
    for a, b in zip(lines, lines[1:]):
        if b[0] in "\u2014\u2013\u2026":
            bad.append(f"line starts with a dash or ellipsis: {a[-20:]!r} / {b[:20]!r}")
        if OPENING_AT_END.search(a):
            bad.append(f"line ends with an opening quote or dash: {a[-20:]!r} / {b[:20]!r}")
        last, first = a.split()[-1], b.split()[0]
        if last.endswith(("-", "\u2010")):  # a hyphen, or a hyphenation WeasyPrint inserted
            for joined, cut in ((last + first, len(last)), (last[:-1] + first, len(last) - 1)):
                if any(crosses(joined, u, cut) for u in units):
                    bad.append(f"break inside a glued unit: {last!r} / {first!r}")
                    break
    return bad


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("width", WIDTHS_IN)
def test_no_forbidden_breaks_at_narrow_widths(epub_parts, width, face):
    chapters, css = epub_parts
    face_css = FACES[face].format(r=font_file("regular").as_uri(), i=font_file("italic").as_uri())
    checked = 0
    for name, xhtml in chapters.items():
        units = glued_units(xhtml)
        lines = layout_lines(xhtml, css, width, face_css)
        assert len(lines) > 50
        assert violations(lines, units) == [], (name, width)
        checked += len(units)
    assert checked > 50  # the book has many stammers, honorifics and dash/ellipsis glues


def test_the_check_catches_breaks_when_glue_is_removed(epub_parts):
    """Control: the same layout without the nowrap rule does break inside stammers."""
    chapters, css = epub_parts
    unglued = css.replace("white-space: nowrap", "white-space: normal")
    found = []
    for width in WIDTHS_IN:
        for xhtml in chapters.values():
            found += violations(layout_lines(xhtml, unglued, width, ""), glued_units(xhtml))
    assert found, "layout without glue should break somewhere; the check would be blind"


def test_every_character_has_a_glyph_in_the_fonts_that_render_it(epub_parts):
    chapters, _ = epub_parts
    shown = set()
    for xhtml in chapters.values():
        shown |= set("".join(etree.fromstring(xhtml.encode()).itertext()))
    shown -= set(" \n\t")
    faces = [font_file("regular"), font_file("italic"), "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"]
    for face in faces:
        cmap = TTFont(face, lazy=True).getBestCmap()
        missing = sorted(c for c in shown if ord(c) not in cmap)
        assert missing == [], (str(face), missing)
    # the marks the model uses internally never reach a reader
    assert not shown & {"\u2011", "\u2060", "\ufeff"}


# -- the print edition: its own glue (word joiners where a span only glued a dash) -----

@pytest.fixture(scope="module", params=["book", "hard cases"])
def print_chapters(request):
    from onephone_build.pipeline import render
    from onephone_build.editions.print import document as pdf

    from .conftest import MANUSCRIPT

    r = render(MANUSCRIPT if request.param == "book" else HARD)
    # the units hyphenation must not split either: stammers and honorifics (a word before
    # a dash may hyphenate; no line may start with the dash: violations() checks that)
    return r, [(pdf.chapter_document(r, rc, "joiner"), {u for u in glued_units(
        f'<div xmlns="http://www.w3.org/1999/xhtml">{rc.xhtml}</div>') if "-" in u}) for rc in r.chapters]


def print_lines(r, document: str, width_in: float) -> list[str]:
    from onephone_build.editions.assets import stylesheet
    from onephone_build.editions.print import document as pdf

    fonts = FontConfiguration()
    narrow = f"@page {{ size: {width_in + 1.5}in 40in; }}"
    sheets = [CSS(filename=str(stylesheet("print.css")), font_config=fonts),
              CSS(string=pdf.page_setup_css(r.config) + narrow, font_config=fonts)]
    doc = HTML(string=document, base_url=BOOK_ROOT).render(stylesheets=sheets, font_config=fonts)
    lines = []
    with pdfplumber.open(io.BytesIO(doc.write_pdf())) as out:
        for p in out.pages:
            lines += [ln.replace("\u2060", "").strip() for ln in (p.extract_text() or "").splitlines()]
    return [ln for ln in lines if ln]


@pytest.mark.parametrize("width", WIDTHS_IN[:3])
def test_print_edition_has_no_forbidden_breaks_at_narrow_widths(print_chapters, width):
    r, chapters = print_chapters
    assert sum(doc.count("\u2060") for doc, _ in chapters) > 50 and sum(len(u) for _, u in chapters) > 10
    for document, units in chapters:
        assert violations(print_lines(r, document, width), units) == [], width


def test_print_check_catches_breaks_when_the_word_joiners_are_removed(print_chapters):
    """Control: the print documents without their word joiners do break before dashes."""
    r, chapters = print_chapters
    found = []
    for width in WIDTHS_IN[:3]:
        for document, units in chapters:
            found += violations(print_lines(r, document.replace("\u2060", ""), width), units)
    assert any("starts with a dash or ellipsis" in v for v in found)
