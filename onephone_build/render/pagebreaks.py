"""The print edition's page numbers in a screen edition: an empty marker where each
printed page begins, placed by counting the chapter's letters and digits as the print
layout counted them (editions/print/pagemarks.py): a note (the chapter's ``footnotes``
section) and the number of a note's call are not running text on either side."""

from __future__ import annotations

import re
from html import unescape
from typing import Callable

_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_SKIPPED = re.compile(r'<(?:section class="footnotes"|a class="noteref")[\s>]')
_CHAR = re.compile(r"&[^;\s<]{1,32};|.", re.S)
_BREAKS = "\u2014\u2013\u2026/\u200b"  # a line may break after these inside a run of text


def _opens(tag: str) -> int:
    """How a tag changes the depth of the element tree: +1, -1 or 0."""
    if tag.startswith(("<!", "<?")) or tag.endswith("/>"):
        return 0
    return -1 if tag.startswith("</") else 1


def mark_pages(xhtml: str, pages: list[tuple[int, int]], marker: Callable[[int], str]) -> str:
    """``xhtml`` (a chapter's ``<section>``) with ``marker(number)`` where each of
    ``pages`` -- (page number, letters before its first word), in order -- begins: before
    the word that holds that letter (and its opening quotes: a page may begin "Wait,); the
    chapter's first page before its first element."""
    todo = list(pages)
    out: list[str] = []
    seen, skip = 0, 0
    for m in _TOKEN.finditer(xhtml):
        token = m.group()
        if token.startswith("<"):
            if skip:
                skip += _opens(token)
            elif _SKIPPED.match(token):
                skip = 1
            out.append(token)
            if m.start() == 0:  # after the section's own tag: the pages that begin before any text
                while todo and todo[0][1] <= 0:
                    out.append(marker(todo.pop(0)[0]))
            continue
        if skip or not todo:
            out.append(token)
            continue
        chars = _CHAR.findall(token)
        word_start = 0  # where the word being read began in this text, with its opening quotes
        for i, ch in enumerate(chars):
            plain = unescape(ch) if ch.startswith("&") else ch
            if not plain.isalnum():
                if plain.isspace() or plain in _BREAKS:
                    word_start = i + 1
                continue
            while todo and todo[0][1] <= seen:
                chars[word_start] = marker(todo.pop(0)[0]) + chars[word_start]
            seen += 1
        out.append("".join(chars))
    while todo:  # pages after the last letter (a closing image, say): at the chapter's end
        tail = out.pop() if out and out[-1].startswith("</section") else ""
        out.append(marker(todo.pop(0)[0]))
        out.append(tail)
    return "".join(out)


def epub_marker(number: int) -> str:
    return f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{number}" aria-label="{number}"></span>'


def web_marker(number: int) -> str:
    return f'<span role="doc-pagebreak" id="page-{number}" aria-label="page {number}"></span>'


def page_list(pages: dict[str, list[tuple[int, int]]], hrefs: dict[str, str]) -> list[tuple[int, str]]:
    """(page number, link) of every page, in order (``pages``: by the id of the chapter or
    other part of the body it is in; ``hrefs``: that part's file, by the same id)."""
    return sorted((number, f"{hrefs[ident]}#page-{number}") for ident, marks in pages.items() if ident in hrefs
                  for number, _ in marks)
