"""Project Gutenberg plain text: the header (Title:, Author:, Language:) and the licence
after ``*** END OF …`` removed (kept as ``rights``), hard-wrapped lines joined into
paragraphs, chapters from ``CHAPTER I.``/``Chapter 1``/``BOOK ONE`` headings (with the
title line that may follow), ``_italics_`` as ``*italics*``, ``*     *     *`` a scene
break; ``--`` is left for the typography to set."""

from __future__ import annotations

import re

from ...config import unify_line_breaks
from ...errors import BookError
from .ao3_html import LANGUAGES
from .html import BREAK_TEXT
from .model import ImportedBook, escape_inline, paragraph
from .scenes import assemble

# (the marker lines are indented in some files: pg1342's END line)
START = re.compile(r"^[ \t]*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK.*\*{3}\s*$", re.I | re.M)
END = re.compile(r"^[ \t]*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK.*$", re.I | re.M)
_NUMBER = r"(?:[IVXLCDM]+|\d+|[A-Z][a-z]+(?:[- ][A-Z]?[a-z]+)?|[A-Z]+(?:[- ][A-Z]+)?)"
HEADING = re.compile(rf"^(CHAPTER|Chapter|BOOK|Book|PART|Part)\s+({_NUMBER})\b\.?\s*(?:[:.\-—]\s*(.*))?$")
_ILLUSTRATION = re.compile(r"^\[Illustration[^\]]*\]$", re.S)
_CAPTION_EDGE = re.compile(r"^\s*(?:\[Illustration:?)?\s*|[\s\]]*$")  # a caption line's brackets
_ILLUSTRATION_BLOCKS = 8  # the paragraphs one illustration's caption may run over, at most
_ITALIC = re.compile(r"\\_(?=\S)(.+?)(?<=\S)\\_")
_FRONT_WORDS = 300  # text before the first heading longer than this is kept as a chapter
_CONTENTS_WORDS = 3000  # a heading seen again within this many words: the first was a contents entry
# a front matter section's own heading ('PREFACE'); the lists are dropped (a text file has
# no page numbers to list, nor the illustrations)
FRONT_HEADING = re.compile(r"^(PREFACE|INTRODUCTION|FOREWORD|PROLOGUE|AUTHOR'S NOTE|AUTHOR’S NOTE|"
                           r"(?:TABLE OF )?CONTENTS|(?:LIST OF )?ILLUSTRATIONS)\.?$", re.I)
_LISTS = ("contents", "table of contents", "illustrations", "list of illustrations")


def is_gutenberg(text: str) -> bool:
    return START.search(text) is not None


def read(text: str) -> ImportedBook:
    text = unify_line_breaks(text)  # NEL, U+2028... end lines too
    start = START.search(text)
    end = END.search(text, start.end())
    header, body = text[:start.start()], text[start.end():end.start() if end else len(text)]
    book = ImportedBook(_field(header, "Title") or "Untitled", [], [], kind="Project Gutenberg text")
    author = _field(header, "Author")
    book.authors = [author] if author else []
    book.language = LANGUAGES.get((_field(header, "Language") or "").lower(), "")
    number = re.search(r"\[E-?book\s+#(\d+)\]", header, re.I)
    source = f"Project Gutenberg eBook #{number.group(1)}, https://www.gutenberg.org/ebooks/{number.group(1)}" \
        if number else "Project Gutenberg, https://www.gutenberg.org"
    book.rights = f"Public domain in the USA. Source: {source}."
    book.drop("the Project Gutenberg header and licence (the source is in 'rights')")
    blocks = _illustrations([b for b in re.split(r"\n[ \t]*\n", body) if b.strip()])
    _chapters(blocks, book)
    if not book.chapters:
        raise BookError("no text between the Project Gutenberg START and END lines")
    return book


def _field(header: str, name: str) -> str:
    """'Title: The Adventures of Tom Sawyer' (continued on indented lines)."""
    m = re.search(rf"^{name}:[ \t]*(.+(?:\n[ \t]+\S.*)*)", header, re.M)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""


def _illustrations(blocks: list[str]) -> list[str]:
    """The blocks with each ``[Illustration: …]`` whole in one: an illustrated edition's
    caption runs over several paragraphs (a caption, then ``[_Copyright 1894 …_]]``), and
    a chapter's heading may be set inside its heading picture (``[Illustration: ·PRIDE AND
    PREJUDICE· … Chapter I.]``, ``[Illustration: List of Illustrations.]``): that heading
    is kept as a block of its own, the rest of the illustration left to be dropped. A
    bracket never closed within ``_ILLUSTRATION_BLOCKS`` blocks is left as it is."""
    out, k = [], 0
    while k < len(blocks):
        block = blocks[k]
        end, depth = k, block.count("[") - block.count("]")
        picture = block.lstrip().startswith("[Illustration")
        if picture:
            while depth > 0 and end + 1 < len(blocks) and end - k < _ILLUSTRATION_BLOCKS:
                end += 1
                depth += blocks[end].count("[") - blocks[end].count("]")
        whole = "\n\n".join(blocks[k:end + 1])
        if picture and depth == 0 and whole.rstrip().endswith("]"):
            lines = [_CAPTION_EDGE.sub("", line) for line in whole.split("\n")]
            out += ["[Illustration]"] + [line for line in lines if HEADING.match(line) or FRONT_HEADING.match(line)]
        else:
            out.append(block)
            end = k
        k = end + 1
    return out


