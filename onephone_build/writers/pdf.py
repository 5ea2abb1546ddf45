"""The print edition: the shared chapter XHTML under print CSS, laid out by WeasyPrint.

``build_pdf`` lays the book out in parts -- each chapter on its own (a chapter opens on a
recto, so its pagination does not depend on where it starts), then the front matter with
the contents' page numbers, then the running heads and folios of every page -- in
parallel processes and with a per-chapter cache (``pdfparts.py``), and joins the parts
(``pdfjoin.py``). ``build_pdf_single`` is the one straight pass the parts must match.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import BookError, line_col
from ..fonts import FAMILY, FILES, font_file, styles_dir, stylesheet
from ..output import build_time
from ..pipeline import Rendered
from .frontmatter import copyright_lines

BOOK_ROOT = "file:///onephone-book/"  # the virtual folder the print document lives in


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
                    return URLFetcherResponse(url, images[name].read_bytes())
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(self.styles) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
            raise ValueError(f"refused to fetch {url}")

    return ConfinedFetcher()


def _css_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _html(cfg, body: str, when: dt.datetime | None = None) -> str:
    """A print document made at ``when``; undated (no creation time) for the parts whose
    metadata the join drops, so that their text, and their cache key, is the same from
    build to build."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else "1980-01-01T00:00:00Z"
    return f"""<!DOCTYPE html>
<html lang="{escape(cfg.language)}">
<head>
<meta charset="utf-8"/>
<title>{escape(cfg.title)}</title>
<meta name="author" content="{escape(cfg.author)}"/>
<meta name="description" content="{escape(cfg.description)}"/>
<meta name="generator" content="onephone-build"/>
<meta name="dcterms.created" content="{stamp}"/>
<meta name="dcterms.modified" content="{stamp}"/>
</head>
<body>
{body}
</body>
</html>
"""


def front_matter(r: Rendered, folios: list[int] | None = None, when: dt.datetime | None = None) -> str:
    """Half title, title page, copyright, contents. With ``folios`` (each chapter's first
    page), the contents print them and carry the chapters' anchors, out of the flow, so
    WeasyPrint keeps the links for the join to point at the chapters."""
    cfg = r.config
    when = when or build_time()
    if folios is None:
        items = [f'<li><a href="#{rc.chapter.id}">{escape(rc.title)}</a></li>' for rc in r.chapters]
        anchors = ""
    else:
        items = [f'<li><a href="#{rc.chapter.id}" data-page="{n}">{escape(rc.title)}</a></li>'
                 for rc, n in zip(r.chapters, folios)]
        anchors = ('<div class="link-targets">'
                   + "".join(f'<span id="{rc.chapter.id}"></span>' for rc in r.chapters) + "</div>")
    subtitle = f'<p class="subtitle">{escape(cfg.subtitle)}</p>' if cfg.subtitle else ""
    publisher = f'<p class="publisher">{escape(cfg.publisher)}</p>' if cfg.publisher else ""
    copyright_ = "".join(f"<p>{escape(line)}</p>" for line in copyright_lines(cfg, when))
    contents = "\n".join(items)
    return f"""<section class="halftitle" aria-label="Half title"><p>{escape(cfg.title)}</p></section>
<section class="titlepage" aria-label="Title page">
<h1 class="book-title">{escape(cfg.title)}</h1>{subtitle}
<p class="author">{escape(cfg.author)}</p>{publisher}
</section>
<section class="copyright" aria-label="Copyright">{copyright_}</section>
<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>
{contents}
</ol>{anchors}</nav>"""


# A nowrap span (see writers/xhtml.py) costs WeasyPrint an inline box of its own (the
# dash and ellipsis spans: 8% of a book's layout time). In print the face is ours, and
# EB Garamond has U+2060: a span that only glues a word to the dash or ellipsis after it
# (no hyphen inside) becomes the text with a word joiner before the dash or ellipsis,
# which Pango's line breaking honours. Spans with a hyphen (stammers, honorifics) stay:
# there the span also keeps hyphenation out of the word.
_GLUE_SPAN = re.compile(r'<span class="nw">([^<>-]*)</span>')
_GLUED = re.compile("(?<=.)(?=[\u2014\u2026])")


def _print_glue(xhtml: str) -> str:
    return _GLUE_SPAN.sub(lambda m: _GLUED.sub("\u2060", m.group(1)), xhtml)


def print_document(r: Rendered) -> str:
    """The whole book as one document (the single pass)."""
    chapters = "".join(_print_glue(rc.xhtml) for rc in r.chapters)
    when = build_time()
    return _html(r.config, f'{front_matter(r, None, when)}\n<div class="body">\n{chapters}\n</div>', when)


def chapter_document(r: Rendered, rc) -> str:
    """One chapter as its own document, inside the same wrapper as in the whole book."""
    return _html(r.config, f'<div class="body">\n{_print_glue(rc.xhtml)}\n</div>')


def front_document(r: Rendered, folios: list[int], when: dt.datetime) -> str:
    """The front matter made at ``when`` (one time for every layout of it in a build)."""
    return _html(r.config, front_matter(r, folios, when), when)


