"""A box set in print (book.yaml's ``volumes:``): what the print styles add for the volumes.

A volume's title page is a part's page (``section.part``: a recto, no running head or
folio, its verso blank) with the volume's subtitle; its own dedication and epigraph follow
it as bare pages too. The bookmarks nest three deep (volume, part, chapter), as the
contents do. The recto running head is the volume's title where a book's would be its
title: in the single pass a string each unit of the body sets (``string-set``); in the
parallel path each volume has its own furniture sheets (``parts.py``), which carry that
title as text. Nothing here is used by a book without volumes.
"""

from __future__ import annotations

from ...render import Rendered, RenderedChapter, RenderedPart, RenderedVolume
from .document import _css_string, bare, body_units

STATIC_CSS = """\
h1.part-title .part-subtitle { display: block; font-size: 12pt; font-style: italic; margin-top: 0.9em; }
section.matter[id^="volume-"] { page: part; }  /* a volume's own dedication and epigraph: no head, no folio */
.contents li.volume { margin-top: 1em; font-variant: small-caps; letter-spacing: 0.06em; }
.contents li.part.in-volume { padding-left: 1em; }
.contents li.depth-2 { padding-left: 2em; }
"""


def layout_css(r: Rendered) -> str:
    """What every layout of a box set adds (chapters, front matter, the single pass): the
    volume's page and the contents' styles, each unit's bookmark at its depth."""
    if not r.volumes:
        return ""
    rules = []
    for unit, depth in r.levels():
        if isinstance(unit, RenderedVolume):  # level 1, like a part's page of print.css; named as in the contents
            rules.append(f"#{unit.id} h1.part-title {{ bookmark-label: {_css_string(unit.title)}; }}")
            continue
        heading = "h1.part-title" if isinstance(unit, RenderedPart) else "h1.chapter-title" if isinstance(
            unit, RenderedChapter) else "h1.matter-title"
        rules.append(f"#{unit.id} {heading} {{ bookmark-level: {depth + 1}; }}")
    return STATIC_CSS + "\n".join(rules) + "\n"


def head_titles(r: Rendered) -> list[str]:
    """The recto running heads of the box set: the book's title, then each volume's."""
    return [r.config.title] + [v.title for v in r.config.volumes]


def heads(r: Rendered) -> list[int]:
    """Per body unit (``document.body_units``), which of ``head_titles`` its pages carry: its
    volume's, and the book's for the back matter after the volumes."""
    out, k = [], 0
    for unit in r.reading_order():
        k += isinstance(unit, RenderedVolume)
        out.append(k)
    return out + [0] * len(r.matter_of("back"))


def heads_css(r: Rendered) -> str:
    """The single pass's recto running head: the title of the volume each page is in (each
    unit of the body with heads sets it where it begins)."""
    if not r.volumes:
        return ""
    titles = head_titles(r)
    rules = ["@page chapter:right { @top-right { content: string(volume-title); } }"]
    rules += [f"#{unit.id} {{ string-set: volume-title {_css_string(titles[h])}; }}"
              for unit, h in zip(body_units(r), heads(r)) if not bare(r, unit)]
    return "\n".join(rules) + "\n"


def sheet_css(title: str) -> str:
    """A furniture sheet's recto running head for a volume: its title."""
    return f"@page chapter:right {{ @top-right {{ content: {_css_string(title)}; }} }}\n"
