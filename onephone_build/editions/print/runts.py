"""No runts: a paragraph's last line is never one short word alone, nor the tail of a
word broken over the line before.

- A paragraph that ends in a short word (``RUNT_LETTERS`` letters or fewer, its
  punctuation aside) gets a no-break space before that word, so the word goes to the last
  line with the word before it, or both stay on the line above. Typesetters call it
  binding the last two words; TeX users write ``~``.
- A paragraph's last word is not broken: not hyphenated, not broken after its own hyphen
  or dash (``inspira-/tion:``, ``spring-/board:`` would leave a runt of its tail). It goes
  into a nowrap span (print.css ``.nw``), when it is not longer than ``LONGEST_WORD``; a
  short one, bound with a no-break space, gets a word joiner after each dash or hyphen
  inside it instead (``the—the—”``, a stammer cut off, is not broken to leave ``the—”``),
  and, when it is long enough to hyphenate, a nohy span (``his manner.”`` set ``his man-``
  / ``ner.”``).

The count of the paragraph's lines does not change, so the page's make-up does not
either: only which words the last two lines hold. Only the text of a ``<p>`` is touched,
never a tag, an attribute or a nowrap span the glue made.
"""

from __future__ import annotations

import re

from ...model.chars import WJ

RUNT_LETTERS = 6  # benchmarks/pages.py counts a last line of one word this short as a runt
LONGEST_PAIR = 18  # letters of the two bound words together, at most
LONGEST_WORD = 24  # characters of a last word kept whole, at most (a longer one may break)
MIN_BREAKABLE = 6  # print.css hyphenate-limit-chars: a shorter word never hyphenates
_TAG = re.compile(r"(<[^>]*>)")
_P_END = re.compile(r"</p>", re.I)
_BLOCK = ("<p", "<br", "<div", "<li", "<aside")
LETTER = re.compile(r"\w")  # what counts as a letter of a word (looseness.py counts runts so too)
_WORD_PART = re.compile(r"[^\W\d_]+")  # what hyphenation sees as a word
_INNER_BREAK = re.compile(r"(?<=[-\u2010\u2013\u2014/])(?=\w)")  # a break after a dash, a letter next


def _previous_word(parts: list[str], k: int, head: str) -> str:
    """The word before the space: at the end of ``head`` (the text piece's part before
    it) or of an earlier text piece of the same paragraph."""
    while True:
        found = re.search(r"(\w+)\W*$", head)
        if found or head.strip():
            return found.group(1) if found else ""
        k -= 2
        if k < 0 or parts[k + 1].lower().startswith(_BLOCK):
            return ""
        head = parts[k]


def _nowrap(parts: list[str]) -> set[int]:
    """The indexes of the text pieces inside a nowrap span the glue made."""
    inside, stack = set(), []
    for k, piece in enumerate(parts):
        if k % 2 == 0:
            if any(stack):
                inside.add(k)
        elif piece.startswith("<span"):
            stack.append(piece.startswith('<span class="nw"'))
        elif piece == "</span>" and stack:
            stack.pop()
    return inside


def _last_space(parts: list[str], end: int, nowrap: set[int]) -> tuple[int, int, bool] | None:
    """Where the last space of the paragraph closed by ``parts[end]`` is: (index of the
    text piece, offset in it, whether the last word is all in that piece); None when
    the paragraph has no space, or its end is in a nowrap span or a note."""
    alone = True
    for k in range(end - 1, -1, -1):
        piece = parts[k]
        if k % 2:  # a tag
            if piece.lower().startswith(_BLOCK) or piece.startswith('<span class="nw"') or 'class="footnote' in piece:
                return None
            continue
        if k in nowrap and piece.strip():
            return None
        at = piece.rfind(" ")
        if at >= 0:
            return k, at, alone
        alone = alone and not piece.strip()
    return None


def _settle(parts: list[str], end: int, nowrap: set[int]) -> None:
    found = _last_space(parts, end, nowrap)
    if found is None:
        return
    k, at, alone = found
    piece = parts[k]
    tail = piece[at + 1:]
    letters = len(LETTER.findall(tail)) + sum(len(LETTER.findall(parts[j])) for j in range(k + 2, end, 2))
    before = _previous_word(parts, k, piece[:at])
    bind = 0 < letters <= RUNT_LETTERS and before and len(before) + letters <= LONGEST_PAIR
    breakable = letters >= MIN_BREAKABLE or re.search(r"[-\u2010\u2013\u2014/]", tail)
    if alone and breakable and len(tail) <= LONGEST_WORD and not bind:
        # (not with a no-break space too: a nowrap span glued to the word before it
        # makes WeasyPrint break the paragraph's earlier lines short)
        tail = f'<span class="nw">{tail}</span>'
    elif bind:
        tail = _INNER_BREAK.sub(WJ, tail)
        if alone and max(map(len, _WORD_PART.findall(tail)), default=0) >= MIN_BREAKABLE:
            tail = f'<span class="nohy">{tail}</span>'  # long enough to hyphenate ("his man-" / "ner.”")
    parts[k] = piece[:at] + ("\u00a0" if bind else " ") + tail


def bind_last_words(xhtml: str) -> str:
    """``xhtml`` with the last word of each paragraph kept whole, and bound to the word
    before it when it is short."""
    parts = _TAG.split(xhtml)  # text at the even indexes, tags at the odd ones
    nowrap = _nowrap(parts)
    for k in range(1, len(parts), 2):
        if _P_END.fullmatch(parts[k]):
            _settle(parts, k, nowrap)
    return "".join(parts)
