"""The elements a novel is made of (issue 19): front and back matter from book.yaml, chapter
epigraphs, letters and notes, chapter headings, series, parts, openings -- built once in
EPUB, web and print, and checked where each lands."""

from __future__ import annotations

import re
import zipfile

import pytest

from onephone_build.build import build
from onephone_build.check import check_epub
from onephone_build.config import load
from onephone_build.errors import BookError

from .conftest import pdf_page_parts

BOOK_YAML = """\
title: The Night Train
author: Ana Writer
language: en
series: The Rail Cycle
series_number: 2
dedication: For M., who read every draft.
epigraph:
  - text: The past is a foreign country; they do things differently there.
    attribution: L. P. Hartley, *The Go-Between*
foreword: matter/foreword.md
author_note: "This is a work of fiction. The trains, sadly, are real."
acknowledgements: matter/thanks.md
about_author: {file: matter/about.md, image: images/author.png, image_alt: Ana Writer on a platform}
teaser: {title: "The Second Book", text: "The sea was calm that morning..."}
chapters:
  - chapters/01.md
  - chapters/02.md
"""
FILES = {
    "matter/foreword.md": "# Foreword\n\nI wrote this book on trains -- many of them.\n",
    "matter/thanks.md": 'Thanks to everyone who "helped".\n',
    "matter/about.md": "Ana Writer lives by a railway line.\n",
    "chapters/01.md": """\
# Chapter 1: The Train

::: epigraph
All aboard.

[The conductor]{.attribution}
:::

It was late. The train came.

::: {.letter from="Ben" to="Ana"}
[Dear Ana,]{.salutation}

The train leaves at six.

[Yours, Ben]{.signature}
:::

::: note
Back by nine.
:::
""",
    "chapters/02.md": "# The Station\n\nShe waited.\n",
}
FRONT = ["dedication", "epigraph", "foreword", "author-note"]
BACK = ["acknowledgements", "about-author", "teaser"]


def _manuscript(root, book_yaml=BOOK_YAML, files=FILES):
    from PIL import Image

    root.mkdir(parents=True)
    (root / "book.yaml").write_text(book_yaml, encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "images").mkdir(exist_ok=True)
    Image.new("RGB", (1200, 1600), (120, 90, 60)).save(root / "images" / "author.png")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("novel")
    ms = _manuscript(root / "ms")
    result = build(ms, root / "out", ("epub", "pdf", "html"), use_cache=False)
    out = root / "out"
    z = zipfile.ZipFile(result.outputs["epub"])
    epub = {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))}
    web = {p.name: p.read_text(encoding="utf-8") for p in (out / "html").glob("*.html")}
    return result, epub, web


@pytest.fixture(scope="module")
def pages(built):
    return pdf_page_parts(str(built[0].outputs["pdf"]))


def _spine(opf: str) -> list[str]:
    return re.findall(r'<itemref idref="([^"]+)"', opf)


def test_epub_matter_in_spine_order(built):
    _, epub, _ = built
    spine = _spine(epub["EPUB/content.opf"])
    want = (["cover-page", "titlepage", "matter-dedication", "matter-epigraph", "nav", "matter-foreword",
             "matter-author-note", "chapter-01", "chapter-02", "matter-acknowledgements",
             "matter-about-author", "matter-teaser", "copyright"])
    assert spine == want


def test_epub_matter_landmarks_and_types(built):
    _, epub, _ = built
    nav = epub["EPUB/nav.xhtml"]
    landmarks = nav[nav.index('epub:type="landmarks"'):]
    found = dict(re.findall(r'<a epub:type="([^"]+)" href="([^"]+)"', landmarks))
    for kind, href in [("dedication", "dedication.xhtml"), ("epigraph", "epigraph.xhtml"),
                       ("foreword", "foreword.xhtml"), ("preface", "author-note.xhtml"),
                       ("acknowledgments", "acknowledgements.xhtml")]:
        assert found.get(kind) == href
    assert 'href="about-author.xhtml"' in landmarks and 'href="teaser.xhtml"' in landmarks
    assert 'epub:type="dedication" role="doc-dedication"' in epub["EPUB/dedication.xhtml"]
    assert '<body epub:type="backmatter">' in epub["EPUB/acknowledgements.xhtml"]
    # the epigraph's attribution is its own paragraph, the Markdown in it rendered
    assert '<p class="attribution">L. P. Hartley, <em>The Go-Between</em></p>' in epub["EPUB/epigraph.xhtml"]
    # the foreword's own heading, typeset like the chapters
    assert '<h1 class="matter-title" id="foreword-title">Foreword</h1>' in epub["EPUB/foreword.xhtml"]
    assert "trains\u2014</span>many" in epub["EPUB/foreword.xhtml"]  # the dashes rule ran
    assert "Author\u2019s Note" in epub["EPUB/author-note.xhtml"]
    about = epub["EPUB/about-author.xhtml"]
    assert re.search(r'<img src="images/\d+\.png" alt="Ana Writer on a platform"/>', about)


