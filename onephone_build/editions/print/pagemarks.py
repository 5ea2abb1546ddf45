"""Where each printed page begins, for the EPUB's and the web edition's page-list: a laid
out chapter's pages, each as the number of letters and digits of the chapter's running
text that come before its first word. Counting letters and digits only, the count is the
same on the screen editions' XHTML of the chapter whatever the layout added or changed
(hyphens at line ends, word joiners, collapsed spaces); what is not running text is left
out on both sides: a note (at the foot of the page here, at the chapter's end on screen),
the number of its call, generated content (``::before``, ``::marker``)."""

from __future__ import annotations


# pseudo-elements whose text the stylesheet writes (a ::first-letter is the text's own)
_GENERATED = ("::before", "::after", "::marker", "::footnote-call", "::footnote-marker")


def letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _count(box) -> int:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.FootnoteAreaBox, boxes.MarginBox)) or (box.element_tag or "").endswith(_GENERATED):
        return 0
    if isinstance(box, boxes.TextBox):
        return letters(box.text)
    return sum(_count(child) for child in getattr(box, "children", ()))


def page_offsets(document) -> list[int]:
    """For each page of a laid-out WeasyPrint ``document``: the letters before it."""
    offsets, seen = [], 0
    for page in document.pages:
        offsets.append(seen)
        seen += _count(page._page_box)
    return offsets
