"""Words the print edition does not hyphenate: names, and compounds except at their hyphen.

WeasyPrint hyphenates every word long enough (``hyphenate-limit-chars``) with the patterns
of the text's ``lang``; a dictionary knows nothing of names (``Midor-iya``) and, given the
parts of ``self-determination`` one by one, breaks ``deter-mination`` beside the hyphen
the compound already has. A capitalised word, and every part of a hyphenated compound, long
enough to be hyphenated, goes into ``<span class="nohy">`` (print.css: ``hyphens:
manual``); the compound still breaks after its own hyphen. Only text between tags is
touched, never a tag or an attribute.
"""

from __future__ import annotations

import re

MIN_LETTERS = 6  # print.css: hyphenate-limit-chars: 6 3 3 (shorter words never hyphenate)
_TAG = re.compile(r"(<[^>]*>)")
_UNHYPHENATED = (['<span class="nw">'], ['<span class="nohy">'])  # spans whose text is kept whole already
_WORD = re.compile(r"[^\W\d_][\w\u2019'\u2011-]*[^\W_]")


def _keep(m: re.Match) -> str:
    w = m.group()
    if ("-" in w or "\u2011" in w) and any(len(p) >= MIN_LETTERS for p in re.split("[-\u2011]", w)):
        return f'<span class="nohy">{w}</span>'
    if w[0].isupper() and len(w) >= MIN_LETTERS:
        return f'<span class="nohy">{w}</span>'
    return w


def keep_names_whole(xhtml: str) -> str:
    """``xhtml`` with its names and compounds in nohy spans (text in a nowrap glue span or
    a nohy span already is skipped: both stop hyphenation)."""
    parts = _TAG.split(xhtml)  # text at the even indexes, tags at the odd ones
    return "".join(_WORD.sub(_keep, p) if k % 2 == 0 and parts[k - 1:k] not in _UNHYPHENATED else p
                   for k, p in enumerate(parts))
