"""``lint``: the typography rules in report mode, as FILE:LINE:COL: RULE message.

Checks see each paragraph's text as the author wrote it (before any fix), the
same text runs the build transforms; offsets map back to the Markdown file
through the position of every ``Str`` in the source.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from .. import config as config_mod
from ..errors import display_path
from ..model.document import ChapterDoc
from ..model.runs import TextRun
from ..read import load_book
from ..transforms.typeset import chapter_runs
from ..transforms.typography import DOC_CHECKS, RULES
from ..transforms.typography.base import Finding


@dataclass(frozen=True)
class LintFinding:
    path: Path
    line: int
    col: int
    rule: str
    message: str
    severity: str

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else f" ({self.severity})"
        return f"{display_path(self.path)}:{self.line}:{self.col}: {self.rule}{tag} {self.message}"


class SourceMap:
    """Where each text leaf of a chapter stands in its Markdown source."""

    def __init__(self, text: str):
        self.text = text
        self.cursor = 0
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def place(self, run: TextRun) -> list[int]:
        """Source offset of each leaf of ``run``, found in reading order."""
        out = []
        for leaf in run.leaves:
            if leaf.node["t"] == "Str":
                s = leaf.node["c"]
                at = self.text.find(s, self.cursor)
                if at < 0:  # escaped or normalised by Pandoc: look from the start, else stay put
                    at = self.text.find(s)
                if at >= 0:
                    self.cursor = at + len(s)
                    out.append(at)
                    continue
            out.append(self.cursor)
        return out

    def line_col(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1


def _locate(run: TextRun, starts: list[int], smap: SourceMap, offset: int) -> tuple[int, int]:
    if not run.leaves:
        return smap.line_col(smap.cursor)
    i = run.index_at(offset)
    i = len(run.leaves) - 1 if i is None else i
    leaf = run.leaves[i]
    inside = offset - leaf.start if leaf.node["t"] == "Str" else 0
    return smap.line_col(starts[i] + max(0, inside))


def lint_chapter(chapter: ChapterDoc, ctx, disabled: frozenset[str] = frozenset()) -> list[LintFinding]:
    smap = SourceMap(chapter.source.text)
    placed: list[tuple[TextRun, list[int]]] = []
    for inlines in chapter_runs(chapter):
        run = TextRun(inlines)
        placed.append((run, smap.place(run)))
    found: list[tuple[int, Finding]] = []
    for rule in RULES:
        if rule.check is None or rule.name in disabled:
            continue
        for k, (run, _) in enumerate(placed):
            found.extend((k, f) for f in rule.check(run.text, ctx))
    texts = [run.text for run, _ in placed]
    for dc in DOC_CHECKS:
        if dc.name not in disabled:
            found.extend(dc.check(texts, ctx))
    out = []
    for k, f in found:
        run, starts = placed[k]
        line, col = _locate(run, starts, smap, f.start)
        out.append(LintFinding(chapter.path, line, col, f.rule, f.message, f.severity))
    if "rare-structure" not in disabled:
        out += structure_findings(chapter)
    return sorted(set(out), key=lambda f: (f.line, f.col, f.rule))


# Block structures rare in fiction: Markdown makes them from lines that may be prose.
_RARE = {"BulletList": "a bulleted list", "OrderedList": "a numbered list",
         "DefinitionList": "a definition list", "CodeBlock": "a code block (set as typed, in a fixed-width face)"}


def structure_findings(chapter: ChapterDoc) -> list[LintFinding]:
    """A warning for each list or code block, at its first line: a line the reader took
    as Markdown syntax where the author may have meant a sentence (``read/prose.py``
    already keeps the clear cases prose)."""
    smap = SourceMap(chapter.source.text)
    out = []
    pending = list(chapter.blocks)
    while pending:
        b = pending.pop(0)
        t, c = b["t"], b.get("c")
        if t in _RARE:
            probe = c[1] if t == "CodeBlock" else _first_text(b)
            at = chapter.source.text.find(probe.split("\n")[0]) if probe else -1
            line, col = smap.line_col(max(at, 0))
            out.append(LintFinding(chapter.path, line, col, "rare-structure",
                                   f"{_RARE[t]}: is it meant? (prose that only looks like one: escape "
                                   "the mark, e.g. 1876\\. or \\-, or remove the indent)", "warning"))
        elif t == "BlockQuote":
            pending[:0] = c
        elif t == "Div":
            pending[:0] = c[1]
    return out


def _first_text(node) -> str:
    """The first Str under ``node`` (a block or inline tree)."""
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return node["c"]
        node = node.get("c")
    if isinstance(node, list):
        for x in node:
            found = _first_text(x)
            if found:
                return found
    return ""


def lint_manuscript(manuscript: Path, disabled: frozenset[str] = frozenset()) -> list[LintFinding]:
    cfg = config_mod.load(manuscript)
    book = load_book(cfg)
    findings = []
    for chapter in book.chapters:
        findings.extend(lint_chapter(chapter, cfg.typography, disabled))
    return findings + lint_matter(cfg, disabled)


def lint_matter(cfg, disabled: frozenset[str] = frozenset()) -> list[LintFinding]:
    """The front and back matter that are files of their own (a foreword, the acknowledgements...),
    checked like chapters, at their own lines (text written in book.yaml is not)."""
    from ..read.pandoc import parse_texts
    from ..read.source import text_source

    files = [m for m in cfg.matter if m.path != cfg.source]
    sources = [text_source(m.path, m.text) for m in files]
    findings = []
    for src, blocks in zip(sources, parse_texts(sources, cfg.root)):
        title = []
        if blocks and blocks[0]["t"] == "Header" and blocks[0]["c"][0] == 1:
            title, blocks = blocks[0]["c"][2], blocks[1:]
        findings.extend(lint_chapter(ChapterDoc(0, src, blocks, title), cfg.typography, disabled))
    return findings


def rule_table() -> list[tuple[str, str, str]]:
    """(name, kind, description) of every rule, in application order."""
    rows = []
    for r in RULES:
        kind = "fix" if r.fix else "check"
        rows.append((r.name, kind, " ".join(r.doc.split())))
    rows.extend((d.name, "check", " ".join(d.doc.split())) for d in DOC_CHECKS)
    rows.append(("rare-structure", "check", "A list or code block (rare in fiction: lines that may "
                 "be prose), reported so the author can confirm it."))
    return rows
