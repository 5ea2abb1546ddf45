"""Reader -> model -> transforms -> rendered chapters: what every writer starts from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import config as config_mod
from .document import Book, ChapterDoc, load_book, plain_text
from .resources import Resources
from .transform import apply_typography
from .typography.base import plain
from .writers.xhtml import chapter_fragment


@dataclass
class RenderedChapter:
    chapter: ChapterDoc
    title: str  # plain text, for navigation and running heads
    xhtml: str  # the <section> fragment


@dataclass
class Rendered:
    book: Book
    chapters: list[RenderedChapter]
    resources: Resources
    warnings: list[str] = field(default_factory=list)

    @property
    def config(self):
        return self.book.config


def render(manuscript: Path, link_policy: str = "refuse") -> Rendered:
    cfg = config_mod.load(manuscript)
    book = apply_typography(load_book(cfg))
    res = Resources(cfg.root, link_policy)
    chapters = [RenderedChapter(ch, plain(plain_text(ch.title)),
                                chapter_fragment(ch, res.resolver(ch.path, ch.source.text)))
                for ch in book.chapters]
    return Rendered(book, chapters, res, book.warnings + res.warnings)
