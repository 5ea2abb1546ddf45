"""The EPUB's accessibility metadata (EPUB Accessibility 1.1): the schema.org discovery
properties, the conformance claim (WCAG 2.2 AA) with who certified it, the exemption the
book claims, and a summary written from what the book contains.
"""

from __future__ import annotations

import re

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"

FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability")


def _count(pattern: str, pages: list[str]) -> int:
    rx = re.compile(pattern)
    return sum(len(rx.findall(p)) for p in pages)


def contents(r) -> dict[str, int]:
    """What the book holds that a reader of the summary should know of."""
    pages = [rc.xhtml for rc in r.chapters]
    return {
        "chapters": len(r.chapters),
        "images": _count(r"<img\b", pages),
        "transcripts": _count(r'class="transcript\b', pages),
        "notes": _count(r'role="doc-noteref"', pages),
        "tables": _count(r"<table\b", pages),
    }


def _n(k: int, word: str) -> str:
    return f"{k} {word}" + ("" if k == 1 else "s")


def summary(r) -> str:
    c = contents(r)
    parts = [f"Reflowable text in {_n(c['chapters'], 'chapter')}, with a table of contents, "
             "landmarks and headings for every chapter, in reading order."]
    if r.print_pages:
        parts.append("The print edition's page numbers are marked in the text and listed for navigation.")
    if c["transcripts"]:
        parts.append(f"{_n(c['transcripts'], 'transcript')} of calls and messages are marked as sections "
                     "with accessible names.")
    if c["notes"]:
        parts.append(f"{_n(c['notes'], 'note')} linked both ways between the text and the note.")
    if c["tables"]:
        parts.append(f"{_n(c['tables'], 'table')} with header cells.")
    parts.append(f"{_n(c['images'], 'image')} in the text, each with a text alternative; the cover has one too."
                 if c["images"] else "The only image is the cover, which has a text alternative.")
    parts.append("No information is conveyed by colour alone; no hazards. "
                 f"Meets {CONFORMS_TO}.")
    return " ".join(parts)


def metadata(r) -> list[tuple[str, str]]:
    """(property, value) pairs for ``<meta property=...>`` in the package."""
    cfg = r.config
    c = contents(r)
    modes = [("schema:accessMode", "textual")] + ([("schema:accessMode", "visual")] if c["images"] else [])
    items = modes + [("schema:accessModeSufficient", "textual")]
    items += [("schema:accessibilityFeature", f) for f in FEATURES]
    if c["images"]:
        items.append(("schema:accessibilityFeature", "alternativeText"))
    if r.print_pages:
        items += [("schema:accessibilityFeature", "pageBreakMarkers"),
                  ("schema:accessibilityFeature", "pageNavigation")]
    items += [("schema:accessibilityHazard", "none"),
              ("schema:accessibilitySummary", summary(r))]
    if cfg.accessibility.exemption:
        items.append(("a11y:exemption", cfg.accessibility.exemption))
    items.append(("a11y:certifiedBy", cfg.accessibility.certified_by))
    return items
