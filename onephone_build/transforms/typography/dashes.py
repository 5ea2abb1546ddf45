"""The hyphen/dash classifier: rules ``spaced-dash``, ``stammer``, ``honorific``,
``ambiguous-hyphen``, ``dash-pair``, ``cut-off`` and ``dash-glue``.

Plain-text manuscripts write four different things with one hyphen-minus; the
classifier tells them apart by the *shape* of the text around each hyphen, never
by a list of this book's words:

===============  ===========================  ==================================
class            shape                        result (closed / US style)
===============  ===========================  ==================================
number           digit ``-`` digit             left alone (``555-0199``)
stammer          ``frag-word``, frag a prefix  non-breaking hyphen U+2011
                 of word (case-insensitive)
honorific        ``Name-kun`` (Japanese)       non-breaking hyphen U+2011
compound         any other word ``-`` word     hyphen kept
cut-off          ``word-`` + space, closing    em dash, closed up
                 quote, ``?!.,;:`` or end
pair             `` -word … word- ``           em dashes, closed up
spaced           `` - ``, ``--``, `` – ``, `` — ``  em dash, closed up
ambiguous        ``if-for … sake- those``      pair if a closer follows in the
                                               sentence, else reported by lint
===============  ===========================  ==================================

With ``Context(dashes="spaced")`` (British, New Hart's Rules) every dash is a
spaced en dash instead: a no-break space before it so it cannot start a line,
a normal space after it; no space after it before a closing quote, closing
punctuation or the paragraph end (``I should have been –”``), and none before it
after an opening quote (``“– tell me``), as Oxford and Penguin set broken-off
speech.  See ``_common.dash_edits``.

Each rule re-reads the text it is given (the output of the rules before it),
so it works alone and in any subset.  Edits are minimal (the hyphen replaced,
the adjacent white space deleted) so that ``lint`` maps them back to the source.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ._common import (OPENING_PUNCT, SPACES, at, dash_edits, dedupe,
                      is_letter, is_space, is_word, right_is_close)
from .base import EM, EN, NBH, WJ, Context, Edit, rule

JOINERS = "-" + NBH  # what joins the elements of a stammer or compound
_APOS = "\u2019'"

# --- honorifics ------------------------------------------------------------
# Japanese honorific suffixes that are not English words: after any word.
_HONORIFICS = (
    "kun", "chan", "san", "sama", "senpai", "sempai", "sensei", "kohai", "kouhai",
    "dono", "tachi", "hakase", "chama", "shishou", "neesan", "niisan", "neechan",
    "niichan", "oneesan", "oniisan", "oneechan", "oniichan", "kyun", "tan", "chin",
    "chi", "shi", "han", "nee", "nii",
)
# Suffixes that are also English words or word ends (sun-tan, double-chin,
# tai-chi): only after a capitalised word, i.e. a name.
_NAME_ONLY = frozenset({"tan", "chin", "chi", "shi", "han", "nee", "nii"})
_HONORIFIC = re.compile(
    "(" + "|".join(sorted(_HONORIFICS, key=len, reverse=True)) + r")(?![^\W_])")

# --- the ambiguous opener --------------------------------------------------
# Words that essentially never begin a two-element hyphenated compound: the
# conjunctions.  (Not "so", "as", "for", "yet", "once", "that": so-called,
# as-is, for-profit, yet-unnamed, once-great, that-a-way.)  Inside a longer
# chain they are fine (hit-and-run, larger-than-life, because-I-said-so), so
# only a chain of exactly two elements is considered.
_CONJ_FIRST = frozenset({
    "if", "and", "but", "or", "nor", "because", "though", "although", "whereas",
    "whether", "while", "whilst", "unless", "until", "than", "since", "when",
    "whenever", "wherever", "whereupon", "lest",
})
# Words that never end one: subordinating conjunctions ("likely-though not …").
# Not "if": what-if and as-if are real compounds.
_CONJ_SECOND = frozenset({
    "though", "although", "because", "unless", "whereas", "whether", "whilst", "lest",
})
# Second elements that make a conjunction pair a real (logical or grammatical)
# compound: if-then, and-or, if-clause.
_LOGICAL = frozenset({"then", "else", "and", "or", "nor", "not", "clause", "clauses",
                      "statement", "statements"})

# A suspended hyphen in "pre- and post-war", "first-, second- and third-class",
# "10- to 20-year": the hyphen before a space is part of a compound, not a dash.
_SUSPENDED = re.compile(
    r",?[ \u00a0](?:and/or|and|or|nor|to|through)[ \u00a0][\w\u2019']+-\w"
    r"|,[ \u00a0][\w\u2019']+-[ ,]", re.IGNORECASE)
# Where a sentence ends (for pairing an opening dash with its closer).
_SENTENCE_END = re.compile(r"[.!?](?=[\s\u201d\u2019\"')\]\u2060]|$)")
# Candidates for the closing half of a dash pair: a hyphen with something other
# than a letter or digit on at least one side (not a compound), or a dash.
_CLOSER = re.compile(r"(?<![^\W_])-|-(?![^\W_])|[\u2013\u2014]")
_HYPHEN = re.compile(r"(?<!-)-(?!-)")
# Dash characters, possibly with white space between them ("law- - law",
# "-- -x"): one dash typed twice.  Spaces and dashes are disjoint: linear.
_DASH_RUN = re.compile(r"[-\u2013\u2014](?:[ \t\u00a0]*[-\u2013\u2014])*")
_EM = re.compile("\u2014")
_LONG_DASHES = {4: 2, 6: 3}  # hyphens typed for the 2-em and the 3-em dash: em dashes set
_DASH_ELLIPSIS = re.compile("[\u2013\u2014]\u2026")


# --- shape helpers ---------------------------------------------------------
def _element_start(text: str, i: int) -> int:
    """Start of the word element that ends at ``i`` (letters, digits and inner
    apostrophes), stopping at a hyphen or at anything else."""
    k = i
    while k > 0:
        c = text[k - 1]
        if c.isalnum() or (c in _APOS and k < i and text[k].isalnum() and is_word(at(text, k - 2))):
            k -= 1
        else:
            break
    return k


def _element_end(text: str, j: int) -> int:
    """End of the word element that starts at ``j`` (``I’m``, ``Kacchan’s``)."""
    n = len(text)
    k = j
    while k < n:
        c = text[k]
        if c.isalnum() or (c in _APOS and k > j and k + 1 < n and text[k + 1].isalnum()):
            k += 1
        else:
            break
    return k


def is_stammer(text: str, i: int) -> bool:
    """The hyphen at ``i`` splits a stammer: letters on both sides, and the
    fragment before it (back to the word start or the stammer's previous hyphen)
    is a case-insensitive prefix of the word after it (``K-Kacchan``,
    ``I-I-I’m``, ``Oh-Oh``).  Reduplicated compounds (``so-so``, ``bye-bye``)
    match too; a non-breaking hyphen there is harmless."""
    if not (is_letter(at(text, i - 1)) and is_letter(at(text, i + 1))):
        return False
    frag = text[_element_start(text, i):i]
    word = text[i + 1:_element_end(text, i + 1)]
    return bool(frag) and len(frag) <= len(word) and word.casefold().startswith(frag.casefold())


def is_honorific(text: str, i: int) -> bool:
    """The hyphen at ``i`` joins a Japanese honorific to a name (``Midoriya-kun``)."""
    if not is_letter(at(text, i - 1)):
        return False
    m = _HONORIFIC.match(text, i + 1)
    if not m:
        return False
    if m.group(1) in _NAME_ONLY:
        return text[_element_start(text, i)].isupper()
    return True


def _is_number(text: str, i: int, j: int) -> bool:
    """Digits on both sides of ``text[i:j]``, looking past white space."""
    k = i
    while k > 0 and text[k - 1] in SPACES:
        k -= 1
    m = j
    while m < len(text) and text[m] in SPACES:
        m += 1
    return k > 0 and text[k - 1].isdigit() and at(text, m) is not None and text[m].isdigit()


def ambiguous_kind(text: str, i: int) -> bool:
    """The hyphen at ``i`` joins two words but may be an opening dash typed
    without spaces (``if-for heaven’s sake- those``): a two-element chain that
    is no stammer or honorific, whose first element is a conjunction or whose
    second is a subordinating conjunction, and not a logical pair (if-then)."""
    if text[i] != "-" or not (is_letter(at(text, i - 1)) and is_letter(at(text, i + 1))):
        return False
    ls = _element_start(text, i)
    re_ = _element_end(text, i + 1)
    if ls > 0 and text[ls - 1] in JOINERS:
        return False
    if at(text, re_) is not None and text[re_] in JOINERS and is_word(at(text, re_ + 1)):
        return False
    if is_stammer(text, i) or is_honorific(text, i):
        return False
    first, second = text[ls:i].lower(), text[i + 1:re_].lower()
    if second in _LOGICAL:
        return False
    return first in _CONJ_FIRST or second in _CONJ_SECOND


def _is_closer(text: str, k: int) -> bool:
    """``text[k]`` will be set as a dash by some dash rule, so it can close a
    pair: not a suspended hyphen (``pre- and``), a negative number (`` -5``),
    a mentioned honorific (``the -kun``), a joining en dash (``1990–95``) or
    part of a 2-em dash."""
    c = text[k]
    if c == EM:
        return at(text, k + 1) != EM and at(text, k - 1) != EM
    if c == EN:
        return not (is_word(at(text, k - 1)) and is_word(at(text, k + 1)))
    q = at(text, k + 1)
    if q == "-" or at(text, k - 1) == "-":
        return False  # a run of hyphens: spaced-dash's, or a rule line left alone
    if q is not None and q in (" ", ",", "\u00a0") and _SUSPENDED.match(text, k + 1):
        return False
    if is_word(q) and (q.isdigit() or _HONORIFIC.match(text, k + 1)):
        return False
    return True


class _Pairs:
    """Closing halves of dash pairs and sentence ends of one text, for finding
    the closer of an opening dash in O(log n)."""

    def __init__(self, text: str):
        self.text = text
        self.closers = [m.start() for m in _CLOSER.finditer(text) if _is_closer(text, m.start())]
        self.ends = [m.start() for m in _SENTENCE_END.finditer(text)]

    def closer_after(self, i: int) -> int | None:
        """The first closer after ``i`` that comes before the sentence ends."""
        k = bisect_right(self.closers, i)
        if k == len(self.closers):
            return None
        c = self.closers[k]
        e = bisect_right(self.ends, i)
        if e < len(self.ends) and self.ends[e] < c:
            return None
        return c


def _convert(text: str, i: int, ctx: Context) -> list[Edit]:
    """Dash edits for a hyphen (or a dash already set) at ``i``."""
    return dash_edits(text, i, i + 1, ctx)


def ambiguous_hyphens(text: str) -> list[tuple[int, int | None]]:
    """Every ambiguous hyphen of ``text`` with the position of its closer, or
    None when there is none in the same sentence (what lint reports)."""
    if "-" not in text:
        return []
    pairs: _Pairs | None = None
    out = []
    for m in _HYPHEN.finditer(text):
        i = m.start()
        if ambiguous_kind(text, i):
            if pairs is None:
                pairs = _Pairs(text)
            out.append((i, pairs.closer_after(i)))
    return out


# --- the rules, in application order ----------------------------------------
@rule("spaced-dash", "' - ', '--', '---', ' – ' and spaced '—' become the house dash "
      "(closed em dash; a spaced en dash in British style); '1990--95' becomes an en dash.")
def spaced_dash(text: str, ctx: Context):
    """Typists write a dash as a spaced hyphen or a double hyphen, and word
    processors as a spaced en dash; Chicago sets an em dash with no space around
    it.  A hyphen between spaces (or after an opening quote, ``“- tell me``), a
    run of two or three hyphens, an en dash that does not join two words or
    digits, and every single em dash are set as the style's dash with its
    spacing.  Digits on both sides are a range or subtraction: ``--`` there is
    the TeX en dash, a spaced hyphen is left alone.  Four hyphens are the 2-em
    dash of an omitted word or letters (Gutenberg's ``the ----shire``, ``life----”``),
    six the 3-em dash: set as two and three em dashes (U+2E3A and U+2E3B are missing
    from most faces, EB Garamond's italic among them); ``——`` and longer runs are
    left alone."""
    if "-" not in text and EN not in text and EM not in text:
        return []
    edits: list[Edit] = []
    for m in _DASH_RUN.finditer(text):
        i, j = m.span()
        run = m.group()
        chars = "".join(c for c in run if c not in SPACES)
        n = len(chars)
        kind = "mixed" if len(run) != n or chars.count(chars[0]) != n else chars[0]
        if kind == "-":
            if n == 1:
                p, q = at(text, i - 1), at(text, j)
                if (p is None or is_space(p) or p in OPENING_PUNCT) and (q is None or is_space(q)) \
                        and not _is_number(text, i, j):
                    edits += dash_edits(text, i, j, ctx)
            elif n in _LONG_DASHES:
                edits.append(Edit(i, j, EM * _LONG_DASHES[n]))
            elif n <= 3:
                if n == 2 and _is_number(text, i, j) and text[i - 1].isdigit() and text[j].isdigit():
                    edits.append(Edit(i, j, EN))  # 1990--95: the TeX en dash
                elif not _is_number(text, i, j):
                    edits += dash_edits(text, i, j, ctx)
        elif kind == EN:
            if n > 1 or not (is_word(at(text, i - 1)) and is_word(at(text, j))) \
                    and not _is_number(text, i, j):
                edits += dash_edits(text, i, j, ctx)
        elif kind == EM:
            if n == 1:
                edits += dash_edits(text, i, j, ctx)
        else:  # "-—", "–—": one dash typed twice
            edits += dash_edits(text, i, j, ctx)
    return dedupe(edits)


def _non_breaking(text: str, joins) -> list[Edit]:
    """A non-breaking hyphen for every hyphen where ``joins(text, index)`` holds."""
    if "-" not in text:
        return []
    return [Edit(m.start(), m.end(), NBH) for m in _HYPHEN.finditer(text) if joins(text, m.start())]


@rule("stammer", "A stammer (K-Kacchan, I-I’m, w-waste, Oh-Oh) gets a non-breaking hyphen.")
def stammer(text: str, ctx: Context):
    """A line break inside ``K-Kacchan`` leaves ``K-`` alone at a line end, where
    it reads as a hyphenated word; the hyphen of a stammer becomes U+2011 so no
    line can break there (writers render it as a hyphen in a nowrap span).  A
    stammer is recognised by shape: letters on both sides of the hyphen, and the
    fragment before it is a case-insensitive prefix of the word after it."""
    return _non_breaking(text, is_stammer)


@rule("honorific", "A Japanese honorific suffix (Midoriya-kun, -chan, -san, -sama, -senpai, "
      "-sensei) gets a non-breaking hyphen.")
def honorific(text: str, ctx: Context):
    """``Midoriya-`` at a line end and ``kun`` on the next reads badly: the name
    and its honorific are one unit.  The suffix must be written in lower case and
    end the word; the few suffixes that are also English (tan, chin, chi, shi,
    han, nee, nii) count only after a capitalised name."""
    return _non_breaking(text, is_honorific)


@rule("ambiguous-hyphen", "An opening dash typed without spaces (if-for heaven’s sake- those) "
      "becomes a dash pair when its closer follows in the sentence; otherwise lint reports it.")
def ambiguous_hyphen(text: str, ctx: Context):
    """``if-for`` looks like a compound, but no compound starts with a
    conjunction: the writer typed an opening dash without its spaces.  Only the
    closing half ``sake- `` later in the same sentence proves it; then both
    halves become dashes.  Without a closer the hyphen stays and the check of the
    same name reports it: never a silent guess."""
    edits: list[Edit] = []
    for i, closer in ambiguous_hyphens(text):
        if closer is not None:
            edits += _convert(text, i, ctx)
            if text[closer] == "-":
                edits += _convert(text, closer, ctx)
    return dedupe(edits)


@rule("dash-pair", "A hyphen opening after a space (likely -though … impossible- scenario) "
      "is a dash, and so is its closing half: both become dashes, closed up.")
def dash_pair(text: str, ctx: Context):
    """A parenthetical pair typed as `` -word … word- `` is two dashes.  The
    opener (a hyphen before a letter, after a space, an opening quote -- speech
    resumed after an interruption, ``“-really fine`` -- or at the paragraph
    start) is a dash even without a closer; the closer is the first ``word- `` after it
    in the same sentence.  A negative number (`` -5``) and a mentioned honorific
    suffix (``the -kun``) are not openers."""
    if "-" not in text:
        return []
    edits: list[Edit] = []
    pairs: _Pairs | None = None
    for m in _HYPHEN.finditer(text):
        i = m.start()
        p = at(text, i - 1)
        if not (p is None or is_space(p) or p in OPENING_PUNCT) or not is_letter(at(text, i + 1)):
            continue
        if _HONORIFIC.match(text, i + 1):
            continue
        edits += _convert(text, i, ctx)
        if pairs is None:
            pairs = _Pairs(text)
        closer = pairs.closer_after(i)
        if closer is not None and text[closer] == "-":
            edits += _convert(text, closer, ctx)
    return dedupe(edits)


def _ends_phrase(text: str, j: int) -> bool:
    """What follows a hyphen at ``j - 1`` makes it a cut-off: white space,
    paragraph end, a closing quote, ``?!.,;:`` or an opening double quote."""
    c = at(text, j)
    return c is None or is_space(c) or right_is_close(text, j) or c in "\u201c\""


@rule("cut-off", "A hyphen that breaks off speech (been-”, but I-, There’s- there’s, another-?”) "
      "becomes an em dash, closed up.")
def cut_off(text: str, ctx: Context):
    """Speech that is cut off or corrects itself is typed ``word-`` followed by
    a space, a closing quote, punctuation or the end of the paragraph; in print
    it is an em dash with no space after it (``There’s—there’s``, ``I—”``).  A
    stammer can end in one (``B-but-”``).  A suspended hyphen (``pre- and
    post-war``, ``10- to 20-year``) is a compound, not a cut-off."""
    if "-" not in text:
        return []
    edits: list[Edit] = []
    for m in _HYPHEN.finditer(text):
        i = m.start()
        if i == 0 and is_space(at(text, 1)):
            continue  # "- word" at the paragraph start is spaced-dash's
        if not _ends_phrase(text, i + 1):
            continue
        if at(text, i + 1) in (" ", ",", "\u00a0") and _SUSPENDED.match(text, i + 1):
            continue
        if _is_number(text, i, i + 1):
            continue  # "5 - 3", "5 -" + digit: arithmetic, not speech
        edits += _convert(text, i, ctx)
    return dedupe(edits)


_OPENING_GLUED = re.compile("(?:\u2014+|[\u2013\u2026])(?=[^\\W_])")  # (a 2-em dash: ``the ——shire``)


def _opens(text: str, k: int) -> bool:
    """The dash or ellipsis at ``k`` opens a phrase: paragraph start, white space, an
    opening quote or bracket (straight or curly) before it."""
    while k > 0 and text[k - 1] == WJ:
        k -= 1
    if k == 0:
        return True
    p = text[k - 1]
    if p in SPACES or p in OPENING_PUNCT:
        return True
    return p in ('"', "'") and (k == 1 or text[k - 2] in SPACES)


@rule("dash-glue", "No line may start with an em dash, nor end with an opening one: a word "
      "joiner before an em dash after a word, and after an opening dash or ellipsis (“—tell).")
def dash_glue(text: str, ctx: Context):
    """A line may break after an em dash, never before it: a dash at a line
    start reads as the start of new speech.  In closed style a word joiner
    (U+2060) is put before every em dash that follows a visible character; none
    after white space, an opening quote or bracket (no break happens there), or
    inside a 2-em dash.  In spaced style the no-break space set by the other
    dash rules does this job.  An ellipsis right after a dash (``I—…``, left
    without its glue when a dash rule closed up the space between them) gets a
    word joiner too.  A dash or ellipsis that opens a phrase (``“—tell me``,
    ``“…and then``) is glued to the word after it, so no line ends with it."""
    if EM not in text and EN not in text and "\u2026" not in text:
        return
    for m in _DASH_ELLIPSIS.finditer(text):
        yield Edit(m.start() + 1, m.start() + 1, WJ)  # "—…": dash rules closed it up
    for m in _OPENING_GLUED.finditer(text):
        k = m.start()
        if (text[k] != EN or ctx.dashes == "spaced") and _opens(text, k):
            yield Edit(m.end(), m.end(), WJ)
    for m in _EM.finditer(text):
        k = m.start()
        if k == 0 or _opens(text, k):
            continue
        if text[k - 1] in (WJ, EM):
            continue
        yield Edit(k, k, WJ)


__all__ = ["ambiguous_hyphens", "ambiguous_kind", "is_honorific", "is_stammer"]
