"""Rule ``ellipses``: three dots become an ellipsis that never starts a line."""

from __future__ import annotations

import re

from ._common import OPENING_PUNCT, SPACES, space_run_left
from .base import ELLIPSIS, NBSP, WJ, Context, Edit, rule

# A run of dots, optionally spaced (". . ."), or an ellipsis already set.
# Linear: each alternative consumes characters and never backtracks over more
# than one character.
_DOTS = re.compile(r"\.(?:[ \u00a0]?\.)+|\u2026")


def _replacement(run: str, nxt: str | None) -> str | None:
    """What a run of dots becomes, or None to leave it alone."""
    if run == ELLIPSIS:
        return ELLIPSIS
    dots = run.count(".")
    if dots == 2:
        # "Might..?" / "what..!": the writer meant an ellipsis before ? or !
        return ELLIPSIS if nxt in ("?", "!") else None
    if dots == 4:
        # Chicago 13.53: a sentence's own period stays tight against its last
        # word, then the three dots of the ellipsis.
        return "." + ELLIPSIS
    return ELLIPSIS  # three, or an over-long trail of five or more: one ellipsis


def _straight_opening(text: str, i: int) -> bool:
    """``text[i]`` is a straight quote that opens (at the start or after a space)."""
    return i >= 0 and text[i] in "\"'" and (i == 0 or text[i - 1] in SPACES)


@rule("ellipses", "'...', '. . .', '..?', '..!' become '…' (U+2026), '....' becomes '.…'; "
      "no line break before an ellipsis (word joiner after a word, no-break space after a space).")
def ellipses(text: str, ctx: Context):
    """Three typed periods are three sentence-ending glyphs to a line breaker and
    too widely spaced; U+2026 is the publisher's glyph.  A line must never start
    with an ellipsis mid-paragraph (it reads as a new, resumed sentence), so a
    word joiner glues it to the character before it (``Mine’s⁠…``), and a space
    before a free-standing ellipsis (``word … word``) becomes a no-break space.
    The space *after* an ellipsis stays: a line may break after a trailing-off
    phrase (``O-Oh… Oh``); but after an ellipsis that opens a quotation or the
    paragraph (``“… and then``) it becomes a no-break space, so no line ends
    with the opening.  After an opening quote no word joiner is needed."""
    for m in _DOTS.finditer(text):
        s, e = m.start(), m.end()
        nxt = text[e] if e < len(text) else None
        new = _replacement(m.group(), nxt)
        if new is None:
            continue
        if new.startswith("."):
            new = "." + WJ + new[1:]
        prev = text[s - 1] if s > 0 else None
        if prev is None or prev in OPENING_PUNCT or _straight_opening(text, s - 1):
            if nxt == " " and e + 1 < len(text) and text[e + 1].isalnum():
                yield Edit(e, e + 1, NBSP)  # “… and then: the opening ellipsis stays with its word
        elif prev == WJ:
            pass
        elif prev in SPACES:
            ls = space_run_left(text, s)
            if ls > 0 and text[ls:s] != NBSP:
                yield Edit(ls, s, NBSP)
        elif not new.startswith("."):
            new = WJ + new
        if new != m.group():
            yield Edit(s, e, new)
