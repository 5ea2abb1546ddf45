"""The full-wrap cover read back: its size against KDP's and IngramSpark's spine formula
(the numbers as the services publish them), the barcode area rendered and empty, the
spine text only when the book is thick enough, the front image checked for resolution."""

from __future__ import annotations

from dataclasses import replace

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from onephone_build.build import build
from onephone_build.check.preflight import preflight_cover
from onephone_build.config import load
from onephone_build.config.book import PrintOptions
from onephone_build.config.print_profiles import PROFILES
from onephone_build.editions.print.wrap import build_wrap
from onephone_build.errors import BookError
from onephone_build.pipeline import render

from .conftest import MANUSCRIPT, run_cli

PER_PAGE = {("kdp", "white"): 0.002252, ("kdp", "cream"): 0.0025, ("ingram", "white"): 1 / 444}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("covers")
    return build(MANUSCRIPT, out, ("kdp", "kdp-cover", "ingram", "ingram-cover")).outputs


@pytest.fixture(scope="module")
def rendered():
    return render(MANUSCRIPT)


def _with(rendered, **config):
    """The rendered book under a book.yaml changed as given."""
    book = replace(rendered.book, config=replace(rendered.config, **config))
    return replace(rendered, book=book)


def _pages(path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _size_in(path) -> tuple[float, float]:
    doc = pdfium.PdfDocument(str(path))
    try:
        assert len(doc) == 1
        w, h = doc[0].get_size()
    finally:
        doc.close()
    return w / 72, h / 72


def _barcode_pixels(path, dpi: int = 100) -> set:
    """The colours in KDP's barcode area: 2 x 1.2in, 0.25in from the spine fold and the
    bottom trim edge, at the bottom right of the back cover (trim 5.5in, bleed 0.125in)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        image = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    fold = 0.125 + 5.5
    x0, x1 = fold - 0.25 - 2.0, fold - 0.25
    y1 = image.height / dpi - 0.125 - 0.25  # from the top
    y0 = y1 - 1.2
    return set(c for _, c in image.crop((round(x0 * dpi), round(y0 * dpi), round(x1 * dpi), round(y1 * dpi))).getcolors(maxcolors=1 << 20))


@pytest.mark.parametrize("service", ["kdp", "ingram"])
def test_cover_size_is_two_trims_the_spine_and_the_bleeds(built, service):
    pages = _pages(built[service])
    spine = pages * PER_PAGE[(service, "white")]
    w, h = _size_in(built[f"{service}-cover"])
    assert w == pytest.approx(2 * 5.5 + spine + 2 * 0.125, abs=0.002)
    assert h == pytest.approx(8.5 + 2 * 0.125, abs=0.002)


@pytest.mark.parametrize("service", ["kdp", "ingram"])
def test_barcode_area_is_empty_and_the_cover_passes_its_preflight(built, service):
    cover = built[f"{service}-cover"]
    assert len(_barcode_pixels(cover)) == 1
    rules = preflight_cover(cover, load(MANUSCRIPT), service, _pages(built[service]))
    assert [r for r in rules if not r.ok] == []


def test_the_back_carries_the_description(built):
    import pdfplumber

    with pdfplumber.open(built["kdp-cover"]) as doc:
        page = doc.pages[0]
        back = page.crop((0, 0, (0.125 + 5.5) * 72, page.height)).extract_text()
    assert "derailed train" in back.replace("\n", " ")


def test_something_drawn_in_the_barcode_area_fails(built, tmp_path):
    bad = tmp_path / "bad.pdf"
    with pikepdf.open(built["kdp-cover"]) as pdf:
        # a white square in the middle of the barcode area (PDF origin: bottom left)
        pdf.pages[0].contents_add(pdf.make_stream(b"q\n"), prepend=True)
        pdf.pages[0].contents_add(pdf.make_stream(b"Q q 1 1 1 rg 300 50 30 30 re f Q"))
        pdf.save(bad)
    assert len(_barcode_pixels(bad)) > 1
    failed = {r.name for r in preflight_cover(bad, load(MANUSCRIPT), "kdp", _pages(built["kdp"])) if not r.ok}
    assert "barcode area empty" in failed


def test_a_cover_for_another_page_count_fails_the_size_rule(built):
    failed = {r.name for r in preflight_cover(built["kdp-cover"], load(MANUSCRIPT), "kdp", 300) if not r.ok}
    assert "cover size" in failed


# KDP allows spine text from 79 pages; at 79 the spine (0.178in) leaves 3.8pt between the
# fold margins, too little for 7pt type: text from about 110 pages (0.2465in)
@pytest.mark.parametrize("pages,text", [(78, False), (79, False), (105, False), (115, True), (400, True)])
def test_spine_text_only_from_79_pages_where_7pt_fits_and_clear_of_the_folds(rendered, tmp_path, pages, text):
    import pdfplumber

    kdp = PROFILES["kdp"]
    cover = tmp_path / "cover.pdf"
    cover.write_bytes(build_wrap(rendered, kdp, pages))
    spine = pages * 0.002252
    fold_l, fold_r = (0.125 + 5.5) * 72, (0.125 + 5.5 + spine) * 72
    with pdfplumber.open(cover) as doc:
        chars = [c for c in doc.pages[0].chars if c["x1"] > fold_l and c["x0"] < fold_r]
    assert bool(chars) == text
    for c in chars:
        assert c["x0"] - fold_l >= 0.0625 * 72 - 0.5 and fold_r - c["x1"] >= 0.0625 * 72 - 0.5
    rules = {r.name: r.ok for r in preflight_cover(cover, rendered.config, "kdp", pages)}
    assert rules["spine text"] and rules.get("spine text from the folds", True) and rules["smallest type"]


def test_cream_paper_widens_the_spine(rendered, tmp_path):
    cream = _with(rendered, print=PrintOptions("kdp", "cream", False))
    cover = tmp_path / "cover.pdf"
    cover.write_bytes(build_wrap(cream, PROFILES["kdp"], 200))
    assert _size_in(cover)[0] == pytest.approx(11 + 200 * 0.0025 + 0.25, abs=0.002)


def test_front_image_below_300_dpi_is_refused(rendered, tmp_path):
    small = tmp_path / "cover.png"
    Image.new("RGB", (1600, 2560), (200, 40, 40)).save(small)  # an e-book cover: ~284 dpi on 5.625in
    with_image = _with(rendered, cover=small)
    with pytest.raises(BookError) as e:
        build_wrap(with_image, PROFILES["kdp"], 100)
    assert "dpi over the front cover" in str(e.value) and "print needs 300" in str(e.value)


def test_front_image_with_alpha_is_flattened_and_cmyk_for_ingram(rendered, tmp_path):
    big = tmp_path / "cover.png"
    Image.new("RGBA", (1800, 2700), (200, 40, 40, 128)).save(big)
    with_image = _with(rendered, cover=big)
    cover = tmp_path / "ingram-cover.pdf"
    cover.write_bytes(build_wrap(with_image, PROFILES["ingram"], 100))
    with pikepdf.open(cover) as pdf:
        images = [x for x in pdf.pages[0].images.values()]
        assert images and all(str(i.ColorSpace) == "/DeviceCMYK" and "/SMask" not in i for i in images)
    failed = [r for r in preflight_cover(cover, with_image.config, "ingram", 100) if not r.ok]
    assert failed == []


def test_cover_command_writes_the_cover(tmp_path):
    proc = run_cli("cover", "--for", "kdp", "-m", str(MANUSCRIPT), "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "one-phone-call-away-kdp-cover.pdf").is_file()
