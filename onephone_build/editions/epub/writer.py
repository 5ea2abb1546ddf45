"""EPUB 3 (with NCX for older readers) through ebooklib, packed reproducibly."""

from __future__ import annotations

import io
import zipfile
from html import escape

from ebooklib import epub

from ...output import build_time
from ...read.images import image_bytes
from ...read.resources import IMAGE_TYPES
from ...render import Rendered, RenderedChapter, RenderedMatter, nest
from ...render.frontmatter import copyright_lines, page_source_name, series_line
from ...render.pagebreaks import epub_marker, mark_pages, page_list
from ..assets import font_file, stylesheet
from ..cover import make_cover
from . import a11y, alsoby, stores

XHTML = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang="{lang}" xml:lang="{lang}">
<head>
<meta charset="utf-8"/>
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="styles/epub.css"/>
</head>
<body{body_attrs}>
{body}
</body>
</html>
"""

def _page(lang: str, title: str, body: str, body_attrs: str = "") -> bytes:
    return XHTML.format(lang=escape(lang), title=escape(title), body=body, body_attrs=body_attrs).encode()


# DPUB-ARIA roles of the shared XHTML -> the EPUB structural semantics that say the same
_ROLE_TYPES = {"doc-noteref": "noteref", "doc-footnote": "footnote", "doc-dedication": "dedication", "doc-part": "part",
               "doc-epigraph": "epigraph", "doc-foreword": "foreword", "doc-preface": "preface",
               "doc-acknowledgments": "acknowledgments"}


def _epub_types(xhtml: str) -> str:
    """The shared XHTML with the EPUB's structural semantics: notes become pop-up footnotes,
    a dedication or an epigraph is one (reading systems look for ``epub:type``, not the ARIA role)."""
    for role, kind in _ROLE_TYPES.items():
        if f' role="{role}"' in xhtml:
            xhtml = xhtml.replace(f' role="{role}"', f' epub:type="{kind}" role="{role}"')
    return xhtml


def _item(uid: str, name: str, content: bytes, media_type: str = "application/xhtml+xml") -> epub.EpubItem:
    return epub.EpubItem(uid=uid, file_name=name, media_type=media_type, content=content)


def cover_image(cfg, cache=None) -> tuple[bytes, str]:
    """The cover's bytes and name in the book: the manuscript's image, or one made from the
    title page's text (kept in ``cache``, under a key of that text and the faces)."""
    if cfg.cover:
        return cfg.cover.read_bytes(), "images/cover" + cfg.cover.suffix.lower()
    from ...cache import digest, file_digest

    key = None
    if cache is not None:
        key = cache.key("cover", cfg.title, cfg.author, cfg.subtitle, *cfg.fallback_fonts,
                        *(file_digest(font_file(s)) for s in ("regular", "italic")))
        data, meta = cache.read_bytes("cover", key, ".png"), cache.read_json("cover", key)
        if data is not None and meta is not None and meta.get("sha256") == digest(data):
            return data, "images/cover.png"
    data = make_cover(cfg.title, cfg.author, cfg.subtitle, cfg.fallback_fonts, cfg.source)
    if key:
        cache.write_bytes("cover", key, data, ".png")
        cache.write_json("cover", key, {"sha256": digest(data)})
    return data, "images/cover.png"


def add_series(book: epub.EpubBook, name: str, number: str) -> None:
    """The series, as EPUB 3 collection metadata and as calibre's meta (which most readers use)."""
    book.add_metadata(None, "meta", name, {"property": "belongs-to-collection", "id": "series"})
    book.add_metadata(None, "meta", "series", {"property": "collection-type", "refines": "#series"})
    if number:
        book.add_metadata(None, "meta", number, {"property": "group-position", "refines": "#series"})
    book.add_metadata(None, "meta", "", {"name": "calibre:series", "content": name})
    if number:
        book.add_metadata(None, "meta", "", {"name": "calibre:series_index", "content": number})


def write(r: Rendered, job) -> bytes:
    data = build_epub(r, job.cover() if job.cover else None, job.edition.stylesheet, job.edition.store)
    stores.check_size(data, job.edition)
    return data


