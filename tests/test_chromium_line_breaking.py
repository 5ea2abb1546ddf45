"""No line starts with an em dash, an en dash or an ellipsis, none ends with an opening
quote or an opening dash, and no glued unit (stammer, honorific, word + dash) breaks: in
the EPUB's chapters and the web edition's pages as Chromium lays them out, at every window
width from a phone (320 px) to a desktop in 1-4 px steps, on the book and on a corpus of
hard cases (tests/fixtures/hard-breaks: dashes typed every way, after markup and quotes;
lines from Tom Sawyer). The WeasyPrint layout (the PDF) is test_line_breaking.py's."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from onephone_build.build import build

from .chromium_lines import CHROMIUM, launch, sweep, widths
from .conftest import ROOT

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make system)")
HARD = ROOT / "tests" / "fixtures" / "hard-breaks"
UNGLUED = ".nw { white-space: normal !important; }"


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def page(browser):
    p = browser.new_page()
    yield p
    p.close()


@pytest.fixture(scope="module")
def hard_build(tmp_path_factory):
    return build(HARD, tmp_path_factory.mktemp("hard"), ("epub", "html"))


def chapter_pages(result, edition: str, tmp) -> tuple[Path, list[str]]:
    """The folder and chapter pages of a build's EPUB (unzipped) or web edition."""
    if edition == "epub":
        folder = tmp / "epub"
        with zipfile.ZipFile(result.outputs["epub"]) as z:
            z.extractall(folder)
        folder = folder / "EPUB"
        pages = sorted(folder.glob("chapter-*.xhtml"))
    else:
        folder = result.outputs["html"]
        pages = sorted(folder.glob("chapter-*.html"))
    assert pages, edition
    return folder, [p.name for p in pages]


@pytest.mark.parametrize("edition", ["epub", "html"])
@pytest.mark.parametrize("book", ["book", "hard cases"])
def test_no_forbidden_line_breaks_in_chromium(page, book, edition, book_build, hard_build, tmp_path):
    result = book_build if book == "book" else hard_build
    bad, looked = [], []
    folder, pages = chapter_pages(result, edition, tmp_path)
    for name in pages:
        found, seen = sweep(page, folder, name, widths())
        bad += [f"{name} {v}" for v in found]
        looked.append(seen)
    assert bad == [], f"{len(bad)} violations, e.g. " + "\n".join(bad[:15])
    # not blind: many places looked at, at many distinct layouts
    assert sum(s["checks"] for s in looked) > 40 and sum(s["spans"] for s in looked) > 40
    assert min(s["layouts"] for s in looked) > 100


@pytest.mark.parametrize("edition", ["epub", "html"])
def test_the_check_sees_the_breaks_without_glue(page, hard_build, edition, tmp_path):
    """Control: the same pages with the nowrap spans made breakable do break before dashes
    and after opening dashes: the sweep would see a glue that does not hold."""
    bad = []
    folder, pages = chapter_pages(hard_build, edition, tmp_path)
    for name in pages:
        bad += sweep(page, folder, name, widths(320, 700), UNGLUED)[0]
    assert any("starts a line with \u2014" in v for v in bad)
    assert any("ends a line with opening \u2014" in v for v in bad)
