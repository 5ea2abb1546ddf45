"""The print edition: the shared chapter XHTML under print CSS, laid out by WeasyPrint."""

from __future__ import annotations

import logging
import re
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import BookError
from ..fonts import FAMILY, FILES, font_file, styles_dir, stylesheet
from ..output import build_time
from ..pipeline import Rendered
from .frontmatter import copyright_lines

BOOK_ROOT = "file:///onephone-book/"  # the virtual folder the print document lives in


class ConfinedFetcher(URLFetcher):
    """WeasyPrint may read the styles and the book's own images, and nothing else: no
    network, no file outside the project."""

    def __init__(self, images: dict[str, Path]):
        super().__init__(allowed_protocols={"file"})
        self.images = images
        self.styles = styles_dir().resolve()

    def fetch(self, url, headers=None):
        if url.startswith(BOOK_ROOT):
            name = unquote(url[len(BOOK_ROOT):])
            if name in self.images:
                return URLFetcherResponse(url, self.images[name].read_bytes())
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.styles) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        raise ValueError(f"refused to fetch {url}")


def _css_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def print_document(r: Rendered) -> str:
    cfg = r.config
    when = build_time()
    contents = "\n".join(
        f'<li><a href="#{rc.chapter.id}">{escape(rc.title)}</a></li>' for rc in r.chapters)
    chapters = "".join(rc.xhtml for rc in r.chapters)
    subtitle = f'<p class="subtitle">{escape(cfg.subtitle)}</p>' if cfg.subtitle else ""
    publisher = f'<p class="publisher">{escape(cfg.publisher)}</p>' if cfg.publisher else ""
    copyright_ = "".join(f"<p>{escape(line)}</p>" for line in copyright_lines(cfg, when))
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
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
<section class="halftitle" aria-label="Half title"><p>{escape(cfg.title)}</p></section>
<section class="titlepage" aria-label="Title page">
<h1 class="book-title">{escape(cfg.title)}</h1>{subtitle}
<p class="author">{escape(cfg.author)}</p>{publisher}
</section>
<section class="copyright" aria-label="Copyright">{copyright_}</section>
<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>
{contents}
</ol></nav>
<div class="body">
{chapters}
</div>
</body>
</html>
"""


def page_css(r: Rendered) -> str:
    """What print.css cannot know: the trim size, the running heads, the font files."""
    cfg = r.config
    w, h = cfg.trim
    faces = "".join(
        f'@font-face {{ font-family: "EB Garamond"; font-style: {"italic" if s == "italic" else "normal"}; '
        f'font-weight: 400; src: url("{font_file(s).resolve().as_uri()}"); }}\n' for s in FILES)
    return (f"{faces}@page {{ size: {w} {h}; }}\n"
            f"@page chapter:left {{ @top-left {{ content: {_css_string(cfg.author)}; }} }}\n"
            f"@page chapter:right {{ @top-right {{ content: {_css_string(cfg.title)}; }} }}\n")


def build_pdf(r: Rendered) -> bytes:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = print_document(r)
    _check_glyphs(r, document)
    fetcher = ConfinedFetcher({name: src for src, name in r.resources.images.items()})
    html = HTML(string=document, base_url=BOOK_ROOT, url_fetcher=fetcher)
    fonts = FontConfiguration()
    sheets = [CSS(string=stylesheet("print.css").read_text(encoding="utf-8"),
                  base_url=stylesheet("print.css").resolve().as_uri(), url_fetcher=fetcher,
                  font_config=fonts),
              CSS(string=page_css(r), url_fetcher=fetcher, font_config=fonts)]
    pdf = html.render(stylesheets=sheets, font_config=fonts).write_pdf(
        pdf_identifier=r.config.identifier.encode())
    return pdf


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
                src = rc.chapter.source.text
                raise BookError(f"the book face {FAMILY} has no glyph for {c!r} (U+{ord(c):04X}); "
                                "the PDF would show a box or another font", rc.chapter.path,
                                src.count("\n", 0, at) + 1, at - src.rfind("\n", 0, at))
        raise BookError(f"the book face {FAMILY} has no glyph for {c!r} (U+{ord(c):04X})", r.config.source)
