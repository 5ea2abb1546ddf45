"""benchmarks/pages.py finds what it claims to on PDFs made to provoke each case."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from weasyprint import HTML

# benchmarks/pages.py loaded from its file: putting benchmarks/ on sys.path would change
# what the build cache takes for the installed environment (tests/test_cache.py)
_SPEC = importlib.util.spec_from_file_location(
    "pages_measure", Path(__file__).resolve().parent.parent / "benchmarks" / "pages.py")
pages = sys.modules["pages_measure"] = importlib.util.module_from_spec(_SPEC)  # its dataclasses look it up
_SPEC.loader.exec_module(pages)

CSS = ("@page { size: 5in 7in; margin: 0.9in 0.6in; } "
       "body { margin: 0; font: 11pt/1.4 serif; } p { margin: 0; text-indent: 1.2em; text-align: justify; orphans: 1; widows: 1; }")
LONG = "The quick brown fox jumps over the lazy dog again and again, without rest. " * 6
TWO_LINES = "The quick brown fox jumps over the lazy dog again and again, without rest. The quick"
# page 1: six flush lines, then a spacer that leaves room for one line more at the foot
FOOT = "".join('<p style="text-indent: 0">Short line.</p>' for _ in range(6)) + '<div style="height: 260pt"></div>'


def figures(tmp_path: Path, body: str) -> pages.Figures:
    pdf = tmp_path / "t.pdf"
    HTML(string=f"<html><head><style>{CSS}</style></head><body>{body}</body></html>").write_pdf(pdf)
    return pages.measure(pdf)


def test_a_full_book_has_no_short_page(tmp_path):
    fig = figures(tmp_path, "".join(f"<p>{LONG}</p>" for _ in range(30)))
    assert fig.text_pages >= 4
    assert fig.short_pages == [] and fig.uneven_spreads == []


def test_a_page_broken_early_is_short_and_its_spread_uneven(tmp_path):
    paras = [f"<p>{LONG}</p>" for _ in range(30)]
    paras[3] = f'<p style="break-after: page">{LONG}</p>'  # page 2 ends half full
    fig = figures(tmp_path, "".join(paras))
    assert len(fig.short_pages) == 1
    short = fig.short_pages[0]
    assert [s for s in fig.uneven_spreads if short in s] == [(short - short % 2, short - short % 2 + 1)]


def test_a_widow_is_a_last_line_at_the_head_of_the_page(tmp_path):
    """A paragraph's last line alone at the head of a page is a widow; a one-line
    paragraph set flush after smaller type (a transcript) at the head of the page is not:
    the page's own first line is the transcript's."""
    full = "".join(f"<p>{LONG}</p>" for _ in range(2))
    cases = {
        # a two-line paragraph whose first line is the last that page 1 has room for
        "a last line at the head": (FOOT + f"<p>{TWO_LINES}</p>", [2]),
        "after a transcript": ('<div style="break-before: page; font-size: 8pt; margin-left: 2em">'
                               'Radio from the scene. How is it going there?</div>'
                               '<p style="text-indent: 0">It was not.</p>', []),
        # flush lines of a list (Pride and Prejudice's list of illustrations), on both pages
        "a list's lines": (FOOT + "".join(f'<p style="text-indent: 0">Heading to Chapter {k}.</p>'
                                          for k in range(12)), []),
    }
    for name, (head, widows) in cases.items():
        fig = figures(tmp_path, (full if name == "after a transcript" else "") + head + full)
        assert fig.text_pages >= 2, name
        assert fig.widows == widows, name


def test_an_orphan_is_a_first_line_at_the_foot_that_goes_on(tmp_path):
    """A paragraph's first line alone at the foot of a page, the paragraph going on
    overleaf, is an orphan; a one-line paragraph that fills the measure at the foot
    (Tom Sawyer: "Hold! Who comes here into Sherwood Forest without my pass?") is not:
    the next page opens a paragraph of its own."""
    after = "".join(f"<p>{LONG}</p>" for _ in range(3))
    cases = {
        "a first line at the foot": (f"<p>{LONG}</p>", [1]),
        "a one-line paragraph": ('<p style="text-align-last: justify">Hold! Who comes here without my pass?</p>', []),
    }
    for name, (foot, orphans) in cases.items():
        fig = figures(tmp_path, FOOT + foot + after)
        assert fig.text_pages >= 2, name
        assert fig.orphans == orphans, name


def test_words_either_side_of_a_change_of_face_are_two(tmp_path):
    """A space after an inline box (a name kept whole, print/hyphenation.py) and before
    italics is drawn as a gap, without a space character, in the book's face, and that gap
    is narrower than pdfplumber's default word tolerance: Pride and Prejudice's "for
    Prejudice unhesi-" was read as one capitalised word, a hyphenated name."""
    import pdfplumber

    fonts = Path(__file__).resolve().parent.parent / "styles" / "fonts"
    faces = "".join(f"@font-face {{ font-family: Book; font-style: {style}; src: url({(fonts / name).as_uri()}) }}"
                    for style, name in (("normal", "EBGaramond12-Regular.otf"), ("italic", "EBGaramond12-Italic.otf")))
    pdf = tmp_path / "t.pdf"
    HTML(string=f'<style>{faces}</style><p style="font: 11pt Book">declare for '
                '<span style="hyphens: manual">Prejudice</span> <i>unhesitatingly</i> it seems</p>').write_pdf(pdf)
    with pdfplumber.open(pdf) as doc:
        (line,) = pages.page_lines(doc.pages[0])
    assert "Prejudice unhesitatingly" in line.text, line.text


def test_a_spread_run_a_line_short_on_both_pages_is_level(tmp_path):
    """Pages 2 and 3 (a spread) both a line short: a short spread, level, their pages not
    counted as short; page 4 a line short facing a full page 5: a short page and an
    uneven spread."""
    def lines(n: int, first: bool = False) -> str:  # n flush lines, from the head of a new page
        style = "text-indent: 0" if first else "break-before: page; text-indent: 0"
        return f'<p style="{style}">Short line.</p>' + '<p style="text-indent: 0">Short line.</p>' * (n - 1)

    full = 24  # lines of the text block: (7in - 1.8in) / (11pt * 1.4)
    body = (lines(full, first=True) + lines(full - 1) + lines(full - 1) + lines(full - 1)
            + lines(full) + lines(full) + lines(full) + lines(10))
    fig = figures(tmp_path, body)
    assert fig.pages == 8
    assert fig.short_spreads == [(2, 3)]
    assert fig.short_pages == [4] and fig.uneven_spreads == [(4, 5)]
