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
also_by:
  - title: The First Train
  - title: Night Lines
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
  - chapters/00.md
  - chapters/01.md
  - chapters/02.md
  - chapters/03.md
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
    "chapters/00.md": "# Prologue\n\nBefore it all.\n",
    "chapters/03.md": "No heading on this one.\n",
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
             "matter-author-note", "chapter-01", "chapter-02", "chapter-03", "chapter-04", "matter-acknowledgements",
             "matter-about-author", "matter-teaser", "copyright", "also-by"])
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
        "foreword.xhtml", "author-note.xhtml", "chapter-01.xhtml", "chapter-02.xhtml", "chapter-03.xhtml",
        "chapter-04.xhtml", "acknowledgements.xhtml", "about-author.xhtml", "teaser.xhtml"]


def test_epubcheck_clean(built):
    assert check_epub(built[0].outputs["epub"]) == []


def test_web_matter_pages_in_reading_order(built):
    _, _, web = built
    index = web["index.html"]
    contents = index[index.index('id="contents"'):]
    hrefs = re.findall(r'<a href="([^"]+)"', contents)
    order = ([f"{m}.html" for m in FRONT] + [f"chapter-0{i}.html" for i in range(1, 5)]
             + [f"{m}.html" for m in BACK])
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
    order = [first("I wrote this book"), first("This is a work of fiction"), first("Before it all"),
             first("It was late"),
             first("She waited"), first("No heading on this"), first("Thanks to everyone"), first("lives by a railway"),
             first("The sea was calm")]
    assert contents < order[0] and order == sorted(order)
    for i in order:
        assert i % 2 == 0, f"page {i + 1} opens on a verso"
    # the contents give the back matter's page numbers too
    listing = texts[contents]
    assert re.search(r"Acknowledgements[ .]*%d" % (order[-3] + 1), listing)
    assert re.search(r"About the Author[ .]*%d" % (order[-2] + 1), listing)


def test_letter_and_note_are_set_apart_with_a_name(built):
    _, epub, web = built
    for page in (epub["EPUB/chapter-02.xhtml"], web["chapter-02.html"]):
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


# --- chapter headings ------------------------------------------------------------------

from onephone_build.model.headings import number_words, plan, raw_heading, split_heading  # noqa: E402


@pytest.mark.parametrize("heading, number, form, name", [
    ("Chapter 3: The Train", 3, "numerals", "The Train"),
    ("Chapter Three", 3, "words", ""),
    ("chapter XII - Home", 12, "roman", "Home"),
    ("Chapter Twenty-One \u2014 Late", 21, "words", "Late"),
    ("12. Home", 12, "numerals", "Home"),
    ("XII", 12, "roman", ""),
    ("The Train", None, "", "The Train"),
    ("X-Ray", None, "", "X-Ray"),  # a word, not a numeral and its title
    ("I Remember", None, "", "I Remember"),
    ("Chapter One Night", None, "", "Chapter One Night"),  # not a number we can read: kept whole
])
def test_split_heading(heading, number, form, name):
    s = split_heading(heading)
    assert (s.number, s.form, s.name) == (number, form, name)


@pytest.mark.parametrize("n, words", [(1, "One"), (13, "Thirteen"), (20, "Twenty"), (21, "Twenty-One"),
                                      (99, "Ninety-Nine"), (105, "One Hundred Five"), (1200, "1200")])
def test_number_words(n, words):
    assert number_words(n) == words


P, T, U = ("Prologue", ()), ("Chapter 1: The Train", ()), ("Interval", ("unnumbered",))


@pytest.mark.parametrize("headings, style, labels", [
    # a prologue, an unnumbered chapter use no number; a chapter without a heading is titled
    ([P, T, None, ("Epilogue", ())], "auto", ["", "Chapter One", "Chapter Two", ""]),
    ([T, U, None], "auto", ["Chapter One", "", "Chapter Two"]),
    ([("Chapter IV", ()), None], "auto", ["Chapter IV", "Chapter V"]),  # the book counts in Roman numerals
    ([("Chapter Seven", ()), None], "auto", ["Chapter Seven", "Chapter Eight"]),  # from the author's number on
    ([P, T, ("The Station", ())], "numerals", ["", "Chapter 1", "Chapter 2"]),
    ([("The Train", ()), ("The Station", ())], "words", ["Chapter One", "Chapter Two"]),
    ([("The Train", ()), ("The Station", ())], "auto", ["", ""]),  # titles alone stay titles
    ([T, None], "none", ["", ""]),
    ([("12. Home", ()), ("XIII", ())], "auto", ["", ""]),  # bare numbers stay as written
    ([("12. Home", ())], "words", ["Chapter Twelve"]),
])
def test_chapter_numbering_plan(headings, style, labels):
    assert [h.label for h in plan(headings, style)] == labels


