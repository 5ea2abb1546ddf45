"""HTML prose to scene tokens (see ``scenes``): the one converter the AO3, EPUB and Word
readers share. ``<em>``/``<i>`` and ``<strong>``/``<b>`` are kept, a centred or
right-aligned paragraph becomes a ``[…]{.align-center}`` span, an image goes through the
reader's ``image(src, alt)`` (which keeps it as a manuscript file, or reports it)."""

from __future__ import annotations

import re
from typing import Callable

from ...errors import BookError
from .model import escape_inline, paragraph

_WS = re.compile(r"[ \t\n\r\f]+")  # HTML's white space
_BREAKS = re.compile("[\x0b\x85\u2028\u2029]")  # line breaks that are not (config/book.py: LINE_BREAKS)
BREAK_TEXT = re.compile(r"^[\s*~#=_\-–—•·+◇◆❖✦†]+$|^(?:o0o|oOo|xXx|~o~)$")
_BLOCKS = {"p", "div", "blockquote", "center", "section", "article", "ul", "ol", "li", "aside",
           "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "pre", "dl", "dt", "dd", "figure"}
_EMPHASIS = {"em": "*", "i": "*", "cite": "*", "strong": "**", "b": "**", "s": "~~", "strike": "~~",
             "del": "~~"}
_SKIP = {"script", "style", "head", "title"}
_ALIGN = re.compile(r"text-align\s*:\s*(center|right)", re.I)
ALIGN_CLASSES = {"center": "align-center", "right": "align-right"}

Image = Callable[[str, str], str]  # (src, alt) -> Markdown path, or "" when not kept


# libxml2's HTML parser stops at a limit (elements nested 256 deep, a text of 10 MB in one
# piece) and, recovering, silently drops the rest of the document: a chapter after a deep
# one was lost with exit 0. A limit met is an error; the converter's recursion stays far
# below Python's at that depth.
MAX_DEPTH = 255


def parse(data: bytes | str, what: str = ""):
    """An lxml HTML document; BookError when the parser met one of its limits (``what``:
    the file inside the source the HTML came from, for the message)."""
    from lxml import etree, html as lhtml

    parser = lhtml.HTMLParser()
    try:
        doc = lhtml.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise BookError(f"not an HTML document: {e}") from None
    for e in parser.error_log:
        if e.type_name == "ERR_RESOURCE_LIMIT":
            why = (f"elements nested more than {MAX_DEPTH} deep" if "depth" in e.message
                   else "a text of more than 10 MB without markup")
            msg = f"{why}; the HTML parser would drop everything after it, so nothing is imported"
            if what:  # a file inside an EPUB: its line is not one of the EPUB's
                raise BookError(f"{what}, line {e.line}: {msg}")
            raise BookError(msg, None, e.line)
    _allowed_text(doc)
    return doc


_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORBIDDEN_AS = {"\x0b": "\u2028", "\x0c": " "}  # VT a line break (config/book.py), FF HTML's white space


def _allowed_text(doc) -> None:
    """The parser keeps control characters XML forbids in the tree, and lxml then refuses
    to set a text that holds one (a heading dropped: an internal error): they go at once
    (VT becomes a line separator, FF a space)."""
    def clean(text: str) -> str:
        return _FORBIDDEN.sub(lambda m: _FORBIDDEN_AS.get(m.group(), ""), text)

    for el in doc.iter():
        if el.text and _FORBIDDEN.search(el.text):
            el.text = clean(el.text)
        if el.tail and _FORBIDDEN.search(el.tail):
            el.tail = clean(el.tail)
        if isinstance(el.tag, str):
            for k, v in el.attrib.items():
                if _FORBIDDEN.search(v):
                    el.set(k, clean(v))


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def text(el) -> str:
    return _WS.sub(" ", el.text_content()).strip() if el is not None else ""


def alignment(el, inherited: str = "") -> str:
    if not isinstance(el.tag, str):
        return inherited
    if el.tag == "center":
        return "center"
    value = (el.get("align") or "").lower()
    m = _ALIGN.search(el.get("style") or "")
    value = m.group(1).lower() if m else value
    if value in ("left", "justify"):
        return ""
    return value if value in ALIGN_CLASSES else inherited


class Converter:
    def __init__(self, image: Image | None = None):
        self.image = image or (lambda src, alt: "")

    def tokens(self, el) -> list[tuple[str, object]]:
        out: list[tuple[str, object]] = []
        self._blocks(el, out, alignment(el))
        return out

    def paragraphs(self, el) -> list[str]:
        """Only the paragraphs (notes and summaries have no scenes)."""
        return [str(v) for k, v in self.tokens(el) if k == "p"]

    def _blocks(self, el, out: list, align: str) -> None:
        loose: list = []  # inline content between blocks (text directly in a <div>)
        for part in [el.text, *[x for child in el for x in (child, child.tail)]]:
            if part is None or isinstance(part, str) or not isinstance(part.tag, str) or part.tag not in _BLOCKS:
                loose.append(part)
                continue
            self._flush(loose, out, align)
            loose = []
            if part.tag == "hr":
                out.append(("break", None))
            elif "landmark" in classes(part):
                continue  # AO3's "Chapter Text" heading for screen readers
            elif any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in part):
                self._blocks(part, out, alignment(part, align))
            else:
                self._flush([part], out, alignment(part, align), whole=True)
        self._flush(loose, out, align)

    def _flush(self, parts: list, out: list, align: str, whole: bool = False) -> None:
        """Inline content as paragraphs (split at <br>); an empty one is a gap, one of only
        ``***``-like symbols an explicit scene break."""
        if not parts:
            return
        if whole:
            markdown = self._children(parts[0], set())
        else:
            markdown = "".join(self._inline(p, set()) for p in parts if p is not None)
            if not markdown.strip(" \u00a0\n"):
                return
        plain = re.sub(r"\\(.)", r"\1", markdown).replace("\u00a0", " ").strip()
        if not plain:
            if not (whole and next(parts[0].iter("img"), None) is not None):  # an image not kept is no gap
                out.append(("gap", 1))
            return
        if BREAK_TEXT.match(plain):
            out.append(("break", None))
            return
        for line in markdown.split("\n"):
            md = paragraph(line)
            if md and align in ALIGN_CLASSES:
                md = f"[{md}]{{.{ALIGN_CLASSES[align]}}}"
            out.append(("p", md))

    def _inline(self, node, open_marks: set[str]) -> str:
        if node is None:
            return ""
        if isinstance(node, str):  # a line break HTML does not collapse (NEL, U+2028...) is a <br>
            return "\n".join(escape_inline(_WS.sub(" ", part)) for part in _BREAKS.split(node))
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            return ""  # comments, processing instructions
        if node.tag == "img":
            alt = node.get("alt") or ""
            path = self.image(node.get("src") or "", alt)
            return f"![{escape_inline(alt)}]({path})" if path else ""
        if node.tag == "br":
            return "\n"
        mark = _EMPHASIS.get(node.tag)
        inner = self._children(node, open_marks | ({mark} if mark else set()))
        if not mark or mark in open_marks:
            return inner
        return "\n".join(_wrap(line, mark) for line in inner.split("\n"))

    def _children(self, el, open_marks: set[str]) -> str:
        out = self._inline(el.text, open_marks)
        for child in el:
            piece = self._inline(child, open_marks)
            out = out[:-1] + piece[1:] if _same_mark(out, piece) else out + piece
            out += self._inline(child.tail, open_marks)
        return out


def _same_mark(left: str, right: str) -> bool:
    """'*a*' followed by '*b*': one emphasis '*ab*' (adjacent <em>s), not '*a**b*'."""
    if left.endswith("\\*") or not (left.endswith("*") and right.startswith("*")):
        return False
    lm = len(left) - len(left.rstrip("*"))
    rm = len(right) - len(right.lstrip("*"))
    return lm == rm == 1


def _wrap(text: str, mark: str) -> str:
    """Emphasis markers hug the words: '<em> word </em>' is ' *word* '."""
    core = text.strip(" \u00a0")
    if not core:
        return text
    lead = text[:len(text) - len(text.lstrip(" \u00a0"))]
    trail = text[len(text.rstrip(" \u00a0")):]
    return f"{lead}{mark}{core}{mark}{trail}"
