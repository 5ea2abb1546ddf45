"""Prose stays prose: Markdown syntax that a novel's text only happens to look like.

Before Pandoc (``escape_prose``), on the chapter text, line by line (no line is added or
removed, so every position keeps its line number):

* a paragraph that starts ``1876. That was the year`` or ``1) so`` and is the only "item"
  (no other marker line in it, nor at the start of the next paragraph) is a sentence, not
  an ordered list: its marker is escaped (``1876\\.``);
* a paragraph that starts ``- Hi,” she said`` (a dialogue dash, a ``+`` or ``*``), when
  the line holds a quotation mark or is the only item, is a sentence, not a bullet;
* a line indented four spaces or a tab after a blank line (Gutenberg indents its centred
  ``*       *       *``, and poems and letters) is not a code block: the indent is
  removed, so a scene-break line is one however it is indented.

Real lists and code blocks (several items; fenced code) are left to Pandoc, and ``lint``
reports them so the author can confirm them (``commands/lint.py``).

After Pandoc (``join_emphasis``): emphasis the author opened in one paragraph and closed
in a later one (``*Dear Tom,`` … ``Yours, Becky*``), which Markdown leaves as literal
asterisks, becomes emphasis on each of those paragraphs.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_ORDERED = re.compile(r"^( {0,3})(\d{1,9})([.)])(?=[ \t]|$)")
_BULLET = re.compile(r"^( {0,3})([-+*])(?=[ \t]+\S)")
_RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # * * *, ---: a scene break
_INDENTED = re.compile(r"^(?: {4,}|\t)[ \t]*(?=\S)")
_QUOTES = "\"\u201c\u201d\u2018\u2019"


def _is_item(line: str, kind: re.Pattern) -> bool:
    """``line`` starts an item of the kind ``kind`` matches (ordered, or bullet)."""
    return bool(kind.match(line)) and not _RULE.match(line)


def escape_prose(text: str) -> str:
    """``text`` with the list markers and indents that prose only looks like made plain."""
    if not any(c in text for c in "0123456789-+*\t    "):
        return text
    lines = text.split("\n")
    out = list(lines)
    fence: str | None = None
    blank_before = True
    in_list = False  # inside a block that stayed a list (its indented lines are its own)
    last_kind = None  # the kind of marker that list uses
    for n, line in enumerate(lines):
        f = _FENCE.match(line)
        if fence is not None:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            blank_before = False
            continue
        if f:
            fence = f.group(1)
            continue
        if not line.strip():
            blank_before = True
            continue
        if blank_before:
            if _INDENTED.match(line) and not in_list:
                out[n] = line = line.lstrip(" \t")
            m, b = _ORDERED.match(line), _BULLET.match(line)
            lone = False
            if m or b:
                kind = _ORDERED if m else _BULLET
                para = _paragraph(lines, n)
                nxt = _next_paragraph_start(lines, n + len(para))
                lone = not any(_is_item(p, kind) for p in para[1:]) and not (nxt and _is_item(nxt, kind)) \
                    and not (in_list and last_kind is kind)
            if _RULE.match(line):
                in_list = False
            elif m and lone:
                out[n] = f"{m.group(1)}{m.group(2)}\\{m.group(3)}{line[m.end():]}"
                in_list = False
            elif b and (lone or any(q in line for q in _QUOTES)):
                out[n] = f"{b.group(1)}\\{line[b.end(1):]}"
                in_list = False
            else:
                in_list = bool(m or b) or (in_list and bool(_INDENTED.match(line)))
                if m or b:
                    last_kind = _ORDERED if m else _BULLET
        blank_before = False
    return "\n".join(out)


def _paragraph(lines: list[str], n: int) -> list[str]:
    """The lines of the paragraph that starts at ``lines[n]``."""
    k = n
    while k < len(lines) and lines[k].strip():
        k += 1
    return lines[n:k]


def _next_paragraph_start(lines: list[str], k: int) -> str | None:
    """The first line of the next paragraph that is not indented (an item's continuation)."""
    while k < len(lines) and (not lines[k].strip() or _INDENTED.match(lines[k])):
        k += 1
    return lines[k] if k < len(lines) else None


# -- after Pandoc --------------------------------------------------------------------------
_EMPH_MARK = re.compile(r"^(\*{1,2}|_{1,2})(?=\S)")


def _first_str(inlines: list[dict]) -> dict | None:
    return inlines[0] if inlines and inlines[0]["t"] == "Str" else None


def _last_str(inlines: list[dict]) -> dict | None:
    return inlines[-1] if inlines and inlines[-1]["t"] == "Str" else None


def _opens(block: dict) -> str | None:
    s = _first_str(block["c"]) if block["t"] == "Para" else None
    m = _EMPH_MARK.match(s["c"]) if s else None
    return m.group(1) if m and len(s["c"]) > len(m.group(1)) else None


def _closes(block: dict, mark: str) -> bool:
    s = _last_str(block["c"]) if block["t"] == "Para" else None
    return bool(s) and s["c"].endswith(mark) and len(s["c"]) > len(mark) \
        and not s["c"][-len(mark) - 1].isspace()


def join_emphasis(blocks: list[dict]) -> list[dict]:
    """Emphasis opened at the start of one paragraph and closed at the end of a later
    one, which Pandoc leaves as literal marks, set as emphasis on every paragraph between
    (the marks removed). Works in place on ``blocks`` and on the block lists in them."""
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b["t"] in ("BlockQuote", "Div"):
            join_emphasis(b["c"] if b["t"] == "BlockQuote" else b["c"][1])
        mark = _opens(b)
        if mark:
            j = i + 1
            while j < len(blocks) and blocks[j]["t"] == "Para" and not _closes(blocks[j], mark) \
                    and _opens(blocks[j]) is None:
                j += 1
            if j < len(blocks) and j > i and blocks[j]["t"] == "Para" and _closes(blocks[j], mark):
                first, last = _first_str(blocks[i]["c"]), _last_str(blocks[j]["c"])
                first["c"] = first["c"][len(mark):]
                last["c"] = last["c"][:-len(mark)]
                kind = "Strong" if len(mark) == 2 else "Emph"
                for k in range(i, j + 1):
                    inl = [n for n in blocks[k]["c"] if not (n["t"] == "Str" and n["c"] == "")]
                    blocks[k]["c"] = [{"t": kind, "c": inl}]
                i = j + 1
                continue
        i += 1
    return blocks
