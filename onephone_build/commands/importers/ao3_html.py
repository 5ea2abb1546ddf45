"""AO3's HTML: the official download (``app/views/downloads/``: ``#preface`` with
``dl.tags``, ``.meta h1`` and ``.byline``, the summary and notes as
``blockquote.userstuff``; ``#chapters``; ``#afterword`` with the end notes) and a saved
work page (``.preface.group`` with ``h2.title``, ``dl.work.meta``, ``div.summary``,
``div.notes``, ``div.chapter``, ``.end.notes``). Also the generic archive HTML export:
each innermost ``div.userstuff`` a chapter, named by the heading before it."""

from __future__ import annotations

import re

from ...errors import BookError
from .html import Converter, Image, classes, parse, text
from .model import ImportedBook, ImportedChapter, split_heading
from .scenes import assemble

SITE = "Archive of Our Own"
# dt label -> subject kind (book.yaml keeps them apart)
TAG_KINDS = {"rating": "rating", "ratings": "rating", "archive warning": "warnings",
             "archive warnings": "warnings", "category": "categories", "categories": "categories",
             "fandom": "fandoms", "fandoms": "fandoms", "relationship": "relationships",
             "relationships": "relationships", "character": "characters", "characters": "characters",
             "additional tags": "freeform", "freeform": "freeform"}
LANGUAGES = {"english": "en", "español": "es", "français": "fr", "deutsch": "de", "italiano": "it",
             "português brasileiro": "pt-BR", "português europeu": "pt-PT", "português": "pt",
             "русский": "ru", "polski": "pl", "nederlands": "nl", "suomi": "fi", "svenska": "sv",
             "norsk": "no", "dansk": "da", "čeština": "cs", "magyar": "hu", "türkçe": "tr",
             "tiếng việt": "vi", "bahasa indonesia": "id", "українська": "uk", "日本語": "ja",
             "中文-普通话 國語": "zh", "中文": "zh", "한국어": "ko", "ไทย": "th", "العربية": "ar",
             "עברית": "he", "ελληνικά": "el", "català": "ca", "română": "ro"}
_SERIES = re.compile(r"Part\s+(\d+)\s+of\s+(?:the\s+)?(.+?)(?:\s+series)?\s*(?:Next Work|→|$)", re.I)
_NOTE_KINDS = (("end", "end_notes"), ("summary", "summary"), ("note", "notes"))


def is_ao3(doc) -> bool:
    return (doc.get_element_by_id("preface", None) is not None
            or doc.find(".//dl[@class]") is not None and SITE in (text(doc.find(".//title")) or "")
            or any("userstuff" in classes(d) for d in doc.iter("div")))


def read(data: bytes | str, image: Image | None = None, book: ImportedBook | None = None) -> ImportedBook:
    doc = parse(data)
    book = book or ImportedBook("", [], [], kind="AO3 HTML")
    if image is None:  # a lone HTML file: its images are never fetched nor read from beside it
        def image(src: str, alt: str) -> str:
            book.drop(f"image '{src}' (not in the file; never fetched)")
            return ""
    conv = Converter(image)
    content = [d for d in doc.iter("div") if "userstuff" in classes(d)
               and not any("userstuff" in classes(x) for x in d.iter("div") if x is not d)]
    if not content:
        raise BookError("no <div class=\"userstuff\"> in the HTML: is this an archive export?")
    read_metadata(doc, book, conv, set(content))
    _chapters(doc, book, conv, content)
    if any(ch.title == "" for ch in book.chapters):  # pragma: no cover - split_heading names all
        raise BookError("a chapter without a title")
    return book


def read_metadata(doc, book: ImportedBook, conv: Converter, content: set = frozenset()) -> None:
    """Title, authors, tags, language, series, summary, the work's notes (preface/afterword)."""
    inside = {x for div in content for x in div.iter()}
    title_el = _title_element(doc, inside)
    if title_el is not None and not book.title:
        book.title = text(title_el)
    if not book.title:
        page = text(doc.find(".//title"))
        book.title = re.sub(r"\s*[-|]\s*.*(?:Archive of Our Own|\[Archive).*$", "", page).strip() or "Untitled"
    if not book.authors:
        book.authors = list(dict.fromkeys(text(a) for a in doc.iter("a") if a.get("rel") == "author"
                                          and a not in inside and text(a)))
    if not book.authors:
        byline = next((el for el in doc.iter() if isinstance(el.tag, str) and "byline" in classes(el)), None)
        if byline is not None:
            book.authors = [re.sub(r"^by\s+", "", text(byline), flags=re.I)]
    for dl in doc.iter("dl"):
        if classes(dl) & {"tags", "meta", "work"}:
            _tags(dl, book)
    for quote in doc.iter("blockquote"):
        if "userstuff" not in classes(quote) or _in_chapter(quote):
            continue
        kind = _note_kind(quote)
        paras = conv.paragraphs(quote)
        if kind == "summary" and not book.description:
            book.description = "\n\n".join(_plain(p) for p in paras)
        elif kind == "notes":
            book.notes += paras
        elif kind == "end_notes":
            book.end_notes += paras


