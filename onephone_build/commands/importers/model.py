"""What every reader produces, and how it becomes a manuscript.

A reader fills an ``ImportedBook``: metadata, chapters made of scenes made of paragraphs
(each paragraph already Markdown: text escaped, emphasis as ``*…*``), the author's notes
and summaries kept apart, the images found in the source, and what was dropped.
``write_manuscript`` turns it into ``book.yaml`` + ``chapters/NN-slug.md`` (+ ``images/``),
all at once or not at all; the words are left exactly as the source has them.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import BookError

UNKNOWN_AUTHOR = "Unknown author"
SCENE_BREAK = "* * *"
NOTE_CLASS = "author-note"  # a fenced div book.yaml's author_notes shows or leaves out
SUMMARY_CLASS = "chapter-summary"  # likewise, chapter_summaries
SUBJECT_KINDS = ("rating", "warnings", "categories", "fandoms", "relationships", "characters", "freeform")
_NUMBERS = ("Zero One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen "
            "Fifteen Sixteen Seventeen Eighteen Nineteen Twenty").split()
_CHAPTER_N = re.compile(r"^\s*Chapter\s+(\d+)\s*(?:[:.\-–—]\s*(.*?))?\s*$", re.I)


@dataclass
class ImportedChapter:
    title: str
    scenes: list[list[str]] = field(default_factory=lambda: [[]])  # paragraphs as Markdown
    number: int | None = None  # "Chapter 3: The Call" -> 3
    notes: list[str] = field(default_factory=list)  # the author's notes before the chapter
    summary: list[str] = field(default_factory=list)
    end_notes: list[str] = field(default_factory=list)
    spacing: int = 0  # empty paragraphs read as spacing, not as scene breaks

    @property
    def breaks(self) -> int:
        return max(0, len([s for s in self.scenes if s]) - 1)

    def words(self) -> int:
        prose = (re.sub(r"\{[^}]*\}|\]\([^)]*\)", " ", p) for scene in self.scenes for p in scene)
        return sum(len(re.findall(r"\w+", p)) for p in prose)  # not class names nor image paths


@dataclass
class ImportedBook:
    title: str
    authors: list[str]
    chapters: list[ImportedChapter]
    kind: str = ""  # what the source was, for the summary
    description: str = ""
    language: str = ""
    subjects: dict[str, list[str]] = field(default_factory=dict)  # kind -> tags
    series: str = ""
    series_number: int | None = None
    rights: str = ""
    date: str = ""
    publisher: str = ""
    notes: list[str] = field(default_factory=list)  # the work's notes, before its first chapter
    end_notes: list[str] = field(default_factory=list)  # after its last chapter
    images: dict[str, bytes] = field(default_factory=dict)  # "images/name" -> bytes
    encoding: str = ""
    dropped: list[str] = field(default_factory=list)  # "what (why)", for the summary
    warnings: list[str] = field(default_factory=list)

    @property
    def author(self) -> str:
        return ", ".join(a for a in self.authors if a) or UNKNOWN_AUTHOR

    def drop(self, what: str) -> None:
        if what not in self.dropped:
            self.dropped.append(what)


# ---------------------------------------------------------------------------
# Markdown escaping: the source's text must come out of Pandoc exactly as it went in.

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
    """One source line as a Markdown paragraph: no hard-break spaces, no code indent."""
    markdown = re.sub(r"\s+", lambda m: " " if "\n" in m.group() else m.group(), markdown.strip())
    return escape_block_start(markdown)


def split_heading(number: int, heading: str | None) -> tuple[int | None, str]:
    """'Chapter 3: The Call' -> (3, 'The Call'); 'Chapter 3' -> (3, 'Three');
    'The Call' -> (None, 'The Call'); nothing -> (None, 'One') for the first chapter."""
    heading = (heading or "").strip()
    m = _CHAPTER_N.match(heading)
    if m:
        n = int(m.group(1))
        return n, m.group(2) or spelled(n)
    return None, heading or spelled(number)


def spelled(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else f"Chapter {n}"


# ---------------------------------------------------------------------------
# Writing the manuscript


AUTHORS_NOTE_FILE = "chapters/00-authors-note.md"  # beside the chapters, listed as the author_note


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "chapter"


def _yaml_str(text: str) -> str:
    """A JSON string is a YAML double-quoted scalar; the line breaks YAML has beyond JSON's
    (NEL, U+2028, U+2029) are escaped too, or YAML would fold a NEL into a space."""
    out = json.dumps(text, ensure_ascii=False)  # escapes C0 controls; YAML wants C1's, DEL, NEL escaped too
    return _YAML_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


_YAML_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029]")


_LINE_BREAK_RUN = re.compile("\\s*[\n\r\x0b\x0c\x85\u2028\u2029][\\s\x85\u2028\u2029]*")


def one_line(book: "ImportedBook", what: str, value: str) -> str:
    """A one-line value (a title, an author) with each line break in it a space, said in
    the import's warnings: book.yaml refuses a line break there (config/book.py)."""
    from ...config import LINE_BREAKS, line_break_name

    found = [c for c in value if c in LINE_BREAKS]
    if not found:
        return value
    fixed = _LINE_BREAK_RUN.sub(" ", value).strip()
    book.warnings.append(f"{what} '{fixed}': its line break ({line_break_name(found[0])}) read as a space; "
                         "a title or a name is one line")
    return fixed


