"""Runs of text the book face does not draw (kanji, Hebrew, emoji, symbols), kept on the
baseline grid.

Pango sets such a run in a fallback face (glyphs.py) whose ascent and descent differ from
the book face's; with a fixed ``line-height`` each inline box is still one pitch tall, but
it sits around a different baseline, so the line that holds it grows (measured: a line
with kanji 17.4 pt, with Hebrew 16.0 pt, with an emoji 16.5 pt, against the 15 pt pitch)
and every line after it on the page leaves the grid. Each run goes into a span (print.css:
``.fb { line-height: 0 }``) that adds nothing to its line's height: the line keeps the
book face's strut, and the glyphs, no taller than a line, are drawn where they were.
A run of emoji also gets the ``emoji`` class, which sets it in the emoji face
(document.py's ``page_setup_css``). Only text between tags is touched, never a tag or an
attribute value.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..assets import font_file
from .glyphs import _cmap

_TAG = re.compile(r"(<[^>]*>)")
# Emoji (pictographs, with their variation selectors, skin tones and joiners)
_EMOJI = re.compile("(?:[\u2600-\u27bf\U0001f000-\U0001faff][\ufe0f\u200d\U0001f3fb-\U0001f3ff]*)+")
# What goes with the run it follows: combining marks, joiners, variation selectors
_CLINGS = "\u0300-\u036f\u200c\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0100-\U000e01ef"


@lru_cache(maxsize=1)
def _outside_book_face() -> re.Pattern:
    """A run of characters the book face has no glyph for (and what clings to them)."""
    have = sorted(_cmap(str(font_file("regular"))))
    ranges, start, prev = [], None, None
    for u in have:
        if start is None:
            start = prev = u
        elif u == prev + 1:
            prev = u
        else:
            ranges.append((start, prev))
            start = prev = u
    if start is not None:
        ranges.append((start, prev))

    def esc(u: int) -> str:
        return re.escape(chr(u))

    inside = "".join(f"{esc(a)}-{esc(b)}" if a != b else esc(a) for a, b in ranges)
    # entities (&amp;) and whitespace stay outside a run; emoji first, even those it has
    outside = f"[^{inside}&;\\s{_CLINGS}][{_CLINGS}]*(?:[^{inside}&;\\s][{_CLINGS}]*)*"
    return re.compile(f"(?P<emoji>{_EMOJI.pattern})|{outside}")


def _wrap(m: re.Match) -> str:
    kind = "fb emoji" if m.group("emoji") else "fb"
    return f'<span class="{kind}">{m.group()}</span>'


def fallback_runs(xhtml: str) -> str:
    """``xhtml`` with each run its book face lacks in a ``fb`` span (``fb emoji`` for emoji)."""
    outside = _outside_book_face()
    parts = _TAG.split(xhtml)  # text at the even indexes, tags at the odd ones
    parts[::2] = [outside.sub(_wrap, t) if outside.search(t) else t for t in parts[::2]]
    return "".join(parts)
