"""The print edition: the book laid out in parts -- each chapter on its own (a chapter
opens on a recto, so its pagination does not depend on where it starts), then the front
matter with the contents' page numbers, then the running heads and folios of every page --
in parallel processes and with a per-chapter cache (``parts.py``), and the parts joined
(``join.py``). ``build_pdf_single`` is the one straight pass the parts must match.
"""

from __future__ import annotations

from ...render import Rendered
from .glyphs import check_glyphs
from .images import low_resolution_warnings
from .document import image_files, page_css, print_document
from .join import join
from .layout import render_pdf
from .parts import build_parts


def write(r: Rendered, job) -> bytes:
    r.warnings.extend(w for w in low_resolution_warnings(r.resources.images, r.config.trim)
                      if w not in r.warnings)
    return build_pdf(r, job.edition.glue, jobs=job.jobs, cache=job.cache, step=job.step)


def build_pdf_single(r: Rendered, glue: str = "joiner") -> bytes:
    """The whole book in one WeasyPrint pass."""
    document = print_document(r, glue)
    check_glyphs(r, document)
    return render_pdf(document, [page_css(r)], image_files(r), r.config.identifier)[0]


def build_pdf(r: Rendered, glue: str = "joiner", jobs: int | None = None, cache=None, step=None) -> bytes:
    """The book laid out in parts, in ``jobs`` processes (default: one per CPU), joined;
    ``glue``: the edition's (config/editions.py); ``step(done, total)`` is told of each
    chapter laid out."""
    check_glyphs(r, print_document(r, glue))
    return join(build_parts(r, glue, jobs, cache, step), r.config.trim)
