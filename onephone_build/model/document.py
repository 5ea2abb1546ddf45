"""The one document model every transform and writer shares.

A chapter's content stays Pandoc AST (JSON blocks): it is already the model
Pandoc filters use, and it keeps writers honest about what they render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..config import BookConfig
from .headings import Heading, split_heading
from .transcripts import OPTIONAL_BLOCKS


@dataclass
class Source:
    """One chapter's text as the author edits it, plus anything the reader had to fix."""

    path: Path
    text: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class ChapterDoc:
    index: int  # 0-based
    source: Source
    blocks: list[dict]
    title: list[dict] = field(default_factory=list)  # inlines of the chapter heading
    title_id: str = ""  # the id the heading had in the Markdown: a link may still name it
    label: str = ""  # its number as the heading shows it above the title ("Chapter Three"; model/headings.py)

    @property
    def id(self) -> str:
        return f"chapter-{self.index + 1:02d}"

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class Book:
    config: BookConfig
    chapters: list[ChapterDoc]
    warnings: list[str] = field(default_factory=list)


def hidden_classes(config: BookConfig) -> frozenset[str]:
    """The classes of the optional blocks (imported author's notes, chapter summaries) that
    book.yaml leaves out of the book."""
    return frozenset(cls for cls, key in OPTIONAL_BLOCKS.items() if not getattr(config, key))


def chapter_doc(index: int, src: Source, blocks: list[dict], hidden: frozenset[str] = frozenset(),
                heading: Heading | None = None) -> ChapterDoc:
    """A parsed chapter, its level-1 heading lifted into its title, the ``hidden`` blocks left
    out; ``heading``: what the book's numbering makes of it (``model/headings.plan``): the
    number taken off the title ("Chapter 3: The Train" -> "The Train") and shown as its label."""
    if hidden:
        blocks = [b for b in blocks if not (b["t"] == "Div" and hidden & set(b["c"][0][1]))]
    title: list[dict] = []
    title_id = ""
    heading = heading or Heading(title=f"Chapter {index + 1}")
    if blocks and blocks[0]["t"] == "Header" and blocks[0]["c"][0] == 1:
        title, title_id = blocks[0]["c"][2], blocks[0]["c"][1][0]
        blocks = blocks[1:]
        if heading.strip:
            title = without_number(title)
    elif heading.title:
        title = [{"t": "Str", "c": heading.title}]
    label = heading.label
    if not title:  # a heading that is only its number, or none: the number is the title
        title, label = [{"t": "Str", "c": label or f"Chapter {index + 1}"}], ""
    return ChapterDoc(index, src, blocks, title, title_id, label)


def without_number(title: list[dict]) -> list[dict]:
    """A heading's inlines without the number it opens with ("Chapter 3: " of "Chapter 3:
    The Train"); the heading as it is when the number is not plain leading text."""
    split = split_heading(plain_text(title))
    if split.number is None:
        return title
    if not split.name:
        return []
    skip, out = split.prefix, []
    for k, node in enumerate(title):
        if skip <= 0:
            return out + title[k:]
        if node["t"] == "Str":
            if len(node["c"]) > skip:
                return [{"t": "Str", "c": node["c"][skip:]}] + title[k + 1:]
            skip -= len(node["c"])
        elif node["t"] in ("Space", "SoftBreak"):
            skip -= 1
        else:  # the number runs into markup: keep the heading whole
            return title
    return title


def chapter_heading_text(chapter: ChapterDoc, title: str) -> str:
    """The chapter's name in navigation: 'Chapter Three: The Train', its label or its title alone."""
    if chapter.label and title:
        return f"{chapter.label}: {title}"
    return chapter.label or title


# ---------------------------------------------------------------------------
# Walking the AST


def iter_inline_lists(blocks: list[dict]) -> Iterator[tuple[str, list[dict]]]:
    """Yield (block type, inline list) for every run of inlines in reading order.

    Each yielded list is the *paragraph* unit typography works on.
    """
    for b in blocks:
        t, c = b["t"], b.get("c")
        if t in ("Para", "Plain"):
            yield t, c
        elif t == "Header":
            yield t, c[2]
        elif t == "LineBlock":
            for line in c:
                yield t, line
        elif t == "Div":
            yield from iter_inline_lists(c[1])
        elif t == "BlockQuote":
            yield from iter_inline_lists(c)
        elif t in ("BulletList", "OrderedList"):
            items = c if t == "BulletList" else c[1]
            for item in items:
                yield from iter_inline_lists(item)
        elif t == "DefinitionList":
            for term, defs in c:
                yield t, term
                for d in defs:
                    yield from iter_inline_lists(d)
        elif t == "Figure":
            yield from iter_inline_lists(c[2])


_NOTE_INSIDE = {"Emph": None, "Strong": None, "Underline": None, "Strikeout": None, "Superscript": None,
                "Subscript": None, "SmallCaps": None, "Span": 1, "Link": 1, "Quoted": 1, "Cite": 1, "Image": 1}


def notes_in(inlines: list[dict], found: list | None = None) -> list[list[dict]]:
    """Footnote bodies (block lists) inside an inline list, in reading order (a list: this
    looks through every paragraph of a book, where most nodes are words and spaces)."""
    found = [] if found is None else found
    for node in inlines:
        t = node["t"]
        if t == "Str" or t == "Space":
            continue
        if t == "Note":
            found.append(node["c"])
        elif t in _NOTE_INSIDE:
            at = _NOTE_INSIDE[t]
            notes_in(node["c"] if at is None else node["c"][at], found)
    return found


def plain_text(inlines: list[dict]) -> str:
    """Inline content as plain text (titles, alt text, metadata)."""
    out = []
    for node in inlines:
        t, c = node["t"], node.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append(plain_text(c))
        elif t in ("Span", "Link", "Image", "Cite"):
            out.append(plain_text(c[1] if t != "Cite" else c[1]))
        elif t == "Quoted":
            out.append(plain_text(c[1]))
        elif t in ("Code", "Math"):
            out.append(c[1])
    return "".join(out)


_ATTR_AT = {"Header": 1, "Div": 0, "Span": 0, "CodeBlock": 0, "Code": 0, "Link": 0, "Image": 0,
            "Figure": 0}


_NO_IDS = {"Str", "Space", "SoftBreak", "LineBreak", "RawInline", "RawBlock", "Math", "HorizontalRule"}


def collect_ids(node) -> set[str]:
    """Every identifier the AST gives an element (headings, divs, spans...)."""
    ids: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if type(n) is list:
            stack.extend(n)
        elif type(n) is dict:
            t = n.get("t")
            if t in _NO_IDS:  # most of a book's nodes: nothing inside can have an id
                continue
            if t in _ATTR_AT and n["c"][_ATTR_AT[t]][0]:
                ids.add(n["c"][_ATTR_AT[t]][0])
            stack.append(n.get("c"))
    return ids
