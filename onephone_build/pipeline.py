"""Reader -> model -> transforms -> rendered chapters: what every writer starts from.

With a cache, each chapter's rendering (title, XHTML fragment, the images it uses and
its warnings) is kept under a key made of its index, its source bytes and the options
that shape it; only the chapters whose entry is missing are parsed (in one Pandoc
process, or in chunks for a long book: see ``read.pandoc.Parse``) and typeset. A chapter has
no AST once rendered (``chapter.blocks`` is empty, to free the memory): writers use the
XHTML.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Callable, Optional

from . import config as config_mod
from .cache import Cache
from .model.document import Source
from .read.pandoc import PANDOC_FORMAT, Parse
from .read.resources import Resources
from .read.source import read_bytes
from .render import Rendered, RenderedChapter

# Pandoc reference links and footnote definitions are global to the parsed text: a
# chapter that defines one can change how another chapter reads.
_DEFINITION = re.compile(rb"^ {0,3}\[[^\]\n]+\]:", re.M)


# what a cached chapter holds (a bad entry is a miss: cache.fits)
CHAPTER_ENTRY = {"title": str, "xhtml": str, "images": [str], "resolved": [(str, str, str)],
                 "resource_warnings": [str], "source_warnings": [str]}

Step = Optional[Callable[[int, int], None]]  # progress: (done, total)


def render(manuscript: Path, link_policy: str = "refuse", cache: Cache | None = None,
           cfg: config_mod.BookConfig | None = None, step: Step = None) -> Rendered:
    """``cfg``: the manuscript's book.yaml when the caller has loaded it already;
    ``step(done, total)`` is told of each chapter rendered."""
    return Rendering(manuscript, link_policy, cache, cfg).finish(step)


class Rendering:
    """A render under way. Making one looks each chapter up in the cache and starts
    Pandoc on the chapters that are missing, then returns: the caller may do other work
    (a cover, imports) while Pandoc reads. ``finish()`` typesets and renders each chapter
    as Pandoc's output for it is decoded, and lets its AST go once it is rendered.

    Without a cache every chapter is parsed and rendered."""

    def __init__(self, manuscript: Path, link_policy: str = "refuse", cache: Cache | None = None,
                 cfg: config_mod.BookConfig | None = None):
        self.cfg = cfg = cfg or config_mod.load(manuscript)
        self.res = Resources(cfg.root, link_policy)
        self.cache = cache
        self.raws = [read_bytes(ch.path) for ch in cfg.chapters]  # Pandoc is given these too
        from .model.headings import HEAD_CHARS, plan, raw_heading

        # the chapters' numbers, counted through the book before Pandoc reads it
        self.headings = plan([raw_heading(raw[:HEAD_CHARS].decode("utf-8", "replace")) for raw in self.raws],
                             cfg.chapter_numbers, cfg.numbering_restarts)
        definitions = b"".join(m.group() for raw in self.raws for m in _DEFINITION.finditer(raw))
        if cache is None:
            self.keys: list[str] = []
            self.entries: list[dict | None] = [None] * len(self.raws)
        else:
            options = repr((cfg.typography, self.res.policy, PANDOC_FORMAT, str(cfg.root.resolve()),
                            cfg.author_notes, cfg.chapter_summaries, cfg.openings, str(cfg.scene_break), cfg.scene_openings))
            self.keys = [cache.key("chapter", str(i), options, repr(self.headings[i]), definitions, raw)
                         for i, raw in enumerate(self.raws)]
            self.entries = [cache.read_json("chapter", k, CHAPTER_ENTRY) for k in self.keys]
        misses = [i for i, e in enumerate(self.entries) if e is None]
        if misses and definitions:
            misses = list(range(len(self.raws)))  # a definition may be used anywhere: parse the book whole
        self.misses = set(misses)
        self._parse = _parse(cfg, misses, self.raws, whole=bool(definitions))
        self._parsed = iter(self._parse or ())  # (index, source, blocks), in book order
        # a long book, whose parsing is most of a build's start
        self.long = self._parse is not None and self._parse.long

    def finish(self, step: Step = None) -> Rendered:
        # the typography and the renderer are imported here, while Pandoc reads (startup.py)
        from .model.chars import plain
        from .model.document import Book, ChapterDoc, chapter_doc, chapter_heading_text, hidden_classes, plain_text
        from .render.xhtml import chapter_fragment
        from .transforms.typeset import typeset_chapter

        cfg, res, cache = self.cfg, self.res, self.cache
        chapters: list[RenderedChapter] = []
        warnings: list[str] = []
        for i, ch_cfg in enumerate(cfg.chapters):
            entry = self.entries[i] if i not in self.misses else None
            if entry is None:
                parsed = next(self._parsed)[1:]  # Pandoc's chapters come in book order
            elif not _clean(entry) or not _replay(entry, res, ch_cfg.path):
                entry = None  # its images were numbered otherwise before, or it was tampered with
                parsed = next(iter(_parse(cfg, [i], self.raws)))[1:]
            if entry is not None:
                text = self.raws[i].decode("utf-8", "replace").lstrip("\ufeff")
                doc = ChapterDoc(i, Source(ch_cfg.path, text.replace("\r\n", "\n")), [], [])
                rc = RenderedChapter(doc, entry["title"], entry["xhtml"], tuple(entry["images"]))
                res.warnings.extend(entry["resource_warnings"])
                warnings.extend(entry["source_warnings"])
            else:
                src, blocks = parsed
                doc = typeset_chapter(chapter_doc(i, src, blocks, hidden_classes(cfg), self.headings[i]),
                                      cfg.typography)
                seen = len(res.warnings)
                calls: list[list[str]] = []  # the URL resolutions it makes: (url, kind, result)
                xhtml = chapter_fragment(doc, _recording(res.resolver(doc.path, src.text), calls), cfg.openings,
                                         cfg.scene_break, cfg.scene_openings)
                images = tuple(dict.fromkeys(out for _, kind, out in calls if kind == "image" and out))
                rc = RenderedChapter(doc, chapter_heading_text(doc, plain(plain_text(doc.title))), xhtml, images)
                warnings.extend(src.warnings)
                doc.blocks, doc.title = [], []  # rendered: the AST is not kept (memory)
                if cache is not None:
                    cache.write_json("chapter", self.keys[i], {
                        "title": rc.title, "xhtml": rc.xhtml, "images": list(rc.images), "resolved": calls,
                        "resource_warnings": res.warnings[seen:], "source_warnings": src.warnings})
            chapters.append(rc)
            if step:
                step(len(chapters), len(cfg.chapters))
        book = Book(cfg, [rc.chapter for rc in chapters], warnings)
        matter = render_matter(cfg, res)
        from .render.frontmatter import part_pages, volume_pages

        volumes = volume_pages(cfg, [m for m in matter if m.place == "volume"])
        return Rendered(book, chapters, res, warnings + res.warnings, [m for m in matter if m.place != "volume"],
                        part_pages(cfg), volumes)


def render_matter(cfg: config_mod.BookConfig, res: Resources) -> list:
    """The front and back matter book.yaml names (config/matter.py), read by one Pandoc
    process, typeset and rendered like a chapter; none: no Pandoc at all."""
    every = cfg.matter + tuple(m for v in cfg.volumes for m in v.matter)  # a volume's own: place "volume"
    if not every:
        return []
    import os

    from .config.matter import KINDS
    from .model.chars import plain
    from .model.document import ChapterDoc, hidden_classes, plain_text
    from .read.pandoc import parse_texts
    from .read.source import text_source
    from .render import RenderedMatter
    from .render.xhtml import matter_fragment
    from .transforms.typeset import typeset_chapter

    sources = [text_source(m.path, m.markdown) for m in every]
    hidden = hidden_classes(cfg)
    out = []
    for m, src, blocks in zip(every, sources, parse_texts(sources, cfg.root)):
        kind = KINDS[m.kind]
        blocks = [b for b in blocks if not (b["t"] == "Div" and hidden & set(b["c"][0][1]))]
        if not blocks and not m.image:  # all of it left out (imported notes that book.yaml hides)
            continue
        heading = [{"t": "Str", "c": m.heading}] if m.heading else []
        if blocks and blocks[0]["t"] == "Header" and blocks[0]["c"][0] == 1:  # the file's own heading
            heading = heading if m.title else blocks[0]["c"][2]
            blocks = blocks[1:]
        doc = typeset_chapter(ChapterDoc(0, src, blocks, heading), cfg.typography)
        calls: list[list[str]] = []
        resolve = _recording(res.resolver(src.path, src.text), calls)
        image = (_recording(res.resolver(cfg.source), calls)(os.path.relpath(m.image, cfg.source.parent), "image")
                 if m.image else "")
        alt = m.image_alt or (f"{cfg.author}" if m.kind == "about_author" else "")
        xhtml = matter_fragment(m.ident, m.css_class, m.label, kind.role, doc.title if heading else None,
                                doc, resolve, image, alt)
        title = plain(plain_text(doc.title)) if heading else m.label
        images = tuple(dict.fromkeys(out for _, kind, out in calls if kind == "image" and out))
        out.append(RenderedMatter(m.kind, m.ident, title, xhtml, images, "volume" if m.volume else kind.place,
                                  kind.epub_type))
    return out


def _recording(resolve: Callable[[str, str], str], calls: list[list[str]]) -> Callable[[str, str], str]:
    def recording(url: str, kind: str) -> str:
        out = resolve(url, kind)
        calls.append([url, kind, out])
        return out

    return recording


def _parse(cfg: config_mod.BookConfig, indices: list[int], raws: list[bytes], whole: bool = False) -> Parse | None:
    """The given chapters (``raws``: every chapter's bytes) through Pandoc (started now);
    None when there are none."""
    if not indices:
        return None
    return Parse(dataclasses.replace(cfg, chapters=tuple(cfg.chapters[i] for i in indices)), whole,
                 [raws[i] for i in indices])


def _clean(entry: dict) -> bool:
    """A cached chapter's XHTML is checked like a fresh one is made: only what the renderer
    writes, with only the URLs its chapter resolves to (``_replay`` has just made them again)."""
    from .render.sanitize import is_rendered_clean

    return is_rendered_clean(entry["xhtml"], {out for _, _, out in entry["resolved"] if out})


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
