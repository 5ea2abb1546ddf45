"""The store editions (kindle, kobo, apple, google and the generic epub): one parse for all,
each with its store's characters, markup, CSS, limits and links, each passing epubcheck and
DAISY Ace with nothing to report."""

from __future__ import annotations

import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from lxml import etree

from onephone_build.build import build
from onephone_build.check import check_epub
from onephone_build.check.ace import TOOLS, check_ace
from onephone_build.config.editions import BY_NAME, STORES
from onephone_build.editions.epub import stores
from onephone_build.editions.epub.kobo import add_spans, sentences
from onephone_build.errors import BookError

from .conftest import run_cli, write_manuscript

STORE_EDITIONS = tuple(e.name for e in STORES.values())  # epub, kindle, kobo, apple, google
XHTML = "{http://www.w3.org/1999/xhtml}"

# U+2060 before a space, U+FEFF inside a word, a soft hyphen, U+2011, a note, sentences
CHAPTER = ("# The First\n\nHe said\u2060 nothing. A zero\ufeffwidth. She ran\u2014and ran.\n\n"
           "A co\u00adoperative well\u2011known word[^1] sat there. Then? Nothing.\n\n"
           "> \u201cStop!\u201d she said\u2026 Then he went.\n\n[^1]: A note.\n")
BOOK_YAML = {
    "publisher": "Small Press",
    "identifier": "urn:isbn:9780306406157",
    "description": "A short test of every store's edition.",
    "stores": "{kindle: 'https://www.amazon.com/dp/B000TEST01', kobo: 'https://www.kobo.com/ebook/test', "
              "generic: 'https://example.org/test-book'}",
    "also_by": "[{title: The Second Book, stores: {kindle: 'https://www.amazon.com/dp/B000TEST02', "
               "apple: 'https://books.apple.com/book/id2', generic: 'https://example.org/second'}}, "
               "{title: Unlinked}]",
    "accessibility": "{certified_by: Jane Auditor, exemption: eaa-microenterprise}",
}


@pytest.fixture(scope="session")
def stores_build(tmp_path_factory):
    """Every store edition of one small manuscript, built by one call (one parse)."""
    root = tmp_path_factory.mktemp("stores")
    ms = write_manuscript(root / "ms", {"one.md": CHAPTER}, **BOOK_YAML)
    from onephone_build import pipeline

    finishes = []
    real = pipeline.Rendering.finish
    pipeline.Rendering.finish = lambda self, *a, **k: finishes.append(1) or real(self, *a, **k)
    try:
        result = build(ms, root / "out", STORE_EDITIONS, use_cache=False)
    finally:
        pipeline.Rendering.finish = real
    result.finishes = len(finishes)
    return result


@pytest.fixture(scope="session")
def validated(stores_build):
    """epubcheck and Ace, once per edition, in parallel."""
    ace = (TOOLS / "node_modules" / "@daisy" / "ace-cli").is_dir()
    with ThreadPoolExecutor(4) as pool:
        epubcheck = {n: pool.submit(check_epub, p) for n, p in stores_build.outputs.items()}
        aces = {n: pool.submit(check_ace, p) for n, p in stores_build.outputs.items()} if ace else {}
        return ({n: f.result() for n, f in epubcheck.items()}, {n: f.result() for n, f in aces.items()})


def files(stores_build, name) -> dict[str, bytes]:
    with zipfile.ZipFile(stores_build.outputs[name]) as z:
        return {n: z.read(n) for n in z.namelist()}


def chapter(stores_build, name) -> str:
    return files(stores_build, name)["EPUB/chapter-01.xhtml"].decode()


def test_all_store_editions_come_from_one_parse(stores_build):
    assert stores_build.finishes == 1
    assert [p.name for p in stores_build.outputs.values()] == [
        "test-book.epub", "test-book.kindle.epub", "test-book.kepub.epub", "test-book.apple.epub",
        "test-book.google.epub"]


@pytest.mark.parametrize("name", STORE_EDITIONS)
def test_each_edition_passes_epubcheck_with_no_message(validated, name):
    assert validated[0][name] == []