def test_epub_toc_lists_foreword_chapters_and_back_matter(built):
    _, epub, _ = built
    nav = epub["EPUB/nav.xhtml"]
    toc = nav[nav.index('epub:type="toc"'):nav.index('epub:type="landmarks"')]
    assert re.findall(r'href="([^"]+)"', toc) == [
        "foreword.xhtml", "author-note.xhtml", "chapter-01.xhtml", "chapter-02.xhtml",
        "acknowledgements.xhtml", "about-author.xhtml", "teaser.xhtml"]


def test_epubcheck_clean(built):
    assert check_epub(built[0].outputs["epub"]) == []


def test_web_matter_pages_in_reading_order(built):
    _, _, web = built
    index = web["index.html"]
    contents = index[index.index('id="contents"'):]
    hrefs = re.findall(r'<a href="([^"]+)"', contents)
    order = [f"{m}.html" for m in FRONT] + ["chapter-01.html", "chapter-02.html"] + [f"{m}.html" for m in BACK]
    assert hrefs[:len(order)] == order
    for i, page in enumerate(order):  # each page links to the next one
        nxt = order[i + 1] if i + 1 < len(order) else None
        if nxt:
            assert f'<link rel="next" href="{nxt}">' in web[page]
    assert 'role="doc-dedication" aria-label="Dedication"' in web["dedication.html"]
    assert 'epub:type' not in web["dedication.html"]


def test_print_dedication_and_epigraph_on_rectos_facing_blanks(pages):
    texts = [t for _, _, t in pages]
    ded = next(i for i, t in enumerate(texts) if "who read every draft" in t)
    epi = next(i for i, t in enumerate(texts) if "foreign country" in t)
    contents = next(i for i, t in enumerate(texts) if t.strip().startswith("Contents"))
    assert ded % 2 == 0 and epi % 2 == 0  # 0-based index even: an odd page, a recto
    assert texts[ded + 1].strip() == "" and texts[epi + 1].strip() == ""
    copyright_ = next(i for i, t in enumerate(texts) if "Identifier:" in t)
    assert copyright_ < ded < epi < contents


def test_print_foreword_after_contents_and_back_matter_after_last_chapter(pages):
    texts = [t for _, _, t in pages]

    def first(s):
        return next(i for i, t in enumerate(texts) if s in t and "Contents" not in t)

    contents = next(i for i, t in enumerate(texts) if t.strip().startswith("Contents"))
    order = [first("I wrote this book"), first("This is a work of fiction"), first("It was late"),
             first("She waited"), first("Thanks to everyone"), first("lives by a railway"),
             first("The sea was calm")]
    assert contents < order[0] and order == sorted(order)
    for i in order:
        assert i % 2 == 0, f"page {i + 1} opens on a verso"
    # the contents give the back matter's page numbers too
    listing = texts[contents]
    assert re.search(r"Acknowledgements[ .]*%d" % (order[4] + 1), listing)
    assert re.search(r"About the Author[ .]*%d" % (order[5] + 1), listing)


def test_letter_and_note_are_set_apart_with_a_name(built):
    _, epub, web = built
    for page in (epub["EPUB/chapter-01.xhtml"], web["chapter-01.html"]):
        assert '<section class="written letter" aria-label="Letter from Ben to Ana">' in page
        assert '<p class="salutation">Dear Ana,</p>' in page
        assert '<p class="signature">Yours, Ben</p>' in page
        assert '<section class="written note" aria-label="Note">' in page
        assert '<div class="epigraph" ' in page and '<p class="attribution">The conductor</p>' in page


@pytest.mark.parametrize("yaml_tail, message", [
    ("dedication: [1, 2]\n", "'dedication' must be Markdown text"),
    ("foreword: matter/nothing.md\n", "'foreword' names the file 'matter/nothing.md', which does not exist"),
    ("epigraph: {text: Hi, by: Me}\n", "'epigraph' must be text, or a mapping"),
    ("teaser: {text: Hi, file: x.md}\n", "'teaser' needs either 'text' or 'file'"),
    ("about_author: {text: Hi, colour: red}\n", "unknown option 'about_author.colour'"),
    ("acknowledgements: ../outside.md\n", "outside the manuscript"),
])
def test_matter_errors_name_the_key_and_line(tmp_path, yaml_tail, message):
    base = "title: T\nauthor: A\nlanguage: en\nchapters:\n  - one.md\n"
    (tmp_path / "ms").mkdir()
    (tmp_path / "outside.md").write_text("x\n")
    (tmp_path / "ms" / "one.md").write_text("# One\n\nText.\n")
    (tmp_path / "ms" / "book.yaml").write_text(base + yaml_tail)
    with pytest.raises(BookError) as e:
        load(tmp_path / "ms")
    assert message in str(e.value)
    assert ":6" in str(e.value)  # the line of the key


def test_no_matter_no_extra_pages(tmp_path):
    (tmp_path / "ms").mkdir()
    (tmp_path / "ms" / "one.md").write_text("# One\n\nText.\n")
    (tmp_path / "ms" / "book.yaml").write_text("title: T\nauthor: A\nlanguage: en\nchapters:\n  - one.md\n")
    assert load(tmp_path / "ms").matter == ()
