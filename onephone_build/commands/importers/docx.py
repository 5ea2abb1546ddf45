"""Word documents (.docx, also Google Docs and Scrivener exports) through Pandoc's docx
reader, sandboxed (``--sandbox``: it reads nothing but the document). Chapters from the
top-level headings, or from page breaks when there are none; italics and bold; a
centred or right-aligned paragraph keeps its alignment; scene breaks from centred
``*``/``#`` lines or empty paragraphs (see ``scenes``); the quotes and dashes the author
typed are left as they are. Tracked changes are rejected (the text as it was before
them) and comments dropped, each with a warning that counts them."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from ...errors import BookError
from .archive import Archive
from .html import Converter, parse, text
from .model import ImportedBook, add_image, spelled
from .scenes import assemble

PAGE_MARK = "\u2063page-break\u2063"  # put where Word has a page break, found again in Pandoc's HTML
_ALIGN_STYLES = {"center": "OnephoneAlignCenter", "right": "OnephoneAlignRight"}
_JC = re.compile(rb'<w:jc w:val="(center|right|end)"\s*/>')


def read(data: bytes, path: Path) -> ImportedBook:
    zf = Archive(data, path, "Word document")
    if not zf.has("word/document.xml"):
        raise BookError("not a Word document (no word/document.xml inside)", path)
    document = zf.read("word/document.xml")
    book = ImportedBook("", [], [], kind="Word document")
    _count_dropped(zf, document, book)
    pages = document.count(b'w:type="page"')
    html = _pandoc(_rewritten(zf, document), path)
    doc = parse(html, "the document (as Pandoc reads it)")
    _core(zf, book)
    for header in doc.iterfind(".//header"):
        header.drop_tree()
    images = lambda src, alt: _image(zf, book, src)  # noqa: E731
    _chapters(doc.find("body"), book, Converter(images), pages)
    if not book.title:
        book.title = path.stem.replace("_", " ").strip() or "Untitled"
    if not book.chapters:
        raise BookError("no text in the Word document", path)
    return book


def _core(zf: Archive, book: ImportedBook) -> None:
    """Title, author and language from docProps/core.xml (what Word's File > Properties says)."""
    if not zf.has("docProps/core.xml"):
        return
    from .epub import _xml

    core = _xml(zf.read("docProps/core.xml"), "docProps/core.xml", zf.path)
    dc = "{http://purl.org/dc/elements/1.1/}"
    found = {tag: " ".join((core.findtext(dc + tag) or "").split()) for tag in ("title", "creator", "language")}
    book.title = found["title"]
    book.authors = [a.strip() for a in re.split(r";|,", found["creator"]) if a.strip()]
    book.language = found["language"] if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", found["language"]) else ""


def _count_dropped(zf: Archive, document: bytes, book: ImportedBook) -> None:
    changes = len(re.findall(rb"<w:(?:ins|del|moveFrom|moveTo)\b", document))
    comments = len(re.findall(rb"<w:comment\b", zf.read("word/comments.xml"))) if zf.has("word/comments.xml") else 0
    if changes:
        book.warnings.append(f"{changes} tracked changes rejected: the text is as it was before them "
                             "(accept them in Word first to keep them)")
        book.drop(f"{changes} tracked changes (rejected)")
    if comments:
        book.warnings.append(f"{comments} comments dropped")
        book.drop(f"{comments} comments")


def _rewritten(zf: Archive, document: bytes) -> bytes:
    """The document with its page breaks marked, and its centred and right-aligned
    paragraphs given a style Pandoc reports (direct alignment is otherwise lost)."""
    document = re.sub(rb'<w:br\s+w:type="page"\s*/>', f"<w:t>{PAGE_MARK}</w:t>".encode(), document)

    def styled(m: re.Match) -> bytes:
        ppr = m.group(0)
        jc = _JC.search(ppr)
        if not jc or b"<w:pStyle" in ppr:
            return ppr
        style = _ALIGN_STYLES["right" if jc.group(1) == b"end" else jc.group(1).decode()]
        return ppr.replace(b"<w:pPr>", f'<w:pPr><w:pStyle w:val="{style}"/>'.encode(), 1)

    document = re.sub(rb"<w:pPr>.*?</w:pPr>", styled, document, flags=re.S)
    document = _EMPTY_P.sub(_keep_empty, document)
    styles = zf.read("word/styles.xml") if zf.has("word/styles.xml") else b""
    defined = "".join(f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{s}"><w:name w:val="{s}"/></w:style>'
                      for s in _ALIGN_STYLES.values()).encode()
    styles = styles.replace(b"</w:styles>", defined + b"</w:styles>") if b"</w:styles>" in styles else styles
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in zf.names():
            replaced = {"word/document.xml": document, "word/styles.xml": styles}
            z.writestr(name, replaced.get(name) or zf.read(name))
    return out.getvalue()


_EMPTY_P = re.compile(rb"<w:p/>|<w:p(?:\s[^>]*)?>(?:(?!</w:p>).)*?</w:p>", re.S)


def _keep_empty(m: re.Match) -> bytes:
    """An empty paragraph gets a no-break space, or Pandoc's HTML would leave it out (and
    with it the spacing or scene break it may be)."""
    p = m.group(0)
    if re.search(rb"<w:(?:t|delText|drawing|pict|object)\b", p):
        return p
    space = "<w:r><w:t>\u00a0</w:t></w:r>".encode()
    return b"<w:p>" + space + b"</w:p>" if p == b"<w:p/>" else p[:-len(b"</w:p>")] + space + b"</w:p>"


def _pandoc(data: bytes, path: Path) -> str:
    import pypandoc

    with tempfile.TemporaryDirectory(prefix="onephone-docx-") as tmp:
        src = Path(tmp) / "in.docx"
        src.write_bytes(data)
        try:
            return pypandoc.convert_file(str(src), "html5", format="docx+empty_paragraphs+styles",
                                         extra_args=["--sandbox", "--track-changes=reject", "--wrap=none"])
        except RuntimeError as e:
            first = str(e).strip().splitlines()[-1] if str(e).strip() else "unknown error"
            raise BookError(f"Pandoc cannot read the Word document: {first}", path) from None


def _image(zf: Archive, book: ImportedBook, src: str) -> str:
    name = "word/" + src if not src.startswith("word/") else src
    if zf.has(name):
        return add_image(book, name, zf.read(name))
    book.drop(f"image '{src}' (not inside the document; never fetched)")
    return ""


def _chapters(body, book: ImportedBook, conv: Converter, pages: int) -> None:
    """Split at the top-level headings (the smallest level used), else at page breaks."""
    for div in list(body.iter("div")):  # Pandoc's custom-style boxes: alignment, or nothing
        style = div.get("data-custom-style", "")
        align = next((k for k, v in _ALIGN_STYLES.items() if v == style), "")
        if align:
            for p in div.iter("p"):
                p.set("align", align)
    levels = sorted({int(h.tag[1]) for h in body.iter("h1", "h2", "h3")})
    parts: list[tuple[str | None, list]] = [(None, [])]
    top = f"h{levels[0]}" if levels else None
    for el in _flat(body):
        if top and el.tag == top:
            parts.append((text(el), []))
        elif not top and pages and PAGE_MARK in text(el):
            _strip_mark(el)
            if text(el):
                parts[-1][1].append(el)
            parts.append((None, []))
        else:
            parts[-1][1].append(el)
    for title, els in parts:
        tokens = [t for el in els for t in conv.tokens(_wrap(el))]
        if not any(k == "p" for k, _ in tokens):
            continue
        if title is None and len(parts) == 1:
            title = book.title or spelled(1)
        book.chapters.append(assemble(title or spelled(len(book.chapters) + 1), tokens))


def _flat(body):
    """The top-level blocks, looking through Pandoc's style boxes."""
    for el in body:
        if not isinstance(el.tag, str):
            continue
        if el.tag == "div" and el.get("data-custom-style") and not el.get("align") \
                and not any(p.get("align") for p in el.iter("p")):
            yield from _flat(el)
        else:
            yield el


def _strip_mark(el) -> None:
    for node in el.iter():
        if node.text and PAGE_MARK in node.text:
            node.text = node.text.replace(PAGE_MARK, "")
        if node.tail and PAGE_MARK in node.tail:
            node.tail = node.tail.replace(PAGE_MARK, "")


def _wrap(el):
    from lxml import html as lhtml

    box = lhtml.Element("div")
    box.append(el)
    return box
