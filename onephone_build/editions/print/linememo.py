"""Lines set once per spread: WeasyPrint's first-line splitting remembered while the page
maker (spreads.py) makes the pages of one spread again.

A trial page (one paragraph re-set, or the spread one line long) lays out every line of
the page anew, though only the re-set paragraph's lines can differ: the rest are the same
text, in the same style, at the same width. So the splits made for a spread are kept
until the next spread begins. The rest of a page's layout (boxes, styles, positions) is
still done again: measured on the 100k bench novel in one process, the memo saves about
5 % of the PDF's time (44 % of the splits made inside spreads are found here).

What a split depends on is its arguments: the text, the style (a re-set paragraph's boxes
get new style objects, so its lines are split afresh), the width, the justification
spacing and whether the text starts a line. The layout context is the document's, the
same for every page. The Pango layout a split returns is inert (WeasyPrint deactivates it
before returning it, and drawing makes a new one from it), so two boxes may share it;
only one of the pages made for a spread is kept.
"""

from __future__ import annotations

from . import firstline

ENABLED = True  # False: every split made afresh (a control for the tests)
_splits: dict | None = None  # key -> (style, result), while a spread is made; the style kept so that its id is not reused
_natural = None  # weasyprint.layout.inline's split_first_line


def _split(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
    if _splits is None:
        return _natural(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
    found = _splits.get(key)
    if found is not None and found[0] is style:
        return found[1]
    result = _natural(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    _splits[key] = (style, result)
    return result


def install() -> None:
    """Put the memo in WeasyPrint's inline layout (once per process)."""
    global _natural
    if _natural is None:
        _natural = firstline.wrap(_split)


class spread:
    """``with linememo.spread():`` the splits made inside are remembered, and forgotten
    after."""

    def __enter__(self):
        global _splits
        _splits = {} if ENABLED else None

    def __exit__(self, *exc):
        global _splits
        _splits = None
