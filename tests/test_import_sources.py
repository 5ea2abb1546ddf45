"""`import` for every source an author arrives with: AO3's HTML download and saved work
page, AO3 plain text, text in other encodings, Project Gutenberg, EPUB, Word. Each keeps
the metadata it carries, tells spacing from scene breaks, and gives a book that builds."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from onephone_build import config
from onephone_build.check import check_epub
from onephone_build.commands.importers.scenes import assemble
from onephone_build.model.document import plain_text
from onephone_build.read import load_book

from .conftest import run_cli
from .sources import docx, epub_book, para, run

FIXTURES = Path(__file__).parent / "fixtures"
DOWNLOAD = FIXTURES / "ao3-download.html"
WORK_PAGE = FIXTURES / "ao3-work-page.html"
GUTENBERG = FIXTURES / "tom-sawyer-gutenberg.txt"
def _png() -> bytes:
    """A real 1x1 PNG (the build decodes every image)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 180, 150)).save(buf, "PNG")
    return buf.getvalue()


PNG = _png()


def imported(src: Path, tmp_path: Path, name: str = "ms"):
    out = tmp_path / name
    proc = run_cli("import", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    proc.stdout += proc.stderr  # the summary is printed with the warnings, on stderr
    return out, proc, yaml.safe_load((out / "book.yaml").read_text(encoding="utf-8"))


def scenes(out: Path) -> list[list[str]]:
    """Per chapter, its scenes as the texts of their paragraphs (what the build sees)."""
    result = []
    for ch in load_book(config.load(out)).chapters:
        chapter = [[]]
        for b in ch.blocks:
            if b["t"] == "HorizontalRule":
                chapter.append([])
            elif b["t"] == "Para":
                chapter[-1].append(plain_text(b["c"]))
        result.append(chapter)
    return result


def manuscript_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((out / "chapters").glob("*.md")))


# --- AO3 --------------------------------------------------------------------------

def test_ao3_download_metadata(tmp_path):
    out, proc, meta = imported(DOWNLOAD, tmp_path)
    assert meta["title"] == "Calls After Midnight" and meta["author"] == "quietwriter"
    assert meta["description"] == "Two phone calls, one very long night."
    assert meta["language"] == "en"
    assert (meta["series"], meta["series_number"]) == ("Calls Home", 2)
    subjects = meta["subjects"]
    assert subjects["rating"] == ["Teen And Up Audiences"]
    assert subjects["warnings"] == ["No Archive Warnings Apply"]
    assert subjects["relationships"] == ["Bakugou Katsuki & Midoriya Izuku"]
    assert subjects["characters"] == ["Midoriya Izuku", "Bakugou Katsuki", "Midoriya Inko"]
    assert subjects["freeform"] == ["Hurt/Comfort", "Phone Calls"]
    assert "My Hero Academia" in subjects["fandoms"][0]
    titles = [plain_text(ch.title) for ch in load_book(config.load(out)).chapters]
    assert titles == ["The Call", "Morning"]  # "Chapter 1: The Call" split
    # the remote image is reported, never fetched
    assert "calls.png" in proc.stdout and "never fetched" in proc.stdout
    assert not (out / "images").exists()


def test_ao3_notes_and_summaries_kept_but_left_out_by_default(tmp_path):
    out, _, meta = imported(DOWNLOAD, tmp_path)
    assert (meta["author_notes"], meta["chapter_summaries"]) == ("hide", "hide")
    text = manuscript_text(out)
    for note in ("Thanks to my beta!", "This one is short.", "Next chapter: morning.", "Comments make my day.",
                 "Izuku calls home."):
        assert note in text
        assert all(note not in p for ch in scenes(out) for s in ch for p in s)
    assert run_cli("html", "-m", str(out), "-o", str(tmp_path / "hidden")).returncode == 0
    hidden = "".join(p.read_text() for p in (tmp_path / "hidden/html").glob("*.html"))
    assert "Thanks to my beta!" not in hidden and "Izuku calls home." not in hidden
    yml = (out / "book.yaml").read_text().replace("author_notes: hide", "author_notes: show")
    (out / "book.yaml").write_text(yml)
    assert run_cli("html", "-m", str(out), "-o", str(tmp_path / "shown")).returncode == 0
    shown = "".join(p.read_text() for p in (tmp_path / "shown/html").glob("*.html"))
    assert 'class="author-note"' in shown and "Thanks to my beta!" in shown
    assert "Izuku calls home." not in shown  # summaries stay hidden
    # the signature's opening dash is glued to its word (the typography), inside the alignment span
    assert 'class="align-right"><span class="nw">\u2014written</span> on the back of a receipt<' in shown


