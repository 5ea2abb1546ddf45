"""The typeset model rendered once, as XHTML fragments every edition shares: a chapter's
``<section>`` (``xhtml``), raw HTML made safe (``sanitize``), the front matter's words
(``frontmatter``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.document import Book, ChapterDoc
    from ..read.resources import Resources


@dataclass
class RenderedChapter:
    chapter: "ChapterDoc"
    title: str  # plain text, for navigation and running heads
    xhtml: str  # the <section> fragment
    images: tuple[str, ...] = ()  # names (as in Resources.images) of the images it shows

    @property
    def id(self) -> str:
        return self.chapter.id


@dataclass
class RenderedMatter:
    """A page of front or back matter (config/matter.py): a dedication, an epigraph..."""

    kind: str  # a key of config.matter.KINDS
    id: str  # its element id and file name ("dedication", "about-author")
    title: str  # plain text, for navigation
    xhtml: str  # the <section> fragment
    images: tuple[str, ...] = ()
    place: str = "front"  # "front" or "back"; "volume": a volume's own (in the body, not in ``matter``)
    epub_type: str = ""  # the EPUB landmark's type


@dataclass
class RenderedPart:
    """A part's title page (book.yaml's ``parts:``), before its first chapter."""

    id: str  # "part-01"
    title: str  # plain text, for navigation ("Part One: Departure")
    xhtml: str  # the <section> fragment
    first: int  # the index of its first chapter
    images: tuple[str, ...] = ()


@dataclass
class RenderedVolume(RenderedPart):
    """A volume's title page (book.yaml's ``volumes:``, a box set): a part's page one level
    up, followed by the volume's own dedication and epigraph."""

    matter: list[RenderedMatter] = field(default_factory=list)  # in reading order, after its title page


@dataclass
class Rendered:
    book: "Book"
    chapters: list[RenderedChapter]
    resources: "Resources"
    warnings: list[str] = field(default_factory=list)
    matter: list[RenderedMatter] = field(default_factory=list)  # in reading order
    parts: list[RenderedPart] = field(default_factory=list)
    volumes: list[RenderedVolume] = field(default_factory=list)
    # Set by the print edition the screen editions take their page numbers from
    # (config/editions.py: page_source), when this build lays it out before them: for each
    # page, (page number, letters of the chapter's text before that page's first word).
    print_pages: dict[str, list[tuple[int, int]]] | None = None  # by the id of the chapter (or part, matter)

    def reading_order(self) -> list:
        """The body in reading order: each volume's title page and its own dedication and
        epigraph, each part's title page, then its chapters."""
        return [unit for unit, _ in self.levels()]

    def levels(self) -> list[tuple[object, int]]:
        """The body in reading order, each unit with its depth in the contents: a volume 0;
        a part 0, or 1 in a volume; a chapter (and a volume's own dedication) under them."""
        volumes = {v.first: v for v in self.volumes}
        parts = {p.first: p for p in self.parts}
        out: list[tuple[object, int]] = []
        in_volume = in_part = False
        for i, rc in enumerate(self.chapters):
            if i in volumes:
                in_volume, in_part = True, False
                out += [(volumes[i], 0)] + [(m, 1) for m in volumes[i].matter]
            if i in parts:
                in_part = True
                out.append((parts[i], int(in_volume)))
            out.append((rc, int(in_volume) + int(in_part)))
        return out

    def part_of(self, index: int):
        """The part the chapter ``index`` belongs to, or None (a volume's chapters are in
        no part of the volume before)."""
        volume = self.volume_of(index)
        return next((p for p in reversed(self.parts)
                     if p.first <= index and (volume is None or p.first >= volume.first)), None)

    def volume_of(self, index: int):
        """The volume the chapter ``index`` belongs to, or None."""
        return next((v for v in reversed(self.volumes) if v.first <= index), None)

    def matter_of(self, place: str) -> list[RenderedMatter]:
        return [m for m in self.matter if m.place == place]

    @property
    def config(self):
        return self.book.config


def volume_matter(unit) -> bool:
    """Whether ``unit`` is a volume's own dedication or epigraph (a box set's, in its body)."""
    return isinstance(unit, RenderedMatter) and unit.place == "volume"


def nest(items: list[tuple[object, int]]) -> list[tuple[object, list]]:
    """Units with their depths (``Rendered.levels``) as a tree: (unit, its children) each."""
    root: list[tuple[object, list]] = []
    stack: list[tuple[int, list]] = [(-1, root)]
    for unit, depth in items:
        while stack[-1][0] >= depth:
            stack.pop()
        node: tuple[object, list] = (unit, [])
        stack[-1][1].append(node)
        stack.append((depth, node[1]))
    return root