def _title_element(doc, inside: set):
    preface = doc.get_element_by_id("preface", None)
    if preface is not None:
        h1 = preface.find(".//h1")
        if h1 is not None:
            return h1
    for h in doc.iter("h1", "h2", "h3"):
        if "title" in classes(h) and h not in inside and not _in_chapter(h):
            return h
    return next((h for h in doc.iter("h1") if h not in inside and SITE not in text(h)), None)


def _tags(dl, book: ImportedBook) -> None:
    dts = [el for el in dl if el.tag == "dt"]
    for dt in dts:
        dd = dt.getnext()
        while dd is not None and dd.tag != "dd":
            dd = dd.getnext()
        if dd is None:
            continue
        label = text(dt).rstrip(":").strip().lower()
        links = [text(a) for a in dd.iter("a") if text(a)]
        if label in TAG_KINDS:
            values = links or [v.strip() for v in text(dd).split(",") if v.strip()]
            tags = book.subjects.setdefault(TAG_KINDS[label], [])
            tags += [v for v in values if v not in tags]
        elif label == "language" and not book.language:
            code = dd.get("lang") or LANGUAGES.get(text(dd).lower())
            if code:
                book.language = code
            else:
                book.warnings.append(f"language '{text(dd)}' is not one we know: book.yaml says 'en'")
        elif label == "series" and not book.series:
            m = _SERIES.search(text(dd))
            if m:
                named = next((text(a) for a in dd.iter("a") if "/series/" in (a.get("href") or "")), "")
                book.series, book.series_number = named or m.group(2).strip(), int(m.group(1))


def _in_chapter(el) -> bool:
    return any(a.get("id") == "chapters" or "chapter" in classes(a) for a in el.iterancestors())


def _note_kind(quote) -> str:
    """summary, notes or end_notes, from the label before it or the class of its box."""
    label = quote.getprevious()
    words = text(label).lower() if label is not None and label.tag in ("p", "h3", "h4", "b", "strong") else ""
    words = words if len(words) < 30 else ""
    for parent in list(quote.iterancestors())[:2]:
        words += " " + " ".join(classes(parent)) + " " + (parent.get("id") or "")
    for key, kind in _NOTE_KINDS:
        if key in words:
            return kind
    return "afterword" if any(a.get("id") == "afterword" for a in quote.iterancestors()) else "notes"


def _chapters(doc, book: ImportedBook, conv: Converter, content: list) -> None:
    inside = {x for div in content for x in div.iter()}
    title_el = _title_element(doc, inside)
    starts = set(content)
    heading, pending = None, {"notes": [], "summary": []}
    last: ImportedChapter | None = None
    untitled = False
    for el in doc.iter():
        if el in starts:
            n = len(book.chapters) + 1
            number, title = split_heading(n, heading)
            ch = assemble(title, conv.tokens(el))
            ch.number = number
            untitled = untitled or heading is None
            ch.notes, ch.summary = pending["notes"], pending["summary"]
            book.chapters.append(ch)
            last, heading, pending = ch, None, {"notes": [], "summary": []}
        elif el in inside or not isinstance(el.tag, str):
            continue
        elif el.tag in ("h2", "h3") and el is not title_el and _is_chapter_heading(el):
            heading = text(el)
        elif el.tag == "blockquote" and "userstuff" in classes(el) and _in_chapter(el):
            kind = _note_kind(el)
            paras = conv.paragraphs(el)
            if kind == "end_notes" and last is not None:
                last.end_notes += paras
            elif kind in pending:
                pending[kind] += paras
    if len(book.chapters) == 1 and untitled and book.title:
        book.chapters[0].title = book.title  # a one-shot: its only chapter is the work


def _is_chapter_heading(h) -> bool:
    cls = classes(h)
    parent = h.getparent()
    if "landmark" in cls or parent is not None and classes(parent) & {"summary", "notes", "end", "endnotes"}:
        return False
    return bool(cls & {"title", "heading", "toc-heading"}) and _in_chapter(h) or "toc-heading" in cls


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\*+", "", markdown))
