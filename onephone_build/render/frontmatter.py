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
    """Each part's (title, name): the title 'Part One', 'Part Two'... where book.yaml gives
    none, counted from one again in each volume of a box set."""
    out, volume, k = [], None, 0
    for p in cfg.parts:
        here = next((v for v in reversed(cfg.volumes) if v.first <= p.first), None)
        k = 1 if here is not volume else k + 1
        volume = here
        out.append((p.title or f"Part {number_words(k)}", p.name))
    return out


def volume_titles(cfg: BookConfig) -> list[tuple[str, str]]:
    """Each volume's (label, title): the label 'Book One', 'Book Two'... where book.yaml gives none."""
    return [(v.label or f"Book {number_words(k)}", v.title) for k, v in enumerate(cfg.volumes, 1)]


def _division_page(kind: str, ident: str, label: str, name: str, extra: str = "") -> str:
    """A division's title page (a part's, a volume's) as the shared XHTML: its label over
    its name, in a ``<section role="doc-part">``; ``extra``: inline HTML under them (a subtitle)."""
    from html import escape

    inner = (f'<span class="part-number">{escape(label)}</span> <span class="part-name">{escape(name)}</span>'
             if name else escape(label)) + extra
    cls = "part" if kind == "part" else f"part {kind}"
    return (f'<section class="{cls}" id="{ident}" role="doc-part" aria-labelledby="{ident}-title">\n'
            f'<h1 class="part-title" id="{ident}-title">{inner}</h1>\n</section>\n')


def part_pages(cfg: BookConfig) -> list:
    """The parts' title pages, as the shared XHTML: a ``<section role="doc-part">`` each."""
    from . import RenderedPart

    out = []
    for k, (part, (title, name)) in enumerate(zip(cfg.parts, part_titles(cfg)), 1):
        ident = f"part-{k:02d}"
        out.append(RenderedPart(ident, f"{title}: {name}" if name else title,
                                _division_page("part", ident, title, name), part.first))
    return out


def volume_pages(cfg: BookConfig, matter: list) -> list:
    """The volumes' title pages ('Book One' over the volume's title, its subtitle under it),
    each with its own dedication and epigraph from ``matter`` (rendered, in reading order)."""
    from html import escape

    from . import RenderedVolume

    out = []
    for k, (volume, (label, title)) in enumerate(zip(cfg.volumes, volume_titles(cfg)), 1):
        ident = f"volume-{k:02d}"
        subtitle = f' <span class="part-subtitle">{escape(volume.subtitle)}</span>' if volume.subtitle else ""
        own = {m.ident for m in volume.matter}
        out.append(RenderedVolume(ident, f"{label}: {title}", _division_page("volume", ident, label, title, subtitle),
                                  volume.first, matter=[m for m in matter if m.id in own]))
    return out
