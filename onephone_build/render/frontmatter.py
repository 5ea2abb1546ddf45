"""Text of the pages around the story (title, copyright, the EPUB's accessibility summary),
made from the book and the edition: nothing here is about one particular book."""

from __future__ import annotations

import datetime as dt

from .. import __version__
from ..config import BookConfig
from ..model.headings import number_words


def notice(cfg: BookConfig, when: dt.datetime) -> str:
    """The rights line: book.yaml's ``rights`` when given (a public-domain text is nobody's
    copyright), else the author's copyright of the book's year."""
    if cfg.rights:
        return cfg.rights
    year = cfg.date[:4] if cfg.date[:4].isdigit() else str(when.year)
    return f"Text \u00a9 {year} {cfg.author}."


def copyright_lines(cfg: BookConfig, when: dt.datetime, typeface: str | None = None) -> list[str]:
    """The copyright page; ``typeface``: the face the edition sets the book in, when it is
    the edition's own (print embeds one; an EPUB leaves the face to the reader)."""
    lines = [f"{cfg.title}" + (f": {cfg.subtitle}" if cfg.subtitle else ""), notice(cfg, when)]
    if cfg.publisher:
        lines.append(f"Published by {cfg.publisher}.")
    lines.append(f"Identifier: {cfg.identifier}")
    made = f"Made with onephone-build {__version__}."
    lines.append(f"Set in {typeface}. {made}" if typeface else made)
    return lines


def series_line(cfg: BookConfig) -> str:
    """The title page's series line: 'The Rail Cycle, Book Two' ('Book 2.5' for a number
    between two); '' for a book in no series."""
    if not cfg.series:
        return ""
    if not cfg.series_number:
        return cfg.series
    n = cfg.series_number
    return f"{cfg.series}, Book {number_words(int(n)) if n.isdigit() else n}"