SHEET_PAGES = 64  # pages of running heads and folios in one furniture sheet


def furniture_sheet(r: Rendered, first: int) -> str:
    """Running heads and folios of pages ``first`` .. ``first + SHEET_PAGES - 1`` (``first``
    odd), on empty pages: print.css sets them as on the book's own pages. The sheet opens
    with two pages to throw away (a chapter opening carries no head or folio), and its page
    counter starts so that its third page is page ``first`` (a style element of its own:
    the style sheets stay the same for every part, and are parsed once per process)."""
    pages = '<div class="pg"></div>' * (SHEET_PAGES + 2)
    counter = f"<style>@page :first {{ counter-set: page {first - 2}; }}</style>"
    return _html(r.config, f'{counter}<div class="body"><section class="chapter">{pages}</section></div>')


# What each kind of part adds to print.css and page_css.
PART_CSS = {
    # chapters carry no running heads or folios: the furniture part draws them
    "chapter": "@page chapter:left { @top-left { content: none; } @bottom-left { content: none; } }\n"
               "@page chapter:right { @top-right { content: none; } @bottom-right { content: none; } }\n",
    # the contents print the page numbers they are given; the link targets take no room
    "front": '.contents a::after { content: leader(". ") attr(data-page); }\n'
             ".link-targets { position: absolute; width: 0; height: 0; overflow: hidden; }\n",
    # nothing but the page boxes
    "sheet": ".pg + .pg { break-before: page; }\n",
}


def page_setup_css(cfg) -> str:
    """What print.css cannot know about the page: the trim size and the font files."""
    w, h = cfg.trim
    faces = "".join(
        f'@font-face {{ font-family: "EB Garamond"; font-style: {"italic" if s == "italic" else "normal"}; '
        f'font-weight: 400; src: url("{font_file(s).resolve().as_uri()}"); }}\n' for s in FILES)
    return f"{faces}@page {{ size: {w} {h}; }}\n"


def running_heads_css(cfg) -> str:
    return (f"@page chapter:left {{ @top-left {{ content: {_css_string(cfg.author)}; }} }}\n"
            f"@page chapter:right {{ @top-right {{ content: {_css_string(cfg.title)}; }} }}\n")


def page_css(r: Rendered) -> str:
    """What print.css cannot know: the trim size, the running heads, the font files."""
    return page_setup_css(r.config) + running_heads_css(r.config)


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
        fonts = FontConfiguration()
        sheets = [CSS(string=text, base_url=print_css.resolve().as_uri(), url_fetcher=fetcher, font_config=fonts)]
        sheets += [CSS(string=c, url_fetcher=fetcher, font_config=fonts) for c in css]
        if len(_SHEETS) > 4:
            _SHEETS.clear()
        _SHEETS[key] = (sheets, fonts)
    return _SHEETS[key]


def render_pdf(html: str, css: list[str], images: dict[str, Path], identifier: str) -> tuple[bytes, int]:
    """Lay out one document under print.css plus ``css``: (PDF bytes, number of pages)."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = confined_fetcher(images)
    sheets, fonts = _stylesheets(tuple(css), fetcher)
    doc = HTML(string=html, base_url=BOOK_ROOT, url_fetcher=fetcher).render(stylesheets=sheets, font_config=fonts)
    return doc.write_pdf(pdf_identifier=identifier.encode()), len(doc.pages)


def image_files(r: Rendered) -> dict[str, Path]:
    return {name: src for src, name in r.resources.images.items()}


def build_pdf_single(r: Rendered) -> bytes:
    """The whole book in one WeasyPrint pass."""
    document = print_document(r)
    _check_glyphs(r, document)
    return render_pdf(document, [page_css(r)], image_files(r), r.config.identifier)[0]


def build_pdf(r: Rendered, jobs: int | None = None, cache=None, step=None) -> bytes:
    """The book laid out in parts, in ``jobs`` processes (default: one per CPU), joined;
    ``step(done, total)`` is told of each chapter laid out."""
    from .pdfparts import build_parts
    from .pdfjoin import join

    _check_glyphs(r, print_document(r))
    return join(build_parts(r, jobs, cache, step), r.config.trim)


def _check_glyphs(r: Rendered, document: str) -> None:
    """Every character the page shows exists in the book face: a fallback to another font
    would be a silent substitution, and a missing glyph a tofu box."""
    from fontTools.ttLib import TTFont

    covered = set(TTFont(font_file("regular"), lazy=True).getBestCmap())
    shown = set(unescape(re.sub(r"<[^>]+>", "", document))) | set(r.config.title + r.config.author)
    missing = sorted(c for c in shown if ord(c) not in covered and not c.isspace())
    if missing:
        c = missing[0]
        for rc in r.chapters:
            at = rc.chapter.source.text.find(c)
            if at >= 0:
                raise BookError(f"the book face {FAMILY} has no glyph for {c!r} (U+{ord(c):04X}); "
                                "the PDF would show a box or another font", rc.chapter.path,
                                *line_col(rc.chapter.source.text, at))
        raise BookError(f"the book face {FAMILY} has no glyph for {c!r} (U+{ord(c):04X})", r.config.source)
