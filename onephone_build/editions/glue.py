"""How an edition renders the model's glue (config/editions.py: ``glue``).

The shared XHTML carries every glued run as ``<span class="nw">`` (render/xhtml.py), the
"nowrap" glue, which needs no special character in the reader's font. "joiner": a nowrap
span costs WeasyPrint an inline box of its own (the dash and ellipsis spans: 8% of a book's
layout time); where the face is ours and has U+2060 (EB Garamond, in print), a span that
only glues a word to the dash or ellipsis after it (no hyphen inside) becomes the text
with a word joiner before the dash or ellipsis (and after an opening one, ``“—tell``), which
Pango's line breaking honours.
Spans with a hyphen (stammers, honorifics) stay: there the span also keeps hyphenation
out of the word.
"""

from __future__ import annotations

import re

from ..model.chars import WJ

_GLUE_SPAN = re.compile(r'<span class="nw">([^<>-]*)</span>')
# a word joiner before a dash or ellipsis, and after one that a word follows inside the unit
# (an opening one, “—tell: elsewhere the unit would end after the dash)
_GLUED = re.compile("(?<=.)(?=[\u2014\u2026])|(?<=[\u2014\u2013\u2026])(?=[^\\W_])")


def apply_glue(xhtml: str, glue: str) -> str:
    if glue == "nowrap":
        return xhtml
    if glue == "joiner":
        return _GLUE_SPAN.sub(lambda m: _GLUED.sub(WJ, m.group(1)), xhtml)
    raise ValueError(f"unknown glue {glue!r}")
