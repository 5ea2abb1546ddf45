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


def page_source_name(cfg: BookConfig) -> str:
    """The print edition the screen editions' page numbers are those of."""
    from ..config.print_profiles import PROFILES

    profile = PROFILES.get(cfg.print.service)
    size = " x ".join(cfg.trim)
    return f"{cfg.title}, print edition ({profile.label + ', ' if profile else ''}{size})"


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


def part_titles(cfg: BookConfig) -> list[tuple[str, str]]:
    """Each part's (title, name): the title 'Part One', 'Part Two'... where book.yaml gives none."""
    return [(p.title or f"Part {number_words(k)}", p.name) for k, p in enumerate(cfg.parts, 1)]


def part_pages(cfg: BookConfig) -> list:
    """The parts' title pages, as the shared XHTML: a ``<section role="doc-part">`` each."""
    from html import escape

    from . import RenderedPart

    out = []
    for k, (part, (title, name)) in enumerate(zip(cfg.parts, part_titles(cfg)), 1):
        ident = f"part-{k:02d}"
        inner = (f'<span class="part-number">{escape(title)}</span> <span class="part-name">{escape(name)}</span>'
                 if name else escape(title))
        xhtml = (f'<section class="part" id="{ident}" role="doc-part" aria-labelledby="{ident}-title">\n'
                 f'<h1 class="part-title" id="{ident}-title">{inner}</h1>\n</section>\n')
        out.append(RenderedPart(ident, f"{title}: {name}" if name else title, xhtml, part.first))
    return out