def build_epub(r: Rendered, cover: tuple[bytes, str] | None = None, css_name: str = "epub.css",
               store: str = "generic") -> bytes:
    """The EPUB; ``cover`` is ``cover_image()``'s result when it was made beforehand;
    ``css_name``: the edition's stylesheet in styles/; ``store``: whose edition (stores.py)."""
    cfg = r.config
    lang = cfg.text_language  # "en" is written en-US: the lang that picks hyphenation patterns
    when = build_time()
    book = epub.EpubBook()
    book.set_identifier(cfg.identifier)
    book.set_title(cfg.title)
    book.set_language(lang)
    book.add_author(cfg.author)
    for key, value in (("description", cfg.description), ("rights", cfg.rights),
                       ("publisher", cfg.publisher), ("date", cfg.date)):
        if value:
            book.add_metadata("DC", key, value)
    for _, subject in cfg.subjects:
        book.add_metadata("DC", "subject", subject)
    if r.print_pages:  # the page-list's pages are the print edition's (EPUB 3.3, EPUB Accessibility 1.1)
        book.add_metadata("DC", "source", page_source_name(cfg), {"id": "page-source"})
        book.add_metadata(None, "meta", "pagination", {"property": "source-of", "refines": "#page-source"})
        book.add_metadata(None, "meta", page_source_name(cfg), {"property": "pageBreakSource"})
    if cfg.series:
        add_series(book, cfg.series, cfg.series_number)
    book.add_metadata(None, "meta", a11y.CONFORMS_TO, {"property": "dcterms:conformsTo", "id": "conformance"})
    for prop, value in a11y.metadata(r):
        book.add_metadata(None, "meta", value, {"property": prop, **(
            {"refines": "#conformance"} if prop == "a11y:certifiedBy" else {})})

    css = _item("css", "styles/epub.css", stylesheet(css_name).read_bytes(), "text/css")
    book.add_item(css)

    # cover: a real image (given or generated), on a linear page of its own
    cover_bytes, cover_name = cover or cover_image(cfg)
    book.set_cover(cover_name, cover_bytes, create_page=False)
    cover_page = _item("cover-page", "cover.xhtml", _page(
        lang, cfg.title,
        f'<section class="cover" epub:type="cover">'
        f'<img role="doc-cover" src="{cover_name}" alt="Cover: {escape(cfg.title)} by {escape(cfg.author)}"/></section>'))
    book.add_item(cover_page)

    title_page = _item("titlepage", "titlepage.xhtml", _page(lang, cfg.title, (
        '<section class="titlepage" epub:type="titlepage">'
        f'<h1 class="book-title">{escape(cfg.title)}</h1>'
        + (f'<p class="subtitle">{escape(cfg.subtitle)}</p>' if cfg.subtitle else "")
        + f'<p class="author">{escape(cfg.author)}</p>'
        + (f'<p class="series">{escape(series_line(cfg))}</p>' if cfg.series else "") + "</section>")))
    book.add_item(title_page)

    def marked(ident: str, xhtml: str) -> str:
        """The print edition's page breaks in a page of the body (chapter, part, back matter)."""
        return mark_pages(xhtml, r.print_pages.get(ident, []), epub_marker) if r.print_pages else xhtml

    matter = {}  # place -> [(item, rendered matter)]
    for m in r.matter:
        item = _item(f"matter-{m.id}", f"{m.id}.xhtml", _page(lang, m.title, _epub_types(marked(m.id, m.xhtml)),
                                                            f' epub:type="{m.place}matter"'))
        book.add_item(item)
        matter.setdefault(m.place, []).append((item, m))
    front = matter.get("front", [])
    before_toc = [(i, m) for i, m in front if m.kind in ("dedication", "epigraph")]
    after_toc = [(i, m) for i, m in front if m.kind not in ("dedication", "epigraph")]
    back = matter.get("back", [])

    body = []  # (item, unit) in reading order: volumes, their dedications, parts, chapters
    for unit in r.reading_order():
        uid = f"matter-{unit.id}" if isinstance(unit, RenderedMatter) else unit.id  # as the book's matter
        item = _item(uid, f"{unit.id}.xhtml",
                     _page(lang, unit.title, _epub_types(marked(unit.id, unit.xhtml)), ' epub:type="bodymatter"'))
        book.add_item(item)
        body.append((item, unit))
    chapters = [(item, u) for item, u in body if isinstance(u, RenderedChapter)]

    colophon = _item("copyright", "copyright.xhtml", _page(lang, "Copyright", (
        '<section class="copyright" epub:type="copyright-page" aria-label="Copyright">'
        + "".join(f"<p>{escape(line)}</p>" for line in copyright_lines(cfg, when)) + "</section>")))
    book.add_item(colophon)
    also = alsoby.body(cfg, store)
    also_page = _item("also-by", "also-by.xhtml", _page(lang, "Also by", also)) if also else None
    if also_page:
        book.add_item(also_page)

    for src, name in r.resources.images.items():
        book.add_item(_item(f"img-{name.split('/')[-1].split('.')[0]}", name, image_bytes(src),
                            IMAGE_TYPES[src.suffix.lower()]))

    items = {id(u): item for item, u in body}

    def toc_entry(unit, children):
        """A unit of the body in the contents; a volume or a part: a section over its own
        (never an empty one: ebooklib writes an invalid navMap for that)."""
        if not children:
            return epub.Link(items[id(unit)].file_name, unit.title, items[id(unit)].id)
        return (epub.Section(unit.title, items[id(unit)].file_name), [toc_entry(*c) for c in children])

    # a volume's own dedication and epigraph are no more in the contents than the book's
    body_toc = [toc_entry(*node) for node in nest([(u, d) for u, d in r.levels() if not isinstance(u, RenderedMatter)])]
    book.toc = ([epub.Link(i.file_name, m.title, i.id) for i, m in after_toc] + body_toc
                + [epub.Link(i.file_name, m.title, i.id) for i, m in back])
    book.guide = [
        {"type": "cover", "href": "cover.xhtml", "title": "Cover"},
        {"type": "toc", "href": "nav.xhtml", "title": "Contents"},
        {"type": "text", "href": f"{chapters[0][0].file_name}", "title": "Begin reading"},
    ]
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title="Contents")  # its page heading and title, not the book's title again
    nav.add_link(href="styles/epub.css", rel="stylesheet", type="text/css")
    book.add_item(nav)
    book.spine = ([cover_page, title_page] + [i for i, _ in before_toc] + [nav] + [i for i, _ in after_toc]
                  + [item for item, _ in body]
                  + [i for i, _ in back] + [colophon]
                  + ([also_page] if also_page else []))
    landmarks = [(m.epub_type, i.file_name, m.title) for i, m in front + back]

    buf = io.BytesIO()
    # compresslevel 0: repack() compresses, once
    # epub3_pages off: ebooklib's page-list takes every element with an epub:type and an
    # id for a page (a footnote too); the page-list is written below, from the print pages
    epub.write_epub(buf, book, {"mtime": when.replace(tzinfo=None), "play_order": {"enabled": False},
                                "compresslevel": 0, "epub3_pages": False})
    files = {m.id: f"{m.id}.xhtml" for m in r.matter} | {u.id: item.file_name for item, u in body}
    pages = page_list(r.print_pages, files) if r.print_pages else []

    def adapt(name: str, data: bytes) -> bytes:
        return stores.adapt(name, _nav_fixes(data, landmarks, pages) if name == "EPUB/nav.xhtml" else data, store, lang)

    return repack(buf.getvalue(), when, adapt)


