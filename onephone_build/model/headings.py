"""Chapter headings as a designer sets them: the number apart from the title.

``# Chapter 3: The Train`` is the number 3 and the title "The Train"; the book's
``chapter_numbers`` style decides how the number shows above the title ("Chapter Three",
"Chapter 3", or not at all). Prologues, epilogues, interludes and any heading marked
``{.unnumbered}`` (or Pandoc's ``{-}``) take no number, and do not use one up. A chapter
without a heading is titled in the book's style.

Each rule is a small function with its table of cases in tests/test_novel_elements.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# book.yaml's chapter_numbers: auto (the default) shows the numbers the headings give, in
# words where they were digits, and titles a chapter without a heading in the book's form;
# words, numerals or roman put a number over every numbered chapter in that form; none
# shows no number (a chapter without a heading is titled "One", "Two"...).
from ..config.book import CHAPTER_NUMBER_STYLES as STYLES  # noqa: E402
LABEL = "Chapter"
UNNUMBERED_NAMES = {"prologue", "epilogue", "interlude", "afterword", "coda", "prelude", "postscript"}

_ONES = ("Zero One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen Fifteen "
         "Sixteen Seventeen Eighteen Nineteen").split()
_TENS = "_ _ Twenty Thirty Forty Fifty Sixty Seventy Eighty Ninety".split()
_WORD_VALUES = {w.lower(): i for i, w in enumerate(_ONES)} | {w.lower(): 10 * i for i, w in enumerate(_TENS) if i > 1}
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
_SEP = r"\s*(?:[:.\u2013\u2014-]|\s)\s*"
_WORD_NUMBER = r"[A-Za-z]+(?:[- ][A-Za-z]+)?"
# "Chapter 3: The Train", "Chapter Three", "chapter XII - Home"; "3. The Train", "XII", "12"
_WITH_LABEL = re.compile(r"^\s*chapter\s+(?P<num>\d+|" + _WORD_NUMBER + r")(?:" + _SEP + r"(?P<name>.*?))?\s*$",
                         re.I)
_BARE = re.compile(r"^\s*(?P<num>\d+|[IVXLCDM]+)(?:(?:\s*[:.]\s*|\s+-\s+|\s*[\u2013\u2014]\s*)(?P<name>.*?))?\s*$")


def number_words(n: int) -> str:
    """3 -> 'Three', 21 -> 'Twenty-One', 105 -> 'One Hundred Five'; past 999 the digits."""
    if n < 20:
        return _ONES[n] if n >= 0 else str(n)
    if n < 100:
        return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        return f"{_ONES[n // 100]} Hundred" + (f" {number_words(n % 100)}" if n % 100 else "")
    return str(n)


def words_value(text: str) -> int | None:
    """'Three' -> 3, 'twenty-one' -> 21, 'Twenty One' -> 21; anything else None."""
    parts = re.split(r"[- ]", text.strip().lower())
    if len(parts) == 1 and parts[0] in _WORD_VALUES:
        return _WORD_VALUES[parts[0]]
    if len(parts) == 2 and parts[0] in _WORD_VALUES and parts[1] in _WORD_VALUES:
        tens, ones = _WORD_VALUES[parts[0]], _WORD_VALUES[parts[1]]
        if tens >= 20 and tens % 10 == 0 and 0 < ones < 10:
            return tens + ones
    return None


def roman_value(text: str) -> int | None:
    """'XII' -> 12; not a well-formed Roman numeral (or empty) -> None."""
    if not text or not _ROMAN.match(text):
        return None
    total = 0
    for a, b in zip(text, text[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


def roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


@dataclass(frozen=True)
class Split:
    number: int | None  # the number the heading gives (None: none)
    form: str  # how it was written: "numerals", "words", "roman" ("" without a number)
    name: str  # the title without the number ("" when the heading is only a number)
    prefix: int  # characters of the heading's text the number takes up (with its separator)
    labelled: bool = True  # "Chapter 3" (True) or a bare "3" / "III" (False)


def split_heading(text: str) -> Split:
    """'Chapter 3: The Train' -> 3 (numerals), 'The Train'; 'Chapter Three' -> 3 (words), '';
    '12. Home' -> 12, 'Home'; 'The Train' -> no number, 'The Train'."""
    for pattern in (_WITH_LABEL, _BARE):
        m = pattern.match(text)
        if not m:
            continue
        num = m.group("num")
        if num.isdigit():
            value, form = int(num), "numerals"
        elif (value := roman_value(num.upper() if pattern is _WITH_LABEL else num)) is not None:
            form = "roman"
        elif pattern is _WITH_LABEL and (value := words_value(num)) is not None:
            form = "words"
        else:
            continue
        name = (m.group("name") or "").strip()
        return Split(value, form, name, m.start("name") if name else len(text), pattern is _WITH_LABEL)
    return Split(None, "", text.strip(), 0)


def is_unnumbered(name: str, classes=()) -> bool:
    """A prologue, an epilogue, an interlude... or a heading marked ``{.unnumbered}`` / ``{-}``."""
    if "unnumbered" in classes:
        return True
    first = re.split(r"[\s:.,\u2013\u2014-]+", name.strip(), maxsplit=1)[0].lower()
    return first in UNNUMBERED_NAMES


def number_label(n: int, form: str, label: str = LABEL) -> str:
    """'Chapter Three', 'Chapter 3', 'Chapter III'."""
    shown = {"words": number_words, "numerals": str, "roman": roman}[form](n)
    return f"{label} {shown}"


@dataclass(frozen=True)
class Heading:
    """What a chapter's heading shows: ``label`` (its number, "" for none) above the title,
    the first ``strip`` characters of the written heading taken off (they were the number);
    ``title``: the whole title when the chapter has no heading."""

    label: str = ""
    strip: int = 0
    title: str = ""
    number: int | None = None


HEAD_CHARS = 8192  # of a chapter's Markdown, where its heading is looked for (not the whole chapter)
_RAW_ATX = re.compile(r"^#(?!#)\s*(.*?)\s*(?:\{([^}]*)\})?\s*#*\s*$")
_RAW_SETEXT = re.compile(r"^=+\s*$")


def raw_heading(markdown: str) -> tuple[str, tuple[str, ...]] | None:
    """The level-1 heading a chapter opens with, as (text, classes), from its Markdown (the
    numbering is planned before Pandoc reads the book); None when it opens otherwise."""
    lines = markdown.lstrip("\ufeff")[:HEAD_CHARS].split("\n")
    i = next((k for k, line in enumerate(lines) if line.strip()), None)
    if i is None:
        return None
    m = _RAW_ATX.match(lines[i])
    if m:
        text, attrs = m.group(1), m.group(2) or ""
    elif i + 1 < len(lines) and _RAW_SETEXT.match(lines[i + 1]) and not lines[i].startswith((" " * 4, "\t")):
        text, attrs = lines[i].strip(), ""
        m2 = re.match(r"^(.*?)\s*\{([^}]*)\}\s*$", text)
        if m2:
            text, attrs = m2.group(1), m2.group(2)
    else:
        return None
    classes = tuple(re.findall(r"\.([\w-]+)", attrs)) + (("unnumbered",) if re.search(r"(^|\s)-(\s|$)", attrs)
                                                         else ())
    return text, classes


def plan(headings: list[tuple[str, tuple[str, ...]] | None], style: str = "auto",
         restarts: tuple[int, ...] = ()) -> list[Heading]:
    """Each chapter's heading, from the headings the chapters open with (None: no heading),
    counted through the book: an unnumbered chapter takes no number, a number the author
    gives is kept and counted on from. ``restarts``: the chapters where the count begins
    again, each book of its own (the volumes of a box set), its numbering style its own."""
    cuts = sorted({0, len(headings), *(i for i in restarts if 0 < i < len(headings))})
    if len(cuts) > 2:
        return [h for a, b in zip(cuts, cuts[1:]) for h in plan(headings[a:b], style)]
    splits = [split_heading(h[0]) if h else None for h in headings]
    # auto: a number written in digits is set in words ("Chapter 3" -> "Chapter Three"),
    # one written in words or Roman numerals as written
    forms = [("words" if s.form == "numerals" else s.form) for s in splits if s and s.number is not None]
    usual = max(("words", "numerals", "roman"), key=forms.count) if forms else "words"
    numbered = [s for s in splits if s and s.number is not None]
    # a book whose headings are bare numbers ("# 12", "# XII") counts in bare numbers
    bare = [s.form for s in numbered if not s.labelled]
    bare_form = max(("numerals", "roman"), key=bare.count) if len(bare) * 2 > len(numbered) else ""
    out, n = [], 0
    for h, s in zip(headings, splits):
        if h is not None and s.number is None and is_unnumbered(s.name, h[1]):
            out.append(Heading())
            continue
        if h is not None and "unnumbered" in h[1]:
            out.append(Heading())
            continue
        n = s.number if s is not None and s.number is not None else n + 1
        if h is None:  # no heading: titled in the book's style
            form = style if style in ("words", "numerals", "roman") else usual
            if style == "auto" and bare_form:
                out.append(Heading(title=str(n) if bare_form == "numerals" else roman(n), number=n))
            elif style == "none":
                out.append(Heading(title=number_words(n), number=n))
            else:
                out.append(Heading(label=number_label(n, form), number=n))
            continue
        if style == "none":
            out.append(Heading(strip=s.prefix if s.name else 0, number=n))
        elif style == "auto":
            if s.number is None or not s.labelled:  # a title, or a bare number: as written
                out.append(Heading(number=n))
            else:
                form = "words" if s.form == "numerals" else s.form
                out.append(Heading(label=number_label(n, form), strip=s.prefix, number=n))
        else:
            out.append(Heading(label=number_label(n, style), strip=s.prefix if s.number is not None else 0,
                               number=n))
    return out
