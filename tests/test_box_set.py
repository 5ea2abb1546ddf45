"""Box sets (issue 19, item 2): several books in one edition (book.yaml ``volumes:``), each
with its title page, its own dedication and epigraph, its chapters numbered from one and its
own running head, the contents nested by volume (and part) in EPUB, web and print, and the
print edition laid out in parts the same book as one straight pass."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

import pypdfium2 as pdfium
import pytest

from onephone_build.build import build
from onephone_build.check import check_ace, check_epub
from onephone_build.config import load
from onephone_build.editions.print import writer as pdf
from onephone_build.errors import BookError
from onephone_build.model.headings import plan
from onephone_build.pipeline import render

from .conftest import pdf_page_parts

LONG = "\n\n".join(["The carriage rocked and the lamps swung, and every station came and went without a "
                    "name; she counted them anyway, one by one, as if counting could bring the morning."] * 40)
TITLE, AUTHOR = "The Complete Crossing", "Ana Writer"
VOLUME_TITLES = ["The Outbound Train", "The Return Line"]
BOOK_YAML = f"""\
title: {TITLE}
author: {AUTHOR}
language: en
chapter_numbers: words
acknowledgements: matter/thanks.md
volumes:
  - title: {VOLUME_TITLES[0]}
    subtitle: A Book of Leaving
    dedication: For the first reader.
    epigraph:
      text: Every journey begins in the dark.
      attribution: A Conductor
    chapters:
      - one/a.md
      - one/b.md
  - title: {VOLUME_TITLES[1]}
    parts:
      - name: Away
        chapters: [two/c.md, two/d.md]
      - name: Home
        chapters: [two/e.md]
