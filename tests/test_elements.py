"""Notes, links, other scripts, the pages around the story and the EPUB's navigation, on a
small book nobody here wrote (Tom Sawyer's opening, with notes and words in other scripts)."""

from __future__ import annotations

import re

import io
import json
import zipfile

import pdfplumber
import pikepdf
import pytest

from onephone_build.build import build
from onephone_build.check import check_epub, check_html
from onephone_build.errors import BookError

from .conftest import run_cli, write_manuscript

ONE = """\
# Chapter I

“TOM!”

No answer.[^a] The old lady pulled her spectacles down and looked over them about the
room; then she put them up and looked out under them.[^b]

Read it at [Gutenberg](https://www.gutenberg.org/ebooks/74?x=1&y=2) or write to
<mailto:someone@example.org>.

[^a]: Tom is hiding in the closet.
[^b]: A note of two paragraphs.

    Its second paragraph.
"""
TWO = """\
# Chapter II

Saturday morning was come.[^c] He called him 先輩 and sent 😀 at 10:45, #3.

Greek λόγος, Cyrillic слово, Hebrew שלום, Arabic سلام.

[^c]: The first note of this chapter.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("elements")
    ms = write_manuscript(root / "ms", {"chapters/01.md": ONE, "chapters/02.md": TWO},
                          title="The Adventures of Tom Sawyer", author="Mark Twain", date='"1876"',
                          rights="This text is in the public domain.")
    build(ms, root / "out", ("epub", "pdf", "html"), use_cache=False)
    out = root / "out"
    z = zipfile.ZipFile(out / "the-adventures-of-tom-sawyer.epub")
    epub = {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xhtml", ".opf"))}
    web = {p.name: p.read_text(encoding="utf-8") for p in (out / "html").glob("*.html")}
    return out, epub, web


def _pages(out) -> list[str]:
    with pdfplumber.open(out / "the-adventures-of-tom-sawyer.pdf") as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def test_epub_notes_are_popup_footnotes_with_back_links(built):
    out, epub, _ = built
    ch = epub["EPUB/chapter-01.xhtml"]
    assert ch.count('epub:type="noteref"') == 2 and ch.count('<aside class="footnote"') == 2
    assert ch.count('epub:type="footnote"') == 2
    assert 'href="#chapter-01-note1"' in ch and 'id="chapter-01-ref1"' in ch
    assert 'href="#chapter-01-ref2" role="doc-backlink">2.</a>' in ch
    assert "\u21a9" not in "".join(epub.values())
    assert check_epub(out / "the-adventures-of-tom-sawyer.epub") == []


def test_web_notes_at_the_chapter_end(built):
    out, _, web = built
    page = web["chapter-01.html"]
    assert page.index("Tom is hiding") > page.index("looked out under them")
    assert 'href="#chapter-01-ref1" role="doc-backlink"' in page and "epub:type" not in page
    assert check_html(out / "html") == []


def test_print_notes_at_the_foot_of_their_page_numbered_per_chapter(built):
    out, _, _ = built
    pages = _pages(out)
    one = next(p for p in pages if "No answer" in p)
    assert "Tom is hiding in the closet." in one and "Its second paragraph." in one
    assert one.index("Tom is hiding") > one.index("under them.2")  # below the text, called by number
    assert "1. Tom is hiding" in one and "2. A note of two paragraphs." in one
    two = next(p for p in pages if "Saturday morning" in p)
    assert "1. The first note of this chapter." in two  # numbering starts again


def test_web_links_stay_links_on_screen_and_text_in_print(built):
    out, epub, web = built
    href = 'href="https://www.gutenberg.org/ebooks/74?x=1&amp;y=2"'
    assert href in epub["EPUB/chapter-01.xhtml"] and href in web["chapter-01.html"]
    assert 'href="mailto:someone@example.org"' in web["chapter-01.html"]
    pdf = pikepdf.open(out / "the-adventures-of-tom-sawyer.pdf")
    uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A]
    assert uris == []
    assert any("Read it at Gutenberg" in p for p in _pages(out))


def test_other_scripts_print_in_the_fallback_faces(built):
    out, _, _ = built
    with pdfplumber.open(out / "the-adventures-of-tom-sawyer.pdf") as pdf:
        page = next(p for p in pdf.pages if "Saturday" in (p.extract_text() or ""))
        faces = {c["text"]: c["fontname"].split("+")[-1] for c in page.chars}
    assert "CJK" in faces["先"] and "CJK" in faces["輩"]
    assert "Emoji" in faces["😀"]
    assert "Hebrew" in faces["ש"] and "Arabic" in faces["س"]
    assert "Garamond" in faces["λ"] and "Garamond" in faces["с"]
    assert all("Garamond" in faces[c] for c in "1045#")  # digits are not set as emoji


def test_a_glyph_no_face_has_is_reported_everywhere_in_text_order(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {
        "chapters/01.md": "# One\n\nA kanji 先 here.\n\nAnd 輩 there, 先 again.\n",
        "chapters/02.md": "# Two\n\nNone here, one there: 輩.\n"})
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text() + "fonts:\n  fallback: [Noto Serif]\n")
    with pytest.raises(BookError) as e:
        build(ms, tmp_path / "out", ("pdf",), use_cache=False)
    lines = str(e.value).splitlines()
    assert "2 characters" in lines[0]
    places = [line.split(": ")[0].rsplit("/", 1)[-1] for line in lines[1:]]
    assert places == ["01.md:3:9", "01.md:5:5", "01.md:5:14", "02.md:3:23"]
    assert not (tmp_path / "out" / "test-book.pdf").exists()


def test_fallback_faces_must_be_a_list_of_names(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "# One\n\nText.\n"})
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text() + "fonts:\n  fallback: Noto Serif\n")
    with pytest.raises(BookError, match=r"book.yaml:\d+: 'fonts.fallback' must be a list"):
        build(ms, tmp_path / "out", ("pdf",), use_cache=False)


def test_pages_around_the_story_come_from_this_book_and_edition(built):
    out, epub, web = built
    opf = epub["EPUB/content.opf"]
    summary = opf.split('property="schema:accessibilitySummary">')[1].split("<")[0]
    assert "novella" not in summary and "voicemail" not in summary and "radio" not in summary
    assert "linked both ways" in summary
    copyright_ = epub["EPUB/copyright.xhtml"]
    assert "This text is in the public domain." in copyright_ and "\u00a9" not in copyright_
    assert "Set in" not in copyright_ and "Set in" not in web["index.html"]
    front = "".join(_pages(out)[:6])
    assert "Set in EB Garamond" in front and "\u00a9" not in front


def test_epub_navigation_as_reading_systems_show_it(built):
    _, epub, _ = built
    nav = epub["EPUB/nav.xhtml"]
    assert '<nav epub:type="landmarks" hidden="">' in nav
    assert "<title>Contents</title>" in nav and "<h2>Contents</h2>" in nav
    assert 'href="styles/epub.css"' in nav
    assert re.search(r"<package [^>]*xml:lang=\"en-US\"", epub["EPUB/content.opf"])


def test_transcript_styles_in_the_epub_follow_the_reader_theme():
    from onephone_build.editions.assets import stylesheet

    css = stylesheet("epub.css").read_text()
    assert "#555" not in css
    assert "content: attr(aria-label)" in css  # the transcript's name is shown
    sender = css.split(".message .sender {")[1].split("}")[0]
    assert "display: block" in sender


def test_links_that_are_not_addresses_or_leave_the_manuscript(tmp_path):
    bad = {"[x](https://)": "is not a valid web or mail address",
           "<a href=\"mailto:nobody\">x</a>": "is not a valid web or mail address",
           "[x](../../etc/passwd)": "points outside the manuscript directory",
           "[x](file:///etc/passwd)": "leaves the book"}
    for i, (md, msg) in enumerate(bad.items()):
        ms = write_manuscript(tmp_path / f"ms{i}", {"chapters/01.md": f"# One\n\nSee {md} now.\n"})
        with pytest.raises(BookError, match=msg):
            build(ms, tmp_path / f"out{i}", ("html",), use_cache=False)
    ms = write_manuscript(tmp_path / "ok", {"chapters/01.md": "# One\n\nSee [the notes](notes.txt).\n",
                                            "notes.txt": "x"})
    result = build(ms, tmp_path / "okout", ("html",), use_cache=False)
    assert any("set as plain text" in w for w in result.warnings)
    assert "See the notes." in (tmp_path / "okout/html/chapter-01.html").read_text()


def test_global_options_after_the_command_and_lint_json(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "# One\n\nShe said \"hello.\n"})
    proc = run_cli("html", "-m", str(ms), "-o", str(tmp_path / "out"), "-q")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and "html:" not in proc.stderr
    for args in (("--json", "lint", "-m", str(ms)), ("lint", "-m", str(ms), "--json")):
        proc = run_cli(*args)
        data = json.loads(proc.stdout)
        assert data["findings"] and data["findings"][0]["path"].endswith("01.md"), args
    proc = run_cli("lint", "--list", cwd=tmp_path)  # no manuscript/ here
    assert proc.returncode == 0 and "quotes" in proc.stdout
    proc = run_cli("lint", cwd=tmp_path)
    assert proc.returncode == 2


def test_counts_are_singular_for_one(tmp_path):
    export = tmp_path / "e.txt"
    export.write_text("A Book: Its Title\n\nChapter Text\nHello there.\n", encoding="utf-8")
    proc = run_cli("import", str(export), "-o", str(tmp_path / "ms"))
    assert proc.returncode == 0, proc.stderr
    assert "1 chapter, 1 scene" in proc.stdout + proc.stderr


def test_images_fit_the_page_keep_their_caption_and_warn_below_300_dpi(tmp_path):
    from PIL import Image

    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": (
        "# One\n\nBefore.\n\n![A red square, the caption](img/red.png)\n\nAfter.\n\n"
        "![A sharp one](img/sharp.png)\n")})
    (ms / "chapters/img").mkdir()
    Image.new("RGB", (600, 400), (200, 60, 60)).save(ms / "chapters/img/red.png")
    Image.new("RGB", (1500, 900), (60, 60, 200)).save(ms / "chapters/img/sharp.png")
    result = build(ms, tmp_path / "out", ("epub", "pdf", "html"), use_cache=False)
    low = [w for w in result.warnings if "dpi" in w]
    assert len(low) == 1 and "red.png" in low[0] and "150 dpi" in low[0]
    page = (tmp_path / "out/html/chapter-01.html").read_text()
    assert ('<figure class="figure"><img src="images/001.png" alt="A red square, the caption"/>'
            "<figcaption>A red square, the caption</figcaption></figure>") in page
    with pdfplumber.open(tmp_path / "out/test-book.pdf") as pdf:
        shown = [(p, im) for p in pdf.pages for im in p.images]
        assert len(shown) == 2
        for p, im in shown:
            assert im["x1"] - im["x0"] <= p.width - 1.5 * 72 + 0.5  # within the text block
            text = p.extract_text()
            assert ("A red square, the caption" in text) or ("A sharp one" in text)  # same page


def test_a_missing_image_says_paths_are_relative_to_the_chapter(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "# One\n\n![x](img/none.png)\n"})
    with pytest.raises(BookError, match=r"01\.md:3:\d+: image 'img/none.png' does not exist \(image paths "
                                        r"are relative to the chapter file: this one looks for "
                                        r"chapters/img/none.png\)"):
        build(ms, tmp_path / "out", ("html",), use_cache=False)
