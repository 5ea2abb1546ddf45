"""Transforms on the document model: typography, once, for every format."""

from __future__ import annotations

from typing import Iterator

from .document import Book, ChapterDoc, iter_inline_lists, iter_notes
from .runs import TextRun
from . import typography  # noqa: F401  (importing the package registers its rules)
from .typography.base import Context, iter_fixers


def chapter_runs(chapter: ChapterDoc) -> Iterator[list[dict]]:
    """Every inline list of a chapter: its title, its paragraphs, their footnotes."""
    yield chapter.title
    pending = [chapter.blocks]
    while pending:
        for _kind, inlines in iter_inline_lists(pending.pop(0)):
            yield inlines
            pending.extend(iter_notes(inlines))


def typeset_inlines(inlines: list[dict], ctx: Context, disabled: frozenset[str] = frozenset()) -> None:
    for r in iter_fixers(ctx, disabled):
        run = TextRun(inlines)
        edits = list(r.fix(run.text, ctx))
        if edits:
            run.apply(edits)


def apply_typography(book: Book, disabled: frozenset[str] = frozenset()) -> Book:
    ctx = book.config.typography
    for chapter in book.chapters:
        for inlines in chapter_runs(chapter):
            typeset_inlines(inlines, ctx, disabled)
    return book