@pytest.mark.parametrize("name", STORE_EDITIONS)
def test_each_edition_has_no_ace_violation(validated, name):
    if not validated[1]:
        pytest.skip("DAISY Ace is not installed in tools/node (make setup installs it)")
    assert validated[1][name] == []


def test_ace_reports_a_package_without_xml_lang(tmp_path, monkeypatch):
    if not (TOOLS / "node_modules" / "@daisy" / "ace-cli").is_dir():
        pytest.skip("DAISY Ace is not installed in tools/node (make setup installs it)")
    monkeypatch.setattr(stores, "package_lang", lambda opf, lang: opf)
    ms = write_manuscript(tmp_path / "ms", {"one.md": "# One\n\nText.\n"})
    path = build(ms, tmp_path / "out", ("epub",), use_cache=False).outputs["epub"]
    assert any("epub-lang" in i.message for i in check_ace(path))


def test_kindle_has_no_joiner_nor_bom_and_declares_utf8(stores_build):
    for name, data in files(stores_build, "kindle").items():
        if name.endswith((".xhtml", ".opf", ".ncx")):
            text = data.decode()
            assert "\ufeff" not in text and "\u2060" not in text, name
            assert text.startswith(("<?xml version='1.0' encoding='utf-8'?>", '<?xml version="1.0" encoding="utf-8"?>')), name
            assert "<!--" not in text, name
            assert not re.search(r"<body[^>]*\bid=", text), name
    assert "zerowidth" in chapter(stores_build, "kindle")
    assert "zero\ufeffwidth" in chapter(stores_build, "epub")  # the generic edition keeps it


def test_kindle_drops_comments_that_the_writer_might_leave():
    page = b'<?xml version="1.0" encoding="utf-8"?>\n<html><!-- a -- b --><body><p>x</p></body></html>'
    assert b"<!--" not in stores.adapt("EPUB/a.xhtml", page, "kindle", "en")
    assert b"<!--" in stores.adapt("EPUB/a.xhtml", page, "google", "en")


def test_kobo_wraps_every_sentence_in_a_numbered_kobospan(stores_build):
    root = etree.fromstring(chapter(stores_build, "kobo").encode())
    body = root.find(f"{XHTML}body")
    ids = [s.get("id") for s in body.iter(f"{XHTML}span") if s.get("class") == "koboSpan"]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"kobo\.\d+\.\d+", i) for i in ids)
    for el in body.iter():
        for text, holder in ((el.text, el), (el.tail if el is not body else None, el.getparent())):
            if text and text.strip():
                inside = [a for a in [holder, *holder.iterancestors()] if a.get("class") == "koboSpan"]
                assert inside, f"text outside a koboSpan: {text!r}"
    spans = {s.get("id"): "".join(s.itertext()) for s in body.iter(f"{XHTML}span") if s.get("class") == "koboSpan"}
    assert "Then? " in spans.values() and "Nothing." in spans.values()


def test_kobo_characters_and_css(stores_build):
    f = files(stores_build, "kobo")
    text = f["EPUB/chapter-01.xhtml"].decode()
    assert "\u00ad" not in text and "\u2011" not in text and "cooperative" in text
    css = f["EPUB/styles/epub.css"].decode()
    assert not re.search(r"(?<![-\w])break-(before|after|inside)\s*:", css)
    assert "page-break-before: always" in css
    assert "\u00ad" in chapter(stores_build, "epub")  # only Kobo loses soft hyphens
    assert re.search(r"(?<![-\w])break-before\s*:", files(stores_build, "epub")["EPUB/styles/epub.css"].decode())


def test_kobo_turns_a_leftover_non_breaking_hyphen_into_a_nowrap_span():
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
            '<title>A\u2011B</title></head><body><p>x\u2011ray</p></body></html>').encode()
    out = stores.adapt("EPUB/a.xhtml", page, "kobo", "en").decode()
    assert "<title>A-B</title>" in out and '<span class="nw"><span class="koboSpan" id="kobo.1.1">x-ray' in out


