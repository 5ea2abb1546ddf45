"""Prose stays prose (read/prose.py): lines that only look like Markdown lists, code
blocks or split emphasis keep the author's text; real lists stay and lint reports them."""

from __future__ import annotations

import pytest

from onephone_build.commands.lint import lint_manuscript
from onephone_build.pipeline import render
from onephone_build.read.prose import escape_prose

from .conftest import write_manuscript

ESCAPES = [
    # a year or number starting a sentence (Tom Sawyer's preface style; AO3 dates)
    ("1876. That was the year.", "1876\\. That was the year."),
    ("Intro\n\n2) so it went.", "Intro\n\n2\\) so it went."),
    # a dialogue dash (European-style dialogue, fan fiction)
    ("- Hi,” she said.", "\\- Hi,” she said."),
    ('- Hi," she said.\n\n- Hello," he said.', '\\- Hi," she said.\n\n\\- Hello," he said.'),
    ("+ one lone line", "\\+ one lone line"),
    # Gutenberg's indented scene break and indented prose: the indent goes
    ("Text.\n\n       *       *       *\n\nMore.", "Text.\n\n*       *       *\n\nMore."),
    ("Text.\n\n    An indented letter.", "Text.\n\nAn indented letter."),
    ("Text.\n\n\tTabbed.", "Text.\n\nTabbed."),
    # left alone: real lists, a scene break, fenced code, markers inside a paragraph
    ("1. eggs\n2. milk", "1. eggs\n2. milk"),
    ("- eggs\n- milk", "- eggs\n- milk"),
    ("* * *", "* * *"),
    ("```\n    code\n1. x\n```", "```\n    code\n1. x\n```"),
    ("He was born in\n1876. That was all.", "He was born in\n1876. That was all."),
    ("- item\n\n    continued item text\n\n- second", "- item\n\n    continued item text\n\n- second"),
]


@pytest.mark.parametrize("text,expected", ESCAPES)
def test_escape_prose(text, expected):
    out = escape_prose(text)
    assert out == expected
    assert out.count("\n") == text.count("\n")  # every line keeps its number


CHAPTER = """\
# One

1876. That was the year it all began.

- Hi," she said. "You came."

       *       *       *

    Gutenberg indents its letters.

*Dear Tom,

I write in haste.

Yours, Becky*

What we needed:

1. eggs
2. milk
"""


def test_prose_keeps_the_authors_text(tmp_path):
    root = write_manuscript(tmp_path / "m", {"one.md": CHAPTER})
    (chapter,) = render(root).chapters
    x = chapter.xhtml
    assert "<p>1876. That was the year it all began.</p>" in x
    assert "she said. “You came.”" in x and "<ul>" not in x
    assert x.count('<hr class="scene-break"/>') == 1
    assert "<pre>" not in x and "<p>Gutenberg indents its letters.</p>" in x
    assert "<p><em>Dear Tom,</em></p>" in x and "<p><em>Yours, Becky</em></p>" in x and "*" not in x
    assert "<ol>" in x  # a real list stays a list ...
    found = [f for f in lint_manuscript(root) if f.rule in ("rare-structure", "markdown-mark")]
    assert [(f.rule, f.line) for f in found] == [("rare-structure", 19)]  # ... and lint reports it


def test_lint_reports_markdown_marks_that_reach_the_output(tmp_path):
    root = write_manuscript(tmp_path / "m", {"one.md": "# One\n\nShe said *no and left.\n\nAnd `that was it.\n"})
    found = [(f.rule, f.line, f.col, f.severity) for f in lint_manuscript(root) if f.rule == "markdown-mark"]
    assert found == [("markdown-mark", 3, 10, "warning"), ("markdown-mark", 5, 5, "warning")]
