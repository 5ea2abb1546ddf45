"""Footnotes at the foot of the print page: WeasyPrint floats an element with
``float: footnote`` to the foot of the page its call falls on, so each note of the shared
XHTML (an ``<aside class="footnote">`` at the chapter's end, render/xhtml.py) is moved to
where its call stands, as a ``<span class="footnote">``; print.css numbers the calls and
the notes (``::footnote-call``, ``::footnote-marker``) per chapter. The note's own number
(its back-link on screen) is dropped: the marker prints it.
"""

from __future__ import annotations

import re

_NOTES = re.compile(r'<section class="footnotes" aria-label="Notes">\n(.*?)</section>\n', re.S)
_NOTE = re.compile(r'<aside class="footnote" id="([^"]+)" role="doc-footnote">(.*?)</aside>\n', re.S)
_BACK = re.compile(r'<a class="note-number" href="#[^"]+" role="doc-backlink">[^<]*</a> ?')
_CALL = re.compile(r'<a class="noteref" id="[^"]+" href="#([^"]+)" role="doc-noteref">[^<]*</a>')
# Block elements inside a note become spans shown as blocks: a block start tag inside a
# paragraph would end the paragraph when the HTML is parsed.
_BLOCK_TAG = re.compile(r"<(/?)(p|blockquote|div|ul|ol|li|dl|dt|dd|pre|section|h[1-6])\b[^>]*>")


def _inline(body: str) -> str:
    body = _BACK.sub("", body).strip()
    return _BLOCK_TAG.sub(lambda m: f"</span>" if m.group(1) else f'<span class="fn-{m.group(2)}">', body)


def notes_in_place(xhtml: str) -> str:
    """A chapter's XHTML with each note at its call, for ``float: footnote``."""
    section = _NOTES.search(xhtml)
    if not section:
        return xhtml
    notes = {ident: _inline(body) for ident, body in _NOTE.findall(section.group(1))}
    xhtml = xhtml[:section.start()] + xhtml[section.end():]
    return _CALL.sub(lambda m: f'<span class="footnote">{notes.get(m.group(1), "")}</span>', xhtml)
