"""Import an archive export (plain text or HTML) into a manuscript directory.

Both readers produce the same small structure: a title, an author (or none) and
chapters made of scenes made of paragraphs, each paragraph already Markdown
(text escaped, emphasis as ``*…*``). ``write_manuscript`` turns that into
``book.yaml`` + ``chapters/NN-slug.md``; the words are left exactly as the
export has them (the typography stage and ``lint`` take it from there).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BookError

UNKNOWN_AUTHOR = "Unknown author"
CHAPTER_MARK = "Chapter Text"
SCENE_BREAK = "* * *"
_NUMBERS = ("Zero One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen "
            "Fifteen Sixteen Seventeen Eighteen Nineteen Twenty").split()
_CHAPTER_N = re.compile(r"^\s*Chapter\s+(\d+)\s*(?:[:.\-–—]\s*(.*?))?\s*$", re.I)


@dataclass
class ImportedChapter:
    title: str
    scenes: list[list[str]] = field(default_factory=lambda: [[]])  # paragraphs as Markdown

    def add(self, paragraph: str) -> None:
        if paragraph.strip():
            self.scenes[-1].append(paragraph)

    def scene_break(self) -> None:
        if self.scenes[-1]:  # breaks at the start, or doubled, mean nothing
            self.scenes.append([])

    def finish(self) -> None:
        if len(self.scenes) > 1 and not self.scenes[-1]:
            self.scenes.pop()  # a break at the very end of a chapter


@dataclass
class ImportedBook:
    title: str
    author: str
    chapters: list[ImportedChapter]


# ---------------------------------------------------------------------------
# Markdown escaping: the export's text must come out of Pandoc exactly as it went in.

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>$^~@|{}])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(
    r"^(?:[#>+=%:-]|\d+[.)](?:\s|$)|[A-Za-z][.)]\s|[ivxlcdmIVXLCDM]+[.)]\s|\(\S+?\)\s)")


def escape_inline(text: str) -> str:
    """Text as Markdown inline content: every character that could start markup is escaped."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _ENTITY.sub(r"\\&", text)


def escape_block_start(markdown: str) -> str:
    """A paragraph that would otherwise start a heading, list, quote, rule, table or fence."""
    if _BLOCK_START.match(markdown):
        return "\\" + markdown if not markdown[0].isalnum() else _escape_after_marker(markdown)
    return markdown


def _escape_after_marker(markdown: str) -> str:
    m = re.match(r"^(\w+)([.)])", markdown)
    return f"{m.group(1)}\\{m.group(2)}{markdown[m.end():]}" if m else markdown


def paragraph(markdown: str) -> str:
    """One export line as a Markdown paragraph: no hard-break spaces, no code indent."""
    markdown = re.sub(r"\s+", lambda m: " " if "\n" in m.group() else m.group(), markdown.strip())
    return escape_block_start(markdown)


def chapter_title(number: int, heading: str | None) -> str:
    """'Chapter 3: The Call' -> 'The Call'; 'Chapter 3' or nothing -> 'Three'."""
    if heading:
        m = _CHAPTER_N.match(heading)
        if not m:
            return heading.strip()
        if m.group(2):
            return m.group(2)
    return _NUMBERS[number] if number < len(_NUMBERS) else f"Chapter {number}"


# ---------------------------------------------------------------------------
# Plain-text export: first line the title, "Chapter Text" before each chapter,
# one paragraph a line, 3 or more blank lines a scene break.


def read_text(text: str) -> ImportedBook:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        raise BookError("the export is empty")
    title = lines[nonblank[0]].strip()
    marks = [i for i, line in enumerate(lines) if line.strip() == CHAPTER_MARK]
    if not marks:  # a one-chapter export without the marker: everything after the title
        marks = [nonblank[0]]
    # a "Chapter N: Title" line just before a marker names the chapter that follows it
    starts = [m + 1 for m in marks]
    headings = [_trailing_heading(lines[(starts[i - 1] if i else nonblank[0] + 1):m])
                for i, m in enumerate(marks)]
    chapters = []
    for i, start in enumerate(starts):
        end = marks[i + 1] if i + 1 < len(marks) else len(lines)
        if i + 1 < len(marks) and headings[i + 1]:
            end = start + headings[i + 1][0]
        ch = _text_chapter(lines[start:end])
        ch.title = chapter_title(i + 1, headings[i][1] if headings[i] else None)
        chapters.append(ch)
    return ImportedBook(title, UNKNOWN_AUTHOR, chapters)


