"""Text runs: a paragraph's inlines seen as one string, and edits put back.

Pandoc splits text into ``Str`` and ``Space`` nodes inside ``Emph``, ``Span``
and so on.  Typography rules want the paragraph as a string.  ``TextRun``
joins the leaves (remembering where each one sits), and ``apply`` maps edits on
the string back onto the leaves, so emphasis and spans survive untouched.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``new`` (an insertion when start == end)."""

    start: int
    end: int
    new: str


OBJECT = "\ufffc"  # stands for an inline that has no text of its own (a note, code, an image)

_CONTAINERS = {"Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"}
_WITH_ATTR = {"Span", "Link"}


@dataclass(slots=True)
class Leaf:
    owner: list  # the inline list holding the node
    node: dict
    start: int
    end: int


_SPACE_TEXT = {"Space": " ", "SoftBreak": " ", "LineBreak": "\n"}


def _text(inlines: list[dict]) -> str:
    """The text typography sees in ``inlines`` (``TextRun.text``)."""
    parts = []
    add = parts.append
    for node in inlines:
        t = node["t"]
        if t == "Str":
            add(node["c"])
        elif t == "Space":
            add(" ")
        elif t in _CONTAINERS:
            add(_text(node["c"]))
        elif t in _WITH_ATTR or t == "Quoted":
            add(_text(node["c"][1]))
        else:  # a break, or an inline opaque to typography (Note, Code, Math, RawInline, Image, Cite)
            add(_SPACE_TEXT.get(t, OBJECT))
    return "".join(parts)


class TextRun:
    """The paragraph's text at once; its leaves (where each node's text sits) only when
    asked for: most rules change nothing in most paragraphs, and reading the text alone
    costs less than placing every leaf."""

    def __init__(self, inlines: list[dict]):
        self.inlines = inlines
        self._spans: list[tuple[list, dict, int, int]] | None = None  # the leaves as tuples
        self._leaves: list[Leaf] | None = None
        self.text = _text(inlines)

    @property
    def leaves(self) -> list[Leaf]:
        """The leaves with names (``lint``)."""
        if self._leaves is None:
            self._leaves = [Leaf(*span) for span in self.spans()]
        return self._leaves

    def spans(self) -> list[tuple[list, dict, int, int]]:
        """The leaves as ``(owner, node, start, end)`` (tuples: a paragraph a rule edits is
        placed again after each edit, and making a tuple costs no call)."""
        if self._spans is None:
            self._spans = []
            self._walk(self.inlines, 0)
        return self._spans

    def _walk(self, inlines: list[dict], pos: int) -> int:
        """Append the leaves of ``inlines`` (starting at offset ``pos``); return the end offset."""
        spans = self._spans
        for node in inlines:
            t = node["t"]
            if t == "Str":
                end = pos + len(node["c"])
            elif t in _CONTAINERS:
                pos = self._walk(node["c"], pos)
                continue
            elif t in _WITH_ATTR or t == "Quoted":
                pos = self._walk(node["c"][1], pos)
                continue
            else:  # a space or a break, or an inline opaque to typography: one character
                end = pos + 1
            spans.append((inlines, node, pos, end))
            pos = end
        return pos

    def index_at(self, offset: int) -> int | None:
        """The index of the leaf holding ``offset`` (binary search)."""
        spans = self.spans()
        lo, hi = 0, len(spans)
        while lo < hi:
            mid = (lo + hi) // 2
            if spans[mid][3] <= offset:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(spans) else None

    def apply(self, edits: list[Edit]) -> None:
        """Rewrite the leaves so the run's text becomes ``apply_edits(text, edits)``."""
        if not edits:
            return
        per_leaf: dict[int, list[tuple[int, int, str]]] = {}
        emptied: dict[int, list[dict]] = {}  # the inline lists that hold a leaf made empty
        leaves = self.spans()
        starts = [lf[2] for lf in leaves]
        for e in sorted(edits, key=lambda e: (e.start, e.end)):
            i = max(bisect.bisect_right(starts, e.start) - 1, 0)
            # An insertion at a boundary joins the text leaf before it (glue belongs to the word).
            if e.start == e.end and i > 0 and leaves[i][2] == e.start \
                    and leaves[i - 1][1]["t"] == "Str":
                i -= 1
            new = e.new
            j = i
            while True:
                _, _, start, end = leaves[j]
                a = max(e.start, start) - start
                b = min(e.end, end) - start
                per_leaf.setdefault(j, []).append((a, b, new))
                new = ""
                if e.end <= end or j + 1 >= len(leaves):
                    break
                j += 1
        for j, local in per_leaf.items():
            owner, node, start, end = leaves[j]
            old = node["c"] if node["t"] == "Str" else self.text[start:end]
            if node["t"] not in ("Str", "Space", "SoftBreak", "LineBreak"):
                # never rewrite an opaque inline; keep the node and add text around it
                text = "".join(n for a, b, n in local)
                if text:
                    owner.insert(owner.index(node) + 1, {"t": "Str", "c": text})
                continue
            out, pos = [], 0
            for a, b, n in sorted(local):
                out.append(old[pos:a])
                out.append(n)
                pos = max(pos, b)
            out.append(old[pos:])
            new_text = "".join(out)
            if new_text == old:
                continue
            if node["t"] == "Str":
                node["c"] = new_text
            elif new_text not in (" ", "\n"):
                node.clear()
                node.update({"t": "Str", "c": new_text})
            if not new_text:
                emptied[id(owner)] = owner
        for owner in emptied.values():  # the leaves that became empty go
            owner[:] = [n for n in owner if n["t"] != "Str" or n["c"]]