def test_double_spacing_is_not_a_scene_break(tmp_path):
    out, proc, _ = imported(DOWNLOAD, tmp_path)
    morning = scenes(out)[1]
    assert [len(s) for s in morning] == [7, 8]  # 12 empty paragraphs of spacing, one double gap
    assert re.search(r"Morning: 1 scene breaks, 12 empty paragraphs read as spacing", proc.stdout)


@pytest.mark.parametrize("tokens,expected", [
    ([("p", "a"), ("gap", 1), ("p", "b"), ("p", "c")], [1, 2]),  # a normal chapter: a gap is a break
    ([("p", "a"), ("gap", 1), ("p", "b")], [1, 1]),  # a short one too
    ([x for i in range(6) for x in (("p", str(i)), ("gap", 1))], [6]),  # double-spaced: all spacing
    ([("p", "a"), ("gap", 1), ("p", "b"), ("gap", 1), ("p", "c"), ("gap", 1), ("p", "d"), ("gap", 2),
      ("p", "e")], [4, 1]),  # what stands out from the habit is the break
    ([("p", "a"), ("gap", 1), ("p", "b"), ("gap", 1), ("p", "c"), ("gap", 1), ("p", "d"), ("break", None),
      ("gap", 1), ("p", "e")], [4, 1]),  # a marker always is
])
def test_spacing_or_scene_break(tokens, expected):
    assert [len(s) for s in assemble("t", tokens).scenes] == expected


def test_ao3_work_page(tmp_path):
    out, _, meta = imported(WORK_PAGE, tmp_path)
    assert meta["title"] == "The Last Train" and meta["author"] == "railfan"
    assert meta["language"] == "en-GB" and (meta["series"], meta["series_number"]) == ("Night Lines", 1)
    assert meta["description"] == "A conductor, a passenger, the last train home."
    assert meta["subjects"]["freeform"] == ["Trains", "Ficlet"]
    book = load_book(config.load(out))
    assert [plain_text(ch.title) for ch in book.chapters] == ["The Last Train"]  # a one-shot: not "One"
    assert [len(s) for s in scenes(out)[0]] == [2, 1]
    text = manuscript_text(out)
    assert "For the night-shift workers." in text and "Kudos are lovely." in text


def test_ao3_plain_text_byline_and_notes(tmp_path):
    src = tmp_path / "work.txt"
    src.write_text("The Long Way\nby Sam Author\n\nSummary:\n\nA walk home.\n\nNotes:\n\nFor my sister.\n\n"
                   "Chapter 1: Out\n\nChapter Text\n\nShe left at six.\n\nThe road was wet.\n\nNotes:\n\n"
                   "Thanks for reading!\n", encoding="utf-8")
    out, _, meta = imported(src, tmp_path)
    assert meta["author"] == "Sam Author" and meta["description"] == "A walk home."
    assert scenes(out) == [[["She left at six.", "The road was wet."]]]
    text = manuscript_text(out)
    assert "For my sister." in text and "Thanks for reading!" in text
    assert [plain_text(ch.title) for ch in load_book(config.load(out)).chapters] == ["Out"]


# --- encodings and Gutenberg --------------------------------------------------------

@pytest.mark.parametrize("codec,name", [("cp1252", "Windows-1252"), ("utf-16", "UTF-16"),
                                        ("utf-8-sig", "UTF-8 (with BOM)")])
def test_text_encodings(codec, name, tmp_path):
    src = tmp_path / "work.txt"
    src.write_bytes("Café Nights\n\nChapter Text\n\n“Hello,” she said—and smiled.\n".encode(codec))
    out, proc, meta = imported(src, tmp_path)
    assert meta["title"] == "Café Nights"
    assert scenes(out) == [[["“Hello,” she said—and smiled."]]]
    assert f"read as {name}" in proc.stdout


