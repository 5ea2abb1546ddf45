"""The web edition: one page a chapter, a contents page, shared assets."""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

from ..output import build_time
from ..render import Rendered, RenderedMatter, RenderedPart, RenderedVolume, nest
from ..render.frontmatter import copyright_lines, notice, page_source_name, series_line
from ..render.pagebreaks import mark_pages, page_list, web_marker
from ..read.images import image_bytes

from .assets import FILES, font_file, stylesheet

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<meta name="description" content="{description}">
<meta name="author" content="{author}">
<link rel="stylesheet" href="assets/web.css">
{links}
</head>
<body>
<a class="skip" href="#main">Skip to text</a>
<header class="site-header">
<p class="book"><a href="index.html">{book_title}</a> <span class="by">{author}</span></p>
</header>
<main id="main">
{body}
</main>
{nav}
<footer class="site-footer"><p>{footer}</p></footer>
</body>
</html>
"""


def _nav(prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    items = []
    if prev:
        items.append(f'<a class="prev" rel="prev" href="{prev[0]}"><span aria-hidden="true">\u2190 </span>'
                     f"{escape(prev[1])}</a>")
    items.append('<a class="toc" href="index.html#contents">Contents</a>')
    if nxt:
        items.append(f'<a class="next" rel="next" href="{nxt[0]}">{escape(nxt[1])}'
                     f'<span aria-hidden="true"> \u2192</span></a>')
    return f'<nav class="chapter-nav" aria-label="Chapters">\n{" ".join(items)}\n</nav>'


def write(r: Rendered, job) -> None:
    write_html(r, job.dest, job.edition.stylesheet)


def write_html(r: Rendered, out: Path, css_name: str = "web.css") -> None:
    cfg = r.config
    when = build_time()
    common = dict(lang=escape(cfg.text_language), description=escape(cfg.description), author=escape(cfg.author),
                  book_title=escape(cfg.title), footer=escape(notice(cfg, when)))
    # the reading order: the front matter, the body (volumes, parts, chapters), the back matter (one page each)
    kinds = {RenderedVolume: "volume", RenderedPart: "part", RenderedMatter: "matter"}
    levels = ([(m, 0) for m in r.matter_of("front")] + r.levels() + [(m, 0) for m in r.matter_of("back")])
    units = [(u.id, u.title, u.xhtml, kinds.get(type(u), "chapter")) for u, _ in levels]
    pages = [(f"{ident}.html", title) for ident, title, _, _ in units]
    page_of = {id(u): page[0] for (u, _), page in zip(levels, pages)}

    def entry(unit, children) -> str:
        """A unit in the contents; a volume's or a part's own nested under it."""
        link = f'<li class="{kinds.get(type(unit), "chapter")}"><a href="{page_of[id(unit)]}">{escape(unit.title)}</a>'
        return link + ("<ol>\n" + "\n".join(entry(*c) for c in children) + "\n</ol></li>" if children else "</li>")

    items = [entry(*node) for node in nest(levels)]
    contents = "\n".join(items)
    print_pages = ""
    if r.print_pages:  # "page 112" of the print edition, a link away
        numbers = "\n".join(f'<li><a href="{href}">{number}</a></li>' for number, href in
                            page_list(r.print_pages, {ident: f"{ident}.html" for ident, _, _, _ in units}))
        print_pages = (f'<details class="print-pages">\n<summary>Pages of the {escape(page_source_name(cfg))}'
                       f'</summary>\n<ul class="page-list">\n{numbers}\n</ul>\n</details>\n')
    index_body = (
        '<section class="titlepage" aria-labelledby="book-title">\n'
        f'<h1 id="book-title">{escape(cfg.title)}</h1>\n'
        + (f'<p class="subtitle">{escape(cfg.subtitle)}</p>\n' if cfg.subtitle else "")
        + f'<p class="author">{escape(cfg.author)}</p>\n'
        + (f'<p class="series">{escape(series_line(cfg))}</p>\n' if cfg.series else "")
        + (f'<p class="description">{escape(cfg.description)}</p>\n' if cfg.description else "")
        + "</section>\n"
        f'<nav id="contents" class="contents" aria-labelledby="contents-title">\n'
        f'<h2 id="contents-title">Contents</h2>\n<ol>\n{contents}\n</ol>\n{print_pages}</nav>\n'
        '<section class="copyright" aria-label="Copyright">\n'
        + "".join(f"<p>{escape(line)}</p>\n" for line in copyright_lines(cfg, when)) + "</section>")
    first = pages[0][0] if pages else "index.html"
    (out / "index.html").write_text(PAGE.format(
        title=escape(cfg.title), body=index_body, links=f'<link rel="next" href="{first}">',
        nav=_nav(None, pages[0] if pages else None), **common), encoding="utf-8")

    for i, (_, title, xhtml, _) in enumerate(units):
        prev = pages[i - 1] if i > 0 else ("index.html", cfg.title)
        nxt = pages[i + 1] if i + 1 < len(pages) else None
        links = f'<link rel="prev" href="{prev[0]}">' + (f'\n<link rel="next" href="{nxt[0]}">' if nxt else "")
        (out / pages[i][0]).write_text(PAGE.format(
            title=f"{escape(title)} \u00b7 {escape(cfg.title)}", links=links,
            body=mark_pages(xhtml, r.print_pages.get(units[i][0], []), web_marker) if r.print_pages else xhtml,
            nav=_nav(prev, nxt), **common), encoding="utf-8")

    assets = out / "assets"
    (assets / "fonts").mkdir(parents=True)
    shutil.copyfile(stylesheet(css_name), assets / "web.css")
    for style in FILES:
        shutil.copyfile(font_file(style), assets / "fonts" / FILES[style])
    for src, name in r.resources.images.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(image_bytes(src))
