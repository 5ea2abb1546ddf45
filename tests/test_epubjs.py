"""Every EPUB edition opened in a real reading system: epub.js (npm ``epubjs`` with
``jszip``, in tools/node) in Debian's Chromium, paginated at a phone's size and an e-ink
reader's. Every chapter of the contents opens; no character is drawn as a missing glyph;
no line (or page, or column) starts with a dash or an ellipsis, none ends with an opening
quote or dash, and no glued unit breaks, as epub.js lays the chapter out (the checks are
chromium_lines.py's, which count a move to the next column, a page here, as a new line)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import pytest

from onephone_build.build import build

from .chromium_lines import CHECK_JS, CHROMIUM, SETUP_JS, launch
from .conftest import MANUSCRIPT, ROOT

NODE = ROOT / "tools" / "node" / "node_modules"
LIBS = {"lib/jszip.min.js": NODE / "jszip" / "dist" / "jszip.min.js",
        "lib/epub.min.js": NODE / "epubjs" / "dist" / "epub.min.js"}
pytestmark = pytest.mark.skipif(not CHROMIUM.exists() or not all(p.is_file() for p in LIBS.values()),
                                reason="Chromium or epub.js is not installed (make setup)")
HOST = "http://reader.test/"
HARNESS = ('<!DOCTYPE html><html><head><meta charset="utf-8"><script src="lib/jszip.min.js"></script>'
           '<script src="lib/epub.min.js"></script></head><body style="margin:0"><div id="viewer"></div></body></html>')
SIZES = {"phone": (360, 640), "e-ink": (600, 800)}
STORE_EDITIONS = ("epub", "kindle", "kobo", "apple", "google")
HARD = ROOT / "tests" / "fixtures" / "hard-breaks"

# A character is drawn as a missing glyph when its pixels, in its element's font, are those
# of a code point no font has (U+0378 is unassigned): Chromium's fallback found nothing.
GLYPHS_JS = r"""
(document, window) => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (font, ch) => {
    ctx.clearRect(0, 0, 64, 64); ctx.font = font; ctx.fillText(ch, 8, 44);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(",");
  };
  const SKIP = /[\p{Cf}\p{Mn}\p{Me}\p{Z}\p{Cc}\s]/u;
  const seen = new Map(), missing = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const style = window.getComputedStyle(n.parentElement);
    const font = style.fontStyle + " " + style.fontWeight + " 32px " + style.fontFamily;
    for (const ch of n.data) {
      if (SKIP.test(ch) || seen.has(font + ch)) continue;
      seen.set(font + ch, true);
      if (draw(font, ch) === draw(font, "\u0378")) missing.push(ch + " U+" + ch.codePointAt(0).toString(16));
    }
  }
  return {missing, checked: seen.size};
}
"""

OPEN_JS = """
async ([url, width, height, plant]) => {
  const setup = %s, check = %s, glyphs = %s;
  const book = ePub(url, {openAs: "epub"});
  const rendition = book.renderTo("viewer", {width, height, flow: "paginated", spread: "none"});
  await book.ready;
  const toc = book.navigation.toc.map(t => t.href);
  const spine = [];
  book.spine.each(s => spine.push(s.href));
  const chapters = [];
  for (const href of toc) {
    await rendition.display(href);
    const view = rendition.getContents()[0];
    const doc = view.document, win = view.window;
    if (plant) { const p = doc.createElement("p"); p.textContent = plant; doc.body.appendChild(p); }
    const lines = setup(doc);
    const g = glyphs(doc, win);
    chapters.push({href, shown: view.sectionIndex, bad: check(doc, win, lines), checks: lines.checks.length,
                   missing: g.missing, checked: g.checked,
                   pages: Math.round(doc.documentElement.scrollWidth / width)});
  }
  rendition.destroy();
  return {toc, spine, chapters};
}
""" % (SETUP_JS, CHECK_JS, GLYPHS_JS)


@pytest.fixture(scope="module")
def reader():
    with launch() as browser:
        page = browser.new_page()
        files: dict[str, Path] = dict(LIBS)

        def answer(route):
            rel = route.request.url[len(HOST):].split("?")[0].split("#")[0]
            if not rel:
                return route.fulfill(body=HARNESS, content_type="text/html")
            if rel not in files:
                return route.fulfill(status=404, body="")
            kind = "application/epub+zip" if rel.endswith(".epub") else mimetypes.guess_type(rel)[0]
            route.fulfill(body=files[rel].read_bytes(), content_type=kind or "application/octet-stream")

        page.route("**/*", lambda route: answer(route) if route.request.url.startswith(HOST) else route.abort())
        page.goto(HOST)

        def open_epub(epub: Path, size: str, plant: str = "") -> dict:
            files[f"books/{epub.name}"] = epub
            page.goto(HOST)
            return page.evaluate(OPEN_JS, [f"{HOST}books/{epub.name}", *SIZES[size], plant])

        yield open_epub


@pytest.fixture(scope="module", params=["book", "hard cases"])
def editions(request, tmp_path_factory):
    ms = MANUSCRIPT if request.param == "book" else HARD
    return build(ms, tmp_path_factory.mktemp("epubjs"), STORE_EDITIONS).outputs


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("edition", STORE_EDITIONS)
def test_every_edition_reads_in_epubjs(reader, editions, edition, size):
    seen = reader(editions[edition], size)
    assert seen["toc"] and len(seen["chapters"]) == len(seen["toc"])
    for chapter in seen["chapters"]:
        assert chapter["href"].split("#")[0] in seen["spine"], chapter["href"]  # the contents lead into the book
        assert chapter["shown"] == seen["spine"].index(chapter["href"].split("#")[0])
        assert chapter["checked"] > 20 and chapter["checks"] > 0 and chapter["pages"] >= 1
        assert not chapter["missing"], (chapter["href"], chapter["missing"])
        assert not chapter["bad"], (chapter["href"], chapter["bad"][:5])


def test_the_checks_see_a_missing_glyph_and_a_bad_break(reader, editions):
    """Controls: a character no font has, and a long run of words with an em dash spaced on
    both sides (no glue: the dash can start a line or a page), planted in the open chapter."""
    plant = "\u0379 " + " ".join(["word \u2014 word"] * 400)
    seen = reader(editions["epub"], "phone", plant)
    assert all("\u0379 U+379" in c["missing"] for c in seen["chapters"])
    assert any(any("starts a line with \u2014" in b for b in c["bad"]) for c in seen["chapters"])
