"""Transforms on the document model: typography, once, for every format."""

from __future__ import annotations

from typing import Iterator

from ..model.document import Book, ChapterDoc, iter_inline_lists, notes_in
from ..model.runs import TextRun
from . import typography  # noqa: F401  (importing the package registers its rules)
from .typography.base import Context, iter_fixers


def chapter_runs(chapter: ChapterDoc) -> Iterator[list[dict]]:
    """Every inline list of a chapter: its title, its paragraphs, their footnotes."""
    yield chapter.title
    pending = [chapter.blocks]
    while pending:
        for _kind, inlines in iter_inline_lists(pending.pop(0)):
            yield inlines
            pending.extend(notes_in(inlines))


def typeset_inlines(inlines: list[dict], ctx: Context, disabled: frozenset[str] = frozenset()) -> None:
    """Run every fix rule, in order, on one paragraph.

    The paragraph is read into a ``TextRun`` once and read again only after a rule
    changed it (most rules change nothing in most paragraphs), so the cost is linear in
    the paragraph's length times the number of rules that edit it, not of all rules.
    """
    run = None
    for r in iter_fixers(ctx, disabled):
        if run is None:
            run = TextRun(inlines)
        edits = list(r.fix(run.text, ctx))
        if edits:
            run.apply(edits)
            run = None


def typeset_chapter(chapter: ChapterDoc, ctx: Context, disabled: frozenset[str] = frozenset()) -> ChapterDoc:
    for inlines in chapter_runs(chapter):
        typeset_inlines(inlines, ctx, disabled)
    return chapter


def apply_typography(book: Book, disabled: frozenset[str] = frozenset()) -> Book:
    for chapter in book.chapters:
        typeset_chapter(chapter, book.config.typography, disabled)
    return book
