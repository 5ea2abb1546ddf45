"""Manuscript statistics, counted on the typeset document model (what the reader sees).

Words: runs of letters/digits, joined by a hyphen or apostrophe (``K-Kacchan``, ``don’t``)
but not by a dash or an ellipsis. Characters: the paragraphs' visible text, spaces included,
headings excluded. Scenes: scene breaks + 1 a chapter. Dialogue: words between “ and ”;
a quotation left open at the end of a paragraph runs to the end of that paragraph (a
multi-paragraph quotation reopens with “ in the next one), never into narration.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import config as config_mod
from ..model.chars import plain
from ..model.document import ChapterDoc, plain_text
from ..read import load_book
from ..transforms.typeset import apply_typography, chapter_runs

WORDS_PER_MINUTE = 238
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass
class Counts:
    title: str
    words: int = 0
    characters: int = 0
    chapters: int = 0
    scenes: int = 0
    dialogue_words: int = 0

    @property
    def dialogue_share(self) -> float:
        return self.dialogue_words / self.words if self.words else 0.0

    @property
    def reading_minutes(self) -> int:
        return math.ceil(self.words / WORDS_PER_MINUTE)

    def add(self, other: "Counts") -> None:
        for key in ("words", "characters", "chapters", "scenes", "dialogue_words"):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    def as_dict(self) -> dict:
        return asdict(self) | {"dialogue_share": round(self.dialogue_share, 4),
                               "reading_minutes": self.reading_minutes}


@dataclass
class BookStats:
    chapters: list[Counts]
    total: Counts

    def as_dict(self) -> dict:
        return {"words_per_minute": WORDS_PER_MINUTE, "chapters": [c.as_dict() for c in self.chapters],
                "total": self.total.as_dict()}


def dialogue_words(paragraph: str) -> int:
    """Words inside “…” in one paragraph (an unclosed quotation runs to its end)."""
    inside, count, start = False, 0, 0
    for i, ch in enumerate(paragraph + "”"):
        if ch == "“" and not inside:
            inside, start = True, i + 1
        elif ch == "”" and inside:
            count += len(_WORD.findall(paragraph[start:i]))
            inside = False
    return count


def scene_breaks(blocks: list[dict]) -> int:
    return sum(1 for b in blocks if b["t"] == "HorizontalRule")


def chapter_counts(chapter: ChapterDoc) -> Counts:
    paragraphs = [plain(plain_text(inlines)) for inlines in list(chapter_runs(chapter))[1:]]
    return Counts(
        title=plain(plain_text(chapter.title)),
        words=sum(len(_WORD.findall(p)) for p in paragraphs),
        characters=sum(len(p) for p in paragraphs),
        chapters=1,
        scenes=scene_breaks(chapter.blocks) + 1,
        dialogue_words=sum(dialogue_words(p) for p in paragraphs),
    )


def book_stats(manuscript: Path) -> BookStats:
    cfg = config_mod.load(manuscript)
    book = apply_typography(load_book(cfg))
    chapters = [chapter_counts(ch) for ch in book.chapters]
    total = Counts(title=cfg.title)
    for c in chapters:
        total.add(c)
    return BookStats(chapters, total)