def _nav_fixes(data: bytes, landmarks: list[tuple[str, str, str]] = (), pages: list[tuple[int, str]] = ()) -> bytes:
    """The landmarks are for the reading system, not a page a reader turns (they showed as
    a "Guide" list in the reading order): hidden, as EPUB 3 allows for nav elements. The
    front and back matter (``landmarks``: (epub:type, file, title)) join them. The
    page-list of the print edition's ``pages`` (number, link) is hidden too, after them."""
    data = data.replace(b'<nav epub:type="landmarks">', b'<nav epub:type="landmarks" hidden="">')
    if landmarks:
        extra = "".join(f'<li><a epub:type="{kind}" href="{escape(href)}">{escape(title)}</a></li>'
                        for kind, href, title in landmarks).encode()
        start = data.find(b'<nav epub:type="landmarks"')
        end = data.find(b"</ol>", start)
        if start >= 0 and end >= 0:
            data = data[:end] + extra + data[end:]
    if not pages:
        return data
    items = "".join(f'<li><a href="{href}">{number}</a></li>' for number, href in pages)
    page_nav = f'<nav epub:type="page-list" hidden=""><h2>Pages</h2><ol>{items}</ol></nav>'
    end = data.rindex(b"</body>")
    return data[:end] + page_nav.encode() + b"\n" + data[end:]


_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp")  # stored: deflating them again gains nothing


def repack(data: bytes, when, adapt=lambda name, data: data) -> bytes:
    """The same EPUB with fixed timestamps and a fixed order: ``mimetype`` first and stored,
    the rest sorted (images stored, the rest deflated), each file as ``adapt(name, bytes)``
    returns it; so SOURCE_DATE_EPOCH gives byte-identical files."""
    stamp = (max(when.year, 1980),) + tuple(when.timetuple()[1:6])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        names = sorted(n for n in src.namelist() if n != "mimetype")
        for name in ["mimetype"] + names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            stored = name == "mimetype" or name.lower().endswith(_COMPRESSED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            z.writestr(info, adapt(name, src.read(name)), compresslevel=None if stored else 9)
    return out.getvalue()
