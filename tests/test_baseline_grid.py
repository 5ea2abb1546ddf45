"""The print edition's baseline grid: every line of body text, on every page, sits on one
15 pt pitch, whatever came before it on the page (a chapter opening, a scene break, a
transcript in its smaller type, a block quote, a page that begins with a scene break);
and the text block is a whole number of lines deep, so a full page's last line is on the
grid too. Read back from the PDF, for the trade edition and a KDP interior."""

from __future__ import annotations

import random
from collections import Counter

import pdfplumber
import pytest

from onephone_build.build import build
from onephone_build.editions.print.grid import LINE_PT, grid_bottom_in

from .conftest import MANUSCRIPT, write_manuscript

WORDS = ("the rain had not stopped since morning and the street outside the station ran with it she stood "
         "under awning counted buses that did come").split()


def _book(root):
    rng = random.Random(4)

    def para(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."

    chapters = {}
    for c in (1, 2):
        out = [f"# Chapter {c}", ""]
        for i in range(40):
            out += [para(rng.randint(20, 120)), ""]
            if i % 7 == 3:
                out += ["* * *", ""]
            if i % 9 == 5:
                out += ['::: {.voicemail from="Ana" to="Ben"}', para(30), "", para(12), ":::", ""]
            if i % 11 == 6:
                out += ["> " + para(40), ""]
        chapters[f"chapters/0{c}.md"] = "\n".join(out)
    return write_manuscript(root, chapters)


def _body_lines(pdf_path):
    """(page, baseline) of every line set in the body size (11 pt), furniture left out."""
    lines = []
    with pdfplumber.open(pdf_path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            body = {round(c["bottom"], 1) for c in page.chars
                    if abs(c["size"] - 11) < 0.3 and 0.7 * 72 < c["top"] < page.height - 0.7 * 72}
            lines += [(n, b) for b in body]
    return lines


@pytest.fixture(scope="module", params=["pdf", "kdp", "book"])
def laid_out(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("grid")
    ms = MANUSCRIPT if request.param == "book" else _book(root / "ms")
    edition = "kdp" if request.param == "kdp" else "pdf"
    return build(ms, root / "out", (edition,), use_cache=False).outputs[edition]


def test_every_body_line_is_on_one_grid(laid_out):
    lines = [(n, b) for n, b in _body_lines(laid_out) if n > 6]  # the chapters (the contents page has its own)
    assert len(lines) > 300
    offsets = Counter(round(b % LINE_PT) % round(LINE_PT) for _, b in lines)
    grid, _ = offsets.most_common(1)[0]
    off = sorted({n for n, b in lines if abs((b - grid + LINE_PT / 2) % LINE_PT - LINE_PT / 2) > 0.6})
    assert not off, f"pages with lines off the grid: {off}"


def test_full_pages_end_at_the_foot_of_the_text_block(laid_out):
    """A full page's last line is the text block's last: less than a line above its foot
    (a block deeper than a whole number of lines leaves a strip unused). A page that runs
    deeper runs exactly one line long (spreads.py), and never faces a full page that does
    not: its spread runs long on both pages."""
    from onephone_build.config.print_profiles import HOUSE_MARGINS_IN

    if "-kdp" in laid_out.name:
        pytest.skip("the KDP margins depend on the page count (test_preflight checks them)")
    with pdfplumber.open(laid_out) as pdf:
        height = float(pdf.pages[0].height)
    foot = height - grid_bottom_in(height / 72, HOUSE_MARGINS_IN["top"], HOUSE_MARGINS_IN["bottom"]) * 72
    lines = _body_lines(laid_out)
    lowest = {page: max(b for n, b in lines if n == page) for page in {n for n, _ in lines}}
    full = [b for b in lowest.values() if foot - LINE_PT / 2 < b <= foot]
    assert len(full) >= 3  # the descenders of a full page's last line reach the foot
    long = {p for p, b in lowest.items() if b > foot}
    assert all(abs(lowest[p] - max(full) - LINE_PT) < 0.6 for p in long), "a page more than a line long"
    for p in long:
        facing = p + 1 if p % 2 == 0 else p - 1
        assert facing in long or not foot - LINE_PT / 2 < lowest.get(facing, 0) <= foot, \
            f"page {p} runs a line long, its facing page {facing} does not"


@pytest.mark.parametrize("height, top, bottom", [(8.5, 0.75, 0.85), (9, 0.75, 0.85), (11, 1.0, 0.9), (7, 0.5, 0.5)])
def test_grid_bottom_leaves_a_whole_number_of_lines(height, top, bottom):
    new = grid_bottom_in(height, top, bottom)
    depth = (height - top - new) * 72
    assert new >= bottom and depth / LINE_PT == pytest.approx(round(depth / LINE_PT), abs=0.01)
    assert LINE_PT / 72 <= new - bottom < 2 * LINE_PT / 72  # the long page's line, and less than one more
