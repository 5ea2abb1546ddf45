"""The print edition's page numbers in the EPUB and the web edition: a marker where each
page of the PDF begins, a page-list, the print edition named as their source; compared
with the words that begin the PDF's pages, on the book and on a book with notes."""

from __future__ import annotations

import re
import zipfile
from html import unescape
from pathlib import Path

import pdfplumber
import pytest

from onephone_build.build import build
from onephone_build.check import check_ace, check_epub
from onephone_build.render.pagebreaks import mark_pages

from .conftest import MANUSCRIPT, write_manuscript

PARA = ("The rain had not stopped since morning, and the street outside the station ran with it; "
        "she stood under the awning and counted the buses that did not come. ")


def _noted_book(root: Path) -> Path:
    """Three chapters long enough for several pages each, with notes, dialogue and dashes."""
    chapters = {}
    for n in range(1, 4):
        paras = []
        for i in range(14):
            note = f"[^n{n}x{i}]" if i % 3 == 0 else ""
            paras.append(f"“{PARA * 2}”{note} — and then, {PARA}")
        notes = [f"[^n{n}x{i}]: A note about the {i}th paragraph, long enough to take a line or two at the "
                 "foot of the page." for i in range(0, 14, 3)]
        chapters[f"chapters/{n:02d}.md"] = f"# Chapter {n}\n\n" + "\n\n".join(paras + notes) + "\n"
    return write_manuscript(root, chapters)


@pytest.fixture(scope="module", params=["book", "notes"])
def built(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"pages-{request.param}")
    ms = MANUSCRIPT if request.param == "book" else _noted_book(root / "ms")
    result = build(ms, root / "out", ("epub", "pdf", "html"), use_cache=False)
    return result.outputs


def _markers(xhtml: str) -> dict[int, list[str]]:
    """page number -> the first words of running text after its marker."""
    xhtml = re.sub(r'<section class="footnotes".*?</section>', "", xhtml, flags=re.S)
    xhtml = re.sub(r'<a class="noteref"[^>]*>[^<]*</a>', "", xhtml)
    found = {}
    for m in re.finditer(r'<span [^>]*role="doc-pagebreak" id="page-(\d+)"[^>]*></span>', xhtml):
        text = unescape(re.sub(r"<[^>]+>", "", re.sub(r"<span [^>]*doc-pagebreak[^>]*></span>", "", xhtml[m.end():])))
        found[int(m.group(1))] = text.split()[:3]
    return found


def _epub_markers(epub: Path) -> dict[int, list[str]]:
    found = {}
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if name.endswith(".xhtml") and name != "EPUB/nav.xhtml":
                found |= _markers(z.read(name).decode())
    return found


def _first_words(pdf: Path) -> dict[int, list[str]]:
    """page number -> the first words of its text block (no running head, no folio)."""
    words = {}
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            body = page.crop((0, 0.75 * 72 - 4, page.width, page.height - 0.85 * 72 + 4))
            # words of running text (a scene break's ornament has no letter)
            found = [w["text"] for w in body.extract_words(use_text_flow=True) if _letters(w["text"])]
            if found:
                words[number] = found[:3]
    return words


def _letters(word: str) -> str:
    return "".join(ch for ch in word if ch.isalnum())


def test_a_marker_where_every_page_of_the_pdf_begins(built):
    markers = _epub_markers(built["epub"])
    pages = _first_words(built["pdf"])
    body = [n for n in pages if n >= min(markers)]  # the chapters' pages (the front matter has none)
    assert len(body) >= 6 and set(body) <= set(markers)
    for n in body:
        marked, printed = _letters(markers[n][0]), _letters(pages[n][0])
        # the page's first word, or the end of a word hyphenated across the turn of the page
        assert marked == printed or (marked.endswith(printed) and printed), (n, markers[n], pages[n])
    assert list(markers) == sorted(markers)  # in reading order


