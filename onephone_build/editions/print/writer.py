"""The print edition: the book laid out in parts -- each chapter on its own (a chapter
opens on a recto, so its pagination does not depend on where it starts), then the front
matter with the contents' page numbers, then the running heads and folios of every page --
in parallel processes and with a per-chapter cache (``parts.py``), and the parts joined
(``join.py``). ``build_pdf_single`` is the one straight pass the parts must match.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

from ...errors import BookError, line_col
from ...render import Rendered
from ..assets import FAMILY, font_file
from .document import image_files, page_css, print_document
from .join import join
from .layout import render_pdf
from .parts import build_parts


def write(r: Rendered, job) -> bytes:
    return build_pdf(r, job.edition.glue, jobs=job.jobs, cache=job.cache, step=job.step)


def build_pdf_single(r: Rendered, glue: str = "joiner") -> bytes:
    """The whole book in one WeasyPrint pass."""
    document = print_document(r, glue)
    _check_glyphs(r, document)
    return render_pdf(document, [page_css(r)], image_files(r), r.config.identifier)[0]


def build_pdf(r: Rendered, glue: str = "joiner", jobs: int | None = None, cache=None, step=None) -> bytes:
    """The book laid out in parts, in ``jobs`` processes (default: one per CPU), joined;
    ``glue``: the edition's (config/editions.py); ``step(done, total)`` is told of each
    chapter laid out."""
    _check_glyphs(r, print_document(r, glue))
    return join(build_parts(r, glue, jobs, cache, step), r.config.trim)


def _check_glyphs(r: Rendered, document: str) -> None:
    """Every character the page shows exists in the book face: a fallback to another font
    would be a silent substitution, and a missing glyph a tofu box."""
    from fontTools.ttLib import TTFont

    covered = set(TTFont(font_file("regular"), lazy=True).getBestCmap())
    shown = set(unescape(re.sub(r"<[^>]+>", "", document))) | set(r.config.title + r.config.author)
    # formatting characters (bidi marks and embeddings, joiners: Unicode's Cf) are not
    # drawn, the layout acts on them
    missing = sorted(c for c in shown if ord(c) not in covered and not c.isspace()
                     and unicodedata.category(c) != "Cf")
    if missing:
        c = missing[0]
        for rc in r.chapters:
            at = rc.chapter.source.text.find(c)
            if at >= 0:
                raise BookError(f"the book face {FAMILY} has no glyph for {c!r} (U+{ord(c):04X}); "
                                "the PDF would show a box or another font", rc.chapter.path,
                                *line_col(rc.chapter.source.text, at))
        raise BookError(f"the book face {FAMILY} has no glyph for {c!r} (U+{ord(c):04X})", r.config.source)
