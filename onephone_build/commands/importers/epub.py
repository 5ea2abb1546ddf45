"""EPUB (AO3, FanFicFare, calibre, any EPUB 2 or 3): the OPF's metadata, the spine's
order, chapter titles from the nav document or the NCX, images kept as manuscript files.
Pages a tool generated (cover, title page, contents, AO3's preface and afterword) become
metadata, not chapters. AO3's EPUBs are its HTML download split into files: they are
joined again and read by ``ao3_html``, notes and all."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import BookError
from . import ao3_html
from .archive import Archive, join
from .html import Converter, classes, text
from .model import ImportedBook, add_image, spelled
from .scenes import assemble

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "c": "urn:oasis:names:tc:opendocument:xmlns:container", "ncx": "http://www.daisy.org/z3986/2005/ncx/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
_GENERATED = re.compile(r"(?:^|[/_-])(?:cover|title[-_]?page|titlepage|title|toc|nav|contents|log[-_]?page|"
                        r"info|copyright|colophon|jacket)(?:[-_]?page)?\d*\.x?html?$", re.I)
_GENERATED_TYPES = {"cover", "titlepage", "toc", "copyright-page", "colophon", "frontmatter"}
_HEADINGS = ("h1", "h2", "h3")


def _xml(data: bytes, what: str, path: Path):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise BookError(f"the EPUB's {what} is not well-formed XML: {e}", path) from None


def read(data: bytes, path: Path) -> ImportedBook:
    zf = Archive(data, path, "EPUB")
    container = _xml(zf.read("META-INF/container.xml"), "container.xml", path)
    root = container.find(".//c:rootfile", NS)
    opf_name = root.get("full-path") if root is not None else None
    if not opf_name or not zf.has(opf_name):
        raise BookError("the EPUB's container.xml names no package document that it holds", path)
    opf = _xml(zf.read(opf_name), "package document", path)
    manifest = {}
    for item in opf.iterfind(".//opf:manifest/opf:item", NS):
        name = join(opf_name, item.get("href") or "")
        if name:
            manifest[item.get("id")] = (name, item.get("media-type", ""), item.get("properties", ""))
    spine = [manifest[ref.get("idref")][0] for ref in opf.iterfind(".//opf:spine/opf:itemref", NS)
             if ref.get("idref") in manifest and ref.get("linear", "yes") != "no"
             and "html" in manifest[ref.get("idref")][1]]
    book = ImportedBook("", [], [], kind="EPUB")
    _metadata(opf, book)
    titles = _toc_titles(zf, opf, manifest, path)
    images = _Images(zf, book)
    docs = [(name, _html(zf, name)) for name in spine if zf.has(name)]
    if any(_is_ao3(doc) for _, doc in docs):
        book.kind = "AO3 EPUB"
        return _ao3(docs, book, images)
    for name, doc in docs:
        _chapter(name, doc, titles.get(name), book, images)
    if not book.chapters:
        raise BookError("no chapters in the EPUB's spine (only generated pages)", path)
    return book


def _html(zf: Archive, name: str):
    from .html import parse

    return parse(zf.read(name), name)


def _metadata(opf, book: ImportedBook) -> None:
    md = opf.find("opf:metadata", NS)
    if md is None:
        return

    def dc(tag: str) -> list[str]:
        return [re.sub(r"\s+", " ", "".join(e.itertext())).strip() for e in md.iterfind(f"dc:{tag}", NS)]

    book.title = next(iter(dc("title")), "")
    book.authors = [a for a in dc("creator") if a]
    book.language = next(iter(dc("language")), "")
    description = next(iter(dc("description")), "")
    if "<" in description:  # calibre and FanFicFare put HTML in it
        from lxml import html as lhtml

        box = lhtml.fragment_fromstring(description, create_parent="div")
        description = "\n\n".join(t for t in (text(p) for p in box.iter("p")) if t) or text(box)
    book.description = description.strip()
    subjects = [s for s in dc("subject") if s]
    if subjects:
        book.subjects["freeform"] = subjects
    book.rights = next(iter(dc("rights")), "")
    book.publisher = next(iter(dc("publisher")), "")
    metas = {m.get("name"): m.get("content", "") for m in md.iterfind("opf:meta", NS) if m.get("name")}
    if metas.get("calibre:series"):
        book.series = metas["calibre:series"]
        book.series_number = _number(metas.get("calibre:series_index"))
    for m in md.iterfind("opf:meta[@property='belongs-to-collection']", NS):
        if not book.series:
            book.series = (m.text or "").strip()
            pos = md.find(f"opf:meta[@refines='#{m.get('id')}'][@property='group-position']", NS)
            book.series_number = _number(pos.text if pos is not None else None)


def _number(value) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _toc_titles(zf: Archive, opf, manifest: dict, path: Path) -> dict[str, str]:
    """Member name -> its first title in the nav document (EPUB 3) or the NCX (EPUB 2)."""
    titles: dict[str, str] = {}
    nav = next((name for name, _, props in manifest.values() if "nav" in props.split()), None)
    if nav and zf.has(nav):
        doc = _html(zf, nav)
        navs = [n for n in doc.iter("nav") if "toc" in (n.get("epub:type") or n.get(f"{{{NS['epub']}}}type") or "")]
        for a in (navs[0] if navs else doc).iter("a"):
            name = join(nav, a.get("href") or "")
            if name and text(a):
                titles.setdefault(name, text(a))
        if titles:
            return titles
    spine = opf.find("opf:spine", NS)
    ncx = manifest.get(spine.get("toc")) if spine is not None else None
    ncx = ncx or next((v for v in manifest.values() if v[1] == "application/x-dtbncx+xml"), None)
    if ncx and zf.has(ncx[0]):
        tree = _xml(zf.read(ncx[0]), "NCX", path)
        for point in tree.iter(f"{{{NS['ncx']}}}navPoint"):
            label = point.find("ncx:navLabel/ncx:text", NS)
            content = point.find("ncx:content", NS)
            name = join(ncx[0], content.get("src") or "") if content is not None else None
            if name and label is not None and (label.text or "").strip():
                titles.setdefault(name, label.text.strip())
    return titles


class _Images:
    """An image of a page: kept from the EPUB as a manuscript file, or reported (never fetched)."""

    def __init__(self, zf: Archive, book: ImportedBook):
        self.zf, self.book, self.base = zf, book, ""

    def __call__(self, src: str, alt: str) -> str:
        name = join(self.base, src)
        if name and self.zf.has(name) and name.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")):
            return add_image(self.book, name, self.zf.read(name))
        self.book.drop(f"image '{src}' (not in the EPUB; never fetched)")
        return ""


def _is_ao3(doc) -> bool:
    return doc.get_element_by_id("preface", None) is not None or any(
        "tags" in classes(dl) for dl in doc.iter("dl")) and ao3_html.SITE in text(doc)


def _ao3(docs: list, book: ImportedBook, images: _Images) -> ImportedBook:
    """AO3's pages joined into one download again (image paths made absolute first)."""
    from lxml import etree

    bodies = []
    for name, doc in docs:
        for img in doc.iter("img"):
            member = join(name, img.get("src") or "")
            img.set("src", "/" + member if member else img.get("src") or "")
        body = doc.find("body")
        bodies.append("".join(etree.tostring(c, encoding="unicode") for c in (body if body is not None else [])))
    images.base = ""
    meta = ImportedBook("", [], [], kind=book.kind)  # the OPF's metadata fills what the pages lack
    joined = "<html><head><title></title></head><body>" + "".join(bodies) + "</body></html>"
    result = ao3_html.read(joined, lambda src, alt: images(src.lstrip("/"), alt), meta)
    for key in ("title", "authors", "language", "description", "series", "series_number",
                "rights", "publisher"):
        if not getattr(result, key):
            setattr(result, key, getattr(book, key))
    if not result.subjects:
        result.subjects = book.subjects
    result.images, result.dropped = book.images, book.dropped + result.dropped
    return result


