"""Reader -> model -> transforms -> rendered chapters: what every writer starts from.

With a cache, each chapter's rendering (title, XHTML fragment, the images it uses and
its warnings) is kept under a key made of its index, its source bytes and the options
that shape it; only the chapters whose entry is missing are parsed (all of them in one
Pandoc process) and typeset. A chapter served from the cache has no AST
(``chapter.blocks`` is empty; so is a freshly rendered chapter's, to free the memory):
writers use the XHTML.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from . import config as config_mod
from .cache import Cache
from .document import Book, ChapterDoc, chapter_doc, load_book, plain_text
from .reader import PANDOC_FORMAT, Source, parse_book
from .resources import Resources
from .transform import apply_typography, typeset_chapter
from .typography.base import plain
from .writers.xhtml import chapter_fragment

# Pandoc reference links and footnote definitions are global to the parsed text: a
# chapter that defines one can change how another chapter reads.
_DEFINITION = re.compile(rb"^ {0,3}\[[^\]\n]+\]:", re.M)


Step = Optional[Callable[[int, int], None]]  # progress: (done, total)


@dataclass
class RenderedChapter:
    chapter: ChapterDoc
    title: str  # plain text, for navigation and running heads
    xhtml: str  # the <section> fragment
    images: tuple[str, ...] = ()  # names (as in Resources.images) of the images it shows


@dataclass
class Rendered:
    book: Book
    chapters: list[RenderedChapter]
    resources: Resources
    warnings: list[str] = field(default_factory=list)

    @property
    def config(self):
        return self.book.config


def render(manuscript: Path, link_policy: str = "refuse", cache: Cache | None = None,
           cfg: config_mod.BookConfig | None = None, step: Step = None) -> Rendered:
    """``cfg``: the manuscript's book.yaml when the caller has loaded it already;
    ``step(done, total)`` is told of each chapter rendered."""
    cfg = cfg or config_mod.load(manuscript)
    res = Resources(cfg.root, link_policy)
    if cache is None:
        book = apply_typography(load_book(cfg))
        chapters = []
        for ch in book.chapters:
            chapters.append(_render_chapter(ch, res)[0])
            if step:
                step(len(chapters), len(book.chapters))
        return Rendered(book, chapters, res, book.warnings + res.warnings)
    return _render_cached(cfg, res, cache, step)


def _render_chapter(ch: ChapterDoc, res: Resources) -> tuple[RenderedChapter, list[list[str]]]:
    """The chapter's fragment, and the URL resolutions it made (url, kind, result)."""
    calls: list[list[str]] = []
    resolve = res.resolver(ch.path, ch.source.text)

    def recording(url: str, kind: str) -> str:
        out = resolve(url, kind)
        calls.append([url, kind, out])
        return out

    xhtml = chapter_fragment(ch, recording)
    images = tuple(dict.fromkeys(out for _, kind, out in calls if kind == "image" and out))
    return RenderedChapter(ch, plain(plain_text(ch.title)), xhtml, images), calls


def _render_cached(cfg: config_mod.BookConfig, res: Resources, cache: Cache, step: Step = None) -> Rendered:
    raws = [ch.path.read_bytes() for ch in cfg.chapters]
    definitions = b"".join(m.group() for raw in raws for m in _DEFINITION.finditer(raw))
    options = repr((cfg.typography, res.policy, PANDOC_FORMAT, str(cfg.root.resolve())))
    keys = [cache.key("chapter", str(i), options, definitions, raw) for i, raw in enumerate(raws)]
    entries = [cache.read_json("chapter", k) for k in keys]
    misses = [i for i, e in enumerate(entries) if e is None]
    if misses and definitions:
        misses = list(range(len(raws)))  # a definition may be used anywhere: parse the book whole
    parsed = _parse(cfg, misses)

    chapters: list[RenderedChapter] = []
    warnings: list[str] = []
    for i, ch_cfg in enumerate(cfg.chapters):
        entry = entries[i] if i not in parsed else None
        if entry is not None and not _replay(entry, res, ch_cfg.path):
            entry = None
            parsed.update(_parse(cfg, [i]))  # its images were numbered otherwise before
        if entry is not None:
            text = raws[i].decode("utf-8", "replace").lstrip("\ufeff")
            doc = ChapterDoc(i, Source(ch_cfg.path, text.replace("\r\n", "\n")), [], [])
            rc = RenderedChapter(doc, entry["title"], entry["xhtml"], tuple(entry["images"]))
            res.warnings.extend(entry["resource_warnings"])
            warnings.extend(entry["source_warnings"])
        else:
            src, blocks = parsed[i]
            doc = typeset_chapter(chapter_doc(i, src, blocks), cfg.typography)
            seen = len(res.warnings)
            rc, calls = _render_chapter(doc, res)
            doc.blocks, doc.title = [], []  # rendered: the AST is not kept (memory)
            warnings.extend(src.warnings)
            cache.write_json("chapter", keys[i], {
                "title": rc.title, "xhtml": rc.xhtml, "images": list(rc.images), "resolved": calls,
                "resource_warnings": res.warnings[seen:], "source_warnings": src.warnings})
        chapters.append(rc)
        if step:
            step(len(chapters), len(cfg.chapters))
    book = Book(cfg, [rc.chapter for rc in chapters], warnings)
    return Rendered(book, chapters, res, warnings + res.warnings)


def _parse(cfg: config_mod.BookConfig, indices: list[int]) -> dict[int, tuple[Source, list[dict]]]:
    """Parse the given chapters in one Pandoc process."""
    if not indices:
        return {}
    sub = dataclasses.replace(cfg, chapters=tuple(cfg.chapters[i] for i in indices))
    sources, blocks = parse_book(sub)
    return dict(zip(indices, zip(sources, blocks)))


def _replay(entry: dict, res: Resources, chapter_path: Path) -> bool:
    """Resolve a cached chapter's links and images again, as rendering it would (images
    are numbered in order of first use across the book); False when any now resolves
    otherwise (an earlier chapter gained or lost an image, a file went), so the chapter
    must be rendered again."""
    saved = (dict(res.images), list(res.warnings))
    for url, kind, out in entry["resolved"]:
        try:
            again = res.resolve(url, kind, chapter_path)
        except Exception:
            again = None
        if again != out:
            res.images, res.warnings = saved
            return False
    res.warnings[len(saved[1]):] = []  # the entry's own warnings are replayed from it
    return True