def _trailing_heading(lines: list[str]) -> tuple[int, str] | None:
    """(index, text) of the last non-blank line when it is a 'Chapter N…' heading."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            return (i, lines[i].strip()) if _CHAPTER_N.match(lines[i]) else None
    return None


def _text_chapter(body: list[str]) -> ImportedChapter:
    ch = ImportedChapter("")
    blank = 0
    for line in body:
        if not line.strip():
            blank += 1
            continue
        if blank >= 3:
            ch.scene_break()
        blank = 0
        ch.add(paragraph(escape_inline(line)))
    ch.finish()
    return ch


# ---------------------------------------------------------------------------
# HTML export: chapters are the innermost <div class="userstuff">, each named by the
# heading (class "title" or "heading") before it; <em>/<i> and <strong>/<b> are kept.

_WS = re.compile(r"[ \t\n\r\f]+")
_BREAK_TEXT = re.compile(r"^[\s*~#=_\-–—•·+◇◆❖✦†]*$|^(?:o0o|oOo|xXx|~o~)$")
_BLOCKS = {"p", "div", "blockquote", "center", "section", "article", "ul", "ol", "li",
           "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "pre"}
_EMPHASIS = {"em": "*", "i": "*", "cite": "*", "strong": "**", "b": "**", "s": "~~", "strike": "~~",
             "del": "~~"}
_SKIP = {"script", "style", "img", "head", "title"}


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def read_html(data: bytes | str) -> ImportedBook:
    from lxml import etree, html as lhtml

    try:
        doc = lhtml.document_fromstring(data)
    except (etree.ParserError, ValueError) as e:
        raise BookError(f"not an HTML document: {e}") from None
    content = [d for d in doc.iter("div") if "userstuff" in _classes(d)
               and not any("userstuff" in _classes(x) for x in d.iter("div") if x is not d)]
    if not content:
        raise BookError("no <div class=\"userstuff\"> in the HTML: is this an archive export?")
    inside = set(content)
    headings = [h for h in doc.iter("h1", "h2", "h3")
                if (h.tag == "h1" or _classes(h) & {"title", "heading"}) and "landmark" not in _classes(h)
                and not any(a in inside for a in h.iterancestors())]
    title_el = next((h for h in headings if h.tag == "h1"), headings[0] if headings else None)
    title = _text(title_el) if title_el is not None else _text(doc.find(".//title")) or "Untitled"

    names: dict = {}
    pending = None
    for el in doc.iter():
        if el in inside:
            names[el] = pending
            pending = None
        elif el is not title_el and el in headings:
            pending = _text(el)
    chapters = []
    for n, div in enumerate(content, 1):
        ch = ImportedChapter(chapter_title(n, names[div]))
        _html_blocks(div, ch)
        ch.finish()
        chapters.append(ch)
    return ImportedBook(title, _author(doc), chapters)


def _text(el) -> str:
    return _WS.sub(" ", el.text_content()).strip() if el is not None else ""


def _author(doc) -> str:
    names = [_text(a) for a in doc.iter("a") if a.get("rel") == "author"]
    if not names:
        names = [re.sub(r"^by\s+", "", _text(el), flags=re.I) for el in doc.iter()
                 if isinstance(el.tag, str) and "byline" in _classes(el)][:1]
    if not names:
        names = [m.get("content", "") for m in doc.iter("meta") if m.get("name") == "author"]
    return ", ".join(n for n in names if n) or UNKNOWN_AUTHOR


def _html_blocks(el, ch: ImportedChapter) -> None:
    """Paragraphs and scene breaks of a block container, in reading order."""
    loose: list = []  # inline content between blocks (text directly in a <div>)
    for part in [el.text, *[x for child in el for x in (child, child.tail)]]:
        if part is None or isinstance(part, str) or not isinstance(part.tag, str) or part.tag not in _BLOCKS:
            loose.append(part)
            continue
        _flush(loose, ch)
        tag = part.tag
        if tag == "hr":
            ch.scene_break()
        elif "landmark" in _classes(part):
            continue  # the "Chapter Text" heading for screen readers
        elif any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in part):
            _html_blocks(part, ch)
        else:
            _flush([part], ch, whole_element=True)
    _flush(loose, ch)


def _flush(parts: list, ch: ImportedChapter, whole_element: bool = False) -> None:
    """Inline content as paragraphs (split at <br>); an empty or symbols-only one is a scene break."""
    if not parts:
        return
    if whole_element:
        markdown = _inline_children(parts[0], set())
    else:
        markdown = "".join(_inline(p, set()) for p in parts if p is not None)
        parts.clear()
        if not markdown.strip(" \u00a0\n"):
            return
    lines = markdown.split("\n")
    plain = re.sub(r"\\(.)", r"\1", markdown)
    if _BREAK_TEXT.match(plain.replace("\u00a0", " ").strip()):
        ch.scene_break()
        return
    for line in lines:
        ch.add(paragraph(line))


def _inline(node, open_marks: set[str]) -> str:
    if node is None:
        return ""
    if isinstance(node, str):
        return escape_inline(_WS.sub(" ", node))
    if not isinstance(node.tag, str) or node.tag in _SKIP:
        return ""  # comments, processing instructions, images
    if node.tag == "br":
        return "\n"
    inner = _inline_children(node, open_marks | ({_EMPHASIS[node.tag]} if node.tag in _EMPHASIS else set()))
    mark = _EMPHASIS.get(node.tag)
    if not mark or mark in open_marks:
        return inner
    return "\n".join(_wrap(line, mark) for line in inner.split("\n"))


def _inline_children(el, open_marks: set[str]) -> str:
    out = _inline(el.text, open_marks)
    for child in el:
        piece = _inline(child, open_marks)
        if _same_mark(out, piece):
            out = out[:-1] + piece[1:]
        else:
            out += piece
        out += _inline(child.tail, open_marks)
    return out


def _same_mark(left: str, right: str) -> bool:
    """'*a*' followed by '*b*': one emphasis '*ab*' (adjacent <em>s), not '*a**b*'."""
    if left.endswith("\\*") or not (left.endswith("*") and right.startswith("*")):
        return False
    lm = len(left) - len(left.rstrip("*"))
    rm = len(right) - len(right.lstrip("*"))
    return lm == rm == 1


def _wrap(text: str, mark: str) -> str:
    """Emphasis markers hug the words: '<em> word </em>' is ' *word* '."""
    core = text.strip(" \u00a0")
    if not core:
        return text
    lead = text[:len(text) - len(text.lstrip(" \u00a0"))]
    trail = text[len(text.rstrip(" \u00a0")):]
    return f"{lead}{mark}{core}{mark}{trail}"


# ---------------------------------------------------------------------------
# Writing the manuscript


def read_export(path: Path) -> ImportedBook:
    """The export at ``path``: HTML when it looks like HTML, else the plain-text format."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise BookError(f"cannot read the export: {e.strerror}", path) from None
    head = data[:2048].lstrip().lower()
    if path.suffix.lower() in (".html", ".htm") or head.startswith((b"<!doctype html", b"<html")):
        return read_html(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BookError(f"the export is not UTF-8 text (byte {e.start})", path) from None
    return read_text(text)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "chapter"


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def chapter_markdown(ch: ImportedChapter) -> str:
    scenes = ["\n\n".join(scene) for scene in ch.scenes if scene]
    body = f"\n\n{SCENE_BREAK}\n\n".join(scenes)
    return f"# {escape_block_start(escape_inline(ch.title))}\n\n{body}\n"


def write_manuscript(book: ImportedBook, out: Path) -> list[Path]:
    """book.yaml + chapters/NN-slug.md under ``out`` (which must not hold anything yet)."""
    from .config import stable_identifier

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BookError("already exists and is not an empty directory; choose a new one", out)
    chapter_files = []
    for n, ch in enumerate(book.chapters, 1):
        chapter_files.append((f"chapters/{n:02d}-{_slug(ch.title)}.md", chapter_markdown(ch)))
    author_note = "   # the export names no author: fill in before publishing" \
        if book.author == UNKNOWN_AUTHOR else ""
    yaml = [
        f"title: {_yaml_str(book.title)}",
        f"author: {_yaml_str(book.author)}{author_note}",
        "language: en",
        f"identifier: {stable_identifier(book.title, book.author)}",
        "chapters:",
        *[f"  - {name}" for name, _ in chapter_files],
    ]
    (out / "chapters").mkdir(parents=True, exist_ok=True)
    written = [out / "book.yaml"]
    written[0].write_text("\n".join(yaml) + "\n", encoding="utf-8")
    for name, text in chapter_files:
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written


def import_export(source: Path, out: Path) -> ImportedBook:
    book = read_export(source)
    if not any(scene for ch in book.chapters for scene in ch.scenes):
        raise BookError("no text found in the export", source)
    write_manuscript(book, out)
    return book
