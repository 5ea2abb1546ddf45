"""The print edition's documents: the shared chapter XHTML under print CSS, as HTML for
WeasyPrint -- the whole book (the single pass), one chapter, the front matter with the
contents' page numbers, and sheets of running heads and folios (furniture.py) -- and the CSS that
print.css cannot know (trim, faces, running heads).
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from pathlib import Path

from ...config.book import trim_inches
from ...config.print_profiles import HOUSE_MARGINS_IN
from ...output import build_time
from ...render import Rendered, RenderedPart, RenderedVolume, volume_matter
from ...render.frontmatter import copyright_lines, series_line
from ..assets import FAMILY, FILES, font_file
from ..glue import apply_glue
from .furniture import SHEET_CSS, sheet_body
from .grid import grid_bottom_in, grid_lines
from .hyphenation import keep_names_whole
from .notes import notes_in_place
from .runs import fallback_runs
from .runts import bind_last_words

def _css_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _html(cfg, body: str, when: dt.datetime | None = None) -> str:
    """A print document made at ``when``; undated (no creation time) for the parts whose
    metadata the join drops, so that their text, and their cache key, is the same from
    build to build."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else "1980-01-01T00:00:00Z"
    return f"""<!DOCTYPE html>
<html lang="{escape(cfg.text_language)}">
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


def body_units(r: Rendered) -> list:
    """What follows the front matter, each part opening on a recto: the chapters, then the
    back matter (acknowledgements, about the author, a teaser)."""
    return r.reading_order() + r.matter_of("back")


def depths(r: Rendered) -> list[int]:
    """Per body unit, how deep its bookmarks nest: 0 at the top, 1 under its part's or its
    volume's, 2 under its part's in a volume (``Rendered.levels``); the back matter at the top."""
    return [depth for _, depth in r.levels()] + [0] * len(r.matter_of("back"))


def bare(r: Rendered, unit) -> bool:
    """A page that carries no running head or folio at all (a part's or a volume's title
    page, a volume's own dedication and epigraph)."""
    return isinstance(unit, RenderedPart) or volume_matter(unit)


def _contents_class(unit, depth: int) -> str:
    """A line of the contents: a volume, a part (in a volume), a chapter under them."""
    if isinstance(unit, RenderedPart):
        return "volume" if isinstance(unit, RenderedVolume) else "part in-volume" if depth else "part"
    return "in-part" + (f" depth-{depth}" if depth > 1 else "") if depth else ""


CONTENTS_HEAD_LINES = 8  # print.css: the contents' heading and the space round it, in lines


def _contents_spaced(cfg, entries: int, parts: int) -> bool:
    """The contents set a blank line apart (print.css's ``ol.spaced``) when so they fit on
    their first page; a longer list is set line under line, so that each of its pages is
    full to the last line of the grid (a list two lines apart leaves every page of an even
    number of lines a line short)."""
    lines = grid_lines(trim_inches(cfg.trim)[1], HOUSE_MARGINS_IN["top"], HOUSE_MARGINS_IN["bottom"])
    return CONTENTS_HEAD_LINES + 2 * entries - 1 + parts <= lines


# front matter set before the contents (each on a recto, its verso blank); the rest after them
BEFORE_CONTENTS = ("dedication", "epigraph")


def front_matter(r: Rendered, folios: list[int] | None = None, when: dt.datetime | None = None) -> str:
    """Half title, title page, copyright, dedication and epigraph, contents, foreword and
    author's note. With ``folios`` (each body part's first page), the contents print them
    and carry the parts' anchors, out of the flow, so WeasyPrint keeps the links for the
    join to point at them."""
    cfg = r.config
    when = when or build_time()
    listed = [(u, d) for u, d in zip(body_units(r), depths(r)) if not volume_matter(u)]
    units = [u for u, _ in listed]  # a volume's own dedication and epigraph are not in the contents
    if folios is not None:
        folios = [n for u, n in zip(body_units(r), folios) if not volume_matter(u)]
    cls = [_contents_class(u, d) for u, d in listed]
    cls = [f' class="{c}"' if c else "" for c in cls]
    if folios is None:
        items = [f'<li{c}><a href="#{rc.id}">{escape(rc.title)}</a></li>' for rc, c in zip(units, cls)]
        anchors = ""
    else:
        items = [f'<li{c}><a href="#{rc.id}" data-page="{n}">{escape(rc.title)}</a></li>'
                 for rc, n, c in zip(units, folios, cls)]
        anchors = ('<div class="link-targets">'
                   + "".join(f'<span id="{rc.id}"></span>' for rc in units) + "</div>")
    front = r.matter_of("front")
    before = "".join(m.xhtml for m in front if m.kind in BEFORE_CONTENTS)
    after = "".join(m.xhtml for m in front if m.kind not in BEFORE_CONTENTS)
    subtitle = f'<p class="subtitle">{escape(cfg.subtitle)}</p>' if cfg.subtitle else ""
    publisher = f'<p class="publisher">{escape(cfg.publisher)}</p>' if cfg.publisher else ""
    copyright_ = "".join(f"<p>{escape(line)}</p>" for line in copyright_lines(cfg, when, FAMILY))
    contents = "\n".join(items)
    parts = sum(isinstance(u, RenderedPart) for u in units)
    spaced = ' class="spaced"' if _contents_spaced(cfg, len(items), parts) else ""
    series = f'<p class="series">{escape(series_line(cfg))}</p>' if cfg.series else ""
    # the half title's verso: the author's other books (book.yaml's also_by)
    also = ""
    if cfg.also_by:
        also = (f'<section class="also-by-verso" aria-label="Also by {escape(cfg.author)}">'
                f'<h2>Also by {escape(cfg.author)}</h2>'
                + "<ul>" + "".join(f"<li>{escape(b.title)}</li>" for b in cfg.also_by) + "</ul></section>\n")
    return f"""<section class="halftitle" aria-label="Half title"><p>{escape(cfg.title)}</p></section>
{also}<section class="titlepage" aria-label="Title page">
<h1 class="book-title">{escape(cfg.title)}</h1>{subtitle}
<p class="author">{escape(cfg.author)}</p>{series}{publisher}
</section>
<section class="copyright" aria-label="Copyright">{copyright_}</section>
{before}<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol{spaced}>
{contents}
</ol>{anchors}</nav>{after}"""


_WEB_LINK = re.compile(r'<a href="(?:https?:|mailto:)[^"]*">(.*?)</a>', re.S | re.I)


def _chapter(rc, glue: str) -> str:
    """A chapter as print sets it: its notes at their calls, web and mail links as their
    words (a printed page cannot be clicked; the author writes out an address to be read)."""
    return fallback_runs(notes_in_place(_WEB_LINK.sub(r"\1", unhyphenated_long_words(
        keep_names_whole(bind_last_words(apply_glue(rc.xhtml, glue)))))))


def print_document(r: Rendered, glue: str) -> str:
    """The whole book as one document (the single pass); ``glue``: the edition's."""
    chapters = "".join(_chapter(rc, glue) for rc in body_units(r))
    when = build_time()
    return _html(r.config, f'{front_matter(r, None, when)}\n<div class="{_body_class(r)}">\n{chapters}\n</div>', when)


def _body_class(r: Rendered) -> str:
    """The body's wrapper; in a book of parts, the chapters' bookmarks nest under their part's."""
    return "body in-parts" if r.parts else "body"


def chapter_document(r: Rendered, rc, glue: str) -> str:
    """One chapter as its own document, inside the same wrapper as in the whole book."""
    return _html(r.config, f'<div class="{_body_class(r)}">\n{_chapter(rc, glue)}\n</div>')


def chapter_inputs(r: Rendered, rc, glue: str) -> str:
    """What ``chapter_document`` is made of, at no cost: the same document with the
    chapter's XHTML and the glue in place of its print markup (``_chapter`` depends on
    nothing else but the book face, which the layout's cache key holds)."""
    return _html(r.config, f'<div class="{_body_class(r)}">\n{glue}\n{rc.xhtml}\n</div>')


# Pyphen's cost grows about as n^2.7 with a word's length (2,000 letters: 3.5 s, 10,000:
# minutes); no word of a language is this long, so such a run is not hyphenated at all.
LONGEST_HYPHENATED = 60
_LONG_WORD = re.compile(r"[^\W\d_]{%d,}" % (LONGEST_HYPHENATED + 1))
_TAG = re.compile(r"(<[^>]*>)")


def unhyphenated_long_words(xhtml: str) -> str:
    """Each run of more than LONGEST_HYPHENATED letters in the text (not in tags) wrapped in
    a span that turns automatic hyphenation off."""
    if not _LONG_WORD.search(xhtml):
        return xhtml
    parts = _TAG.split(xhtml)
    parts[::2] = [_LONG_WORD.sub(lambda m: f'<span style="hyphens: manual">{m.group()}</span>', t) for t in parts[::2]]
    return "".join(parts)


def front_document(r: Rendered, folios: list[int], when: dt.datetime) -> str:
    """The front matter made at ``when`` (one time for every layout of it in a build)."""
    return _html(r.config, front_matter(r, folios, when), when)


def furniture_sheet(r: Rendered, first: int) -> str:
    """The furniture sheet of page numbers ``first`` onwards (furniture.py)."""
    counter, body = sheet_body(first)
    return _html(r.config, counter + body)


# What each kind of part adds to print.css and page_css.
PART_CSS = {
    # chapters carry no running heads or folios: the furniture part draws them
    "chapter": "@page chapter:left { @top-left { content: none; } @bottom-left { content: none; } }\n"
               "@page chapter:right { @top-right { content: none; } @bottom-right { content: none; } }\n",
    # the contents print the page numbers they are given; the link targets take no room
    "front": '.contents a::after { content: leader(". ") attr(data-page); }\n'
             ".link-targets { position: absolute; width: 0; height: 0; overflow: hidden; }\n",
    # the page boxes and the folio strips
    "sheet": SHEET_CSS,
}


def page_setup_css(cfg) -> str:
    """What print.css cannot know about the page: the trim size and the font files."""
    w, h = cfg.trim
    faces = "".join(
        f'@font-face {{ font-family: "EB Garamond"; font-style: {"italic" if s == "italic" else "normal"}; '
        f'font-weight: 400; src: url("{font_file(s).resolve().as_uri()}"); }}\n' for s in FILES)
    # The book face first, then book.yaml's fallback faces for what it lacks (glyphs.py).
    # An emoji face is given only to emoji (a span each, runs.py): listed for all the text,
    # Pango sets digits, # and * from it.
    text_faces = [f for f in ("EB Garamond",) + cfg.fallback_fonts if "emoji" not in f.lower()]
    emoji_faces = [f for f in cfg.fallback_fonts if "emoji" in f.lower()]
    families = ", ".join(_css_string(f) for f in text_faces)
    fallback = (f"html, .footnote {{ font-family: {families}; }}\n"
                f".emoji {{ font-family: {', '.join(_css_string(f) for f in emoji_faces + text_faces)}; }}\n")
    bottom = grid_bottom_in(trim_inches(cfg.trim)[1], HOUSE_MARGINS_IN["top"], HOUSE_MARGINS_IN["bottom"])
    return f"{faces}{fallback}@page {{ size: {w} {h}; margin-bottom: {bottom:.4f}in; }}\n"


def running_heads_css(cfg) -> str:
    return (f"@page chapter:left {{ @top-left {{ content: {_css_string(cfg.author)}; }} }}\n"
            f"@page chapter:right {{ @top-right {{ content: {_css_string(cfg.title)}; }} }}\n")


def page_css(r: Rendered) -> str:
    """What print.css cannot know: the trim size, the running heads, the font files."""
    return page_setup_css(r.config) + running_heads_css(r.config)


def image_files(r: Rendered) -> dict[str, Path]:
    return {name: src for src, name in r.resources.images.items()}
