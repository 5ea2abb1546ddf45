"""WeasyPrint, confined: one document laid out under print.css, reading nothing but the
styles and the book's own images."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...read.images import image_bytes
from ..assets import styles_dir, stylesheet
from . import spreads
from .pagemarks import page_offsets

BOOK_ROOT = "file:///onephone-book/"  # the virtual folder the print document lives in
# The CMYK output profile of a PDF/X interior (Debian's libgs-common; the Makefile installs it)
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/ps_cmyk.icc")


def confined_fetcher(images: dict[str, Path]):
    """A WeasyPrint URL fetcher that may read the styles and the book's own images, and
    nothing else: no network, no file outside the project."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"file"})
            self.styles = styles_dir().resolve()

        def fetch(self, url, headers=None):
            if url.startswith(BOOK_ROOT):
                name = unquote(url[len(BOOK_ROOT):])
                if name in images:
                    return URLFetcherResponse(url, image_bytes(images[name]))
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if (path.is_relative_to(self.styles) or path == CMYK_PROFILE) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
            raise ValueError(f"refused to fetch {url}")

    return ConfinedFetcher()


_SHEETS: dict[tuple, tuple] = {}  # per process: parsed style sheets and their loaded fonts


def _stylesheets(css: tuple[str, ...], fetcher):
    """print.css plus ``css``, parsed once per process: a worker laying out many chapters
    parses the sheets and loads the faces once, and keeps Pango's font caches warm."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    print_css = stylesheet("print.css")
    text = print_css.read_text(encoding="utf-8")
    key = (text, css)
    if key not in _SHEETS:
        fonts, profiles = FontConfiguration(), {}  # profiles: @color-profile rules (a print profile's)
        sheets = [CSS(string=text, base_url=print_css.resolve().as_uri(), url_fetcher=fetcher, font_config=fonts)]
        sheets += [CSS(string=c, url_fetcher=fetcher, font_config=fonts, color_profiles=profiles) for c in css]
        if len(_SHEETS) > 4:
            release_fonts()
        _SHEETS[key] = (sheets, fonts, profiles)
    return _SHEETS[key]


def release_fonts() -> None:
    """Forget the parsed sheets and delete their fonts' temporary folders (``weasyprint-*``):
    WeasyPrint deletes them in a destructor, which a forked worker, or a process that leaves
    with ``os._exit``, never runs."""
    import shutil

    for _, fonts, _ in _SHEETS.values():
        folder, fonts._folder = fonts._folder, None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    _SHEETS.clear()


class ImageFailure(Exception):
    """An image of the document that WeasyPrint could not draw (it prints the alt text, or
    nothing, and only logs it): its name in the book and why. Raised in a layout worker,
    it crosses the pool (its arguments pickle) to the writer, which names the chapter."""

    def __init__(self, name: str, why: str):
        super().__init__(name, why)
        self.name, self.why = name, why


class _ImageLog(logging.Handler):
    """WeasyPrint's messages about the book's images that it failed to load or draw."""

    PREFIXES = ("Failed to load image", "Failed to render SVG image")

    def __init__(self):
        super().__init__(logging.ERROR)
        self.failures: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = str(record.msg)
        if not msg.startswith(self.PREFIXES):
            return
        args = record.args if isinstance(record.args, tuple) else ()
        url = next((a for a in args if isinstance(a, str) and a.startswith(BOOK_ROOT)), None)
        if url is not None:
            why = str(args[1]) if len(args) > 1 else "WeasyPrint fails to render it"
            self.failures.append((unquote(urlsplit(url).path[len(urlsplit(BOOK_ROOT).path):]), why))


def render_pdf(html: str, css: list[str], images: dict[str, Path], identifier: str,
               options: dict | None = None, marks: bool = False) -> tuple:
    """Lay out one document under print.css plus ``css``: (PDF bytes, number of pages),
    and with ``marks`` where each page begins in the text (pagemarks.py); ``options``:
    WeasyPrint's write_pdf options of a print profile (full_fonts, pdf_variant).
    ImageFailure when one of ``images`` could not be drawn (or broke the layout)."""
    from weasyprint import HTML

    spreads.install()
    logger = logging.getLogger("weasyprint")
    logger.setLevel(logging.ERROR)
    log = _ImageLog()
    logger.addHandler(log)
    try:
        fetcher = confined_fetcher(images)
        sheets, fonts, profiles = _stylesheets(tuple(css), fetcher)
        try:
            doc = HTML(string=html, base_url=BOOK_ROOT, url_fetcher=fetcher).render(
                stylesheets=sheets, font_config=fonts, color_profiles=profiles)
            pdf = doc.write_pdf(pdf_identifier=identifier.encode(), **(options or {}))
        except Exception:
            culprit = _failing_image(images, sheets, fonts)  # an SVG that breaks WeasyPrint's layout
            if culprit:
                raise ImageFailure(*culprit) from None
            raise
    finally:
        logger.removeHandler(log)
    if log.failures:
        raise ImageFailure(*log.failures[0])
    return (pdf, len(doc.pages), page_offsets(doc)) if marks else (pdf, len(doc.pages))


def _failing_image(images: dict[str, Path], sheets, fonts) -> tuple[str, str] | None:
    """The first SVG of ``images`` that, laid out alone, raises or fails: (name, why)."""
    from weasyprint import HTML

    for name in sorted(n for n in images if n.lower().endswith(".svg")):
        log = _ImageLog()
        logging.getLogger("weasyprint").addHandler(log)
        try:
            HTML(string=f'<p><img src="{name}" alt=""/></p>', base_url=BOOK_ROOT,
                 url_fetcher=confined_fetcher({name: images[name]})).render(
                stylesheets=sheets, font_config=fonts).write_pdf()
        except Exception as e:  # noqa: BLE001 - whatever WeasyPrint raises for it
            return name, f"{type(e).__name__}: {e}"
        finally:
            logging.getLogger("weasyprint").removeHandler(log)
        if log.failures:
            return log.failures[0]
    return None



