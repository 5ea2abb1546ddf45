"""Rules ``quotes`` and ``leading-apostrophe``: curly quotes, the right way round."""

from __future__ import annotations

import re

from ._common import (DASHES, LDQ, LSQ, OPENING_PUNCT, RDQ, RSQ, SPACES, is_word)
from .base import Context, Edit, rule

# Words that are written with a leading apostrophe for the letters left out.
# Matched right after the quote mark, case-insensitively, as a whole word.
_ELISION = re.compile(
    r"(?:em|til|tis|twas|twill|twere|cause|cos|bout|round|nuff|kay|cept|gainst|neath)(?!\w)"
    r"|n(?=[\u2019'\u2018](?!\w))"      # rock ’n’ roll
    r"|\d\d(?:s)?(?!\w)",               # ’90s, ’07
    re.IGNORECASE)
# Elided words that are also ordinary words or names: 'Round and round,' she sang.
_AMBIGUOUS = frozenset({"round", "cause", "cos", "bout", "kay", "em"})
# A closing single quote: after sentence punctuation, not starting a word.
_CLOSING_SQ = re.compile(r"[.,;:!?\u2026\u2014\u2013\-][\u2019'](?!\w)")


def _left_open(p: str | None, n: str | None) -> bool:
    """A quote after this character opens: paragraph start, space, opening
    punctuation, or a dash directly followed by a word (SmartyPants)."""
    if p is None or p in SPACES or p in OPENING_PUNCT:
        return True
    return p in DASHES and is_word(n)


def is_elision(text: str, i: int, closers: list[int] | None = None) -> bool:
    """The quote mark at ``text[i]`` stands for left-out letters (’em, ’90s, ’n’)
    rather than opening a quotation.

    ``closers`` (positions of closing single quotes, ascending) decides the
    ambiguous capitalised words: ``‘Round and round,’ she sang`` is a quotation
    because a closing ``’`` follows; ``‘Round midnight he left`` is an elision."""
    m = _ELISION.match(text, i + 1)
    if not m:
        return False
    word = m.group()
    if word.lower() in _AMBIGUOUS and word[0].isupper():
        if closers is None:
            closers = [c.end() - 1 for c in _CLOSING_SQ.finditer(text, i + 1)]
        return not (closers and closers[-1] > i)
    return True


def _closing_single_quotes(text: str) -> list[int]:
    return [m.end() - 1 for m in _CLOSING_SQ.finditer(text)]


_STRAIGHT = re.compile("[\"']")
_DQ = re.compile('["\u201c\u201d]')


def double_quotes(text: str):
    """Yield ``(offset, opening)`` for every double quote mark of ``text``, curly
    or straight; a straight one is classified as the ``quotes`` rule sets it."""
    dq_open = False
    n_text = len(text)
    for m in _DQ.finditer(text):
        i, c = m.start(), m.group()
        if c == LDQ:
            opening = True
        elif c == RDQ:
            opening = False
        else:
            p = text[i - 1] if i else None
            n = text[i + 1] if i + 1 < n_text else None
            left = _left_open(p, n)
            right = n is not None and n not in SPACES and n not in "?!.,;:)]}" + RDQ + RSQ
            if left and right:
                opening = True
            elif not left and not right:
                opening = False
            else:
                opening = not dq_open
        dq_open = opening
        yield i, opening


@rule("quotes", "Straight quotes \" and ' become curly “ ” ‘ ’ by context; "
      "apostrophes inside words become ’.")
def quotes(text: str, ctx: Context):
    """Typewriter quotes are not book typography.  A double quote opens after the
    paragraph start, a space, opening punctuation or a dash before a word, when
    a non-space follows; it closes after a word or punctuation when a space,
    punctuation or the end follows; anything in between is decided by whether a
    quotation is open.  A single quote between letters or after a word is an
    apostrophe or closing quote (’); at a word start it opens (‘) unless it
    stands for left-out letters (’em, ’90s, see ``leading-apostrophe``).  Curly
    quotes already in the text are left as they are."""
    if '"' not in text and "'" not in text:
        return
    closers: list[int] | None = None
    n_text = len(text)
    straight = {i: opening for i, opening in double_quotes(text) if text[i] == '"'} if '"' in text else {}
    for m in _STRAIGHT.finditer(text):
        i, c = m.start(), m.group()
        if c == '"':
            yield Edit(i, i + 1, LDQ if straight[i] else RDQ)
        elif c == "'":
            p = text[i - 1] if i else None
            n = text[i + 1] if i + 1 < n_text else None
            left = straight.get(i - 1, False) if p == '"' else _left_open(p, n)
            if is_word(p):
                new = RSQ
            elif left and n is not None and n not in SPACES:
                if closers is None:
                    closers = _closing_single_quotes(text)
                new = RSQ if is_elision(text, i, closers) else LSQ
            else:
                new = RSQ
            yield Edit(i, i + 1, new)


_WRONG_LEADING = re.compile(r"[\u2018']")


@rule("leading-apostrophe", "A word-initial apostrophe for left-out letters is ’ not ‘: "
      "’em, ’til, ’tis, ’twas, ’cause, ’bout, ’round, ’nuff, ’kay, ’cept, rock ’n’ roll, ’90s.")
def leading_apostrophe(text: str, ctx: Context):
    """Smart-quote algorithms (word processors, Pandoc's ``smart``) see a quote
    mark at a word start and curl it as an opening quote, ``‘til``; but the mark
    stands for left-out letters and is an apostrophe, ``’til``.  Both wrongly
    curled and straight input are fixed.  A genuine opening quote stays: the
    elision list is short, and the words in it that are also ordinary words or
    names (Round, Cause, Bout, Kay, Em) stay ‘ when capitalised and a closing
    quote follows in the paragraph (``‘Round and round,’ she sang``)."""
    if LSQ not in text and "'" not in text:
        return
    closers: list[int] | None = None
    for m in _WRONG_LEADING.finditer(text):
        i = m.start()
        p = text[i - 1] if i else None
        if is_word(p) or p == RSQ:
            continue
        if closers is None:
            closers = _closing_single_quotes(text)
        if is_elision(text, i, closers):
            yield Edit(i, i + 1, RSQ)
            if text[i + 1:i + 2].lower() == "n" and text[i + 2:i + 3] in (LSQ, "'"):
                yield Edit(i + 2, i + 3, RSQ)  # rock ‘n‘ roll


__all__ = ["is_elision", "quotes", "leading_apostrophe"]
