"""Reading the manuscript: chapter files checked (``source``, ``fences``), parsed by Pandoc
(``pandoc``), links and images resolved inside the manuscript (``resources``)."""

from __future__ import annotations

from ..config import BookConfig
from ..model.document import Book, chapter_doc, hidden_classes
from ..model.headings import plan, raw_heading
from .pandoc import parse_book


def load_book(config: BookConfig) -> Book:
    """Parse the manuscript once; lift each chapter's level-1 heading into its title."""
    sources, chapter_blocks = parse_book(config)
    hidden = hidden_classes(config)
    headings = plan([raw_heading(s.text) for s in sources], config.chapter_numbers, config.numbering_restarts)
    chapters = [chapter_doc(i, src, blocks, hidden, h)
                for i, (src, blocks, h) in enumerate(zip(sources, chapter_blocks, headings))]
    return Book(config, chapters, [w for s in sources for w in s.warnings])
