"""A chapter file as text: decoded, cleaned and checked before Pandoc sees it.

Each chapter is decoded and checked on its own (UTF-8, characters XML forbids, balanced
and known fenced blocks, nesting), so errors name the chapter file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..config import MAX_CHAPTER_BYTES, XML_FORBIDDEN, decode_utf8, unify_line_breaks
from ..errors import BookError, line_col
from ..model.document import Source
from .fences import check_fences
from .prose import escape_prose

# Limits that keep Pandoc, our tree walks and the layout in bounded time and memory;
# past them the book is refused with an error naming the limit (sizes: see config/book.py,
# Pandoc's own: read/pandoc.py).
# Pandoc's link/span parser is exponential in nested '[' (15 deep: 5 s, 20: minutes) and
# quadratic in unclosed ones; block quotes and lists nested hundreds deep are minutes too.
MAX_BRACKET_DEPTH = 8  # open '[' at once in a paragraph
MAX_NESTING = 32  # emphasis, HTML elements, block quotes and lists, ':::' blocks
MAX_CHARACTER_WARNINGS = 10  # warnings about removed characters, per chapter; then a count

# Inline tokens that open or close a level: escapes (skipped), brackets, HTML tags and
# emphasis runs (opening: not after a word, before a non-space; closing: the reverse).
_INLINE_TOKENS = re.compile(
    r"\\.|(?P<open>\[)|(?P<close>\])"
    r"|<(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?(?<!/)>|</(?P<endtag>[A-Za-z][A-Za-z0-9-]*)\s*>"
    r"|(?P<em>(?<![\w*_])[*_]+(?=[^\s*_]))|(?P<unem>(?<=[^\s*_])[*_]+(?![\w*_]))")
# Elements without an end tag, or whose end tag may be left out: they nest nothing.
_FLAT_TAGS = {"area", "base", "br", "col", "dd", "dt", "embed", "hr", "img", "input", "li", "link",
              "meta", "option", "p", "param", "source", "td", "th", "tr", "track", "wbr"}
# Elements that make a raw HTML block: their nesting goes on across paragraphs (Pandoc nests
# the blocks between a <div> and its </div>, one level each).
_BLOCK_HTML_TAGS = {"address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset",
                    "figure", "footer", "form", "header", "main", "nav", "ol", "section", "table", "ul"}
# A line's block prefix: block-quote marks and list markers (each one level).
_BLOCK_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+")
_BLOCK_STARTS = frozenset(" \t>-*+0123456789")  # the first characters _BLOCK_PREFIX can match
_TOKEN_CHARS = "[]<*_"  # a line without them has no _INLINE_TOKENS that count


def read_bytes(path: Path) -> bytes:
    """A chapter file's bytes, within the size limit."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise BookError(f"cannot read the chapter: {e.strerror}", path) from None
    if len(raw) > MAX_CHAPTER_BYTES:
        raise BookError(f"chapter is {len(raw) / 2**20:.1f} MiB; the limit is "
                        f"{MAX_CHAPTER_BYTES // 2**20} MiB per chapter (split it)", path)
    return raw


def read_source(path: Path, raw: bytes | None = None) -> Source:
    """A chapter decoded and checked: UTF-8, no character XML forbids (removed, with a
    warning), not empty, fences closed and known, nesting within the limits; lines that
    only look like list items or code made plain (``prose.escape_prose``). ``raw``: its
    bytes, when they have been read (``read_bytes``)."""
    text = decode_utf8(read_bytes(path) if raw is None else raw, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = unify_line_breaks(text)  # VT, FF, NEL, U+2028, U+2029 end a line too (config/book.py)
    src = Source(path, text)
    found = 0
    for m in XML_FORBIDDEN.finditer(text):
        found += 1
        if found <= MAX_CHARACTER_WARNINGS:
            line, col = line_col(text, m.start())
            src.warnings.append(str(BookError(f"removed character U+{ord(m.group()):04X}, which XML forbids",
                                              path, line, col)))
    if found > MAX_CHARACTER_WARNINGS:
        src.warnings.append(str(BookError(f"removed {found - MAX_CHARACTER_WARNINGS} more characters "
                                          "that XML forbids", path)))
    if found:
        src.text = XML_FORBIDDEN.sub("", text)
    if not src.text.strip():
        raise BookError("chapter is empty", path, 1)
    check_fences(src.text, path, MAX_NESTING)
    check_nesting(src.text, path)
    src.text = escape_prose(src.text)  # prose that looks like a list or code stays prose
    return src


def check_nesting(text: str, path: Path) -> None:
    """Refuse, before Pandoc sees it, nesting deeper than the limits: brackets per
    paragraph, and emphasis + HTML elements + block prefixes. Counted on the raw text,
    so unclosed openers count as open to the end of their paragraph."""
    brackets = inline = html = 0  # html: raw HTML blocks open, across paragraphs
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            brackets = inline = 0
            continue
        depth = _block_depth(line) if line[0] in _BLOCK_STARTS else 0
        # most prose lines have nothing that opens or closes: skip the scan
        tokens = _INLINE_TOKENS.finditer(line) if any(c in line for c in _TOKEN_CHARS) else ()
        for m in tokens:
            if m.group("open"):
                brackets += 1
                if brackets > MAX_BRACKET_DEPTH:
                    raise BookError(f"more than {MAX_BRACKET_DEPTH} '[' open at once in one paragraph "
                                    "(close them, or write \\[ for a literal bracket)", path, n, m.start() + 1)
            elif m.group("close"):
                brackets = max(brackets - 1, 0)
            elif (m.group("tag") or "").lower() in _BLOCK_HTML_TAGS:
                html += 1
            elif (m.group("endtag") or "").lower() in _BLOCK_HTML_TAGS:
                html = max(html - 1, 0)
            elif m.group("em") or (m.group("tag") and m.group("tag").lower() not in _FLAT_TAGS):
                inline += 1
            elif m.group("unem") or (m.group("endtag") and m.group("endtag").lower() not in _FLAT_TAGS):
                inline = max(inline - 1, 0)
            if depth + inline + html > MAX_NESTING:
                raise BookError(f"nested more than {MAX_NESTING} deep (emphasis, HTML elements, "
                                "block quotes, lists); unclosed * or _ count as open", path, n, m.start() + 1)
        if depth > MAX_NESTING:
            raise BookError(f"block quotes and lists nested more than {MAX_NESTING} deep", path, n)


def _block_depth(line: str) -> int:
    """How deep a line's block-quote marks and list markers nest it: one level a mark, and
    one for every two columns a list item is indented (a tab counts four)."""
    prefix = _BLOCK_PREFIX.match(line)
    if not prefix:
        return 0
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    marks = re.findall(r">|[-*+\d][.)]?(?=[ \t])", line[: prefix.end() + 1])
    return len(marks) + (len(lead) + 3 * lead.count("\t")) // 2


def text_source(path: Path, text: str) -> Source:
    """Markdown that is not a chapter file (a dedication written in book.yaml, or a front or
    back matter file already read), checked like a chapter: fences, nesting, prose."""
    src = Source(path, XML_FORBIDDEN.sub("", text))
    check_fences(src.text, path, MAX_NESTING)
    check_nesting(src.text, path)
    src.text = escape_prose(src.text)
    return src
