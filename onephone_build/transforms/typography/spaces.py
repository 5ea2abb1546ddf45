"""Rule ``spaces``: white space inside a paragraph."""

from __future__ import annotations

import re

from .base import NBSP, Context, Edit, rule

_RUN = re.compile(r"[ \t\u00a0]{2,}|\t")
_WS = " \t\u00a0"


@rule("spaces", "Runs of spaces collapse to one (a no-break space if the run held only those); "
      "leading and trailing spaces and no-break spaces of a paragraph go.")
def spaces(text: str, ctx: Context):
    """Typed double spaces (after a full stop, or by accident) make uneven gaps in
    justified text, and a trailing space or no-break space at the paragraph end
    can push an empty last line.  In a run of plain spaces the first stays and
    the rest are deleted, so offsets stay close to the source.  A run made only
    of no-break spaces keeps one (the author asked for "no break here"); a mixed
    run (space + no-break space, the HTML ``&nbsp; `` way of keeping a typed
    double space, as after ``her.`` in the seed) is one normal space: gluing two
    sentences together was never meant."""
    n = len(text)
    start = n - len(text.lstrip(_WS))
    if start:
        yield Edit(0, start, "")
    if start == n:
        return
    end = len(text.rstrip(_WS))
    if end < n:
        yield Edit(end, n, "")
    for m in _RUN.finditer(text, start, end):
        run = m.group()
        if set(run) == {NBSP}:
            yield Edit(m.start(), m.end(), NBSP)
        elif run[0] == " ":
            yield Edit(m.start() + 1, m.end(), "")
        else:
            yield Edit(m.start(), m.end(), " ")
