"""Glued units as ``<span class="nw">``, whatever inline markup they cross.

The typography stage marks where no line may break with the model's characters
(``model/chars.py``): a non-breaking hyphen inside a stammer, a word joiner before a
dash or an ellipsis (and after an opening one, ``“—tell``).  A browser decides a break
between two characters by the ``white-space`` of their nearest common ancestor, so the
nowrap span must hold the whole unit: the word, the dash, and the markup between them
(``<em>his</em>—``, a dash typed after a raw ``<em>``, a dash that was a separate
``Str`` before the spaces around it were closed up).  Here the paragraph's inlines are
flattened to leaves with their container chains, the units are found on the joined text
(a run without white space, cut where a line may break: after a dash, hyphen, slash or
ellipsis before a word, unless glued), and the tree is rebuilt with the span inserted at
the deepest level that holds the whole unit; a container the unit only partly covers is
split in two (``<em>read </em><span class="nw"><em>his</em>—</span>``), the second copy
without its id.
"""

from __future__ import annotations

import re

from ..model.chars import NBH, WJ
from .sanitize import raw_pairs

OBJECT = "\ufffc"  # an inline with no text of its own
_CONTAINERS = {"Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"}
_WITH_ATTR = {"Span", "Link", "Quoted"}
_SPACE_TEXT = {"Space": " ", "SoftBreak": " ", "LineBreak": "\n"}
RAW_PAIR = "RawPair"  # a raw HTML start tag and its end tag, as one container: c = [start, end, inlines]

# A line may break after a hyphen, a dash, a slash or an ellipsis when a word follows.
BREAK_AFTER = re.compile("(?<=[-\u2014\u2013/\u2026])(?=[^-\u2014\u2013/\u2026\u2011\u2060\\s"
                         "\u201d\u2019\"'?!.,;:)\\]])")
_RUN = re.compile(r"[^ \t\n]+")


def glued_units(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` ranges of ``text`` that must stay on one line."""
    out = []
    for seg in _RUN.finditer(text):
        s = seg.group()
        if NBH not in s and WJ not in s:
            continue
        pos = seg.start()
        for piece in BREAK_AFTER.split(s):
            if NBH in piece or WJ in piece:
                out.append((pos, pos + len(piece)))
            pos += len(piece)
    return out


def _children(node: dict) -> list[dict] | None:
    t = node["t"]
    if t in _CONTAINERS:
        return node["c"]
    if t in _WITH_ATTR:
        return node["c"][1]
    if t == RAW_PAIR:
        return node["c"][2]
    return None


def _copy(node: dict, children: list[dict], first: bool) -> dict:
    t, c = node["t"], node["c"]
    if t in _CONTAINERS:
        return {"t": t, "c": children}
    if t == RAW_PAIR:
        return {"t": t, "c": [c[0], c[1], children]}
    attr = c[0]
    if t in ("Span", "Link") and not first:
        attr = ["", attr[1], attr[2]]  # one id per document
    return {"t": t, "c": [attr, children, *c[2:]]}


def _pair_raw(inlines: list[dict]) -> list[dict]:
    """Raw HTML start and end tags among ``inlines`` as ``RawPair`` containers (the same list
    when there are none)."""
    pairs = raw_pairs(inlines, "RawInline")
    if not pairs:
        return inlines
    out, i = [], 0
    while i < len(inlines):
        if i in pairs:
            j = pairs[i]
            out.append({"t": RAW_PAIR, "c": [inlines[i], inlines[j], _pair_raw(inlines[i + 1:j])]})
            i = j + 1
        else:
            out.append(inlines[i])
            i += 1
    return out


def _flatten(inlines: list[dict], path: tuple, leaves: list) -> None:
    for node in inlines:
        kids = _children(node)
        if kids is not None:
            _flatten(_pair_raw(kids) if node["t"] != RAW_PAIR else kids, path + (node,), leaves)
        else:
            t = node["t"]
            leaves.append([node, path, node["c"] if t == "Str" else _SPACE_TEXT.get(t, OBJECT)])


def _rebuild(leaves: list, depth: int, seen: set[int]) -> list[dict]:
    out: list[dict] = []
    k = 0
    while k < len(leaves):
        node, path, _ = leaves[k]
        if len(path) <= depth:
            out.append(node)
            k += 1
            continue
        box = path[depth]
        m = k
        while m < len(leaves) and len(leaves[m][1]) > depth and leaves[m][1][depth] is box:
            m += 1
        out.append(_copy(box, _rebuild(leaves[k:m], depth + 1, seen), id(box) not in seen))
        seen.add(id(box))
        k = m
    return out


def _glued(inlines: list[dict]) -> bool:
    """Whether any text of ``inlines`` holds a glue mark: two paragraphs in three of the
    100k bench novel hold none, and for them the flattening below is skipped."""
    for node in inlines:
        t = node["t"]
        if t == "Str":
            if NBH in node["c"] or WJ in node["c"]:
                return True
        elif t != "Space":
            kids = _children(node)
            if kids is not None and _glued(kids):
                return True
    return False


def with_nowrap(inlines: list[dict]) -> list[dict]:
    """``inlines`` with every glued unit inside a ``Span`` of class ``nw`` (a new list;
    the same list when nothing is glued). No unit crosses white space, so the words
    between the paragraph's own spaces are looked at one at a time, and only those
    holding a glue mark are taken apart and made again."""
    if not _glued(inlines):
        return inlines
    out: list[dict] = []
    word: list[dict] = []
    glue = False  # whether the word holds a glue mark
    for node in _pair_raw(inlines):
        t = node["t"]
        if t in _SPACE_TEXT:
            out.extend(_glue_word(word) if glue else word)
            out.append(node)
            word, glue = [], False
        else:
            word.append(node)
            if not glue:
                glue = NBH in node["c"] or WJ in node["c"] if t == "Str" else _glued((node,))
    out.extend(_glue_word(word) if glue else word)
    return out


def _glue_word(inlines: list[dict]) -> list[dict]:
    """The glued units of ``inlines`` (raw tags paired) in nowrap spans."""
    leaves: list = []
    _flatten(inlines, (), leaves)
    text = "".join(lf[2] for lf in leaves)
    units = glued_units(text)
    if not units:
        return inlines
    # split Str leaves at the unit boundaries
    cuts = sorted({p for u in units for p in u})
    split: list = []
    pos, ci = 0, 0
    for node, path, s in leaves:
        end = pos + len(s)
        while ci < len(cuts) and cuts[ci] <= pos:
            ci += 1
        if node["t"] == "Str":
            start = pos
            while ci < len(cuts) and cuts[ci] < end:
                split.append([{"t": "Str", "c": s[start - pos:cuts[ci] - pos]}, path, start])
                start = cuts[ci]
                ci += 1
            split.append([{"t": "Str", "c": s[start - pos:]}, path, start])
        else:
            split.append([node, path, pos])
        pos = end
    # put each unit's leaves under one span, at the depth all its leaves share
    k = 0
    for u_start, u_end in units:
        while split[k][2] < u_start:
            k += 1
        members = []
        while k < len(split) and split[k][2] < u_end:
            members.append(split[k])
            k += 1
        paths = [lf[1] for lf in members]
        d = 0
        while all(len(p) > d and p[d] is paths[0][d] for p in paths):
            d += 1
        span = {"t": "Span", "c": [["", ["nw"], []], []]}
        for lf in members:
            lf[1] = lf[1][:d] + (span,) + lf[1][d:]
    return _rebuild(split, 0, set())