def _generated(name: str, doc) -> bool:
    types = {t for el in doc.iter() if isinstance(el.tag, str)
             for t in (el.get("epub:type") or el.get(f"{{{NS['epub']}}}type") or "").split()}
    return bool(_GENERATED.search(name) or types & _GENERATED_TYPES)


def _chapter(name: str, doc, title: str | None, book: ImportedBook, images: _Images) -> None:
    body = doc.find("body")
    if body is None:
        return
    if _generated(name, doc):
        book.drop(f"generated page '{name.rsplit('/', 1)[-1]}' (its metadata is in book.yaml)")
        return
    heading = next((h for h in body.iter(*_HEADINGS) if text(h)), None)
    if heading is not None and _before_text(body, heading):
        title = title or text(heading)
        heading.drop_tree()
    images.base = name
    tokens = Converter(images).tokens(body)
    if title is None and book.chapters:  # a file of a chapter split in several (calibre's _split_)
        prev = book.chapters[-1]
        more = assemble(prev.title, tokens)
        prev.scenes[-1] += more.scenes[0]
        prev.scenes += more.scenes[1:]
        prev.spacing += more.spacing
        return
    if not any(k == "p" for k, _ in tokens):
        return
    book.chapters.append(assemble(title or spelled(len(book.chapters) + 1), tokens))


def _before_text(body, heading) -> bool:
    """The heading comes before any paragraph of text in the page."""
    for el in body.iter():
        if el is heading:
            return True
        if isinstance(el.tag, str) and el.tag == "p" and text(el):
            return False
    return False
