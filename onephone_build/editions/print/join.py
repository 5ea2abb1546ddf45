"""Joining the laid-out parts of the print edition into one PDF (pikepdf).

The front matter is the base document (its metadata, its outline entries). Each
chapter's pages follow, after a blank verso where the book needs one; on every chapter
page but the opening one, its running head and folio from the furniture sheets
(``furniture.py``) are laid over it. The named
destinations (link targets) and outline entries of every part are carried over with
their pages, so the contents' links, the footnote links and the bookmarks point where
they do in a single pass. Each face is embedded once (``faces.py``)."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from .faces import one_copy_of_each_face, one_copy_of_each_font_file
from .furniture import Sheet, sheet_first
from .parts import Parts, first_pages
from .profile import blank_like, finish, save_options

_POINTS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}


def _points(length: str) -> float:
    return float(length[:-2]) * _POINTS[length[-2:]]


def _page_index(src: Pdf) -> dict[tuple[int, int], int]:
    return {p.obj.objgen: i for i, p in enumerate(src.pages)}


def _dests(src: Pdf) -> list[tuple[str, Array]]:
    names = src.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    return [(str(k), v) for k, v in pikepdf.NameTree(names.Dests).items()]


def _remap(dest, index: dict, out: Pdf, offset: int) -> Array | None:
    """A destination array of a part, pointing at the same place in the joined book."""
    if not isinstance(dest, Array) or len(dest) == 0:
        return None
    page = index.get(dest[0].objgen)
    if page is None:
        return None
    return Array([out.pages[offset + page].obj, *list(dest)[1:]])


def _copy_outline(items, index, out: Pdf, offset: int) -> list[pikepdf.OutlineItem]:
    copied = []
    for item in items:
        dest = _remap(item.destination, index, out, offset)
        new = pikepdf.OutlineItem(item.title, dest)
        new.children.extend(_copy_outline(item.children, index, out, offset))
        copied.append(new)
    return copied


def _overlay(page: pikepdf.Page, formx, number: int) -> None:
    """``page.add_overlay(formx)`` under a resource name made of the page number (pages may
    share a resource dictionary): add_overlay picks a random name, and two builds would
    differ where SOURCE_DATE_EPOCH promises identical bytes."""
    name = page.add_resource(formx, Name.XObject, Name(f"/OpbFurniture{number}"))
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n" + page.calc_form_xobject_placement(
        formx, name, pikepdf.Rectangle(page.trimbox), allow_shrink=True, allow_expand=True))
    page.contents_coalesce()


def _blank_verso(out: Pdf, size: tuple[float, float], profile) -> None:
    """A blank verso: the trim's size, or under a print profile the boxes of the front
    matter's first verso (with bleed, the page is larger on its outside edge)."""
    if profile is None:
        out.add_blank_page(page_size=size)
    else:
        blank_like(out, out.pages[1])


def join(parts: Parts, trim: tuple[str, str], faces: list[Path], profile=None) -> bytes:
    """The parts as one book; ``faces``: the font files the book is set in; ``profile``: a
    print-on-demand service's (config/print_profiles.py), or None."""
    size = (_points(trim[0]), _points(trim[1]))
    out = Pdf.open(io.BytesIO(parts.front))
    dests = dict(_dests(out))
    outline: list[pikepdf.OutlineItem] = []
    with out.open_outline() as o:
        outline.extend(o.root)
    sources = []
    nested = parts.nested or [0] * len(parts.chapters)
    for data, pages, depth in zip(parts.chapters, parts.chapter_pages, nested):
        src = Pdf.open(io.BytesIO(data))
        sources.append(src)
        if len(out.pages) % 2 == 1:
            _blank_verso(out, size, profile)  # the chapter opens on a recto
        offset = len(out.pages)
        with warnings.catch_warnings():
            # named destinations are carried over by hand just below (_dests/_remap)
            warnings.filterwarnings("ignore", message="Copying pages from another Pdf")
            out.pages.extend(src.pages)
        index = _page_index(src)
        for name, dest in _dests(src):
            new = _remap(dest, index, out, offset)
            if new is not None:
                dests[name] = new  # the chapter's anchor wins over the front matter's placeholder
        with src.open_outline() as so:
            items = _copy_outline(so.root, index, out, offset)
        parent = outline
        for _ in range(depth):  # a chapter of a part, of a volume: under their bookmarks, as in one pass
            if not parent:
                break
            parent = parent[-1].children
        parent.extend(items)

    sheets = {key: Sheet(data, key[1]) for key, data in parts.sheets.items()}
    bare = parts.bare or [False] * len(parts.chapter_pages)
    heads = parts.heads or [0] * len(parts.chapter_pages)
    for start, n, no_furniture, head in zip(first_pages(parts.front_pages, parts.chapter_pages), parts.chapter_pages,
                                            bare, heads):
        if no_furniture:  # a part's or a volume's title page
            continue
        for number in range(start + 1, start + n):  # the opening page carries no furniture
            furniture = sheets[head, sheet_first(number)].form(number)
            _overlay(out.pages[number - 1], out.copy_foreign(furniture), number)
    if profile is None or not profile.full_fonts:
        one_copy_of_each_face(out, faces)
    else:  # merging would subset the whole faces KDP asks for: one copy of each whole face
        one_copy_of_each_font_file(out)

    names = out.Root.get("/Names")
    if names is None:
        out.Root.Names = names = Dictionary()
    flat = Array()
    for name in sorted(dests):
        flat.extend([String(name), dests[name]])
    names.Dests = out.make_indirect(Dictionary(Names=flat))
    with out.open_outline() as o:
        o.root[:] = outline
    if profile is not None:
        finish(out, profile)

    buf = io.BytesIO()
    options = {"object_stream_mode": pikepdf.ObjectStreamMode.generate}
    options |= save_options(profile) if profile is not None else {}
    out.save(buf, deterministic_id=True, **options)
    for src in sources:
        src.close()
    for sheet in sheets.values():
        sheet.close()
    return buf.getvalue()
