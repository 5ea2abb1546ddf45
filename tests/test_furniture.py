"""The furniture sheets (editions/print/furniture.py): a page's running head and folio made
from a six-page sheet look exactly as print.css's margin boxes set them on a page of their own,
for every page number of a sheet, under every print profile and a box set's heads."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest

from onephone_build.config.book import trim_inches
from onephone_build.config.print_profiles import PROFILES
from onephone_build.editions.print import document, furniture, profile as pod
from onephone_build.editions.print.layout import render_pdf
from onephone_build.pipeline import render

from .conftest import write_manuscript

FIRST = 65  # the second sheet: folios of two and three digits (65 .. 128)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    ms = write_manuscript(tmp_path_factory.mktemp("furniture") / "ms", {"chapters/01.md": "# One\n\nText.\n"},
                          title="Furniture, “Quoted” — Ünïcode", author="Zoë Ábel-Ñúñez")
    return render(ms)


def _margin_box_pages(r, css: list[str], first: int) -> pikepdf.Pdf:
    """What the margin boxes set: one empty body page per number, ``first`` onwards (the
    definition the sheets must meet), after two opening pages without furniture."""
    pages = '<div class="pg"></div>' * (furniture.SHEET_PAGES + 2)
    counter = f"<style>@page :first {{ counter-set: page {first - 2}; }}</style>"
    html = document._html(r.config, f'{counter}<div class="body"><section class="chapter">{pages}</section></div>')
    data, _ = render_pdf(html, css, {}, r.config.identifier)
    return pikepdf.open(io.BytesIO(data))


def _sheet_forms(r, css: list[str], first: int) -> pikepdf.Pdf:
    """Each number's furniture from the sheet, laid over a blank page of the same boxes."""
    data, pages = render_pdf(document.furniture_sheet(r, first), css, {}, r.config.identifier)
    assert pages == 6
    sheet = furniture.Sheet(data, first)
    out = pikepdf.new()
    for n in range(first, first + furniture.SHEET_PAGES):
        src = sheet.pdf.pages[2 + (n + 1) % 2]  # the sheet's page of this side: its boxes
        out.add_blank_page()
        page = out.pages[-1]
        page.mediabox = pikepdf.Array(list(src.mediabox))  # with bleed, its origin is not (0, 0)
        page.trimbox = pikepdf.Array(list(src.trimbox))
        page.add_overlay(out.copy_foreign(sheet.form(n)), pikepdf.Rectangle(page.trimbox))  # as join.py does
    buf = io.BytesIO()
    out.save(buf)
    sheet.close()
    return pikepdf.open(buf)


def _pixels(doc: pikepdf.Pdf, i: int) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    page = pdfium.PdfDocument(buf.getvalue())[i]
    return page.render(scale=2).to_pil().convert("L").tobytes(), page.get_textpage().get_text_range()


def _same(r, css: list[str], first: int = FIRST) -> None:
    want, got = _margin_box_pages(r, css, first), _sheet_forms(r, css, first)
    assert len(got.pages) == furniture.SHEET_PAGES
    for i in range(furniture.SHEET_PAGES):
        expected, made = _pixels(want, i + 2), _pixels(got, i)
        assert str(first + i) in expected[1]  # the reference page carries its folio
        assert made == expected, f"page {first + i}: the sheet's furniture differs from the margin boxes'"


def _css(r, *extra: str) -> list[str]:
    return [document.page_css(r), document.PART_CSS["sheet"], *extra]


def test_every_number_of_a_sheet_as_the_margin_boxes_set_it(book):
    _same(book, _css(book))


def test_the_first_sheet_too(book):
    _same(book, _css(book), first=1)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_print_profile(book, name):
    """Bleed (the page wider on its outside edge), CMYK black, a service's margins."""
    profile = PROFILES[name]
    css = pod.page_css(profile, 300, True, trim_inches(book.config.trim)[1])
    _same(book, _css(book, css))


def test_a_volume_s_running_head(book):
    from onephone_build.editions.print import boxset

    _same(book, _css(book, boxset.sheet_css("The Second Volume: Ærø")))


def test_a_strip_set_unlike_the_margin_boxes_is_refused(book):
    """If print.css changes the folio's type and the strips do not follow, the build fails
    (it does not print folios unlike the single pass's)."""
    css = _css(book, "@page chapter:right { @bottom-right { font-size: 11pt; } }\n")
    data, _ = render_pdf(document.furniture_sheet(book, FIRST), css, {}, book.config.identifier)
    with pytest.raises(furniture.FurnitureMismatch, match="folio is not the strip's"):
        furniture.Sheet(data, FIRST)


@pytest.mark.parametrize("number, first", [(1, 1), (2, 1), (64, 1), (65, 65), (128, 65), (129, 129)])
def test_sheet_first(number, first):
    assert furniture.sheet_first(number) == first