"""
CHAPTERS = {  # file -> (heading, text)
    "one/a.md": ("The Platform", LONG),
    "one/b.md": ("The Tunnel", "Dark, then light."),
    "two/c.md": ("The Far Shore", LONG),
    "two/d.md": ("The Inn", "A bed at last."),
    "two/e.md": ("The Door", "She knocked."),
}
FILES = {name: f"# {head}\n\n{text}\n" for name, (head, text) in CHAPTERS.items()} | {
    "matter/thanks.md": LONG + "\n"}


def _manuscript(root, book_yaml=BOOK_YAML, files=FILES):
    root.mkdir(parents=True, exist_ok=True)
    (root / "book.yaml").write_text(book_yaml, encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("boxset")
    ms = _manuscript(root / "ms")
    result = build(ms, root / "out", ("epub", "pdf", "html"), use_cache=False)
    z = zipfile.ZipFile(result.outputs["epub"])
    epub = {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))}
    web = {p.name: p.read_text(encoding="utf-8") for p in (root / "out" / "html").glob("*.html")}
    return ms, result, epub, web


@pytest.fixture(scope="module")
def pages(built):
    return pdf_page_parts(str(built[1].outputs["pdf"]))


# --- book.yaml ---------------------------------------------------------------------------

def test_volumes_config(built):
    cfg = load(built[0])
    assert [c.path.relative_to(cfg.root).as_posix() for c in cfg.chapters] == list(CHAPTERS)
    assert [(v.title, v.subtitle, v.first) for v in cfg.volumes] == [
        (VOLUME_TITLES[0], "A Book of Leaving", 0), (VOLUME_TITLES[1], "", 2)]
    # the second volume's parts point at the book's chapters, not the volume's
    assert [(p.name, p.first) for p in cfg.parts] == [("Away", 2), ("Home", 4)]
    assert [(m.kind, m.ident) for m in cfg.volumes[0].matter] == [
        ("dedication", "volume-01-dedication"), ("epigraph", "volume-01-epigraph")]
    assert cfg.volumes[1].matter == ()
    assert [m.kind for m in cfg.matter] == ["acknowledgements"]  # the book's own matter is apart


def _yaml_error(tmp_path, volumes: str) -> BookError:
    files = {"a.md": "# A\n\nText.\n", "b.md": "# B\n\nText.\n"}
    ms = _manuscript(tmp_path / "ms", "title: T\nauthor: A\nlanguage: en\n" + volumes, files)
    with pytest.raises(BookError) as e:
        load(ms)
    return e.value


@pytest.mark.parametrize("volumes, message, line", [
    ("volumes:\n  - title: One\n    chapters: [a.md]\n    colour: red\n",
     "unknown option 'colour' in volume 1", 7),
    ("volumes:\n  - title: One\n    chapters: [a.md]\n  - title: Two\n    chapter: [b.md]\n",
     "unknown option 'chapter' in volume 2 (did you mean 'chapters'?)", 8),
    ("volumes:\n  - chapters: [a.md]\n", "volume 1 needs a 'title'", 5),
    ("volumes:\n  - title: One\n", "volume 1 needs either 'chapters' or 'parts'", 5),
    ("volumes:\n  - title: One\n    chapters: [a.md]\n    parts:\n      - chapters: [b.md]\n",
     "volume 1 needs either 'chapters' or 'parts'", 7),
    ("volumes:\n  - title: One\n    chapters: a.md\n", "volume 1's 'chapters' must be a list", 6),
    ("volumes:\n  - title: [One]\n    chapters: [a.md]\n", "volume 1's 'title' must be a line of text", 5),
    ("volumes: [a.md]\n", "volume 1 must be a mapping", 4),
    ("volumes: {}\n", "'volumes' must be a list", 4),
    ("chapters: [a.md]\nvolumes:\n  - title: One\n    chapters: [b.md]\n",
     "give either 'volumes' or 'chapters'", 4),
    ("volumes:\n  - title: One\n    chapters: [a.md]\n  - title: Two\n    chapters: [a.md]\n",
     "chapter 'a.md' is listed twice (first on line 6)", 8),
    ("volumes:\n  - title: One\n    chapters: [a.md, gone.md]\n", "chapter 'gone.md' is listed but does not exist", 6),
    ("volumes:\n  - title: One\n    dedication: [1, 2]\n    chapters: [a.md]\n", "'dedication' must be", 6),
])
def test_volumes_errors_name_book_yaml_and_the_line(tmp_path, volumes, message, line):
    error = _yaml_error(tmp_path, volumes)
    assert message in error.message
    assert error.path.name == "book.yaml" and error.line == line
    assert f"book.yaml:{line}: " in str(error) and "\n" not in str(error)  # one line, naming the file and line


# --- numbering ---------------------------------------------------------------------------

def test_plan_restarts_the_count_at_each_volume():
    headings = [("The Platform", ()), ("Prologue", ()), ("The Tunnel", ()), ("The Far Shore", ()), None]
    labels = [h.label or h.title for h in plan(headings, "words", (3,))]
    assert labels == ["Chapter One", "", "Chapter Two", "Chapter One", "Chapter Two"]
    # without restarts the same headings count through
    assert [h.label for h in plan(headings, "words")][3:] == ["Chapter Three", "Chapter Four"]


def test_chapter_numbers_restart_in_each_volume_in_every_format(built, pages):
    _, _, epub, web = built
    want = ["Chapter One", "Chapter Two", "Chapter One", "Chapter Two", "Chapter Three"]
    for k, (label, (head, _)) in enumerate(zip(want, CHAPTERS.values()), 1):
        page = epub[f"EPUB/chapter-{k:02d}.xhtml"]
        assert f'<span class="chapter-number">{label}</span>' in page, (k, label)
        assert f"{label}: {head}" in re.search(r"<title>(.*?)</title>", page).group(1)
        assert f'<span class="chapter-number">{label}</span>' in web[f"chapter-{k:02d}.html"]
    texts = [t for _, _, t in pages]
    openings = [next(i for i, t in enumerate(texts) if t.startswith(f"{label}\n{head}"))
                for label, (head, _) in zip(want, CHAPTERS.values())]
    assert openings == sorted(openings)  # each found, in the book's order
    # part numbers restart too: the second volume's parts are its Part One and Part Two
    assert "Part One: Away" in epub["EPUB/nav.xhtml"] and "Part Two: Home" in epub["EPUB/nav.xhtml"]


def test_lint_and_stats_read_the_volumes_numbered_alike(built):
    from onephone_build.read import load_book

    book = load_book(load(built[0]))
    assert [c.label for c in book.chapters] == ["Chapter One", "Chapter Two", "Chapter One", "Chapter Two",
                                                "Chapter Three"]


def test_volume_labels(tmp_path):
    from onephone_build.render.frontmatter import volume_titles

    files = {"a.md": "# A\n\nText.\n", "b.md": "# B\n\nText.\n"}
    cfg = load(_manuscript(tmp_path / "ms", "title: T\nauthor: A\nlanguage: en\nvolumes:\n"
                           "  - {title: First, chapters: [a.md]}\n"
                           "  - {title: Second, label: The Sequel, chapters: [b.md]}\n", files))
    assert volume_titles(cfg) == [("Book One", "First"), ("The Sequel", "Second")]
    assert cfg.numbering_restarts == (0, 1)


# --- EPUB --------------------------------------------------------------------------------

def _spine(opf: str) -> list[str]:
    return re.findall(r'<itemref idref="([^"]+)"', opf)


def test_epub_spine_in_reading_order(built):
    spine = _spine(built[2]["EPUB/content.opf"])
    body = spine[spine.index("nav") + 1:spine.index("copyright")]
    assert body == ["volume-01", "matter-volume-01-dedication", "matter-volume-01-epigraph", "chapter-01",
                    "chapter-02", "volume-02", "part-01", "chapter-03", "chapter-04", "part-02", "chapter-05",
                    "matter-acknowledgements"]


NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}


def _nav_tree(ol) -> list:
    """A nav list as [(href, title, [children])]."""
    out = []
    for li in ol.findall("x:li", NS):
        a = li.find("x:a", NS)
        sub = li.find("x:ol", NS)
        out.append((a.get("href"), "".join(a.itertext()).strip(), _nav_tree(sub) if sub is not None else []))
    return out


def _ncx_tree(parent) -> list:
    return [(p.find("ncx:content", NS).get("src"), p.find("ncx:navLabel/ncx:text", NS).text,
             _ncx_tree(p)) for p in parent.findall("ncx:navPoint", NS)]


def _expected_tree(link, volume_matter=False) -> list:
    """The contents of the book; with ``volume_matter``, the first volume's dedication and
    epigraph listed in it (the web edition lists every page, as it does the book's own)."""
    chapter = lambda k, n: (link(f"chapter-{k:02d}"), f"{n}: {list(CHAPTERS.values())[k - 1][0]}", [])  # noqa: E731
    matter = [(link("volume-01-dedication"), "Dedication", []), (link("volume-01-epigraph"), "Epigraph", [])]
    return [
        (link("volume-01"), f"Book One: {VOLUME_TITLES[0]}", (matter if volume_matter else [])
         + [chapter(1, "Chapter One"), chapter(2, "Chapter Two")]),
        (link("volume-02"), f"Book Two: {VOLUME_TITLES[1]}", [
            (link("part-01"), "Part One: Away", [chapter(3, "Chapter One"), chapter(4, "Chapter Two")]),
            (link("part-02"), "Part Two: Home", [chapter(5, "Chapter Three")]),
        ]),
        (link("acknowledgements"), "Acknowledgements", []),
    ]


def test_epub_nav_and_ncx_nest_chapters_under_parts_under_volumes(built):
    epub = built[2]
    nav = ET.fromstring(epub["EPUB/nav.xhtml"])
    toc = next(n for n in nav.iter(f"{{{NS['x']}}}nav") if n.get(f"{{{NS['epub']}}}type") == "toc")
    assert _nav_tree(toc.find("x:ol", NS)) == _expected_tree(lambda ident: f"{ident}.xhtml")
    ncx = ET.fromstring(epub["EPUB/toc.ncx"].encode())
    assert _ncx_tree(ncx.find("ncx:navMap", NS)) == _expected_tree(lambda ident: f"{ident}.xhtml")
    # a volume's page is a part of the book, its dedication a dedication
    assert 'epub:type="part" role="doc-part"' in epub["EPUB/volume-01.xhtml"]
    assert f'<span class="part-name">{VOLUME_TITLES[0]}</span>' in epub["EPUB/volume-01.xhtml"]
    assert 'epub:type="dedication"' in epub["EPUB/volume-01-dedication.xhtml"]
    assert "For the first reader." in epub["EPUB/volume-01-dedication.xhtml"]
    assert "Every journey begins in the dark." in epub["EPUB/volume-01-epigraph.xhtml"]


def test_epubcheck_and_ace_clean(built):
    assert check_epub(built[1].outputs["epub"]) == []
    assert check_ace(built[1].outputs["epub"]) == []


# --- web ---------------------------------------------------------------------------------

class _Contents(HTMLParser):
    """Nested <ol> lists of links as [[href, title, [children]]]."""

    def __init__(self):
        super().__init__()
        self.root, self.lists, self.text = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "ol":  # the top list, or the children of the item it is in
            self.lists.append(self.lists[-1][-1][2] if self.lists else self.root)
        elif tag == "a":
            self.lists[-1].append([dict(attrs)["href"], "", []])
            self.text = ""

    def handle_data(self, data):
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "a":
            self.lists[-1][-1][1], self.text = self.text.strip(), None
        elif tag == "ol":
            self.lists.pop()


def _tuples(items) -> list:
    return [(href, title, _tuples(children)) for href, title, children in items]


def _web_contents(index: str) -> list:
    nav = index[index.index('<nav id="contents"'):]
    nav = nav[nav.index("<ol>"):nav.index("</nav>")]
    parser = _Contents()
    parser.feed(re.sub(r"<details.*?</details>", "", nav, flags=re.S))
    return _tuples(parser.root)


def test_web_contents_nest_and_pages_follow_the_reading_order(built):
    web = built[3]
    assert _web_contents(web["index.html"]) == _expected_tree(lambda ident: f"{ident}.html", volume_matter=True)
    order = ["volume-01", "volume-01-dedication", "volume-01-epigraph", "chapter-01", "chapter-02", "volume-02",
             "part-01", "chapter-03", "chapter-04", "part-02", "chapter-05", "acknowledgements"]
    for a, b in zip(order, order[1:]):
        assert f'<link rel="next" href="{b}.html">' in web[f"{a}.html"], (a, b)
    assert "A Book of Leaving" in web["volume-01.html"]


# --- print -------------------------------------------------------------------------------

def _opening(texts: list[str], start: str) -> int:
    return next(i for i, t in enumerate(texts) if t.startswith(start))


def test_print_volume_title_pages_are_bare_rectos_with_their_matter(pages):
    texts = [t for _, _, t in pages]
    for label, title in zip(("Book One", "Book Two"), VOLUME_TITLES):
        i = _opening(texts, f"{label}\n{title}")
        assert i % 2 == 0, f"{title}: page {i + 1} is a verso"
        assert pages[i][:2] == ("", "")  # no running head, no folio
        assert texts[i + 1].strip() == ""  # its verso blank
    one = _opening(texts, f"Book One\n{VOLUME_TITLES[0]}")
    assert "A Book of Leaving" in texts[one]
    # the volume's own dedication, then its epigraph, each a bare recto after its title page
    dedication = _opening(texts, "For the first reader.")
    epigraph = _opening(texts, "Every journey begins in the dark.")
    assert one < dedication < epigraph < _opening(texts, "Chapter One\nThe Platform")
    for i in (dedication, epigraph):
        assert i % 2 == 0 and pages[i][:2] == ("", "")
    # the second volume's parts are part pages inside it
    two = _opening(texts, f"Book Two\n{VOLUME_TITLES[1]}")
    away = _opening(texts, "Part One\nAway")
    assert _opening(texts, "Chapter Two\nThe Tunnel") < two < away < _opening(texts, "Chapter One\nThe Far Shore")
    assert away % 2 == 0 and pages[away][:2] == ("", "")


def test_print_running_heads_carry_each_volumes_title(pages):
    texts = [t for _, _, t in pages]
    spans = [("Chapter One\nThe Platform", VOLUME_TITLES[0]), ("Chapter One\nThe Far Shore", VOLUME_TITLES[1]),
             ("Acknowledgements", TITLE)]
    for start, recto_head in spans:
        i = _opening(texts, start)
        assert pages[i][:2] == ("", "")  # an opening carries none
        following = range(i + 1, next((k for k in range(i + 1, len(pages)) if not pages[k][0]), len(pages)))
        assert len(following) >= 2, f"{start!r} should run over a spread"
        for k in following:
            head, folio, _ = pages[k]
            assert folio == str(k + 1)
            assert head == (recto_head if k % 2 == 0 else AUTHOR), (start, k + 1, head)


def test_print_contents_nest_volumes_parts_and_chapters(pages):
    texts = [t for _, _, t in pages]
    contents = next(t for t in texts if t.startswith("Contents"))
    lines = [line for line in contents.split("\n")[1:] if line.strip()]
    want = [("Book One: " + VOLUME_TITLES[0], "Book One\n" + VOLUME_TITLES[0]),
            ("Chapter One: The Platform", "Chapter One\nThe Platform"),
            ("Chapter Two: The Tunnel", "Chapter Two\nThe Tunnel"),
            ("Book Two: " + VOLUME_TITLES[1], "Book Two\n" + VOLUME_TITLES[1]),
            ("Part One: Away", "Part One\nAway"),
            ("Chapter One: The Far Shore", "Chapter One\nThe Far Shore"),
            ("Chapter Two: The Inn", "Chapter Two\nThe Inn"),
            ("Part Two: Home", "Part Two\nHome"),
            ("Chapter Three: The Door", "Chapter Three\nThe Door"),
            ("Acknowledgements", "Acknowledgements")]
    assert len(lines) == len(want)  # a volume's own dedication and epigraph are not listed
    for line, (entry, start) in zip(lines, want):
        assert re.fullmatch(rf"{re.escape(entry)}[ .]*{_opening(texts, start) + 1}", line), (line, entry)


def _outline(data) -> list[tuple[int, str, int]]:
    doc = pdfium.PdfDocument(data)
    return [(item.level, item.get_title(), item.get_dest().get_index()) for item in doc.get_toc()]


def test_pdf_bookmarks_nest_chapters_under_parts_under_volumes(built, pages):
    texts = [t for _, _, t in pages]
    body = [(level, title, page) for level, title, page in _outline(built[1].outputs["pdf"].read_bytes())
            if page >= _opening(texts, "Book One")]
    at = lambda start: _opening(texts, start)  # noqa: E731
    assert body == [
        (0, f"Book One: {VOLUME_TITLES[0]}", at("Book One")),
        (1, "Chapter One The Platform", at("Chapter One\nThe Platform")),
        (1, "Chapter Two The Tunnel", at("Chapter Two\nThe Tunnel")),
        (0, f"Book Two: {VOLUME_TITLES[1]}", at("Book Two")),
        (1, "Part One Away", at("Part One\nAway")),
        (2, "Chapter One The Far Shore", at("Chapter One\nThe Far Shore")),
        (2, "Chapter Two The Inn", at("Chapter Two\nThe Inn")),
        (1, "Part Two Home", at("Part Two\nHome")),
        (2, "Chapter Three The Door", at("Chapter Three\nThe Door")),
        (0, "Acknowledgements", at("Acknowledgements")),
    ]


def test_parallel_parts_are_the_single_pass_page_for_page(built):
    r = render(built[0])
    single, parallel = pdf.build_pdf_single(r), pdf.build_pdf(r, jobs=2)
    a, b = pdf_page_parts(io.BytesIO(single)), pdf_page_parts(io.BytesIO(parallel))
    assert len(a) == len(b) > 20
    for i, (x, y) in enumerate(zip(a, b), 1):
        assert x == y, f"page {i} differs"
    assert _outline(parallel) == _outline(single)
    assert {head for head, _, _ in a} >= {AUTHOR, TITLE, *VOLUME_TITLES}


def test_a_book_without_volumes_is_unchanged(tmp_path):
    """No volumes: no volume pages, the numbering counts through the book."""
    ms = _manuscript(tmp_path / "ms", f"title: {TITLE}\nauthor: {AUTHOR}\nlanguage: en\nchapter_numbers: words\n"
                     "chapters:\n" + "".join(f"  - {name}\n" for name in CHAPTERS), FILES)
    r = render(ms)
    assert r.volumes == [] and [u for u in r.reading_order()] == r.chapters
    assert [rc.title.split(":")[0] for rc in r.chapters] == [
        "Chapter One", "Chapter Two", "Chapter Three", "Chapter Four", "Chapter Five"]


def test_an_edited_chapter_rebuilt_from_the_cache_is_the_fresh_book(tmp_path):
    """The per-volume furniture sheets and the chapters come back from the cache under
    their own keys: after an edit the cached build is the book a clean build makes."""
    ms = _manuscript(tmp_path / "ms")
    build(ms, tmp_path / "out", ("pdf",))
    (ms / "two" / "d.md").write_text(f"# The Inn\n\n{LONG}\n", encoding="utf-8")  # now runs over pages
    cached = build(ms, tmp_path / "out", ("pdf",)).outputs["pdf"]
    fresh = build(ms, tmp_path / "fresh", ("pdf",), use_cache=False).outputs["pdf"]
    a, b = pdf_page_parts(str(cached)), pdf_page_parts(str(fresh))
    assert a == b
    inn = _opening([t for _, _, t in a], "Chapter Two\nThe Inn")
    assert a[inn + 2][0] == VOLUME_TITLES[1] and a[inn + 1][0] == AUTHOR  # its pages under its volume's head