def test_numbering_none_titles_a_headless_chapter_in_words():
    assert [h.title for h in plan([None, None], "none")] == ["One", "Two"]


@pytest.mark.parametrize("headings, title", [
    ([("1", ()), ("2", ()), None], "3"),  # the book counts in bare numerals
    ([("I", ()), ("II", ()), None], "III"),
    ([("Chapter 1", ()), None], ""),  # labelled: "Chapter Two", as a label (test above)
])
def test_headless_chapter_counts_as_the_book_does(headings, title):
    assert plan(headings, "auto")[-1].title == title


@pytest.mark.parametrize("markdown, found", [
    ("# Chapter 3: The Train\n\nText", ("Chapter 3: The Train", ())),
    ("\n\n# Interval {.unnumbered}\n", ("Interval", ("unnumbered",))),
    ("# Interval {-}\n", ("Interval", ("unnumbered",))),
    ("Prologue\n========\n\nText", ("Prologue", ())),
    ("Just text.\n", None),
    ("## Not a chapter heading\n", None),
])
def test_raw_heading(markdown, found):
    assert raw_heading(markdown) == found


def test_chapter_headings_in_every_format(built, pages):
    _, epub, web = built
    two = ('<h1 class="chapter-title" id="chapter-02-title"><span class="chapter-number">Chapter One</span> '
           '<span class="chapter-name">The Train</span></h1>')
    assert two in epub["EPUB/chapter-02.xhtml"] and two in web["chapter-02.html"]
    assert '<h1 class="chapter-title" id="chapter-01-title">Prologue</h1>' in web["chapter-01.html"]
    # no heading: titled in the book's style (words), not "Chapter 4"
    assert '<h1 class="chapter-title" id="chapter-04-title">Chapter Three</h1>' in web["chapter-04.html"]
    nav = epub["EPUB/nav.xhtml"]
    assert ">Chapter One: The Train<" in nav and ">Chapter Three<" in nav and "Chapter 1" not in nav
    contents = next(t for _, _, t in pages if t.strip().startswith("Contents"))
    assert "Chapter One: The Train" in contents and "Prologue" in contents


def test_chapter_numbers_option_is_checked(tmp_path):
    (tmp_path / "ms").mkdir()
    (tmp_path / "ms" / "one.md").write_text("# One\n\nText.\n")
    (tmp_path / "ms" / "book.yaml").write_text(
        "title: T\nauthor: A\nlanguage: en\nchapter_numbers: letters\nchapters:\n  - one.md\n")
    with pytest.raises(BookError, match="'chapter_numbers' must be one of auto, words, numerals, roman, none"):
        load(tmp_path / "ms")


# --- series --------------------------------------------------------------------------


def test_series_on_every_title_page_and_in_the_epub_metadata(built, pages):
    _, epub, web = built
    assert '<p class="series">The Rail Cycle, Book Two</p>' in epub["EPUB/titlepage.xhtml"]
    assert '<p class="series">The Rail Cycle, Book Two</p>' in web["index.html"]
    title_page = next(t for _, _, t in pages if "Ana Writer" in t and "The Night Train" in t and "Identifier" not in t
                      and "Also by" not in t)
    assert "The Rail Cycle, Book Two" in title_page
    opf = epub["EPUB/content.opf"]
    assert re.search(r'<meta property="belongs-to-collection" id="series">The Rail Cycle</meta>', opf)
    assert '<meta property="group-position" refines="#series">2</meta>' in opf
    assert re.search(r'<meta name="calibre:series" content="The Rail Cycle"(/>|></meta>)', opf)
    assert re.search(r'<meta name="calibre:series_index" content="2"(/>|></meta>)', opf)


def test_print_half_title_verso_lists_the_other_books(pages):
    half, verso, title = (t for _, _, t in pages[:3])
    assert half.strip() == "The Night Train"
    assert "Also by Ana Writer" in verso and "The First Train" in verso and "Night Lines" in verso
    assert "The Rail Cycle" in title


@pytest.mark.parametrize("number, line", [("", "Cycle"), ("3", "Cycle, Book Three"), ("2.5", "Cycle, Book 2.5")])
def test_series_line(number, line):
    from types import SimpleNamespace

    from onephone_build.render.frontmatter import series_line

    assert series_line(SimpleNamespace(series="Cycle", series_number=number)) == line


# --- parts ---------------------------------------------------------------------------

