"""Reading the manuscript: chapter files checked (``source``, ``fences``), parsed by Pandoc
(``pandoc``), links and images resolved inside the manuscript (``resources``)."""

from __future__ import annotations

from ..config import BookConfig
from ..model.document import Book, chapter_doc, hidden_classes
from .pandoc import parse_book


def load_book(config: BookConfig) -> Book:
    """Parse the manuscript once; lift each chapter's level-1 heading into its title."""
    sources, chapter_blocks = parse_book(config)
    hidden = hidden_classes(config)
    chapters = [chapter_doc(i, src, blocks, hidden) for i, (src, blocks) in enumerate(zip(sources, chapter_blocks))]
    return Book(config, chapters, [w for s in sources for w in s.warnings])