def test_undecidable_text_is_refused(tmp_path):
    src = tmp_path / "work.txt"
    src.write_bytes("Title\n\nText".encode("utf-16-le"))  # no BOM: could be anything
    proc = run_cli("import", str(src), "-o", str(tmp_path / "ms"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ") and "work.txt: " in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert not (tmp_path / "ms").exists()


def test_gutenberg(tmp_path):
    out, proc, meta = imported(GUTENBERG, tmp_path)
    assert meta["title"] == "The Adventures of Tom Sawyer, Complete" and meta["author"] == "Mark Twain"
    assert meta["rights"].startswith("Public domain in the USA.") and "#74" in meta["rights"]
    chapters = scenes(out)
    assert [plain_text(ch.title) for ch in load_book(config.load(out)).chapters] == ["Chapter I", "Chapter II"]
    assert len(chapters[0]) == 1 and len(chapters[0][0]) == 9  # hard-wrapped lines joined, 9 paragraphs
    assert [len(s) for s in chapters[1]] == [2, 1]  # the *   *   * break
    text = manuscript_text(out)
    assert "*through*" in text and "service--she" in text and "long-handled" in text
    assert "START OF" not in text and "LICENSE" not in text and "CONTENTS" not in text


def _pg(body: str) -> str:
    return ("Title: A Book\n\nAuthor: Some One\n\n*** START OF THE PROJECT GUTENBERG EBOOK A BOOK ***\n\n"
            + body + "\n\n*** END OF THE PROJECT GUTENBERG EBOOK A BOOK ***\n")


def test_gutenberg_contents_illustrations_and_preface(tmp_path):
    """The layout of the real pg74.txt: each contents entry a block of its own (so each
    looks like a heading), a list of illustrations after the last, a preface, then the
    chapters. The contents and the list are dropped, the preface kept under its name."""
    entries = "\n\n".join(f"CHAPTER {n}. The {n} Part—In Which\nSomething Happens" for n in ("I", "II", "III"))
    figures = "\n\n".join(f"Picture {n}" for n in range(40))
    chapters = "\n\n".join(f"CHAPTER {n}\n\n\nText of chapter {n}, which goes\non for a while." for n in ("I", "II", "III"))
    src = tmp_path / "pg.txt"
    src.write_text(_pg(f"A BOOK\n\nBy Some One\n\nCONTENTS\n\n{entries}\n\nILLUSTRATIONS\n\n{figures}\n\n"
                       f"PREFACE\n\nMost of this book really happened.\n\nTHE AUTHOR.\n\n{chapters}"), encoding="utf-8")
    out, proc, _ = imported(src, tmp_path)
    titles = [plain_text(ch.title) for ch in load_book(config.load(out)).chapters]
    assert titles == ["Preface", "Chapter I", "Chapter II", "Chapter III"]
    assert scenes(out)[0] == [["Most of this book really happened.", "THE AUTHOR."]]
    text = manuscript_text(out)
    assert "Picture 7" not in text and "In Which" not in text and "Text of chapter I, which goes on" in text
    assert "contents, illustrations" in proc.stdout


def test_gutenberg_illustrated_edition(tmp_path):
    """The layout of the real pg1342.txt (Pride and Prejudice, illustrated): a caption over
    several paragraphs with a copyright line in brackets of its own, a chapter's heading
    and the list of illustrations' heading set inside their heading pictures. Every
    illustration is dropped whole; the headings inside them are kept."""
    text = " ".join(["word"] * 40)
    src = tmp_path / "pg.txt"
    src.write_text(_pg(
        f"PREFACE.\n\n[Illustration]\n\nThe preface, {text}.\n\n[Illustration: List of Illustrations.]\n\n"
        "Frontispiece        iv\n\nHeading to Chapter I.        1\n\n"
        "[Illustration: \u00b7PRIDE AND PREJUDICE\u00b7\n\n\n\nChapter I.]\n\n"
        f"It is a truth universally acknowledged, {text}.\n\n[Illustration:\n\n\u201cHe came down to see the place\u201d\n\n"
        f"[_Copyright 1894 by George Allen._]]\n\nThis was invitation enough, {text}.\n\n"
        f"[Illustration: \u201cThe entreaties of several\u201d [_Copyright 1894 by George Allen._]]\n\n"
        f"CHAPTER II.\n\nMr. Bennet was among the earliest, {text}."), encoding="utf-8")
    out, proc, _ = imported(src, tmp_path)
    titles = [plain_text(ch.title) for ch in load_book(config.load(out)).chapters]
    assert titles == ["Preface", "Chapter I", "Chapter II"]
    text = manuscript_text(out)
    assert "Illustration" not in text and "Copyright" not in text and "Frontispiece" not in text
    assert "see the place" not in text and "He came down" not in text and "PRIDE AND" not in text
    assert "invitation enough" in text and "The preface" in text
    assert "5 [Illustration] placeholders" in proc.stdout


def test_gutenberg_marker_lines_indented(tmp_path):
    """pg1342.txt sets its END line indented, with the licence after it: the licence is
    not the last chapter's text."""
    text = " ".join(["word"] * 40)
    src = tmp_path / "pg.txt"
    src.write_text(f"Title: A Book\n\n  *** START OF THE PROJECT GUTENBERG EBOOK A BOOK ***\n\nCHAPTER I.\n\n{text}.\n\n"
                   "            *** END OF THE PROJECT GUTENBERG EBOOK A BOOK ***\n\n"
                   "Updated editions will replace the previous one--the old editions will be renamed.\n", encoding="utf-8")
    out, _, _ = imported(src, tmp_path)
    text = manuscript_text(out)
    assert "word word" in text and "Updated editions" not in text and "END OF" not in text


def test_gutenberg_chapter_numbers_that_restart_in_each_part_are_not_a_contents(tmp_path):
    """Parts whose headings are not recognised ('FIRST PART'), short chapters: chapter I
    is seen again soon, but with text after each heading."""
    text = " ".join(["word"] * 200)
    part = lambda p: f"{p} PART\n\n" + "\n\n".join(f"CHAPTER {n}\n\n{text}\n\n{text}" for n in ("I", "II"))
    src = tmp_path / "pg.txt"
    src.write_text(_pg(part("FIRST") + "\n\n" + part("SECOND")), encoding="utf-8")
    out, _, _ = imported(src, tmp_path)
    assert [plain_text(ch.title) for ch in load_book(config.load(out)).chapters] == [
        "Chapter I", "Chapter II", "Chapter I", "Chapter II"]


# --- EPUB ---------------------------------------------------------------------------

def test_epub_import(tmp_path):
    src = epub_book(tmp_path / "in.epub", "Glass Rooms", "Ada Pen", [
        ("chap_1.xhtml", "The Door", "<h2>The Door</h2><p>She opened <em>it</em>.</p><hr/><p>Later, rain.</p>"
                                     '<p><img src="images/map.png" alt="A map"/></p>'),
        ("chap_1_split_001.xhtml", "", "<p>The rest of the first chapter.</p>"),
        ("chap_2.xhtml", "The Window", "<p>Light came in.</p>")],
        series=("Rooms", 3), subjects=["Fantasy"], description="<p>A house of <b>glass</b>.</p>",
        images={"images/map.png": PNG})
    out, proc, meta = imported(src, tmp_path)
    assert (meta["title"], meta["author"], meta["language"]) == ("Glass Rooms", "Ada Pen", "en")
    assert meta["description"] == "A house of glass." and meta["subjects"] == {"freeform": ["Fantasy"]}
    assert (meta["series"], meta["series_number"]) == ("Rooms", 3)
    assert [plain_text(ch.title) for ch in load_book(config.load(out)).chapters] == ["The Door", "The Window"]
    assert scenes(out)[0] == [["She opened it."], ["Later, rain.", "A map", "The rest of the first chapter."]]  # the image, by its alt
    assert "*it*" in manuscript_text(out)
    assert (out / "images/map.png").read_bytes() == PNG
    assert "titlepage.xhtml" in proc.stdout  # the generated title page: not a chapter


def test_ao3_epub(tmp_path):
    """AO3's EPUB is its HTML download split into preface, chapters and afterword."""
    page = DOWNLOAD.read_text(encoding="utf-8")
    body = page[page.index("<body>") + 6:page.index("</body>")]
    preface = body[:body.index('<div id="chapters"')]
    chapters = body[body.index('<div id="chapters"'):body.index('<div id="afterword"')]
    afterword = body[body.index('<div id="afterword"'):]
    src = epub_book(tmp_path / "ao3.epub", "Calls After Midnight", "quietwriter", [
        ("preface.xhtml", "Preface", preface), ("chapters.xhtml", "Calls After Midnight", chapters),
        ("afterword.xhtml", "Afterword", afterword)], extra_front=False)
    out, _, meta = imported(src, tmp_path)
    assert (meta["series"], meta["series_number"]) == ("Calls Home", 2)
    assert meta["subjects"]["characters"] == ["Midoriya Izuku", "Bakugou Katsuki", "Midoriya Inko"]
    assert [plain_text(ch.title) for ch in load_book(config.load(out)).chapters] == ["The Call", "Morning"]
    assert "Comments make my day." in manuscript_text(out)


def test_epub_is_read_safely(tmp_path):
    """A member named '../…' is never read nor written; a broken zip is one error line."""
    good = epub_book(tmp_path / "in.epub", "Safe", "A. B", [("c.xhtml", "C", "<p>Text.</p>")])
    evil = tmp_path / "evil.epub"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(evil, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith(".opf"):
                data = data.replace(b'href="c.xhtml"', b'href="../../../c.xhtml"')
            zout.writestr(item, data)
        zout.writestr("../../../c.xhtml", b"<html><body><p>outside</p></body></html>")
    proc = run_cli("import", str(evil), "-o", str(tmp_path / "ms"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "no chapters" in proc.stderr
    assert not (tmp_path / "ms").exists() and not (tmp_path.parent / "c.xhtml").exists()
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    proc = run_cli("import", str(broken), "-o", str(tmp_path / "ms2"))
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1 and "broken.epub: " in proc.stderr


# --- Word ---------------------------------------------------------------------------

WORD = [
    para(run("The First Chapter"), style="Heading1"),
    para(run("“I didn’t—” she began. "), run("Never mind,", italic=True), run(" she said.")),
    para(run("It was "), run("very", bold=True), run(" late."),
         '<w:ins w:id="1" w:author="B"><w:r><w:t xml:space="preserve"> Inserted words.</w:t></w:r></w:ins>'),
    para(run("*"), align="center"),
    para(run("After the break."),
         '<w:del w:id="2" w:author="B"><w:r><w:delText xml:space="preserve"> Kept words.</w:delText></w:r></w:del>'),
    para(run("— M."), align="right"),
    para(run("The Second Chapter"), style="Heading1"),
    *[p for w in ("One.", "Two.", "Three.", "Four.") for p in (para(run(w)), para())],
    para(), para(run("Five.")),
]


def test_word_document(tmp_path):
    src = tmp_path / "novel.docx"
    src.write_bytes(docx(WORD, "A Word Book", "Dana Writer", comments=1))
    out, proc, meta = imported(src, tmp_path)
    assert (meta["title"], meta["author"]) == ("A Word Book", "Dana Writer")
    assert [plain_text(ch.title) for ch in load_book(config.load(out)).chapters] == [
        "The First Chapter", "The Second Chapter"]
    one, two = scenes(out)
    assert one == [["“I didn’t—” she began. Never mind, she said.", "It was very late."],
                   ["After the break. Kept words.", "— M."]]
    assert two == [["One.", "Two.", "Three.", "Four."], ["Five."]]  # spacing, then the double gap
    text = manuscript_text(out)
    assert "*Never mind,*" in text and "**very**" in text and "[— M.]{.align-right}" in text
    assert "Inserted" not in text
    assert "2 tracked changes" in proc.stderr and "1 comments" in proc.stderr


def test_old_word_format_is_refused(tmp_path):
    src = tmp_path / "old.doc"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    proc = run_cli("import", str(src), "-o", str(tmp_path / "ms"))
    assert proc.returncode == 1 and ".docx" in proc.stderr and "Traceback" not in proc.stderr


# --- every source builds a valid EPUB and lints to its real defects ---------------------

def _word(tmp_path):
    src = tmp_path / "novel.docx"
    src.write_bytes(docx(WORD, "A Word Book", "Dana Writer"))
    return src


def _epub(tmp_path):
    return epub_book(tmp_path / "in.epub", "Glass Rooms", "Ada Pen", [
        ("chap_1.xhtml", "The Door", '<p>She opened it.</p><p><img src="m.png" alt="A map"/></p>'),
        ("chap_2.xhtml", "The Window", "<p>Light came in.</p>")], images={"m.png": PNG}, series=("Rooms", 3))


@pytest.mark.parametrize("source", ["download", "work page", "gutenberg", "word", "epub"])
def test_imported_book_passes_epubcheck_and_lint(source, tmp_path):
    src = {"download": lambda t: DOWNLOAD, "work page": lambda t: WORK_PAGE, "gutenberg": lambda t: GUTENBERG,
           "word": _word, "epub": _epub}[source](tmp_path)
    out, _, _ = imported(src, tmp_path)
    proc = run_cli("epub", "-m", str(out), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    (epub_file,) = (tmp_path / "out").glob("*.epub")
    assert check_epub(epub_file) == []
    lint = run_cli("lint", "-m", str(out))
    assert lint.returncode in (0, 1) and "Traceback" not in lint.stderr, lint.stderr
    findings = [line for line in lint.stdout.splitlines() if re.match(r"\S+\.md:\d+:\d+: ", line)]
    assert len(findings) <= 3, findings  # these sources are clean: no artefacts of the import