def test_page_list_navigation_and_its_source(built):
    with zipfile.ZipFile(built["epub"]) as z:
        nav, opf = z.read("EPUB/nav.xhtml").decode(), z.read("EPUB/content.opf").decode()
        page_list = re.search(r'<nav epub:type="page-list" hidden="">(.*?)</nav>', nav, re.S).group(1)
        links = re.findall(r'<a href="([^"#]+)#(page-(\d+))">(\d+)</a>', page_list)
        assert links and all(num == label for _, _, num, label in links)
        for name, anchor, _, _ in links:
            assert f'id="{anchor}"' in z.read(f"EPUB/{name}").decode()
    assert [int(n) for _, _, n, _ in links] == sorted(_epub_markers(built["epub"]))
    source = re.search(r'<dc:source id="page-source">([^<]+)</dc:source>', opf).group(1)
    assert "print edition" in source
    assert '<meta property="source-of" refines="#page-source">pagination</meta>' in opf
    assert f'<meta property="pageBreakSource">{source}</meta>' in opf
    assert "pageBreakMarkers" in opf and "pageNavigation" in opf


def test_the_web_edition_has_the_same_anchors(built):
    html = built["html"]
    assert _epub_markers(built["epub"]) == {n: w for page in sorted(html.glob("*.html")) if page.name != "index.html"
                                            for n, w in _markers(page.read_text()).items()}
    index = (html / "index.html").read_text()
    for page, anchor in re.findall(r'<li><a href="([^"#]+)#(page-\d+)">', index):
        assert f'id="{anchor}"' in (html / page).read_text()


def test_the_paged_epub_passes_epubcheck_and_ace(built):
    assert check_epub(built["epub"]) == []
    assert check_ace(built["epub"]) == []


def test_an_epub_built_alone_is_built_again_with_the_pages_once_the_pdf_is(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"one.md": "# One\n\n" + ("\n\n".join([PARA * 3] * 12)) + "\n"})
    out = tmp_path / "out"
    build(ms, out, ("epub",))
    assert not _epub_markers(out / "test-book.epub")  # no print layout, no page numbers
    build(ms, out, ("epub", "pdf"))  # the EPUB's inputs did not change, but now there are pages
    markers = _epub_markers(out / "test-book.epub")
    assert len(markers) >= 2 and set(markers) <= set(_first_words(out / "test-book.pdf"))
    said = []
    build(ms, out, ("epub", "pdf"), report=said.append)
    assert "epub is up to date" in said and "pdf is up to date" in said


MARK = "[{}]".format


@pytest.mark.parametrize("xhtml, pages, expected", [
    # the chapter's first page: before its first element
    ('<section id="c">\n<h2>One</h2></section>', [(7, 0)], '<section id="c">[7]\n<h2>One</h2></section>'),
    # a page that begins in a word (hyphenated over the turn): before the word
    ("<section><p>Hello world</p></section>", [(1, 0), (2, 7)], "<section>[1]<p>Hello [2]world</p></section>"),
    # with its opening quotes, but after a dash the line broke at
    ("<section><p>said. \u201cWait\u2014no</p></section>", [(3, 4), (4, 8)],
     "<section><p>said. [3]\u201cWait\u2014[4]no</p></section>"),
    # a note's call and the notes are not running text
    ('<section><p>a<a class="noteref" href="#n">12</a> bc</p><section class="footnotes" aria-label="Notes">'
     '<aside><p>note</p></aside></section></section>', [(5, 1)],
     '<section><p>a<a class="noteref" href="#n">12</a> [5]bc</p><section class="footnotes" aria-label="Notes">'
     '<aside><p>note</p></aside></section></section>'),
    # entities count as the characters they stand for; a page after the last letter: at the end
    ("<section><p>AT&amp;T &#x5148;x</p></section>", [(8, 3), (9, 99)],
     "<section><p>AT&amp;T [8]&#x5148;x</p>[9]</section>"),
])
def test_mark_pages(xhtml, pages, expected):
    assert mark_pages(xhtml, pages, MARK) == expected
