"""The typeset model rendered once, as XHTML fragments every edition shares: a chapter's
``<section>`` (``xhtml``), raw HTML made safe (``sanitize``), the front matter's words
(``frontmatter``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.document import Book, ChapterDoc
    from ..read.resources import Resources


@dataclass
class RenderedChapter:
    chapter: "ChapterDoc"
    title: str  # plain text, for navigation and running heads
    xhtml: str  # the <section> fragment
    images: tuple[str, ...] = ()  # names (as in Resources.images) of the images it shows


@dataclass
class Rendered:
    book: "Book"
    chapters: list[RenderedChapter]
    resources: "Resources"
    warnings: list[str] = field(default_factory=list)
    # Set by the print edition the screen editions take their page numbers from
    # (config/editions.py: page_source), when this build lays it out before them: per
    # chapter, (page number, letters of the chapter's text before that page's first word).
    print_pages: list[list[tuple[int, int]]] | None = None

    @property
    def config(self):
        return self.book.config