def allowed(book: "ImportedBook", what: str, value: str) -> str:
    """``value`` without the characters XML forbids (which book.yaml refuses), said in the
    import's warnings, as the chapter reader removes them from a chapter."""
    from ...config import XML_FORBIDDEN

    found = XML_FORBIDDEN.findall(value)
    if not found:
        return value
    fixed = XML_FORBIDDEN.sub("", value)
    book.warnings.append(f"{what} '{fixed}': removed {len(found)} character{'s' if len(found) > 1 else ''} "
                         f"XML forbids (U+{ord(found[0]):04X})")
    return fixed


def _metadata_fields(book: "ImportedBook") -> None:
    """The metadata as book.yaml takes it: one-line values on one line, nothing XML forbids."""
    from ...config import unify_line_breaks

    def fix(what: str, value: str, lines: bool = False) -> str:
        value = unify_line_breaks(value) if lines else one_line(book, what, value)
        return allowed(book, what, value)

    book.title = fix("the title", book.title) or "Untitled"
    book.authors = [fix("the author", a) for a in book.authors]
    for key in ("series", "publisher", "date"):
        setattr(book, key, fix(f"the {key}", getattr(book, key)))
    for key in ("description", "rights"):  # many lines: each break an LF
        setattr(book, key, fix(f"the {key}", getattr(book, key), lines=True))
    book.subjects = {kind: [fix("the tag", t) for t in tags] for kind, tags in book.subjects.items()}
    for n, ch in enumerate(book.chapters, 1):
        ch.title = fix(f"chapter {n}'s title", ch.title) or spelled(n)


def _fenced(cls: str, paragraphs: list[str]) -> str:
    return f"::: {cls}\n" + "\n\n".join(paragraphs) + "\n:::" if paragraphs else ""


def chapter_markdown(ch: ImportedChapter, before: list[str] = (), after: list[str] = ()) -> str:
    """The chapter file: its heading, the notes and summary (fenced, so the build can leave
    them out), the scenes, the end notes. ``before``/``after``: the work's own notes."""
    scenes = ["\n\n".join(scene) for scene in ch.scenes if scene]
    parts = [f"# {escape_block_start(escape_inline(ch.title))}",
             _fenced(NOTE_CLASS, list(before)), _fenced(SUMMARY_CLASS, ch.summary),
             _fenced(NOTE_CLASS, ch.notes), f"\n\n{SCENE_BREAK}\n\n".join(scenes),
             _fenced(NOTE_CLASS, ch.end_notes), _fenced(NOTE_CLASS, list(after))]
    return "\n\n".join(p for p in parts if p) + "\n"


def book_yaml(book: ImportedBook, chapter_files: list[str]) -> str:
    from ...config import stable_identifier

    author_note = "   # the source names no author: fill in before publishing" \
        if book.author == UNKNOWN_AUTHOR else ""
    lines = [f"title: {_yaml_str(book.title)}", f"author: {_yaml_str(book.author)}{author_note}",
             f"language: {book.language or 'en'}",
             f"identifier: {stable_identifier(book.title, book.author)}"]
    for key in ("description", "rights", "publisher", "date", "series"):
        if getattr(book, key):
            lines.append(f"{key}: {_yaml_str(getattr(book, key))}")
    if book.series and book.series_number is not None:
        lines.append(f"series_number: {book.series_number}")
    subjects = {k: v for k, v in book.subjects.items() if v}
    if subjects:
        lines.append("subjects:")
        for kind, tags in subjects.items():
            lines.append(f"  {kind}:")
            lines += [f"    - {_yaml_str(t)}" for t in tags]
    if book.notes:
        lines.append(f"author_note: {AUTHORS_NOTE_FILE}   # the work's notes, an Author's Note page")
    if book.notes or book.end_notes or any(ch.notes or ch.end_notes for ch in book.chapters):
        lines.append("author_notes: hide   # show: print the author's notes in the book")
    if any(ch.summary for ch in book.chapters):
        lines.append("chapter_summaries: hide   # show: print each chapter's summary")
    lines.append("chapters:")
    lines += [f"  - {name}" for name in chapter_files]
    return "\n".join(lines) + "\n"


def write_manuscript(book: ImportedBook, out: Path) -> list[Path]:
    """book.yaml + chapters/NN-slug.md (+ images/) under ``out``, which must not hold anything
    yet. Everything is written into a temporary directory beside it and moved in at the end,
    so a failure leaves no half-written manuscript."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BookError("already exists and is not an empty directory; choose a new one", out)
    _metadata_fields(book)
    files: dict[str, bytes] = {}
    names = []
    last = len(book.chapters) - 1
    for n, ch in enumerate(book.chapters):
        name = f"chapters/{n + 1:02d}-{_slug(ch.title)}.md"
        names.append(name)
        files[name] = chapter_markdown(ch, (), book.end_notes if n == last else ()).encode()
    if book.notes:  # the work's own notes: the book's author's note (shown with author_notes: show)
        files[AUTHORS_NOTE_FILE] = (_fenced(NOTE_CLASS, list(book.notes)) + "\n").encode()
    files["book.yaml"] = book_yaml(book, names).encode()
    files.update(book.images)
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=parent))
    try:
        for name, data in files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BookError(f"cannot write the manuscript: {e.strerror}", out) from None
    return [out / name for name in files]


def add_image(book: ImportedBook, name: str, data: bytes) -> str:
    """Keep an image of the source as ``images/<safe name>``; the Markdown path to it from a chapter."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name.rsplit("/", 1)[-1]).strip(".-") or "image"
    key = f"images/{stem}"
    n = 1
    while key in book.images and book.images[key] != data:
        n += 1
        key = f"images/{n}-{stem}"
    book.images[key] = data
    return f"../{key}"
