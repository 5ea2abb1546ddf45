"""Lint-only checks: they report, they never change the text.

Which text each check reads:

* ``quote-balance``, ``stray-apostrophe``, ``dash-period`` and
  ``ambiguous-hyphen`` are meant to run on the ORIGINAL paragraph text, so the
  offsets point into the manuscript.  They give the same answers on fixed text
  (straight quotes are classified as the ``quotes`` rule sets them, word joiners
  and non-breaking hyphens are looked through), so running them after the fixers
  is harmless.
* ``quote-continuation`` (a check over a chapter's paragraphs) reads either;
  only quote marks matter to it.
"""

from __future__ import annotations

import re

from ._common import OPENING_PUNCT
from .base import Context, Finding, doc_check, rule
from .dashes import ambiguous_hyphens
from .quotes import double_quotes, listed_elision, single_quotes


def _quote_state(text: str) -> tuple[list[Finding], int | None]:
    """Findings for a closing quote without an opener and for an opener that a
    second opener follows; and the offset of the quotation left open at the
    paragraph end (None if all are closed)."""
    findings: list[Finding] = []
    open_at: int | None = None
    for i, opening in double_quotes(text):
        if opening:
            if open_at is not None:
                findings.append(Finding(
                    open_at, open_at + 1, "quote-balance",
                    "this quotation is not closed before the next “ opens (missing ”?)"))
            open_at = i
        else:
            if open_at is None:
                findings.append(Finding(
                    i, i + 1, "quote-balance",
                    "closing ” with no opening “ in this paragraph (was the opening quote lost?)"))
            open_at = None
    return findings, open_at


@rule("quote-balance", "A closing ” with no opening “ (Shut up,” he growled), or an opening “ "
      "followed by another before it closes.", kind="check")
def quote_balance(text: str, ctx: Context):
    """Dialogue whose opening quote was lost reads as narration until the reader
    hits the stray ”.  Reports each ” that closes nothing and each “ that a second
    “ follows before it is closed.  A quotation still open at the paragraph end is
    not reported here: a quotation may run on into the next paragraph, and
    ``quote-continuation`` decides that."""
    findings, _ = _quote_state(text)
    return findings


def _opens_with_quote(text: str) -> bool:
    for i, opening in double_quotes(text):
        return opening and not text[:i].strip()
    return False


@doc_check("quote-continuation", "A quotation running over several paragraphs must open each "
           "continued paragraph with “; report a paragraph left open when the next does not reopen.")
def quote_continuation(paragraphs: list[str], ctx: Context):
    """Convention (Chicago 13.30): a quotation that runs over several paragraphs
    opens every paragraph with “ and closes only the last.  A paragraph that
    leaves a quotation open while the next (non-empty) paragraph does not start
    with “ is either a lost closing quote or a lost reopening quote; the finding
    points at the “ left open.  A quotation still open in the chapter's last
    paragraph is reported too."""
    texts = list(paragraphs)
    nonempty = [k for k, t in enumerate(texts) if t.strip()]
    for pos, k in enumerate(nonempty):
        _, open_at = _quote_state(texts[k])
        if open_at is None:
            continue
        if pos + 1 == len(nonempty):
            yield k, Finding(open_at, open_at + 1, "quote-continuation",
                             "quotation left open at the end of the chapter")
        elif not _opens_with_quote(texts[nonempty[pos + 1]]):
            yield k, Finding(open_at, open_at + 1, "quote-continuation",
                             "quotation left open, but the next paragraph does not reopen with “ "
                             "(close it here, or open the next paragraph with “)")


_STRAY = re.compile('[\u201c"][\u2019\']')


@rule("stray-apostrophe", "A ’ right after an opening “ (“’Thank you) that stands for no "
      "left-out letters.", kind="check")
