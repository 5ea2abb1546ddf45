"""Character classes and small helpers shared by the typography rules.

Nothing here is a rule; the rule modules import from it.  Everything is linear
in the length of the paragraph (no backtracking regexes over unbounded input).
"""

from __future__ import annotations

from typing import Iterable

from .base import EM, EN, NBH, NBSP, WJ, Context, Edit

# Quote characters.
LDQ, RDQ, LSQ, RSQ = "\u201c", "\u201d", "\u2018", "\u2019"
OPENING_QUOTES = LDQ + LSQ
CLOSING_QUOTES = RDQ + RSQ
OPENING_PUNCT = OPENING_QUOTES + "([{"
#: punctuation after which a dash ends (a cut-off, not a joint between words)
CLOSING_PUNCT = "?!.,;:)]}\u2026"
#: horizontal white space a paragraph may contain (Pandoc ``Space`` is one blank)
SPACES = " \t\u00a0"
DASHES = "-" + EN + EM
APOSTROPHES = RSQ + "'"


def is_space(c: str | None) -> bool:
    return c is not None and c in SPACES


def is_word(c: str | None) -> bool:
    """A letter or digit (the characters words and numbers are made of)."""
    return c is not None and c.isalnum()


def is_letter(c: str | None) -> bool:
    return c is not None and c.isalpha()


def at(text: str, i: int) -> str | None:
    """``text[i]`` or None outside the text (no IndexError, no negative wrap)."""
    return text[i] if 0 <= i < len(text) else None


def space_run_left(text: str, i: int) -> int:
    """Start of the run of white space that ends just before ``i``."""
    while i > 0 and text[i - 1] in SPACES:
        i -= 1
    return i


def space_run_right(text: str, j: int) -> int:
    """End of the run of white space that starts at ``j``."""
    n = len(text)
    while j < n and text[j] in SPACES:
        j += 1
    return j


def is_closing_quote_at(text: str, k: int) -> bool:
    """``text[k]`` is a quote mark that closes (not an apostrophe opening a word)."""
    c = at(text, k)
    if c is None:
        return False
    if c == RDQ:
        return True
    if c in (RSQ, "'", '"'):
        # ’ or a straight quote followed by a letter opens a word (’em, "Hello)
        return not is_word(at(text, k + 1))
    return False


def left_is_open(text: str, ls: int) -> bool:
    """The text before ``ls`` (``ls`` = start of the white space before a dash) is
    the paragraph start or an opening quote/bracket: a dash there needs no glue."""
    if ls == 0:
        return True
    c = text[ls - 1]
    if c in OPENING_PUNCT:
        return True
    if c in ('"', "'"):  # straight quote: opening when it follows space or start
        return ls - 1 == 0 or text[ls - 2] in SPACES
    return False


def right_is_close(text: str, re_: int) -> bool:
    """What follows a dash (after the white space that ends at ``re_``) ends the
    phrase: paragraph end, a closing quote, or closing punctuation."""
    while at(text, re_) == WJ:
        re_ += 1
    c = at(text, re_)
    if c is None:
        return True
    if c in CLOSING_PUNCT:
        return True
    return is_closing_quote_at(text, re_)


def dash_edits(text: str, i: int, j: int, ctx: Context) -> list[Edit]:
    """Edits that turn ``text[i:j]`` (a hyphen, ``--``, an en or em dash) into the
    house dash, with the white space around it set for the style.

    * closed (US, Chicago): ``—`` with no space on either side.  The word joiner
      that keeps it off a line start is added by the ``dash-glue`` rule.
    * spaced (British, New Hart's Rules): `` – `` -- a no-break space before the
      en dash (so the dash cannot start a line) and a normal space after it.  No
      space before it after an opening quote or at paragraph start, and then a
      no-break space after it (``“–\u00a0tell``); no space after it before a closing quote, closing punctuation or paragraph end
      (``been –”``, the Oxford/Penguin setting of broken-off speech).

    Edits are minimal: the dash characters are replaced, the white space beside
    them is deleted or replaced, nothing else is touched.
    """
    ls, re_ = space_run_left(text, i), space_run_right(text, j)
    edits: list[Edit] = []
    spaced = ctx.dashes == "spaced"
    dash = EN if spaced else EM
    if spaced:
        if left_is_open(text, ls):
            if ls < i:
                edits.append(Edit(ls, i, ""))
        elif text[ls:i] != NBSP:
            edits.append(Edit(ls, i, NBSP))
    elif ls < i:
        edits.append(Edit(ls, i, ""))
    if text[i:j] != dash:
        edits.append(Edit(i, j, dash))
    if spaced and not right_is_close(text, re_):
        if left_is_open(text, ls):  # an opening dash (“– tell) stays with its word
            if text[j:re_] != NBSP:
                edits.append(Edit(j, re_, NBSP))
        elif text[j:re_] not in (" ", NBSP):  # a single no-break space was meant
            edits.append(Edit(j, re_, " "))
    elif j < re_:
        edits.append(Edit(j, re_, ""))
    return edits


def dedupe(edits: Iterable[Edit]) -> list[Edit]:
    """Sort edits and drop any that overlaps one already kept, so that two
    decisions touching the same white space never make ``apply_edits`` raise."""
    kept: list[Edit] = []
    pos = -1
    for e in sorted(set(edits), key=lambda e: (e.start, e.end, e.new)):
        if e.start < pos:
            continue
        if e.start == e.end and kept and kept[-1].start == kept[-1].end == e.start:
            continue  # two insertions at one point: keep the first
        kept.append(e)
        pos = e.end
    return kept


__all__ = [
    "APOSTROPHES", "CLOSING_PUNCT", "CLOSING_QUOTES", "DASHES", "EM", "EN", "LDQ", "LSQ",
    "NBH", "NBSP", "OPENING_PUNCT", "OPENING_QUOTES", "RDQ", "RSQ", "SPACES", "WJ", "at",
    "dash_edits", "dedupe", "is_closing_quote_at", "is_letter", "is_space", "is_word",
    "left_is_open", "right_is_close", "space_run_left", "space_run_right",
]
