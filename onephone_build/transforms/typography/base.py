"""The contract every typography rule follows.

A rule works on the plain text of one paragraph (Pandoc's ``Str`` and ``Space``
joined; emphasis boundaries are invisible to it) and returns *edits* on that
text, never a new string.  The document transform applies the edits back onto
the Pandoc inlines, and ``lint`` maps their offsets back to ``file:line:col``.

The characters with a line-breaking meaning (NBH, WJ) are the model's
(``model/chars.py``); the editions decide how each reaches the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from ...config import Context  # the options rules receive: book.yaml's typography section
from ...model.chars import ELLIPSIS, EM, EN, NBH, NBSP, WJ, plain  # noqa: F401  (the rules' alphabet)
from ...model.runs import Edit


@dataclass(frozen=True)
class Finding:
    """A problem a rule reports (``lint``); offsets are into the paragraph text."""

    start: int
    end: int
    rule: str
    message: str
    severity: str = "error"  # "error" makes lint exit 1; "warning" does not


FixFn = Callable[[str, Context], Iterable[Edit]]
CheckFn = Callable[[str, Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    name: str
    doc: str
    fix: FixFn | None = None
    check: CheckFn | None = None


RULES: list[Rule] = []


def rule(name: str, doc: str, *, kind: str = "fix") -> Callable:
    """Register a function as the fixer (``kind="fix"``) or checker (``kind="check"``)
    of the rule ``name``.  Registration order is application order."""

    def register(fn):
        RULES.append(Rule(name, doc, fn if kind == "fix" else None, fn if kind == "check" else None))
        return fn

    return register


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits to ``text``."""
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edit {e!r}")
        out.append(text[pos:e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def iter_fixers(ctx: Context, disabled: frozenset[str] = frozenset()) -> Iterator[Rule]:
    return (r for r in RULES if r.fix is not None and r.name not in disabled)


def fix_text(text: str, ctx: Context = Context(), disabled: frozenset[str] = frozenset()) -> str:
    """Run every fix rule in order on a plain string (what tests and ``stats`` use)."""
    for r in iter_fixers(ctx, disabled):
        text = apply_edits(text, r.fix(text, ctx))
    return text


DocCheckFn = Callable[[list[str], Context], Iterable[tuple[int, Finding]]]


@dataclass(frozen=True)
class DocCheck:
    """A check over the consecutive paragraphs of one chapter (e.g. a quotation that
    runs over several paragraphs); it yields (paragraph index, finding)."""

    name: str
    doc: str
    check: DocCheckFn


DOC_CHECKS: list[DocCheck] = []


def doc_check(name: str, doc: str) -> Callable:
    def register(fn):
        DOC_CHECKS.append(DocCheck(name, doc, fn))
        return fn

    return register
