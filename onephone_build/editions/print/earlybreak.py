"""No line broken early by Pango: a workaround for WeasyPrint (70)'s first-line split.

WeasyPrint asks Pango for the first line of each text box that may not fit
(``split_first_line``). Where a box's text starts after an inline box (``Mr. <span
class="nohy">Bingley</span>, since you went away``) and only just fits, or is split again
a pixel narrower to make room for the box after it, Pango sometimes returns only the
first break (``,``): the line ends after a word or two and is spread to the measure
(``“It is a long time, Mr. Bingley,`` across a whole line in Pride and Prejudice; the
family of Kozea/WeasyPrint#1614 and #1051). Here such a split, a first line under
``EARLY`` of the width it was given, is replaced by the longest run of the text up to a
space that fits the width, when there is one; the rest is WeasyPrint's.
"""

from __future__ import annotations

import math

from . import firstline

EARLY = 0.6  # a first line narrower than this share of its width, with text left, was cut early
_natural = None  # weasyprint.layout.inline's split_first_line


def _spaces(text: str, start: int) -> list[int]:
    return [k for k in range(start, len(text)) if text[k] == " " and text[k - 1:k] != " "]


def _split(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
    found = _natural(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    length, resume, width = found[1], found[2], found[3]
    if (minimum or resume is None or not max_width or max_width == math.inf
            or style["white_space"] != "normal" or width >= EARLY * max_width):
        return found
    first = len(text.encode()[:length].decode(errors="ignore"))
    fits = None  # the longest run up to a space that fits: the spaces in order, widths grow
    spaces = _spaces(text, first + 1)
    lo, hi = 0, len(spaces) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        run = _natural(text[:spaces[mid]], style, context, math.inf, justification_spacing, is_line_start)
        if run[3] <= max_width:
            fits, lo = (spaces[mid], run), mid + 1
        else:
            hi = mid - 1
    if fits is None:
        return found
    at, run = fits
    return (run[0], len(text[:at].encode()), len(text[:at + 1].encode())) + tuple(run[3:])


def install() -> None:
    """Put the guard in WeasyPrint's inline layout (once per process; before linememo,
    which wraps what it finds)."""
    global _natural
    if _natural is None:
        _natural = firstline.wrap(_split)
