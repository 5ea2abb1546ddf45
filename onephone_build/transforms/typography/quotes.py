"""Rules ``quotes`` and ``leading-apostrophe``: curly quotes, the right way round."""

from __future__ import annotations

import re

from dataclasses import dataclass

from ._common import (DASHES, LDQ, LSQ, OPENING_PUNCT, RDQ, RSQ, SPACES, at, is_letter, is_word)
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


def _left_open(p: str | None, n: str | None) -> bool:
    """A quote after this character opens: paragraph start, space, opening
    punctuation, or a dash directly followed by a word (SmartyPants)."""
    if p is None or p in SPACES or p in OPENING_PUNCT:
        return True
    return p in DASHES and is_word(n)


def listed_elision(text: str, i: int, names_too: bool = False) -> bool:
    """The quote mark at ``text[i]`` begins a word that is only ever an elision
    (’em, ’til, ’tis, ’90s, ’n’); the capitalised words that are also ordinary
    words or names (Round, Cause, Bout, Kay, Em) are left to the pairing unless
    ``names_too``."""
    m = _ELISION.match(text, i + 1)
    return bool(m) and (names_too or not (m.group().lower() in _AMBIGUOUS and m.group()[0].isupper()))


_SINGLE = re.compile("['\u2018\u2019]")
PRIME, DOUBLE_PRIME = "\u2032", "\u2033"


@dataclass(frozen=True)
class SingleQuotes:
    """What each single quote mark of a paragraph is (``single_quotes``)."""

    opening: frozenset[int]  # ‘ : opens a quotation that a later ’ closes
    primes: frozenset[int]  # ′ : feet, minutes (6'2")
    weak_pairs: tuple[tuple[int, int], ...]  # (opener, closer) pairs closed only by a word-final '


def _closer_kind(text: str, i: int) -> str | None:
    """``"strong"`` for a quote mark after punctuation (``,’``), ``"weak"`` for one
    that ends a word (``darling’``, also ``goin’`` and ``the Joneses’``), else None."""
    p, n = at(text, i - 1), at(text, i + 1)
    if is_word(n) and is_word(p):
        return None  # inside a word: don't, I’m
    if n is not None and n not in SPACES and n not in "?!.,;:)]}\u2014\u2013-\u2026\"\u201d\u2019'\u2060":
        return None
    if is_word(p):
        return "weak"
    if p is not None and p in ".,;:!?\u2026\u2014\u2013-)]\u201d\"":
        return "strong"
    return None


def single_quotes(text: str) -> SingleQuotes:
    """Classify the single quote marks of a paragraph by shape, not by a word list.

    A mark at the start of a word opens a quotation only if a later single quote
    in the paragraph closes it; otherwise it stands for left-out letters
    (’pears, ’Sup, ’fraid, ’Ello, ’ello).  Closers pair with the latest unclosed
    opener (a nested quotation inside double quotes).  A closer is a mark after
    punctuation (strong) or at a word end (weak: ``‘darling’``, but also
    ``goin’``); a weak pair is reported by lint, since only the author knows.
    A one-letter lower-case word between marks is dialect (Twain's ``’a’``, rock
    ``’n’`` roll).  A mark after a digit that closes nothing is a prime (``6′``)."""
    stack: list[int] = []
    opening: set[int] = set()
    primes: set[int] = set()
    weak: list[tuple[int, int]] = []
    skip: set[int] = set()
    for m in _SINGLE.finditer(text):
        i, c = m.start(), m.group()
        if i in skip:
            continue
        p, n = at(text, i - 1), at(text, i + 1)
        opens = _left_open(p, n) or (p == '"' and _left_open(at(text, i - 2), p))
        if c != RSQ and opens and not is_word(p) and p != RSQ and n is not None and n not in SPACES:
            if n.islower() and at(text, i + 2) in _SQ_MARKS and not is_word(at(text, i + 3)):
                skip.add(i + 2)  # ’a’, ’n’: a letter standing for a word
                continue
            if listed_elision(text, i):
                continue
            stack.append(i)
            continue
        kind = _closer_kind(text, i)
        if kind is None:
            continue
        if stack:
            o = stack.pop()
            opening.add(o)
            if kind == "weak" and is_letter(p):
                weak.append((o, i))
        elif c == "'" and p is not None and p.isdigit():
            primes.add(i)
    return SingleQuotes(frozenset(opening), frozenset(primes), tuple(weak))


_SQ_MARKS = ("'", LSQ, RSQ)


def is_elision(text: str, i: int) -> bool:
    """The quote mark at ``text[i]`` stands for left-out letters (’em, ’90s,
    ’pears, ’Sup) rather than opening a quotation: no later quote closes it."""
    if listed_elision(text, i):
        return True
    return i not in single_quotes(text).opening