LONG = "\n\n".join(["It was a long night on the train, and nobody slept; the carriage rocked and the lamps "
                    "swung, and every station came and went without a name."] * 40)
PARTS_YAML = """\
title: Two Halves
author: B. Writer
language: en
openings: drop_cap
scene_break: ornament.png
scene_openings: true
parts:
  - name: Departure
    chapters:
      - one.md
      - two.md
  - title: The Second Part
    chapters:
      - three.md
"""


@pytest.fixture(scope="module")
def parts_built(tmp_path_factory):
    root = tmp_path_factory.mktemp("parts")
    ms = root / "ms"
    ms.mkdir()
    (ms / "book.yaml").write_text(PARTS_YAML)
    (ms / "one.md").write_text("# Prologue\n\nFirst.\n")
    (ms / "two.md").write_text(f"# Chapter 1: Long\n\n{LONG}\n\n* * *\n\nAfter the break.\n")
    from PIL import Image

    Image.new("RGB", (300, 60), (40, 40, 40)).save(ms / "ornament.png")
    (ms / "three.md").write_text("# The End\n\nLast.\n")
    result = build(ms, root / "out", ("epub", "pdf", "html"), use_cache=False)
    z = zipfile.ZipFile(result.outputs["epub"])
    epub = {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xhtml", ".opf"))}
    web = {p.name: p.read_text(encoding="utf-8") for p in (root / "out" / "html").glob("*.html")}
    return result, epub, web, pdf_page_parts(str(result.outputs["pdf"]))


def test_parts_config(tmp_path):
    cfg = load(_parts_ms(tmp_path, PARTS_YAML))
    assert [(p.title, p.name, p.first) for p in cfg.parts] == [("", "Departure", 0), ("The Second Part", "", 2)]
    assert [c.path.name for c in cfg.chapters] == ["one.md", "two.md", "three.md"]


def _parts_ms(tmp_path, yaml_text):
    ms = tmp_path / "ms"
    ms.mkdir(exist_ok=True)
    (ms / "book.yaml").write_text(yaml_text)
    for name in ("one.md", "two.md", "three.md"):
        (ms / name).write_text("# X\n\nText.\n")
    from PIL import Image

    Image.new("RGB", (300, 60), (40, 40, 40)).save(ms / "ornament.png")
    return ms


@pytest.mark.parametrize("tail, message", [
    ("parts:\n  - name: A\n", "each part needs 'chapters'"),
    ("parts:\n  - chapters: [one.md]\n    colour: red\n", "unknown option 'colour' in a part"),
    ("chapters: [one.md]\nparts:\n  - chapters: [two.md]\n", "give either 'chapters' or 'parts'"),
    ("parts:\n  - chapters: [one.md]\n  - chapters: [one.md]\n", "chapter 'one.md' is listed twice"),
])
def test_parts_errors(tmp_path, tail, message):
    with pytest.raises(BookError, match=re.escape(message)):
        load(_parts_ms(tmp_path, "title: T\nauthor: A\nlanguage: en\n" + tail))


def test_parts_in_epub_spine_and_nested_toc(parts_built):
    _, epub, _, _ = parts_built
    assert _spine(epub["EPUB/content.opf"]) == ["cover-page", "titlepage", "nav", "part-01", "chapter-01",
                                               "chapter-02", "part-02", "chapter-03", "copyright"]
    nav = epub["EPUB/nav.xhtml"]
    toc = re.sub(r"\s+", "", nav[nav.index('epub:type="toc"'):nav.index('epub:type="landmarks"')])
    assert ('<li><ahref="part-01.xhtml">PartOne:Departure</a><ol><li><ahref="chapter-01.xhtml">Prologue</a></li>'
            '<li><ahref="chapter-02.xhtml">ChapterOne:Long</a></li></ol></li>'
            '<li><ahref="part-02.xhtml">TheSecondPart</a><ol><li><ahref="chapter-03.xhtml">TheEnd</a></li></ol>'
            in toc)
    assert 'epub:type="part" role="doc-part"' in epub["EPUB/part-01.xhtml"]
    assert check_epub(parts_built[0].outputs["epub"]) == []


def test_parts_in_web_contents(parts_built):
    web = parts_built[2]
    index = re.sub(r"\s+", " ", web["index.html"])
    assert ('<li class="part"><a href="part-01.html">Part One: Departure</a><ol> <li class="chapter">'
            '<a href="chapter-01.html">Prologue</a></li>') in index
    assert '<link rel="next" href="chapter-01.html">' in web["part-01.html"]
    assert '<link rel="next" href="part-02.html">' in web["chapter-02.html"]


def test_print_part_pages_are_bare_rectos(parts_built):
    pages = parts_built[3]
    texts = [t for _, _, t in pages]
    part_one = next(i for i, t in enumerate(texts) if "Departure" in t and "Contents" not in t)
    part_two = next(i for i, t in enumerate(texts) if "The Second Part" in t and "Contents" not in t)
    for i in (part_one, part_two):
        assert i % 2 == 0  # a recto
        head, folio, _ = pages[i]
        assert head == "" and folio == ""  # no running head, no folio
        assert texts[i + 1].strip() == ""  # its verso blank
    assert "irst." in texts[part_one + 2]  # (its drop cap F is extracted apart)
    long_start = next(i for i, t in enumerate(texts) if "Long" in t and "Contents" not in t)
    assert pages[long_start + 1][0] and pages[long_start + 1][1]  # the chapter's pages do carry them
    assert part_one < long_start < part_two
    contents = next(t for t in texts if t.strip().startswith("Contents"))
    assert re.search(r"Part One: Departure[ .]*%d" % (part_one + 1), contents)



# --- openings and the scene-break ornament ------------------------------------------

from onephone_build.render.xhtml import opening, opening_words  # noqa: E402


def _inl(text):
    out = []
    for k, w in enumerate(text.split(" ")):
        out += ([{"t": "Space"}] if k else []) + [{"t": "Str", "c": w}]
    return out


@pytest.mark.parametrize("text, words", [
    ("It was a long night on the train.", "It was a long"),
    ("Late. The train was late.", "Late."),  # a sentence ends first
    ("Tom!", "Tom!"),
    ("Yes, she said: go.", "Yes, she said:"),
])
def test_opening_words(text, words):
    from onephone_build.model.document import plain_text

    out = opening_words(_inl(text))
    assert out[0]["t"] == "Span" and out[0]["c"][0][1] == ["opening-words"]
    assert plain_text(out[0]["c"][1]) == words
    assert plain_text(out) == text  # nothing lost


def test_opening_words_stop_at_markup():
    inlines = [{"t": "Emph", "c": _inl("Never")}, {"t": "Space"}] + _inl("again.")
    assert opening_words(inlines) == inlines


@pytest.mark.parametrize("blocks, index", [
    ([{"t": "Para", "c": _inl("Hi.")}], 0),
    ([{"t": "Div", "c": [["", ["epigraph"], []], []]}, {"t": "Para", "c": _inl("Hi.")}], 1),
    ([{"t": "Div", "c": [["", ["voicemail"], []], []]}, {"t": "Para", "c": _inl("Hi.")}], None),
    ([{"t": "Para", "c": [{"t": "Image", "c": [["", [], []], [], ["a.png", ""]]}]}], None),
])
def test_opening_paragraph(blocks, index):
    assert opening(blocks) == index


def test_openings_and_ornament_in_epub_and_web(parts_built):
    result, epub, web, _ = parts_built
    for page in (epub["EPUB/chapter-02.xhtml"], web["chapter-02.html"]):
        page = re.sub(r'<span [^>]*role="doc-pagebreak"[^>]*></span>', "", page)  # the print pages' markers
        assert '<section class="chapter drop-cap" id="chapter-02"' in page
        assert '<p class="opening"><span class="opening-words">It was a long</span> night' in page
        assert re.search(r'<p class="scene-break ornament" role="separator"><img src="images/\d+\.png" alt=""/></p>\n'
                         r'<p class="opening scene-opening"><span class="opening-words">After the break.</span></p>',
                         page)
    css = zipfile.ZipFile(result.outputs["epub"]).read("EPUB/styles/epub.css").decode()
    assert ".opening-words" in css and "first-letter" not in css  # EPUB: small caps only, no float
    assert "first-letter" in (result.outputs["html"] / "assets" / "web.css").read_text()


def test_print_drop_cap(parts_built):
    import pdfplumber

    result = parts_built[0]
    with pdfplumber.open(str(result.outputs["pdf"])) as doc:
        page = next(p for p in doc.pages if "night on the train" in (p.extract_text() or ""))
        body = [c for c in page.chars if c["top"] > 1.5 * 72]  # below the running head
        sizes = sorted(c["size"] for c in body)
        body_size = sizes[len(sizes) // 2]
        big = [c for c in body if c["size"] > 2.5 * body_size]
        assert [c["text"] for c in big][:1] == ["I"], "the chapter opens with a drop cap"
        assert any(p.images for p in doc.pages)  # the ornament, after the long scene
        drops = [c["text"] for p in doc.pages for c in p.chars if c["size"] > 2.5 * body_size]
        assert drops == ["F", "I", "L"]  # one a chapter; none after the scene break (small caps only)


# --- the skeleton `new` writes -------------------------------------------------------


def test_new_skeleton_shows_the_elements(tmp_path):
    from onephone_build.commands.new import new_book

    new_book(tmp_path / "b")
    cfg = load(tmp_path / "b")
    assert [m.kind for m in cfg.matter] == ["dedication", "epigraph", "author_note", "acknowledgements",
                                           "about_author", "teaser"]
    assert (cfg.chapter_numbers, cfg.openings) == ("words", "small_caps") and cfg.also_by
    result = build(tmp_path / "b", tmp_path / "out", ("html",), use_cache=False)
    web = {p.name: p.read_text(encoding="utf-8") for p in result.outputs["html"].glob("*.html")}
    assert {"dedication.html", "epigraph.html", "author-note.html", "acknowledgements.html",
            "about-author.html", "teaser.html"} <= set(web)
    one = web["chapter-01.html"]
    assert '<span class="chapter-number">Chapter One</span>' in one and 'class="epigraph"' in one
    assert '<p class="opening"><span class="opening-words">' in one
    assert 'class="written letter" aria-label="Letter from Ben to Ana"' in web["chapter-02.html"]


def test_print_bookmarks_nest_chapters_under_their_part(parts_built):
    import pikepdf

    with pikepdf.open(parts_built[0].outputs["pdf"]) as doc, doc.open_outline() as o:
        tops = {i.title: [c.title for c in i.children] for i in o.root}
    assert tops["Part One Departure"] == ["Prologue", "Chapter One Long"]
    assert tops["The Second Part"] == ["The End"]
    assert "Prologue" not in tops


# --- the AO3 importer's notes --------------------------------------------------------


def test_ao3_work_notes_become_the_authors_note(tmp_path):
    from pathlib import Path

    from onephone_build.commands.importers import import_export

    fixture = Path(__file__).parent / "fixtures" / "ao3-download.html"
    ms = tmp_path / "ms"
    import_export(fixture, ms)
    cfg = load(ms)
    assert [m.kind for m in cfg.matter] == ["author_note"]
    assert "Thanks to my beta!" not in (ms / "chapters" / "01-the-call.md").read_text()
    hidden = build(ms, tmp_path / "hidden", ("html",), use_cache=False).outputs["html"]
    assert not (hidden / "author-note.html").exists()  # author_notes: hide, as the importer writes it
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text().replace("author_notes: hide", "author_notes: show"))
    shown = build(ms, tmp_path / "shown", ("html",), use_cache=False).outputs["html"]
    page = (shown / "author-note.html").read_text()
    assert "Thanks to my beta!" in page and "Author\u2019s Note" in page
    index = (shown / "index.html").read_text()
    assert index.index('href="author-note.html"') < index.index('href="chapter-01.html"')


@pytest.mark.parametrize("size, heights, warned", [
    ((300, 60), None, True),  # as a figure: 3.1 in wide at 96 dpi
    ((300, 60), (0.1375, True), False),  # as the ornament, 0.9em high: 436 dpi
    ((60, 12), (0.1375, True), True),  # too small even there: 87 dpi
    ((600, 800), (2.6, False), False),  # the author's photograph, at most 2.6 in high: 307 dpi
])
def test_print_resolution_of_ornament_and_photo(tmp_path, size, heights, warned):
    from PIL import Image

    from onephone_build.editions.print.images import low_resolution_warnings

    src = tmp_path / "i.png"
    Image.new("RGB", size).save(src)
    found = low_resolution_warnings({src: "images/001.png"}, ("5.5in", "8.5in"), {src: heights} if heights else None)
    assert bool(found) == warned


def test_lint_checks_matter_files_at_their_own_lines(tmp_path):
    from onephone_build.commands.lint import lint_manuscript

    ms = tmp_path / "ms"
    (ms / "matter").mkdir(parents=True)
    (ms / "one.md").write_text("# One\n\nAll well.\n")
    (ms / "matter" / "foreword.md").write_text("# Foreword\n\nFine here.\n\nHe said \u201chello.\n")
    (ms / "book.yaml").write_text("title: T\nauthor: A\nlanguage: en\nforeword: matter/foreword.md\n"
                                  "dedication: For you.\nchapters:\n  - one.md\n")
    found = [(f.path.name, f.line, f.rule) for f in lint_manuscript(ms)]
    assert [(n, line) for n, line, rule in found if rule.startswith("quote-")] == [("foreword.md", 5)]
    assert all(name != "one.md" for name, _, _ in found)
