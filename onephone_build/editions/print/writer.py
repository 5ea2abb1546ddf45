"""The print edition: the book laid out in parts -- each chapter on its own (a chapter
opens on a recto, so its pagination does not depend on where it starts), then the front
matter with the contents' page numbers, then the running heads and folios of every page --
in parallel processes and with a per-chapter cache (``parts.py``), and the parts joined
(``join.py``). ``build_pdf_single`` is the one straight pass the parts must match.
"""

from __future__ import annotations

import io
import tempfile
import weakref

from ...config.book import check_trim, trim_inches
from ...config.editions import page_source
from ...config.print_profiles import PROFILES, PrintProfile
from ...errors import BookError
from ...render import Rendered
from ..assets import FILES, font_file
from . import boxset, profile as pod
from .glyphs import check_glyphs
from .images import low_resolution_warnings
from .document import body_units, image_files, page_css, print_document
from .join import join
from .layout import CMYK_PROFILE, ImageFailure, render_pdf
from .parts import book_pages_guess, build_parts


def write(r: Rendered, job) -> bytes:
    r.warnings.extend(w for w in low_resolution_warnings(r.resources.images, r.config.trim, print_heights(r.config))
                      if w not in r.warnings)
    page_list = job.edition.name == page_source(r.config.print.service)
    try:
        if job.edition.print_profile:
            return build_interior(r, PROFILES[job.edition.print_profile], job.edition.glue, jobs=job.jobs,
                                  cache=job.cache, step=job.step, page_list=page_list)[0]
        return build_pdf(r, job.edition.glue, jobs=job.jobs, cache=job.cache, step=job.step,
                         page_list=page_list)
    except ImageFailure as e:
        raise undrawable_image(r, e) from None


def undrawable_image(r: Rendered, failure: ImageFailure) -> BookError:
    """The error for an image WeasyPrint could not draw, at its first use in a chapter."""
    from ...errors import display_path, line_col

    source = next((src for src, name in r.resources.images.items() if name == failure.name), None)
    what = f"image '{display_path(source)}'" if source else f"image {failure.name}"
    msg = (f"{what} cannot be drawn in print ({failure.why}); the PDF would show its alt text or "
           "nothing: fix the image or give a PNG")
    for rc in r.chapters:
        if failure.name in rc.images:
            text = rc.chapter.source.text
            at = -1
            if source:  # the path as the chapter writes it, else the file's name
                import os

                at = text.find(os.path.relpath(source, rc.chapter.path.parent))
                at = at if at >= 0 else text.find(source.name)
            line, col = line_col(text, at) if at >= 0 else (None, None)
            return BookError(msg, rc.chapter.path, line, col)
    return BookError(msg)


ORNAMENT_IN = 0.9 * 11 / 72  # print.css: p.scene-break.ornament img { height: 0.9em } at 11pt
AUTHOR_PHOTO_IN = 2.6  # print.css: .author-photo img { max-height: 2.6in }


def print_heights(cfg) -> dict:
    """The images print.css sets at a height of their own: source -> (inches, fixed)."""
    heights = {m.image: (AUTHOR_PHOTO_IN, False) for m in cfg.matter if m.image}
    if cfg.scene_break:
        heights[cfg.scene_break] = (ORNAMENT_IN, True)
    return heights


# In this process: the rendered book (by id, checked by a weak reference) -> service ->
# its interior's page count, for the cover built after the interior in the same build.
_PAGES: dict[int, tuple] = {}


def interior_pages(r: Rendered, profile: PrintProfile, job) -> int:
    """The page count of ``profile``'s interior of ``r``: the one just built, or built now."""
    known = _PAGES.get(id(r))
    if known is None or known[0]() is not r or profile.name not in known[1]:
        build_interior(r, profile, job.edition.glue, jobs=job.jobs, cache=job.cache, step=job.step)
    return _PAGES[id(r)][1][profile.name]


def build_interior(r: Rendered, profile: PrintProfile, glue: str = "joiner", jobs: int | None = None,
                   cache=None, step=None, page_list: bool = False) -> tuple[bytes, int]:
    """The interior as ``profile``'s service takes it, and its page count. The inside
    margin depends on the final page count: the book is laid out with the margins of the
    band it was in last time (the first time: of the band its guessed count is in), and
    again when the count lands in another band (more margin, more pages: the band the
    count lands in moves toward the right one, and a band seen once ends the search)."""
    import pikepdf

    cfg = r.config
    check_trim(profile, cfg.trim, cfg.source, None)
    if profile.colour == "cmyk" and not CMYK_PROFILE.is_file():
        raise BookError(f"the {profile.label} interior needs the CMYK output profile {CMYK_PROFILE} "
                        "(apt-get install libgs-common, or make setup)")
    memo = f"{profile.name}\0{cfg.identifier}"
    last = cache.read_json("print-pages", cache.key("print-pages", memo)) if cache else None
    pages = last["pages"] if last else book_pages_guess(r)
    seen: set[int] = set()
    with tempfile.TemporaryDirectory(prefix="onephone-print-images-") as tmp:
        images = pod.print_images(image_files(r), profile, tmp)
        while True:
            band = profile.band(pages)
            seen.add(band)
            parts = build_parts(r, glue, jobs, cache, step, pod.page_css(profile, pages, cfg.print.bleed, trim_inches(cfg.trim)[1]),
                                pod.write_options(profile), images)
            data = join(parts, cfg.trim, [font_file(s) for s in FILES], profile)
            with pikepdf.open(io.BytesIO(data)) as laid_out:
                count = len(laid_out.pages)
            if profile.band(count) == band or profile.band(count) in seen:
                break
            pages = count
    if page_list:
        r.print_pages = page_map(r, parts)
    if cache:
        cache.write_json("print-pages", cache.key("print-pages", memo), {"pages": count})
    known = _PAGES.get(id(r))
    if known is None or known[0]() is not r:
        _PAGES.clear()  # one book at a time
        _PAGES[id(r)] = known = (weakref.ref(r), {})
    known[1][profile.name] = count
    lo, hi = profile.pages
    if not lo <= count <= hi:
        raise BookError(f"the {profile.label} interior has {count} pages; {profile.label} prints "
                        f"{lo} to {hi} pages", cfg.source)
    return data, count


def page_map(r: Rendered, parts) -> dict[str, list[tuple[int, int]]]:
    """Where the pages of each part of the body (by its id) begin, for the screen editions."""
    return {unit.id: marks for unit, marks in zip(body_units(r), parts.page_starts())}


def build_pdf_single(r: Rendered, glue: str = "joiner") -> bytes:
    """The whole book in one WeasyPrint pass."""
    document = print_document(r, glue)
    check_glyphs(r, document)
    css = [page_css(r)] + ([boxset.layout_css(r), boxset.heads_css(r)] if r.volumes else [])
    return render_pdf(document, css, image_files(r), r.config.identifier)[0]


def build_pdf(r: Rendered, glue: str = "joiner", jobs: int | None = None, cache=None, step=None,
              page_list: bool = False) -> bytes:
    """The book laid out in parts, in ``jobs`` processes (default: one per CPU), joined;
    ``glue``: the edition's (config/editions.py); ``step(done, total)`` is told of each
    chapter laid out; with ``page_list``, where its pages begin is left in ``r.print_pages``."""
    parts = build_parts(r, glue, jobs, cache, step)  # (which checks the glyphs first)
    if page_list:
        r.print_pages = page_map(r, parts)
    return join(parts, r.config.trim, [font_file(s) for s in FILES])

