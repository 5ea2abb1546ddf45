"""``import``: what an author arrives with, as a manuscript directory.

One reader per source (AO3's HTML download or saved work page, AO3's plain text, an
EPUB, a Project Gutenberg text, a Word document), each filling an ``ImportedBook``
(``model``) that ``write_manuscript`` writes. ``import_export`` picks the reader by the
file's content first and its extension second."""

from __future__ import annotations

from pathlib import Path

from ...console import plural
from ...errors import BookError
from .model import ImportedBook, write_manuscript

MAX_SOURCE_BYTES = 64 << 20

__all__ = ["ImportedBook", "import_export", "read_source", "summary"]


def read_source(path: Path) -> ImportedBook:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise BookError(f"larger than {MAX_SOURCE_BYTES >> 20} MiB: not a book we can import", path)
        data = path.read_bytes()
    except OSError as e:
        raise BookError(f"cannot read it: {e.strerror}", path) from None
    try:
        return _read(data, path)
    except BookError as e:
        if e.path is None:  # the readers' errors name no file: this one
            raise BookError(e.message, path, e.line, e.col) from None
        raise


def _read(data: bytes, path: Path) -> ImportedBook:
    suffix = path.suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/epub+zip" in data[:100] or suffix == ".epub":
            from . import epub

            return epub.read(data, path)
        if suffix in (".docx", ".docm", ".dotx") or b"word/" in data[:4096]:
            from . import docx

            return docx.read(data, path)
        raise BookError("a zip archive that is neither an EPUB nor a Word document", path)
    if suffix in (".epub", ".docx"):
        raise BookError(f"not a {suffix[1:].upper()} file (it is not a zip archive)", path)
    if suffix == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BookError("an old Word .doc file: save it as .docx (Word, LibreOffice or Google Docs)", path)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html", b"<?xml")):
        from . import ao3_html

        return ao3_html.read(data)
    from .encoding import decode_text

    text, encoding = decode_text(data, path)
    from ...config import unify_line_breaks

    text = unify_line_breaks(text)  # before the Gutenberg test, whose patterns work on lines
    from . import gutenberg

    if gutenberg.is_gutenberg(text):
        book = gutenberg.read(text)
    else:
        from . import ao3_text

        book = ao3_text.read(text)
    book.encoding = encoding
    return book


def import_export(source: Path, out: Path) -> ImportedBook:
    book = read_source(source)
    if not any(scene for ch in book.chapters for scene in ch.scenes):
        raise BookError("no text found in the export", source)
    write_manuscript(book, out)
    return book


def summary(book: ImportedBook) -> list[str]:
    """The import summary: one line for the book, one a chapter, what was kept and dropped."""
    words = sum(ch.words() for ch in book.chapters)
    scenes = sum(ch.breaks + 1 for ch in book.chapters)
    enc = f", read as {book.encoding}" if book.encoding else ""
    lines = [f"imported {book.kind} '{book.title}' by {book.author}{enc}: {plural(len(book.chapters), 'chapter')}, "
             f"{plural(scenes, 'scene')}, {plural(words, 'word')}"]
    for n, ch in enumerate(book.chapters, 1):
        spacing = f", {ch.spacing} empty paragraphs read as spacing" if ch.spacing else ""
        lines.append(f"  {n:>3}. {ch.title}: {ch.breaks} scene breaks{spacing}, {ch.words()} words")
    kept = [k for k, v in (("description", book.description), ("language", book.language),
                           ("rights", book.rights), ("series", book.series)) if v]
    kept += [f"{len(v)} {k}" for k, v in book.subjects.items() if v]
    notes = len(book.notes) + len(book.end_notes) + sum(len(c.notes) + len(c.end_notes) for c in book.chapters)
    summaries = sum(1 for c in book.chapters if c.summary)
    if notes:
        kept.append(f"{notes} paragraphs of author's notes (author_notes: hide)")
    if summaries:
        kept.append(f"{summaries} chapter summaries (chapter_summaries: hide)")
    if book.images:
        kept.append(f"{len(book.images)} images")
    if kept:
        lines.append("kept as metadata: " + ", ".join(kept))
    if book.dropped:
        lines.append("dropped: " + "; ".join(book.dropped))
    return lines