def _key(block: str) -> tuple[str, str] | None:
    m = HEADING.match(block.strip().split("\n")[0].strip())
    return (m.group(1).lower(), m.group(2).rstrip(".").lower()) if m else None


def _contents_end(blocks: list[str]) -> int:
    """The index of the block where the text begins after a table of contents whose
    entries look like headings ('CHAPTER I. Y-o-u-u Tom', each its own block): a run of
    headings with nothing between them, whose first is seen again soon after (0 when there
    is no such contents; chapter numbers that restart in each part have text between)."""
    keys = [_key(b) for b in blocks]
    start = 0
    while True:
        first = next((k for k in range(start, len(blocks)) if keys[k]), None)
        if first is None or first + 1 >= len(blocks) or not keys[first + 1]:
            return start
        words = 0
        for k in range(first + 1, len(blocks)):
            if keys[k] == keys[first]:
                break
            if not keys[k]:
                words += len(blocks[k].split())
                if words > _CONTENTS_WORDS:
                    return start
        else:
            return start
        start = k  # the heading again: the book begins here (or another list does)


def _chapters(blocks: list[str], book: ImportedBook) -> None:
    chapters: list[tuple[str, list[tuple[str, object]]]] = []
    front: list[tuple[str, object]] = []
    sections: list[tuple[str, list[tuple[str, object]]]] = []  # titled front matter: Preface
    dropped: list[str] = []
    prefix = ""
    illustrations = 0
    begin = _contents_end(blocks)
    i = 0
    while i < len(blocks):
        lines = [line.strip() for line in blocks[i].strip("\n").split("\n")]
        if i < begin and HEADING.match(lines[0]):
            if "contents" not in dropped:
                dropped.append("contents")
            i += 1
            continue
        front_head = None if chapters or len(lines) > 1 else FRONT_HEADING.match(lines[0])
        if front_head:
            name = front_head.group(1).lower()
            if name in _LISTS:
                dropped.append(name.split()[-1])
                sections.append(("", []))  # its entries go nowhere
            else:
                sections.append((name.title().replace("’S", "’s").replace("'S", "'s"), []))
            i += 1
            continue
        m = HEADING.match(lines[0])
        if m:
            title, took_next = _title(m, lines, blocks, i)
            i += took_next  # the title line that follows was taken into the title
            if m.group(1).lower() in ("book", "part") and i + 1 < len(blocks) \
                    and HEADING.match(blocks[i + 1].strip().split("\n")[0]):
                prefix = f"{title}: "  # a book heading straight before its first chapter
            else:
                chapters.append((prefix + title, []))
                prefix = ""
            i += 1
            continue
        joined = "".join(line + ("" if line.endswith("--") else " ") for line in lines).strip()
        target = chapters[-1][1] if chapters else sections[-1][1] if sections else front
        if _ILLUSTRATION.match(joined):
            illustrations += 1
        elif BREAK_TEXT.match(joined):
            target.append(("break", None))
        else:
            target.append(("p", _ITALIC.sub(r"*\1*", paragraph(escape_inline(joined)))))
        i += 1
    words = sum(len(str(v).split()) for k, v in front if k == "p")
    kept = [(title, tokens) for title, tokens in sections if title]
    if words > _FRONT_WORDS or not (chapters or kept):
        kept.insert(0, ("Preface" if not chapters or any("PREFACE" in str(v) for _, v in front[:3])
                        else book.title, front))
    elif front:
        dropped.insert(0, "title")
    if dropped:
        book.drop(f"the front matter before the first chapter ({words} words: {', '.join(dropped)})")
    chapters[:0] = kept
    if illustrations:
        book.drop(f"{illustrations} [Illustration] placeholders (no image in a text file)")
    for title, tokens in chapters:
        if any(k == "p" for k, _ in tokens):
            book.chapters.append(assemble(title, tokens))


def _title(m, lines: list[str], blocks: list[str], i: int) -> tuple[str, bool]:
    """The heading and the title line with it: on the next line, or the next block when
    that block is one short Title-Case line ('Down the Rabbit-Hole')."""
    kind, number, rest = m.group(1), m.group(2), m.group(3)
    head = f"{kind.capitalize()} {number.rstrip('.')}"
    title = rest or (" ".join(lines[1:]) if len(lines) > 1 else "")
    took = False
    if not title and i + 1 < len(blocks):
        nxt = blocks[i + 1].strip()
        took = "\n" not in nxt and _title_like(nxt)
        title = nxt if took else ""
    return (f"{head}: {title.rstrip('.')}" if title else head), took


def _title_like(line: str) -> bool:
    words = re.findall(r"[A-Za-z’']+", line)
    if not words or len(words) > 10 or line[0] in "“\"‘'_[(" or HEADING.match(line):
        return False
    return all(w[0].isupper() for w in words if len(w) > 3) and line[-1] not in "!?,;:”\""