def stray_apostrophe(text: str, ctx: Context):
    """``“’Thank you`` is a typo: a stray apostrophe (or a lost nested quote)
    right after the opening quote.  Elisions are not reported: ``“’Tis true,”``
    and ``“’Cause I said so”`` are right.  A straight ``'`` after “ is not
    reported either: that is a nested quotation opening (``“‘Hello,’ she
    said”``)."""
    for m in _STRAY.finditer(text):
        q, k = m.start(), m.start() + 1
        if text[k] == "'":
            continue  # straight ' after an opening quote: a nested quotation (‘)
        if text[q] == '"' and q > 0 and not text[q - 1].isspace() and text[q - 1] not in OPENING_PUNCT:
            continue  # a closing straight quote followed by an apostrophe
        if listed_elision(text, k, names_too=True):
            continue
        yield Finding(k, k + 1, "stray-apostrophe", "stray ’ right after the opening quote "
                      "(fine if it stands for left-out letters, as in “’Sup)", "warning")


@rule("single-quote-pair", "A word-initial ' read as an opening quote because a word-final ' "
      "follows (‘darling’): if that one is an apostrophe (goin’, the Joneses’), both are.", kind="check")
def single_quote_pair(text: str, ctx: Context):
    """A single quote at a word start is an apostrophe unless a later one closes
    it (``quotes.single_quotes``).  A closer after punctuation (``‘Hello,’``) is
    sure; one that ends a word in ``-in`` or ``-s`` may as well be an apostrophe
    (``‘Course I was goin’ home``, ``the Joneses’``): the pair is set as a
    quotation and reported, since only the author knows."""
    if "'" not in text and "\u2018" not in text:
        return
    for o, c in single_quotes(text).weak_pairs:
        if text[c - 1] in "sn" and text[o:c].count(" "):
            yield Finding(o, o + 1, "single-quote-pair",
                          "read as a quotation closed by the ’ after "
                          f"{text[max(text.rfind(' ', 0, c) + 1, o):c]!r}; if either mark is an "
                          "apostrophe (’Course, goin’), write ’ for it", "warning")


_MARKDOWN_MARK = re.compile(r"(?<![^\W_])(?:\*+|_+|`+|~~)(?=[^\W_])|(?<=[^\W_.,;:!?])(?:\*+|_+|`+|~~)(?![^\W_])")


@rule("markdown-mark", "A Markdown mark (* _ ` ~~) printed as text: emphasis left open, "
      "or closed in another paragraph.", kind="check")
def markdown_mark(text: str, ctx: Context):
    """``*word`` or ``word_`` in the output means Markdown did not pair the mark: an
    emphasis opened and never closed, or closed in a paragraph of its own.  (Emphasis
    opened at a paragraph start and closed at the end of a later one is joined by the
    reader; anything else only the author can fix.)"""
    if not any(c in text for c in "*_`~"):
        return
    for m in _MARKDOWN_MARK.finditer(text):
        yield Finding(m.start(), m.end(), "markdown-mark",
                      f"{m.group()!r} reaches the output as text: close the emphasis in this "
                      "paragraph, or write \\" + m.group()[0] + " for the character", "warning")


_DASH_PERIOD = re.compile(r"[-\u2013\u2014]\u2060?\.(?![.\d])")


@rule("dash-period", "A dash directly followed by a period (Hey, I-.)", kind="check")
def dash_period(text: str, ctx: Context):
    """A cut-off already ends the sentence: ``I-.`` sets as ``I—.``, a dash and
    a period together, which no house style allows.  The author means ``I—`` (the
    speech breaks off) or ``I.``; only the author can say which, so lint reports
    it and the fixers leave the period."""
    for m in _DASH_PERIOD.finditer(text):
        yield Finding(m.start(), m.end(), "dash-period",
                      "a dash followed by a period: keep one of them")


@rule("ambiguous-hyphen", "A hyphen that may be an opening dash typed without spaces "
      "(if-for heaven’s sake…) and has no closing half in its sentence.", kind="check")
def ambiguous_hyphen_check(text: str, ctx: Context):
    """The check half of ``ambiguous-hyphen`` (see ``dashes.ambiguous_kind``): a
    word-hyphen-word whose first element is a conjunction (or whose second is a
    subordinating one) is no compound, but without a closing ``word- `` in the
    same sentence the fixer cannot tell where the dash pair ends, so it leaves
    the hyphen and this reports it."""
    for i, closer in ambiguous_hyphens(text):
        if closer is None:
            yield Finding(i, i + 1, "ambiguous-hyphen",
                          "a compound or an opening dash typed without spaces? Write ' - ' "
                          "or '--' for a dash (and close the pair), or reword")
