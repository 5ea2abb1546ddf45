"""Glued units become one nowrap span, whatever markup they cross (``render/nowrap.py``):
a table of paragraphs (Pandoc inlines, after typography) and the XHTML they render to."""

from __future__ import annotations

import pytest

from onephone_build.model.chars import NBH, WJ
from onephone_build.render.xhtml import Renderer


def S(s):
    return {"t": "Str", "c": s}


SP = {"t": "Space"}


def raw(tag):
    return {"t": "RawInline", "c": ["html", tag]}


def emph(*c):
    return {"t": "Emph", "c": list(c)}


CASES = [
    ("nothing glued", [S("a"), SP, S("b")], "a b"),
    ("a stammer", [S("I"), SP, S(f"K{NBH}Kacchan"), SP, S("said")],
     'I <span class="nw">K-Kacchan</span> said'),
    ("a dash after emphasis", [S("read"), SP, emph(S("his")), S(f"{WJ}\u2014"), SP, S("no")],
     'read <span class="nw"><em>his</em>\u2014</span> no'),
    ("a unit inside a longer emphasis splits it",
     [emph(S("read"), SP, S("his")), S(f"{WJ}\u2014")],
     '<em>read </em><span class="nw"><em>his</em>\u2014</span>'),
    ("a word after a break dash is not glued", [S(f"been{WJ}\u2014then"), SP, S("x")],
     '<span class="nw">been\u2014</span>then x'),
    ("two units in one paragraph", [S(f"a{NBH}a"), SP, S("b"), SP, S(f"c{WJ}\u2026")],
     '<span class="nw">a-a</span> b <span class="nw">c\u2026</span>'),
    ("raw tags across words, glue inside",
     [raw("<b>"), S("so"), SP, S(f"w{NBH}what"), raw("</b>"), SP, S("x")],
     '<b>so <span class="nw">w-what</span></b> x'),
    ("raw tags across words, glue after them",
     [raw("<b>"), S("so"), SP, S("this"), raw("</b>"), S(f"{WJ}\u2014"), SP, S("x")],
     '<b>so </b><span class="nw"><b>this</b>\u2014</span> x'),
    ("a raw tag left open closes at once, inside the unit", [raw("<b>"), S(f"a{NBH}b")],
     '<span class="nw"><b></b>a-b</span>'),
    ("a unit after a soft break", [S("x"), {"t": "SoftBreak"}, S(f"y{NBH}y")],
     'x <span class="nw">y-y</span>'),
]


@pytest.mark.parametrize("name, inlines, html", CASES, ids=[c[0] for c in CASES])
def test_glued_units_render_as_one_nowrap_span(name, inlines, html):
    assert Renderer("chapter-01", lambda url, kind: url).inlines(inlines) == html
