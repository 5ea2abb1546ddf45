"""Plain text pasted or exported from AO3: the title on the first line, a ``by NAME``
byline, ``Summary:``/``Notes:`` and tag lines (``Rating: …``, ``Fandom: …``) before the
text, ``Chapter Text`` (or ``Work Text:``) before each chapter with an optional
``Chapter N: Title`` line before it, one paragraph a line, three or more blank lines a
gap (see ``scenes``), ``Notes:``/``End Notes`` after a chapter its end notes."""

from __future__ import annotations

import re

from ...config import unify_line_breaks
from ...errors import BookError
from .ao3_html import LANGUAGES, TAG_KINDS
from .html import BREAK_TEXT
from .model import ImportedBook, escape_inline, paragraph, split_heading
from .scenes import assemble

MARKS = {"chapter text", "work text", "work text:"}
_CHAPTER_N = re.compile(r"^\s*Chapter\s+\d+\s*(?:[:.\-–—]\s*.*)?$", re.I)
_LABELS = {"summary": "summary", "chapter summary": "summary", "notes": "notes",
           "chapter notes": "notes", "end notes": "end_notes", "chapter end notes": "end_notes",
           "author's note": "notes", "author’s note": "notes"}
_FIELD = re.compile(r"^\s*([A-Za-z][A-Za-z ]{2,20}):\s*(.*?)\s*$")


def _label(line: str) -> str | None:
    return _LABELS.get(line.strip().rstrip(":").strip().lower())


def _is_heading(lines: list[str], i: int) -> bool:
    """A 'Chapter N…' line followed (after blank lines) by a chapter marker or a label."""
    if not _CHAPTER_N.match(lines[i]):
        return False
    nxt = next((line for line in lines[i + 1:] if line.strip()), "")
    return nxt.strip().lower() in MARKS or _label(nxt) is not None


def read(text: str) -> ImportedBook:
    lines = unify_line_breaks(text).lstrip("\ufeff").split("\n")  # NEL, U+2028... end lines too
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        raise BookError("the export is empty")
    book = ImportedBook(lines[nonblank[0]].strip(), [], [], kind="AO3 plain text")
    marks = [i for i, line in enumerate(lines) if line.strip().lower() in MARKS]
    headings = [i for i in range(len(lines)) if _is_heading(lines, i)]
    first = min(marks[:1] + headings[:1], default=nonblank[0])
    _header(lines[nonblank[0] + 1:first], book)
    if not marks:  # one chapter without the marker: everything after the header
        marks = [first if first != nonblank[0] else nonblank[0]]
    chapters = []  # (heading, notes-region lines, body lines)
    for k, m in enumerate(marks):
        end = marks[k + 1] if k + 1 < len(marks) else len(lines)
        head = max((h for h in headings if (marks[k - 1] if k else -1) < h < m), default=None)
        nxt = min((h for h in headings if m < h < end), default=end)
        chapters.append((lines[head].strip() if head is not None else None,
                         lines[head + 1:m] if head is not None else [], lines[m + 1:nxt]))
    for n, (heading, pre, body) in enumerate(chapters, 1):
        number, title = split_heading(n, heading)
        story, ends = _split_end_notes(body)
        ch = assemble(title, _tokens(story))
        ch.number = number
        notes = _labelled(pre)
        ch.notes, ch.summary, ch.end_notes = notes["notes"], notes["summary"], _paras(ends)
        book.chapters.append(ch)
    if len(book.chapters) == 1 and chapters[0][0] is None:
        book.chapters[0].title = book.title  # a one-shot: its only chapter is the work
    return book


def _header(lines: list[str], book: ImportedBook) -> None:
    """Byline, tags, summary and the work's notes."""
    rest = []
    for line in lines:
        m = re.match(r"^\s*(?:by|author:)\s+(.+?)\s*$", line, re.I)
        if m and not book.authors and not rest:
            book.authors = [a.strip() for a in re.split(r",\s*|\s+and\s+|\s*&\s*", m.group(1)) if a.strip()]
            continue
        f = _FIELD.match(line)
        key = f.group(1).lower() if f else ""
        if f and f.group(2) and key in TAG_KINDS:
            book.subjects.setdefault(TAG_KINDS[key], []).extend(
                v.strip() for v in f.group(2).split(",") if v.strip())
        elif f and f.group(2) and key == "language":
            book.language = LANGUAGES.get(f.group(2).lower(), book.language)
        elif f and f.group(2) and key in ("stats", "published", "words", "series", "collections"):
            continue
        else:
            rest.append(line)
    labelled = _labelled(rest)
    book.description = "\n\n".join(re.sub(r"\\(.)", r"\1", p) for p in labelled["summary"])
    book.notes = labelled["notes"] + labelled["end_notes"]


def _labelled(lines: list[str]) -> dict[str, list[str]]:
    """Paragraphs under each label line (Summary:, Notes:…); text before any label is notes."""
    out: dict[str, list[str]] = {"summary": [], "notes": [], "end_notes": []}
    current = "notes"
    for line in lines:
        kind = _label(line)
        if kind:
            current = kind
        elif line.strip() and not line.strip().startswith("(See the end of"):
            out[current].append(paragraph(escape_inline(line)))
    return out


def _split_end_notes(body: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(body):
        if _label(line) in ("notes", "end_notes"):
            return body[:i], body[i + 1:]
    return body, []


def _paras(lines: list[str]) -> list[str]:
    return [paragraph(escape_inline(line)) for line in lines if line.strip()]


def _tokens(body: list[str]) -> list[tuple[str, object]]:
    """One paragraph a line; blank lines past two a gap; a line of ``***``-like symbols a break."""
    tokens: list[tuple[str, object]] = []
    blank = 0
    for line in body:
        if not line.strip():
            blank += 1
            continue
        if blank > 2:
            tokens.append(("gap", blank - 2))
        blank = 0
        if BREAK_TEXT.match(line.strip()):
            tokens.append(("break", None))
        else:
            tokens.append(("p", paragraph(escape_inline(line))))
    return tokens