# Feet and inches: 6'2", 5' 11", 6' (a prime after a digit that closes nothing).
_FEET_INCHES = re.compile(r"(?<![\w.])\d{1,2}'[ \u00a0]?\d{1,2}(?:\.\d+)?\"")
_INCHES = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d+)?\"(?!\w)")


_STRAIGHT = re.compile("[\"']")
_DQ = re.compile('["\u201c\u201d]')


def _scan_double(text: str) -> tuple[list[tuple[int, bool]], frozenset[int], frozenset[int]]:
    """The double quote marks of ``text`` as ``(offset, opening)``, the straight
    ones that are inch marks (``6'2"`` always; ``12"`` when no quotation is open),
    and the ' that are feet before inches."""
    pairs = list(_FEET_INCHES.finditer(text)) if "'" in text else []
    feet = {m.end() - 1 for m in pairs}
    bare = {m.end() - 1 for m in _INCHES.finditer(text)}
    marks: list[tuple[int, bool]] = []
    inches: set[int] = set()
    dq_open = False
    n_text = len(text)
    for m in _DQ.finditer(text):
        i, c = m.start(), m.group()
        if c == LDQ:
            opening = True
        elif c == RDQ:
            opening = False
        elif i in feet or (i in bare and not dq_open):
            inches.add(i)
            continue
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
        marks.append((i, opening))
    return marks, frozenset(inches), frozenset(text.index("'", m.start()) for m in pairs)


def double_quotes(text: str):
    """Yield ``(offset, opening)`` for every double quote mark of ``text``, curly
    or straight (inch marks are not quotes); a straight one is classified as the
    ``quotes`` rule sets it."""
    yield from _scan_double(text)[0]


@rule("quotes", "Straight quotes \" and ' become curly “ ” ‘ ’ by context; "
      "apostrophes inside words become ’; feet and inches after a digit become primes (6′2″).")
def quotes(text: str, ctx: Context):
    """Typewriter quotes are not book typography.  A double quote opens after the
    paragraph start, a space, opening punctuation or a dash before a word, when
    a non-space follows; it closes after a word or punctuation when a space,
    punctuation or the end follows; anything in between is decided by whether a
    quotation is open.  A single quote at a word start opens (‘) only when a
    later single quote closes it, else it stands for left-out letters (’pears,
    see ``single_quotes``); every other single quote is ’.  After a digit,
    ``6'2"`` and a ``12"`` outside a quotation are primes.  Curly quotes
    already in the text are left as they are."""
    if '"' not in text and "'" not in text:
        return
    marks, inches, feet = _scan_double(text) if '"' in text else ([], frozenset(), frozenset())
    straight = {i: opening for i, opening in marks if text[i] == '"'}
    singles = single_quotes(text) if "'" in text else None
    for m in _STRAIGHT.finditer(text):
        i, c = m.start(), m.group()
        if c == '"':
            yield Edit(i, i + 1, DOUBLE_PRIME if i in inches else LDQ if straight[i] else RDQ)
        elif i in singles.primes or i in feet:
            yield Edit(i, i + 1, PRIME)
        else:
            yield Edit(i, i + 1, LSQ if i in singles.opening else RSQ)


_WRONG_LEADING = re.compile(r"[\u2018']")


@rule("leading-apostrophe", "A word-initial apostrophe for left-out letters is ’ not ‘, "
      "decided by shape: a ‘ that no later quote closes (’pears, ’Sup, ’fraid, ’em, ’90s, rock ’n’ roll).")
def leading_apostrophe(text: str, ctx: Context):
    """Smart-quote algorithms (word processors, Pandoc's ``smart``) see a quote
    mark at a word start and curl it as an opening quote, ``‘til``; but the mark
    stands for left-out letters and is an apostrophe, ``’til``.  A ‘ (or ') at
    a word start that no later single quote in the paragraph closes is such an
    apostrophe (``single_quotes``); a genuine opening quote is closed later
    (``‘Round and round,’ she sang``) and stays."""
    if LSQ not in text and "'" not in text:
        return
    singles = single_quotes(text)
    for m in _WRONG_LEADING.finditer(text):
        i = m.start()
        p = text[i - 1] if i else None
        if is_word(p) and text[i] == "'":
            continue
        if i in singles.opening:
            continue
        if text[i] == LSQ or (text[i] == "'" and not is_word(p) and is_word(at(text, i + 1))):
            if text[i] == "'" and i in singles.primes:
                continue
            yield Edit(i, i + 1, RSQ)