def test_sentences_split_after_closing_quotes_and_keep_every_character():
    text = "\u201cStop!\u201d she said\u2026 Then? No. trailing"
    assert sentences(text) == ["\u201cStop!\u201d ", "she said\u2026 ", "Then? ", "No. ", "trailing"]
    assert "".join(sentences("  a. b ")) == "  a. b "
    assert add_spans('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>  </p></body></html>').count("koboSpan") == 0


def test_apple_marks_notes_for_pop_ups(stores_build):
    """Apple Books pops a note up only for epub:type="footnote" (every EPUB edition has it);
    a back-link arrow, where the text has one, is kept from being drawn as an emoji."""
    apple = chapter(stores_build, "apple")
    assert re.search(r'<a (?=[^>]*epub:type="noteref")[^>]*href="#chapter-01-note1"', apple)
    assert re.search(r'<aside (?=[^>]*epub:type="footnote")[^>]*id="chapter-01-note1"[^>]*><p>.*A note', apple)
    assert not re.search("\u21a9(?!\ufe0e)", apple)
    assert stores.adapt("EPUB/x.xhtml", "<p>back \u21a9</p>".encode(), "apple", "en") == \
        "<p>back \u21a9\ufe0e</p>".encode()


def test_size_limit_is_an_error_before_anything_is_written():
    kindle = replace(BY_NAME["kindle"], size_limit=1)
    stores.check_size(b"x" * (1 << 20), kindle)
    with pytest.raises(BookError, match=r"kindle edition is 1\.0 MiB; kindle takes at most 1 MiB"):
        stores.check_size(b"x" * ((1 << 20) + 1), kindle)
    assert BY_NAME["kindle"].size_limit == 50 and BY_NAME["kobo"].size_limit == 100


def _also_by(stores_build, name) -> dict[str, str]:
    """The page's links: href -> text."""
    root = etree.fromstring(files(stores_build, name)["EPUB/also-by.xhtml"])
    return {a.get("href"): "".join(a.itertext()) for a in root.iter(f"{XHTML}a")}


def test_also_by_links_each_edition_to_its_own_store(stores_build):
    kindle, kobo, apple = (_also_by(stores_build, n) for n in ("kindle", "kobo", "apple"))
    assert kindle == {"https://www.amazon.com/dp/B000TEST02": "The Second Book",
                      "https://www.amazon.com/dp/B000TEST01": "Test Book in the Kindle Store"}
    # no Apple link for this book: the generic one
    assert apple == {"https://books.apple.com/book/id2": "The Second Book",
                     "https://example.org/test-book": "Test Book in Apple Books"}
    assert kobo == {"https://example.org/second": "The Second Book",
                    "https://www.kobo.com/ebook/test": "Test Book in Kobo"}
    assert "<li>Unlinked</li>" in files(stores_build, "kindle")["EPUB/also-by.xhtml"].decode()
    opf = files(stores_build, "kindle")["EPUB/content.opf"].decode()
    assert re.search(r'<itemref idref="copyright"/>\s*<itemref idref="also-by"/>', opf)


def test_no_also_by_page_without_links(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"one.md": "# One\n\nText.\n"})
    path = build(ms, tmp_path / "out", ("kindle",), use_cache=False).outputs["kindle"]
    assert "EPUB/also-by.xhtml" not in zipfile.ZipFile(path).namelist()


def test_accessibility_claim(stores_build):
    opf = files(stores_build, "google")["EPUB/content.opf"].decode()
    assert re.search(r'<package xml:lang="en-US"', opf)  # "en" is written en-US (the hyphenation patterns' tag)
    assert re.search(r'<meta property="dcterms:conformsTo" id="conformance">EPUB Accessibility 1\.1 - '
                     r'WCAG 2\.2 Level AA</meta>', opf)
    assert '<meta property="a11y:certifiedBy" refines="#conformance">Jane Auditor</meta>' in opf
    assert '<meta property="a11y:exemption">eaa-microenterprise</meta>' in opf
    summary = re.search(r'property="schema:accessibilitySummary">([^<]*)<', opf).group(1)
    assert "1 chapter," in summary and "1 note " in summary and "only image is the cover" in summary


