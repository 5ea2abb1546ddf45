"""The real book in all three formats: validators, structure, and what a reader sees."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree
from PIL import Image

from onephone_build import config as config_mod
from onephone_build.check import check_html, check_pdf, pdf_facts

from .conftest import MANUSCRIPT, pdf_page_parts

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "epub": "http://www.idpf.org/2007/ops"}
ORNAMENT = "\u2767"


@pytest.fixture(scope="module")
def cfg():
    return config_mod.load(MANUSCRIPT)


@pytest.fixture(scope="module")
def expected(cfg):
    """What the manuscript says the book holds: chapter titles and scene breaks per chapter."""
    out = []
    for ch in cfg.chapters:
        text = ch.path.read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", text, re.M).group(1).strip()
        breaks = len(re.findall(r"^\* \* \*\s*$", text, re.M))
        out.append((title, breaks))
    return out


@pytest.fixture(scope="module")
def epub_zip(book_build):
    return zipfile.ZipFile(book_build.outputs["epub"])


# -- EPUB ---------------------------------------------------------------------

def test_epubcheck_reports_nothing(book_epubcheck):
    assert book_epubcheck == []


def test_epub_chapters_and_scene_breaks(epub_zip, expected):
    for i, (title, breaks) in enumerate(expected, 1):
        doc = etree.fromstring(epub_zip.read(f"EPUB/chapter-{i:02d}.xhtml"))
        assert doc.xpath("string(//x:h1)", namespaces=NS).strip() == title
        assert len(doc.xpath("//x:hr[@class='scene-break']", namespaces=NS)) == breaks


def test_epub_metadata_accessibility_and_lang(epub_zip, cfg):
    opf = etree.fromstring(epub_zip.read("EPUB/content.opf"))
    assert opf.xpath("string(//dc:title)", namespaces=NS) == cfg.title
    assert opf.xpath("string(//dc:creator)", namespaces=NS) == cfg.author
    assert opf.xpath("string(//dc:language)", namespaces=NS) == cfg.text_language
    assert opf.xpath("string(//dc:identifier)", namespaces=NS) == cfg.identifier
    props = {m.get("property") for m in opf.xpath("//opf:meta[@property]", namespaces=NS)}
    for p in ("schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
              "schema:accessibilitySummary", "dcterms:modified"):
        assert p in props
    for name in epub_zip.namelist():
        if name.endswith(".xhtml"):
            root = etree.fromstring(epub_zip.read(name))
            assert root.get("lang") == cfg.text_language == "en-US", name  # language: en -> en-US text
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == cfg.text_language, name


def test_epub_cover_is_a_store_sized_raster(epub_zip):
    opf = etree.fromstring(epub_zip.read("EPUB/content.opf"))
    href = opf.xpath("//opf:item[contains(@properties,'cover-image')]/@href", namespaces=NS)[0]
    img = Image.open(io.BytesIO(epub_zip.read(f"EPUB/{href}")))
    assert img.format in ("PNG", "JPEG")
    assert img.size == (1600, 2560)


def test_epub_navigation_and_landmarks(epub_zip, expected):
    nav = etree.fromstring(epub_zip.read("EPUB/nav.xhtml"))
    toc = nav.xpath("//x:nav[@epub:type='toc']//x:a/text()", namespaces=NS)
    assert toc == [t for t, _ in expected]
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert {"cover", "toc", "bodymatter"} <= set(landmarks)
    ncx = etree.fromstring(epub_zip.read("EPUB/toc.ncx"))
    assert len(ncx.xpath("//*[local-name()='navPoint']")) == len(expected)


# -- PDF ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf_pages(book_build):
    return pdf_page_parts(book_build.outputs["pdf"])


def test_pdf_passes_its_checks_and_trim(book_build, cfg):
    w, h = (float(v[:-2]) * 72 for v in cfg.trim)
    assert check_pdf(book_build.outputs["pdf"], (w, h)) == []


def test_pdf_fonts_are_the_embedded_book_face(book_build):
    fonts = pdf_facts(book_build.outputs["pdf"]).fonts
    assert fonts and all(fonts.values()), fonts
    assert all("Garamond" in name for name in fonts), fonts


def test_pdf_chapters_open_on_recto_without_head_or_folio(book_build, pdf_pages, expected, cfg):
    starts = dict(pdf_facts(book_build.outputs["pdf"]).outline)
    for title, _ in expected:
        i = starts[title]
        assert i % 2 == 0, f"{title} opens on page {i + 1}, a verso"
        head, foot, text = pdf_pages[i]
        assert head == "" and foot == "", (title, head, foot)
        assert title in text


def test_pdf_running_heads_and_folios(book_build, pdf_pages, cfg, expected):
    first_body = dict(pdf_facts(book_build.outputs["pdf"]).outline)[expected[0][0]]
    checked = 0
    for i, (head, foot, text) in enumerate(pdf_pages[first_body:], first_body):
        if not head:  # chapter openings and blank pages
            continue
        number = i + 1
        assert head == (cfg.author if number % 2 == 0 else cfg.title), (number, head)
        assert foot == str(number), (number, foot)
        checked += 1
    assert checked >= 10


def test_pdf_contents_page_numbers_are_right(book_build, pdf_pages, expected):
    starts = {title: index + 1 for title, index in pdf_facts(book_build.outputs["pdf"]).outline}
    contents = next(text for _, _, text in pdf_pages if text.startswith("Contents"))
    for title, _ in expected:
        m = re.search(rf"^{re.escape(title)}[ .]*?(\d+)$", contents, re.M)
        assert m, (title, contents)
        assert int(m.group(1)) == starts[title]


def test_pdf_front_matter_and_scene_breaks(pdf_pages, cfg, expected):
    texts = [t for _, _, t in pdf_pages]
    assert texts[0].strip() == cfg.title  # half-title
    assert cfg.title in texts[2] and cfg.author in texts[2]  # title page, recto
    assert cfg.identifier in texts[3]  # copyright, verso
    assert "".join(texts).count(ORNAMENT) == sum(b for _, b in expected)


# -- Web edition --------------------------------------------------------------

def test_web_edition_validates(book_build):
    assert check_html(book_build.outputs["html"]) == []


def test_web_edition_pages_and_navigation(book_build, expected, cfg):
    from lxml import html as lhtml

    root = book_build.outputs["html"]
    index = lhtml.parse(str(root / "index.html")).getroot()
    assert index.get("lang") == cfg.text_language == "en-US"
    links = index.xpath("//nav[@id='contents']/ol//a/@href")  # (the print pages are listed apart)
    assert links == [f"chapter-{i:02d}.html" for i in range(1, len(expected) + 1)]
    for i, (title, breaks) in enumerate(expected, 1):
        page = lhtml.parse(str(root / f"chapter-{i:02d}.html")).getroot()
        assert page.xpath("string(//main//h1)").strip() == title
        assert len(page.xpath("//main//hr[@class='scene-break']")) == breaks
        assert page.xpath("//header") and page.xpath("//main") and page.xpath("//nav[@aria-label]")
        rel = set(page.xpath("//link/@rel"))
        assert "prev" in rel and ("next" in rel) == (i < len(expected))
    css = (root / "assets" / "web.css").read_text()
    assert "prefers-color-scheme: dark" in css
    for font in ("EBGaramond12-Regular.otf", "EBGaramond12-Italic.otf"):
        assert (root / "assets" / "fonts" / font).is_file()
