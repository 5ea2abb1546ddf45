"""Spacing or scene break: the decision every reader leaves to the chapter as a whole.

A reader gives a chapter as tokens: ``("p", markdown)`` a paragraph, ``("gap", n)`` n empty
paragraphs (or extra blank lines), ``("break", None)`` an explicit marker (``<hr>``,
``***``, ``* * *``, ``~~~``…). Empty paragraphs that separate most paragraphs of a
chapter are its habit, i.e. spacing (AO3 writes ``<p>&nbsp;</p>`` for every three
newlines, so a double-spaced paste has one between almost every paragraph); a gap is
a scene break only when it stands out from that habit, and a marker always is.
"""

from __future__ import annotations

from collections import Counter

from .model import ImportedChapter


def assemble(title: str, tokens: list[tuple[str, object]]) -> ImportedChapter:
    items: list[tuple[int, bool, str]] = []  # (gap before, marker before, paragraph)
    gap, marker = 0, False
    for kind, value in tokens:
        if kind == "p":
            if str(value).strip():
                items.append((gap, marker, str(value)))
                gap, marker = 0, False
        elif kind == "gap":
            gap += int(value)
        elif kind == "break":
            marker = True
    habit = spacing_habit([(g, m) for g, m, _ in items[1:]])
    ch = ImportedChapter(title)
    for i, (g, m, p) in enumerate(items):
        if i and (m or g > habit):
            ch.scenes.append([])
        elif i and g:
            ch.spacing += g
        ch.scenes[-1].append(p)
    return ch


def spacing_habit(boundaries: list[tuple[int, bool]]) -> int:
    """The gap (in empty paragraphs) that most paragraph boundaries have: 0 for a normal
    chapter; the most common gap when more than half of the boundaries have one."""
    gaps = [g for g, marker in boundaries if g and not marker]
    if len(gaps) < 3 or len(gaps) * 2 <= len(boundaries):  # 3: a short chapter's one gap is a break
        return 0
    return Counter(gaps).most_common(1)[0][0]
