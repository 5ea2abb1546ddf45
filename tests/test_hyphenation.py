"""Hyphenation in the book's own dialect: ``language: en`` is American English (en-US
patterns: re-sults, be-yond), ``en-GB`` British; in print, names are not hyphenated and a
compound breaks only at its own hyphen. Laid out by WeasyPrint and read back."""

from __future__ import annotations

import re

import pytest

from onephone_build.editions.print import document as pdf
from onephone_build.editions.print.hyphenation import keep_names_whole
from onephone_build.pipeline import render

from .conftest import write_manuscript
from .test_line_breaking import print_lines

# Words whose US and British hyphenation differ (pyphen's en_US and en_GB patterns).
US_GB = "results beyond sacred records desperately progress presents"
TEXT = " ".join([f"The {US_GB} of the day were"] * 12)
NAMES = " ".join(["Midoriya Bakugouuu Kirishima Todoroki Uravity Yaoyorozu"] * 10)
COMPOUNDS = " ".join(["a self-determination, counter-revolutionary, well-understood thing"] * 10)


def lines_of(tmp_path, language, text, width=1.25):
    root = write_manuscript(tmp_path / language, {"one.md": f"# One\n\n{text}\n"}, language=language)
    r = render(root)
    return print_lines(r, pdf.chapter_document(r, r.chapters[0], "joiner"), width)


def broken_words(lines):
    """The words hyphenated at a line end: (fragment before, fragment after)."""
    out = []
    for a, b in zip(lines, lines[1:]):
        last, first = a.split()[-1], b.split()[0]
        if re.search(r"[^\W\d_][\u2010-]$", last):
            out.append((last[:-1], first))
    return out


@pytest.mark.parametrize("language,ok,wrong", [
    ("en", {"re", "be", "sa", "des", "pro", "pre"}, {"res", "bey", "sac", "desp", "prog", "pres"}),
    ("en-GB", {"res", "bey", "sac", "desp", "prog", "pres"}, {"be", "sa"}),
])
def test_the_books_dialect_picks_the_patterns(tmp_path, language, ok, wrong):
    breaks = broken_words(lines_of(tmp_path, language, TEXT))
    starts = {a.split("-")[-1].lower() for a, b in breaks if (a + b).lower().strip(",.") in US_GB.split()}
    assert starts, breaks  # the column is narrow enough to hyphenate these words
    assert not starts & wrong, (language, breaks)
    assert starts & ok


def test_names_and_compounds_are_not_hyphenated_in_print(tmp_path):
    for text in (NAMES, COMPOUNDS):
        lines = lines_of(tmp_path, "en", text, 1.1)
        assert len(lines) > 15
        assert broken_words(lines) == [] or all(a.endswith(("self", "counter", "well")) for a, _ in
                                                 broken_words(lines)), broken_words(lines)


def test_control_without_the_spans_names_do_hyphenate(tmp_path):
    """Control: the same layout without the nohy spans hyphenates the names."""
    root = write_manuscript(tmp_path / "c", {"one.md": f"# One\n\n{NAMES}\n"})
    r = render(root)
    doc = pdf.chapter_document(r, r.chapters[0], "joiner").replace('class="nohy"', "")
    assert broken_words(print_lines(r, doc, 1.1))


def test_lang_attribute_of_every_output(tmp_path):
    root = write_manuscript(tmp_path / "m", {"one.md": "# One\n\nText.\n"})
    r = render(root)
    assert r.config.text_language == "en-US"
    assert '<html lang="en-US">' in pdf.chapter_document(r, r.chapters[0], "joiner")
    gb = write_manuscript(tmp_path / "g", {"one.md": "# One\n\nText.\n"}, language="en-GB")
    assert render(gb).config.text_language == "en-GB"


@pytest.mark.parametrize("xhtml,expected", [
    ("<p>Midoriya ran</p>", '<p><span class="nohy">Midoriya</span> ran</p>'),
    ("<p>a self-determination</p>", '<p>a <span class="nohy">self-determination</span></p>'),
    ("<p>Tom ran away</p>", "<p>Tom ran away</p>"),              # too short to hyphenate
    ('<p><span class="nw">K-Kacchan</span></p>', '<p><span class="nw">K-Kacchan</span></p>'),
    ('<p>Mrs.\u00a0<span class="nohy">Bennet.</span></p>', '<p>Mrs.\u00a0<span class="nohy">Bennet.</span></p>'),  # kept whole already
    ('<a href="Midoriya-Kacchan">x</a>', '<a href="Midoriya-Kacchan">x</a>'),  # never a tag
])
def test_keep_names_whole(xhtml, expected):
    assert keep_names_whole(xhtml) == expected
