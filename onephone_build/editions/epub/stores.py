"""What each store's EPUB changes in the one the writer makes (config/editions.py: ``store``).

Every change is to the packed files, file by file (``adapt``), so the writer stays one for
all stores:

* **kindle**: U+FEFF and U+2060 are drawn as spaces in Amazon's current format: dropped
  (the nowrap spans already glue what they glued); no XML comments (a ``--`` in one is an
  E999); every file keeps its ``encoding="utf-8"`` declaration (without it Kindle reads
  ISO-8859-1).
* **kobo**: ``koboSpan`` around every sentence (kobo.py), U+2011 (drawn raised) as a hyphen
  in a nowrap span, no soft hyphens (they break the dictionary look-up), no ``break-*``
  CSS (only ``page-break-*``).
* **apple**: pop-up notes only where the link is ``epub:type="noteref"`` and the note an
  ``<aside epub:type="footnote">``: the link gets the type, each note's list item an aside
  (with the matching ARIA role, which Ace asks for) that takes over its id.
* **apple**, **google**, **generic**: a U+2060 left in the text becomes U+FEFF, which more
  of their fonts have; ``↩`` keeps U+FE0E after it everywhere, so Apple Books does not draw
  an emoji.
"""

from __future__ import annotations

import re

from ...errors import BookError

_KINDLE = {"\ufeff": "", "\u2060": ""}
_KOBO = {"\u00ad": ""}
_JOINER = {"\u2060": "\ufeff"}
CHARS = {"kindle": _KINDLE, "kobo": _KOBO, "apple": _JOINER, "google": _JOINER, "generic": _JOINER}

_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_BACK = re.compile("\u21a9(?!\ufe0e)")
_NOTEREF = re.compile(r'<a (?![^>]*epub:type)([^>]*role="doc-noteref")')
_NOTE = re.compile(r'<li (id="[^"]*-note\d+")>(.*?)</li>', re.S)
_BREAK_CSS = re.compile(r"(?<![-\w])break-(?:before|after|inside)\s*:[^;}]*;?")
_GLUED_WORD = re.compile("[\\w\u2011]*\u2011[\\w\u2011]*")


def _text(xhtml: str, store: str) -> str:
    for old, new in CHARS.get(store, {}).items():
        xhtml = xhtml.replace(old, new)
    if store == "kobo" and "\u2011" in xhtml:
        xhtml = _nbh_spans(xhtml)
    if store == "apple":
        xhtml = _NOTE.sub(r'<li><aside \1 epub:type="footnote" role="doc-footnote">\2</aside></li>',
                          _NOTEREF.sub(r'<a epub:type="noteref" \1', xhtml))
    return _BACK.sub("\u21a9\ufe0e", xhtml)


def _nbh_spans(xhtml: str) -> str:
    """U+2011 in the body's text as ``<span class="nw">word-word</span>`` (the glued word is
    the run of letters around the hyphen; the head, the title included, keeps a plain hyphen)."""
    head, sep, body = xhtml.partition("<body")
    body = _GLUED_WORD.sub(lambda m: f'<span class="nw">{m.group().replace(chr(0x2011), "-")}</span>', body)
    return head.replace("\u2011", "-") + sep + body


def package_lang(opf: bytes, lang: str) -> bytes:
    """``xml:lang`` on ``<package>`` (ebooklib writes none; Ace's ``epub-lang`` asks for it)."""
    return opf.replace(b"<package ", f'<package xml:lang="{lang}" '.encode(), 1) if b"xml:lang=" not in \
        opf.split(b">", 2)[1] else opf


def adapt(name: str, data: bytes, store: str, lang: str) -> bytes:
    """One file of the EPUB as ``store``'s edition has it (``lang``: the book's language)."""
    if name.endswith((".xhtml", ".html")):
        if store == "kindle":
            data = _COMMENT.sub(b"", data)
        text = _text(data.decode("utf-8"), store)
        if store == "kobo" and name != "EPUB/nav.xhtml":
            from .kobo import add_spans

            text = add_spans(text)
        return text.encode("utf-8")
    if name.endswith(".css") and store == "kobo":
        return _BREAK_CSS.sub("", data.decode("utf-8")).encode("utf-8")
    if name.endswith(".ncx") or name.endswith(".opf"):
        if store == "kindle":
            data = _COMMENT.sub(b"", data)
        data = _text(data.decode("utf-8"), store).encode("utf-8")
        return package_lang(data, lang) if name.endswith(".opf") else data
    return data


def check_size(data: bytes, edition) -> None:
    """An edition larger than its store takes is an error, not a file the store refuses later."""
    if edition.size_limit and len(data) > edition.size_limit << 20:
        raise BookError(f"the {edition.name} edition is {len(data) / 2**20:.1f} MiB; {edition.store} "
                        f"takes at most {edition.size_limit} MiB (make the images smaller)")