def test_certifier_defaults_to_publisher_then_author(tmp_path):
    from onephone_build.config import load

    assert load(write_manuscript(tmp_path / "a", {"one.md": "x"}, publisher="P Press")).accessibility.certified_by == "P Press"
    cfg = load(write_manuscript(tmp_path / "b", {"one.md": "x"}))
    assert cfg.accessibility.certified_by == "A. Writer" and cfg.accessibility.exemption == ""


@pytest.mark.parametrize("key, value, message", [
    ("stores", "{kindel: 'https://a.example/'}", "unknown store 'kindel' in 'stores'"),
    ("stores", "{kindle: 'javascript:alert(1)'}", "'stores.kindle' must be an http(s) link"),
    ("stores", "[a]", "'stores' must be a mapping of stores to links"),
    ("also_by", "[{stores: {kindle: 'https://a.example/'}}]", "each book in 'also_by' needs a 'title'"),
    ("also_by", "[{title: X, link: y}]", "unknown option 'link' in 'also_by'"),
    ("accessibility", "{exemption: tiny}", "'accessibility.exemption' must be one of"),
    ("accessibility", "{certifier: x}", "unknown option 'accessibility.certifier'"),
])
def test_bad_store_options_are_one_located_error(tmp_path, key, value, message):
    ms = write_manuscript(tmp_path / "ms", {"one.md": "# One\n\nText.\n"}, **{key: value})
    proc = run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode == 1
    line = proc.stderr.strip()
    assert message in line and "book.yaml:4" in line and "Traceback" not in line
    assert not (tmp_path / "out" / "test-book.epub").exists()


def test_epub_for_store_builds_that_edition_and_generic_is_the_plain_epub(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"one.md": "# One\n\nText.\n"}, editions="[generic, kobo]")
    out = tmp_path / "out"
    assert run_cli("epub", "--for", "kobo", "--no-cache", "-m", str(ms), "-o", str(out)).returncode == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["test-book.kepub.epub"]
    assert run_cli("epub", "--for", "generic", "--no-cache", "-m", str(ms), "-o", str(out)).returncode == 0
    assert (out / "test-book.epub").is_file()
    bad = run_cli("epub", "--for", "nook", "-m", str(ms), "-o", str(out))
    assert bad.returncode == 2 and "nook" in bad.stderr
    from onephone_build.config import load

    assert load(ms).editions == ("epub", "kobo")


@pytest.mark.parametrize("name", ["kindle", "epub"])
def test_calibre_makes_an_azw3_with_the_metadata_intact(stores_build, tmp_path, name):
    import shutil
    import subprocess

    from PIL import Image

    if not shutil.which("ebook-convert"):
        pytest.skip("calibre's ebook-convert is not installed (make setup installs Debian's calibre)")
    azw3 = tmp_path / "book.azw3"
    proc = subprocess.run(["ebook-convert", str(stores_build.outputs[name]), str(azw3)],
                          capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert not re.search(r"(?im)^\s*(warning|error)\b", proc.stdout + proc.stderr)
    cover = tmp_path / "cover.jpg"
    meta = subprocess.run(["ebook-meta", str(azw3), "--get-cover", str(cover)], capture_output=True,
                          text=True, check=True).stdout
    fields = dict(re.findall(r"(?m)^(\w[\w()]*(?: \w+)?)\s*: (.*)$", meta))
    assert fields["Title"] == "Test Book"
    assert fields["Author(s)"] == "A. Writer"
    assert fields["Languages"] == "eng"
    assert "isbn:9780306406157" in fields["Identifiers"]
    assert fields["Comments"] == "A short test of every store's edition."
    with zipfile.ZipFile(stores_build.outputs[name]) as z, z.open("EPUB/images/cover.png") as f:
        ours = Image.open(f).convert("L")
    theirs = Image.open(cover).convert("L")
    assert abs(theirs.width / theirs.height - ours.width / ours.height) < 0.01
    # the same picture (calibre draws a cover of its own when it finds none)
    a, b = (list(im.resize((40, 64)).getdata()) for im in (ours, theirs))
    assert sum(abs(x - y) for x, y in zip(a, b)) / len(a) < 8
