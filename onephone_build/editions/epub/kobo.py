"""Kobo's kepub markup: every sentence of the body's text in
``<span class="koboSpan" id="kobo.P.S">`` (P: the paragraph, S: the sentence in it), which
Kobo's reader uses for highlights, bookmarks and reading statistics. The numbering is the
one Kobo's own conversion and kepubify use: paragraphs counted from 1 in document order,
sentences from 1 within each.
"""

from __future__ import annotations

import re

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
_SKIP = {"script", "style", "svg", "math", "title", "head"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "figcaption",
           "blockquote", "pre", "div", "section", "aside", "body", "caption", "summary"}
# a sentence ends after . ! ? or … and any closing quotes or brackets, before a space
_SENTENCE = re.compile(r"[^.!?\u2026]*(?:[.!?\u2026]+[\"'\u201d\u2019)\]]*(?:\s+|$)|$)")


def _local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def sentences(text: str) -> list[str]:
    parts = [m.group() for m in _SENTENCE.finditer(text) if m.group()]
    return parts if "".join(parts) == text else [text]


class _Counter:
    def __init__(self) -> None:
        self.block, self.para, self.seg = None, 0, 0

    def next_id(self, block) -> str:
        if block is not self.block:
            self.block, self.para, self.seg = block, self.para + 1, 0
        self.seg += 1
        return f"kobo.{self.para}.{self.seg}"


def _spans(text: str, block, count: _Counter):
    for part in sentences(text):
        span = etree.Element(f"{{{XHTML_NS}}}span", {"class": "koboSpan", "id": count.next_id(block)})
        span.text = part
        yield span


def _wrap(el, block, count: _Counter) -> None:
    name = _local(el)
    if name in _SKIP or not isinstance(el.tag, str):
        return
    if name in _BLOCKS:
        block = el
    if el.text and el.text.strip():
        spans = list(_spans(el.text, block, count))
        el.text = None
        for i, span in enumerate(spans):
            el.insert(i, span)
    for child in list(el):
        if _local(child) == "span" and child.get("class") == "koboSpan":
            continue
        _wrap(child, block, count)
        if child.tail and child.tail.strip():
            spans = list(_spans(child.tail, block, count))
            child.tail = None
            at = el.index(child) + 1
            for i, span in enumerate(spans):
                el.insert(at + i, span)


def add_spans(xhtml: str) -> str:
    """The page with its body's text in koboSpans (the declaration and doctype kept)."""
    root = etree.fromstring(xhtml.encode("utf-8"))
    body = root.find(f"{{{XHTML_NS}}}body")
    if body is None:
        return xhtml
    _wrap(body, body, _Counter())
    out = etree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + out + "\n"
