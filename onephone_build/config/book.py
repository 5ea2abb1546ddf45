"""book.yaml: the schema, its defaults, and errors that name the key and the line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BookError, line_col, shown
from . import stores as store_config
from . import matter as matter_config
from .editions import ALIASES, BY_NAME, DEFAULT, NAMES, PRINT_COVERS, PRINT_EDITIONS
from .print_profiles import PAPERS, PROFILES, SERVICES
from .matter import Matter
from .stores import Accessibility, OtherBook

TRIM_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(in|mm|cm)?\s*[x×]\s*(\d+(?:\.\d+)?)\s*(in|mm|cm)\s*$")
DASH_STYLES = ("closed", "spaced")
OPENINGS = ("none", "small_caps", "drop_cap")  # a chapter's first words (render/xhtml.py)
CHAPTER_NUMBER_STYLES = ("auto", "words", "numerals", "roman", "none")  # model/headings.py


@dataclass(frozen=True)
class Context:
    """book.yaml's ``typography:`` section, as every typography rule receives it
    (``typography.base`` re-exports it: config never imports the rules)."""

    dashes: str = "closed"  # "closed" (US, em dash) or "spaced" (British, spaced en dash)
    language: str = "en"


@dataclass(frozen=True)
class PrintOptions:
    """book.yaml's ``print:`` section: the print-on-demand service, its paper, bleed."""

    service: str = "none"  # kdp | ingram | none
    paper: str = "white"  # white | cream (the spine's width)
    bleed: bool = False  # pages 0.125in larger on the outside edges, for full-bleed images


@dataclass(frozen=True)
class Chapter:
    path: Path  # absolute, inside the manuscript
    line: int  # where book.yaml lists it


@dataclass(frozen=True)
class Part:
    """A division of the book (``parts:``): its title page opens before its first chapter."""

    title: str  # "" : "Part One", "Part Two"... in order (render/frontmatter.py)
    name: str  # the part's own name under its number ("Departure"), or ""
    first: int  # the index of its first chapter


@dataclass(frozen=True)
class Volume:
    """A book of a box set (``volumes:``): its title page ("Book One" over its title) opens
    before its first chapter, its own dedication and epigraph after it; its chapters are
    numbered from one, its parts (``parts:`` inside it) are in ``BookConfig.parts``."""

    title: str
    subtitle: str  # "" for none
    first: int  # the index of its first chapter
    matter: tuple[Matter, ...] = ()  # its dedication and epigraph (Matter.volume is its number)
    label: str = ""  # "" : "Book One", "Book Two"... in order (render/frontmatter.py)


@dataclass(frozen=True)
class BookConfig:
    root: Path
    source: Path  # book.yaml
    title: str
    author: str
    language: str
    identifier: str
    chapters: tuple[Chapter, ...]
    description: str = ""
    rights: str = ""
    publisher: str = ""
    date: str = ""
    subtitle: str = ""
    cover: Path | None = None
    trim: tuple[str, str] = ("5.5in", "8.5in")
    typography: Context = field(default_factory=Context)
    editions: tuple[str, ...] = DEFAULT  # what `all` builds (config/editions.py)
    series: str = ""
    series_number: str = ""  # its place in the series ("2", "2.5")
    subjects: tuple[tuple[str, str], ...] = ()  # (kind, subject); kind "" for a plain list
    author_notes: bool = False  # show the ::: author-note blocks (imported notes)
    chapter_summaries: bool = False  # show the ::: chapter-summary blocks
    print: PrintOptions = field(default_factory=PrintOptions)
    # print: the faces, in order, that set what the book face lacks (other scripts, emoji)
    fallback_fonts: tuple[str, ...] = ()
    stores: dict[str, str] = field(default_factory=dict)  # this book's link per store (config/stores.py)
    also_by: tuple[OtherBook, ...] = ()
    accessibility: Accessibility = field(default_factory=Accessibility)
    openings: str = "none"  # small_caps: the first words of a chapter; drop_cap: and a drop cap (print, web)
    scene_break: Path | None = None  # an ornament image for scene breaks
    scene_openings: bool = False  # small caps on the first words after each scene break too
    chapter_numbers: str = "auto"  # how headings show chapter numbers (model/headings.py)
    parts: tuple[Part, ...] = ()  # book.yaml's parts:, each with the chapters it groups
    volumes: tuple[Volume, ...] = ()  # book.yaml's volumes: (a box set), each with its chapters or parts
    matter: tuple[Matter, ...] = ()  # dedication, epigraph, foreword... (config/matter.py), in reading order

    def matter_of(self, place: str) -> tuple[Matter, ...]:
        """The front (``"front"``) or back (``"back"``) matter, in reading order."""
        return tuple(m for m in self.matter if matter_config.KINDS[m.kind].place == place)

    @property
    def numbering_restarts(self) -> tuple[int, ...]:
        """The chapters where the chapter numbers begin again at one: each volume's first."""
        return tuple(v.first for v in self.volumes)

    @property
    def text_language(self) -> str:
        """The language tag the outputs' text carries (``lang``), which picks the
        hyphenation patterns: a bare ``en`` is American English (``en-US``; a
        hyphenator given ``en`` alone takes British patterns: res-ults, bey-ond);
        ``en-GB`` and every other tag as the book says."""
        return "en-US" if self.language.lower() == "en" else self.language

    @property
    def slug(self) -> str:
        s = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
        if len(s) > SLUG_CHARS:  # a file name: a long title is cut, and told apart by a hash
            s = s[:SLUG_CHARS].rstrip("-") + "-" + hashlib.sha1(s.encode()).hexdigest()[:8]
        return s or "book"


# key -> required
_KEYS = {
    "title": True, "author": True, "language": True, "chapters": True,
    "identifier": False, "description": False, "rights": False, "publisher": False,
    "date": False, "subtitle": False, "cover": False, "trim": False, "typography": False,
    "editions": False, "print": False, "fonts": False, "stores": False, "also_by": False,
    "accessibility": False,
    "series": False, "series_number": False, "subjects": False, "author_notes": False,
    "chapter_summaries": False, "chapter_numbers": False,
    "parts": False, "volumes": False, "openings": False, "scene_break": False, "scene_openings": False,
    **{kind: False for kind in matter_config.KINDS},
}
# Print's faces after EB Garamond, in order (OFL Noto faces from Debian's font packages,
# installed by the Makefile): Greek and Cyrillic, Hebrew, Arabic, Chinese and Japanese
# (and Korean), emoji. book.yaml's `fonts: {fallback: [...]}` replaces the list.
DEFAULT_FALLBACK_FONTS = ("Noto Serif", "Noto Serif Hebrew", "Noto Naskh Arabic", "Noto Serif CJK JP",
                          "Noto Color Emoji")
_FONT_NAME = re.compile(r"^[\w][\w .-]{0,99}$")
_SHOW = {"show": True, "hide": False, True: True, False: False}
_TYPO_KEYS = {"dashes"}
_PRINT_KEYS = {"service", "paper", "bleed"}
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


# Limits on what a manuscript may ask of a build (read/source.py has the ones on nesting).
MAX_CONFIG_BYTES = 1 << 20  # book.yaml
MAX_CHAPTER_BYTES = 4 << 20  # one chapter file
MAX_BOOK_BYTES = 12 << 20  # all chapters together (a 10 MB book: ~20 s and ~1.4 GB for the EPUB)
MAX_CHAPTERS = 5000
# Text fields: each is laid out on the title page, the copyright page or every running head
# (100,000 characters each: the PDF did not finish in 120 s).
MAX_FIELD_CHARS = {"description": 5000, "rights": 5000}
MAX_SHORT_FIELD_CHARS = 500  # title, subtitle, author, publisher, identifier, date, language
SLUG_CHARS = 80  # the output's file name (most file systems allow 255 bytes)
TRIM_INCHES = (2.0, 20.0)  # smallest and largest side of the page (and see _fits_text_block)
UNIT_INCHES = {"in": 1.0, "mm": 1 / 25.4, "cm": 1 / 2.54}
# Characters XML 1.0 forbids, which no metadata may carry into an OPF or XHTML file.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Line breaks. Besides LF, CR and CR LF, Unicode (and Python's str.splitlines) ends a line at
# VT, FF, NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029); Word pastes
# VT for a manual line break, YAML reads NEL, U+2028 and U+2029 as line breaks too. One rule
# everywhere: wherever text is cut into lines (a chapter file, a text export) each of them
# ends a line, like LF (``unify_line_breaks``); a one-line value (a title, an author) holds
# none: book.yaml refuses one, an importer puts a space and says so.
LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
_OTHER_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")  # YAML's own line breaks, beyond LF and CR
_BREAK_NAMES = {"\n": "a new line", "\r": "a carriage return", "\x0b": "VT", "\x0c": "FF", "\x85": "NEL",
                "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}


def unify_line_breaks(text: str) -> str:
    """``text`` with every line break (LINE_BREAKS, CR LF as one) an LF."""
    return _OTHER_LINE_BREAKS.sub("\n", text)


def line_break_name(c: str) -> str:
    """'U+2028 LINE SEPARATOR', for messages."""
    return f"U+{ord(c):04X} {_BREAK_NAMES.get(c, '')}".strip()


def _suggest(word: str, choices) -> str:
    import difflib  # only on the way to an error

    near = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{near[0]}'?)" if near else ""


def _line(node) -> int:
    return node.start_mark.line + 1


def decode_utf8(raw: bytes, path: Path) -> str:
    """``raw`` as UTF-8, or an error naming the line, column and byte offset of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line, col = line_col(raw, e.start)
        raise BookError(f"not UTF-8: byte 0x{raw[e.start]:02x} at offset {e.start} "
                        "(save the file as UTF-8)", path, line, col) from None




def _read_yaml(src: Path):
    """book.yaml as (node, data): a mapping, with no aliases and no key given twice."""
    if not src.is_file():
        why = "book.yaml is not a file" if src.exists() else "no book.yaml here"
        raise BookError(f"{why} (a manuscript is book.yaml plus the chapters it lists)", src.parent)
    try:
        raw = src.read_bytes()
    except OSError as e:
        raise BookError(f"cannot read it: {e.strerror}", src) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise BookError(f"book.yaml is larger than {MAX_CONFIG_BYTES // 1024} KiB", src)
    text = decode_utf8(raw, src)
    odd = _YAML_ONLY_BREAKS.search(text)
    if odd:  # YAML would make a space of a NEL in a quoted value, and count lines apart from editors
        line, col = line_col(text, odd.start())
        raise BookError(f"{line_break_name(odd.group())}: YAML reads it as a line break; write a new line "
                        "(or a space) instead", src, line, col)
    import yaml  # here, not above: an up-to-date build needs no book.yaml (build.py)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):  # aliases can expand exponentially
                raise BookError("YAML aliases (*name) are not allowed in book.yaml", src,
                                event.start_mark.line + 1, event.start_mark.column + 1)
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = (e.problem or e.context or "invalid YAML").strip()
        msg = "book.yaml is nested too deeply" if "nesting depth" in msg else f"YAML syntax error: {msg}"
        raise BookError(msg, src, mark.line + 1 if mark else None,
                        mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as e:  # a character YAML does not allow (a control character)
        code = e.character if isinstance(e.character, int) else ord(e.character)
        at = text.find(chr(code))  # libyaml's position counts bytes, PyYAML's characters
        line, col = line_col(text, at) if at >= 0 else (None, None)
        raise BookError(f"the character U+{code:04X} is not allowed in YAML (a control character)",
                        src, line, col) from None
    except yaml.YAMLError as e:  # pragma: no cover - every other PyYAML parse error is marked
        raise BookError(f"YAML error: {e}", src) from None
    except ValueError as e:  # a date or time out of range: 2026-13-01, 25:00
        line, col = _bad_timestamp(yaml, node)
        raise BookError(f"not a valid date or time ({e})", src, line, col) from None
    except RecursionError:
        raise BookError("book.yaml is nested too deeply", src) from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise BookError("book.yaml must be a mapping of keys such as title, author, chapters", src, 1)
    for mapping in [node] + [v for _, v in node.value if isinstance(v, yaml.MappingNode)]:
        seen: dict[str, int] = {}
        for k, _ in mapping.value:
            if k.value in seen:
                raise BookError(f"'{k.value}' is given twice (first on line {seen[k.value]})", src, _line(k))
            seen[k.value] = _line(k)
    return node, data


def _bad_timestamp(yaml, node) -> tuple[int | None, int | None]:
    """Where the first date or time YAML cannot make is (line, column)."""
    loader = yaml.SafeLoader("")
    todo = [node]
    while todo:
        n = todo.pop(0)
        if isinstance(n, yaml.ScalarNode) and n.tag == "tag:yaml.org,2002:timestamp":
            try:
                loader.construct_yaml_timestamp(n)
            except ValueError:
                return n.start_mark.line + 1, n.start_mark.column + 1
        elif isinstance(n, yaml.MappingNode):
            todo += [x for kv in n.value for x in kv]
        elif isinstance(n, yaml.SequenceNode):
            todo += n.value
    return None, None


def _inside(root: Path, value: str, what: str, src: Path, line: int) -> Path:
    """A path the manuscript names, resolved (symlinks too) and confined to the manuscript."""
    if "\0" in value:
        raise BookError(f"{what} '{shown(value)}' contains a NUL character", src, line)
    try:
        p = (root / value).resolve()
        p.is_file()
    except (OSError, RuntimeError) as e:  # a loop of links, a name too long for the file system
        why = "is a loop of symbolic links" if isinstance(e, RuntimeError) or e.errno == errno.ELOOP else (
            f"cannot be opened ({e.strerror})")
        raise BookError(f"{what} '{shown(value)}' {why}", src, line) from None
    if not p.is_relative_to(root.resolve()):
        raise BookError(f"{what} '{shown(value)}' is outside the manuscript directory", src, line)
    return p


def _trim(value, src: Path, line: int) -> tuple[str, str]:
    m = TRIM_RE.match(str(value)) if isinstance(value, str) else None
    if not m:
        raise BookError(f"'trim' must look like '5.5in x 8.5in', not '{shown(value)}'", src, line)
    w, wu, h, hu = m.groups()
    wu = wu or hu
    lo, hi = TRIM_INCHES
    for size, unit in ((w, wu), (h, hu)):
        if not lo <= float(size) * UNIT_INCHES[unit] <= hi:
            raise BookError(f"'trim' sides must be between {lo:g}in and {hi:g}in, not {size}{unit}", src, line)
    _fits_text_block(float(w) * UNIT_INCHES[wu], float(h) * UNIT_INCHES[hu], f"{w}{wu} x {h}{hu}", src, line)
    return f"{w}{wu}", f"{h}{hu}"


def _fits_text_block(width: float, height: float, trim: str, src: Path, line: int) -> None:
    """A page too small for the margins and the smallest text block puts glyphs off it."""
    from .print_profiles import MIN_BLOCK_HEIGHT_IN, MIN_MEASURE_IN, smallest_trim

    least_w, least_h = smallest_trim()
    if width < least_w - 0.005 or height < least_h - 0.005:
        raise BookError(f"'trim' {trim} is too small for the text: the page needs the margins "
                        f"({least_w - MIN_MEASURE_IN:g}in across, {least_h - MIN_BLOCK_HEIGHT_IN:g}in down) "
                        f"around a text block of at least {MIN_MEASURE_IN:g}in x {MIN_BLOCK_HEIGHT_IN:g}in; "
                        f"the smallest trim is {least_w:g}in x {least_h:g}in", src, line)


def load(root: Path) -> BookConfig:
    """Read and validate ``root/book.yaml``; raise BookError naming file and line."""
    src = root / "book.yaml"
    node, data = _read_yaml(src)
    lines = {str(k.value): _line(k) for k, _ in node.value}
    values = {str(k.value): v for k, v in node.value}

    for key in data:
        if key not in _KEYS:
            raise BookError(f"unknown option '{key}'{_suggest(str(key), _KEYS)}", src, lines.get(str(key)))
    volume_specs = ()
    if data.get("volumes") is not None:
        if "chapters" in data or "parts" in data:
            given = "chapters" if "chapters" in data else "parts"
            raise BookError(f"give either 'volumes' or '{given}' (each volume lists its chapters or parts)",
                            src, lines[given])
        values["chapters"], data["chapters"], parts, volume_specs = _volumes(data["volumes"], values["volumes"],
                                                                             src, lines["volumes"])
        lines["chapters"] = lines["volumes"]
    elif data.get("parts") is not None and "chapters" not in data:
        values["chapters"], data["chapters"], parts = _parts(data["parts"], values["parts"], src, lines["parts"])
        lines["chapters"] = lines["parts"]
    elif data.get("parts") is not None:
        raise BookError("give either 'chapters' or 'parts' (each part lists its chapters)", src, lines["parts"])
    else:
        parts = ()
    for key, required in _KEYS.items():
        if required and (key not in data or data[key] in (None, "", [])):
            raise BookError(f"missing required field '{key}'", src, lines.get(key, 1))

    def text_field(key: str) -> str:
        v = data.get(key)
        if v is None:
            return ""
        if isinstance(v, dt.date):  # an unquoted date: YAML reads a date, we keep its ISO text
            v = v.isoformat()
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            raise BookError(f"'{key}' must be text", src, lines[key])
        limit = MAX_FIELD_CHARS.get(key, MAX_SHORT_FIELD_CHARS)
        if len(str(v)) > limit:
            raise BookError(f"'{key}' is {len(str(v)):,} characters long; the limit is {limit:,}", src, lines[key])
        v = str(v).strip()
        if key in MAX_FIELD_CHARS:
            v = unify_line_breaks(v)
        elif brk := next((c for c in v if c in LINE_BREAKS), None):
            raise BookError(f"'{key}' holds a line break ({line_break_name(brk)}); it is one line", src, lines[key])
        bad = XML_FORBIDDEN.search(v)
        if bad:
            raise BookError(f"'{key}' contains the control character U+{ord(bad.group()):04X}", src, lines[key])
        if not v and _KEYS.get(key):  # only spaces (or a line YAML folded into one)
            raise BookError(f"'{key}' is empty", src, lines[key])
        return v

    language = text_field("language")
    if not LANG_RE.match(language):
        raise BookError(f"'language' must be a language tag such as en or en-GB, not '{language}'",
                        src, lines["language"])

    chapters_node = values["chapters"]
    if not isinstance(data["chapters"], list):
        raise BookError("'chapters' must be a list of Markdown files", src, lines["chapters"])
    if len(data["chapters"]) > MAX_CHAPTERS:
        raise BookError(f"{len(data['chapters'])} chapters; the limit is {MAX_CHAPTERS}", src, lines["chapters"])
    chapters: list[Chapter] = []
    seen: dict[Path, int] = {}
    total = 0
    for item, item_node in zip(data["chapters"], chapters_node.value):
        ln = _line(item_node)
        if not isinstance(item, str) or not item.strip():
            raise BookError("each chapter must be a path to a Markdown file", src, ln)
        p = _inside(root, item, "chapter", src, ln)
        if p in seen:
            raise BookError(f"chapter '{shown(item)}' is listed twice (first on line {seen[p]})", src, ln)
        if p.is_dir():
            raise BookError(f"chapter '{shown(item)}' is a directory, not a Markdown file", src, ln)
        if not p.is_file():
            raise BookError(f"chapter '{shown(item)}' is listed but does not exist", src, ln)
        size = p.stat().st_size
        if size > MAX_CHAPTER_BYTES:
            raise BookError(f"chapter '{shown(item)}' is {size / 2**20:.1f} MiB; the limit is "
                            f"{MAX_CHAPTER_BYTES // 2**20} MiB per chapter (split it)", src, ln)
        total += size
        if total > MAX_BOOK_BYTES:
            raise BookError(f"the chapters come to more than {MAX_BOOK_BYTES // 2**20} MiB, the limit "
                            "for one book (reached at this chapter)", src, ln)
        seen[p] = ln
        chapters.append(Chapter(p, ln))

    trim = _trim(data["trim"], src, lines["trim"]) if data.get("trim") is not None else ("5.5in", "8.5in")

    typo = data.get("typography") or {}
    if not isinstance(typo, dict):
        raise BookError("'typography' must be a mapping such as {dashes: closed}", src, lines["typography"])
    for key in typo:
        if key not in _TYPO_KEYS:
            raise BookError(f"unknown option 'typography.{key}'{_suggest(str(key), _TYPO_KEYS)}",
                            src, lines["typography"])
    dashes = typo.get("dashes", "closed")
    if dashes not in DASH_STYLES:
        raise BookError(f"'typography.dashes' must be one of {', '.join(DASH_STYLES)}, not '{dashes}'",
                        src, lines["typography"])

    fallback = _fallback_fonts(data.get("fonts"), src, lines.get("fonts"))

    cover = None
    if data.get("cover"):
        cover = _inside(root, str(data["cover"]), "'cover'", src, lines["cover"])
        if not cover.is_file() or cover.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            raise BookError(f"'cover' must be an existing .jpg or .png file, not '{data['cover']}'",
                            src, lines["cover"])

    printing = _print(data.get("print"), values.get("print"), trim, src, lines.get("print"))
    editions = DEFAULT + ((PRINT_EDITIONS[printing.service], PRINT_COVERS[printing.service])
                          if printing.service != "none" else ())
    if data.get("editions") is not None:
        asked = data["editions"]
        if not isinstance(asked, list) or not asked or not all(isinstance(e, str) for e in asked):
            raise BookError(f"'editions' must be a list of editions such as [{', '.join(NAMES)}]",
                            src, lines["editions"])
        asked = [ALIASES.get(e, e) if isinstance(e, str) else e for e in asked]
        for e in asked:
            if e not in BY_NAME:
                raise BookError(f"unknown edition '{e}'{_suggest(e, NAMES)} (editions: {', '.join(NAMES)})",
                                src, lines["editions"])
        editions = tuple(dict.fromkeys(asked))
    series_number = text_field("series_number")
    if series_number and not re.fullmatch(r"\d+(?:\.\d+)?", series_number):
        raise BookError(f"'series_number' must be a number such as 2 or 2.5, not '{series_number}'",
                        src, lines["series_number"])
    show = {}
    for key in ("author_notes", "chapter_summaries"):
        value = data.get(key, "hide")
        if not isinstance(value, (str, bool)) or value not in _SHOW:
            raise BookError(f"'{key}' must be show or hide, not '{shown(value)}'", src, lines[key])
        show[key] = _SHOW[value]

    def matter_text(key: str, value, line: int) -> str:
        if not isinstance(value, str):
            raise BookError(f"'{key}' must be text", src, line)
        if len(value) > matter_config.MAX_TEXT_CHARS:
            raise BookError(f"'{key}' is {len(value):,} characters long; the limit is "
                            f"{matter_config.MAX_TEXT_CHARS:,} (put it in a .md file)", src, line)
        bad = XML_FORBIDDEN.search(value)
        if bad:
            raise BookError(f"'{key}' contains the control character U+{ord(bad.group()):04X}", src, line)
        return value.strip()

    def matter_file(path: Path, what: str, line: int) -> str:
        if path.stat().st_size > MAX_CHAPTER_BYTES:
            raise BookError(f"{what} is larger than {MAX_CHAPTER_BYTES >> 20} MiB", src, line)
        return decode_utf8(path.read_bytes(), path).lstrip("\ufeff").replace("\r\n", "\n")

    matter = matter_config.matter(data, lines, root, src, _inside, matter_text, matter_file)
    volumes = tuple(Volume(title, subtitle, first, tuple(
        dataclasses.replace(m, volume=k) for m in matter_config.matter(own, at, root, src, _inside, matter_text,
                                                                       matter_file)), label)
        for k, (title, subtitle, label, first, own, at) in enumerate(volume_specs, 1))
    openings = data.get("openings", "none")
    if openings not in OPENINGS:
        raise BookError(f"'openings' must be one of {', '.join(OPENINGS)}, not '{openings}'", src, lines["openings"])
    scene_break = None
    if data.get("scene_break"):
        scene_break = _inside(root, str(data["scene_break"]), "'scene_break'", src, lines["scene_break"])
        if not scene_break.is_file() or scene_break.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg", ".gif"):
            raise BookError(f"'scene_break' must be an image file of the manuscript (PNG, JPEG, SVG), not "
                            f"'{data['scene_break']}'", src, lines["scene_break"])
    scene_openings = data.get("scene_openings", False)
    if not isinstance(scene_openings, bool):
        raise BookError(f"'scene_openings' must be true or false, not '{scene_openings}'", src, lines["scene_openings"])
    chapter_numbers = data.get("chapter_numbers", "auto")
    if chapter_numbers not in CHAPTER_NUMBER_STYLES:
        raise BookError(f"'chapter_numbers' must be one of {', '.join(CHAPTER_NUMBER_STYLES)}, not "
                        f"'{chapter_numbers}'", src, lines["chapter_numbers"])
    title = text_field("title")
    author = text_field("author")
    identifier = text_field("identifier") or stable_identifier(title, author)
    publisher = text_field("publisher")
    return BookConfig(
        root=root, source=src, title=title, author=author, language=language,
        identifier=identifier, chapters=tuple(chapters),
        description=text_field("description"), rights=text_field("rights"),
        publisher=publisher, date=text_field("date"), subtitle=text_field("subtitle"),
        cover=cover, trim=trim, typography=Context(dashes=dashes, language=language), editions=editions,
        series=text_field("series"), series_number=series_number,
        subjects=_subjects(data.get("subjects"), src, lines.get("subjects")), **show,
        print=printing, fallback_fonts=fallback,
        stores=store_config.stores(data.get("stores"), src, lines.get("stores")),
        also_by=store_config.also_by(data.get("also_by"), src, lines.get("also_by")),
        accessibility=store_config.accessibility(data.get("accessibility"), src, lines.get("accessibility"),
                                                 publisher or author),
        matter=matter, chapter_numbers=chapter_numbers, parts=parts, volumes=volumes, openings=openings,
        scene_break=scene_break, scene_openings=scene_openings,
    )


def trim_inches(trim: tuple[str, str]) -> tuple[float, float]:
    """('5.5in', '8.5in') -> (5.5, 8.5)"""
    return tuple(float(side[:-2]) * UNIT_INCHES[side[-2:]] for side in trim)


def _print(value, node, trim: tuple[str, str], src: Path, line: int | None) -> PrintOptions:
    """book.yaml's ``print:`` mapping, each key checked (with its own line), and the trim
    checked against the service's list of trim sizes."""
    if value is None:
        return PrintOptions()
    if not isinstance(value, dict):
        raise BookError("'print' must be a mapping such as {service: kdp, paper: white, bleed: false}", src, line)
    at = {str(k.value): _line(k) for k, _ in node.value}
    for key in value:
        if key not in _PRINT_KEYS:
            raise BookError(f"unknown option 'print.{key}'{_suggest(str(key), _PRINT_KEYS)}", src, at.get(str(key)))
    service, paper, bleed = value.get("service", "none"), value.get("paper", "white"), value.get("bleed", False)
    if service not in SERVICES:
        raise BookError(f"'print.service' must be one of {', '.join(SERVICES)}, not '{service}'"
                        f"{_suggest(str(service), SERVICES)}", src, at.get("service"))
    if paper not in PAPERS:
        raise BookError(f"'print.paper' must be one of {', '.join(PAPERS)}, not '{paper}'", src, at.get("paper"))
    if not isinstance(bleed, bool):
        raise BookError(f"'print.bleed' must be true or false, not '{bleed}'", src, at.get("bleed"))
    if service != "none":
        check_trim(PROFILES[service], trim, src, line)
    return PrintOptions(service, paper, bleed)


def check_trim(profile, trim: tuple[str, str], src: Path, line: int | None) -> None:
    """The trim must be one the service prints."""
    w, h = trim_inches(trim)
    if not profile.accepts_trim(w, h):
        sizes = ", ".join(f"{a:g}x{b:g}" for a, b in profile.trims)
        raise BookError(f"trim {trim[0]} x {trim[1]} ({w:.3g} x {h:.3g} in) is not a trim size {profile.label} "
                        f"prints ({sizes})", src, line)


def _subjects(value, src: Path, line: int | None) -> tuple[tuple[str, str], ...]:
    """``subjects``: a list of strings, or a mapping of kinds (rating, fandoms…) to lists."""
    if value is None:
        return ()
    groups = value.items() if isinstance(value, dict) else [("", value)]
    out = []
    for kind, items in groups:
        items = [items] if isinstance(items, str) else items
        if not isinstance(kind, str) or not isinstance(items, list) or not all(
                isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in items):
            raise BookError("'subjects' must be a list of subjects, or kinds (rating, fandoms…) "
                            "each with a list", src, line)
        for item in items:
            bad = XML_FORBIDDEN.search(str(item))
            if bad:
                raise BookError(f"'subjects' contains the control character U+{ord(bad.group()):04X}", src, line)
            if str(item).strip():
                out.append((kind, str(item).strip()))
    return tuple(out)


def _fallback_fonts(fonts, src: Path, line: int) -> tuple[str, ...]:
    if fonts is None:
        return DEFAULT_FALLBACK_FONTS
    if not isinstance(fonts, dict) or set(fonts) - {"fallback"}:
        raise BookError("'fonts' must be a mapping such as {fallback: [Noto Serif, Noto Serif CJK JP]}",
                        src, line)
    names = fonts.get("fallback", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and _FONT_NAME.match(n) for n in names):
        raise BookError("'fonts.fallback' must be a list of font family names such as "
                        "[Noto Serif, Noto Color Emoji]", src, line)
    return tuple(dict.fromkeys(names))


def stable_identifier(title: str, author: str) -> str:
    """No identifier given: derive one from title and author, so rebuilds keep it."""
    import uuid  # only for a book without one (3 ms of an up-to-date build's start)

    digest = hashlib.sha1(f"{title}\0{author}".encode()).digest()[:16]
    return f"urn:uuid:{uuid.UUID(bytes=digest, version=5)}"


class _Nodes:
    """A list of YAML nodes standing in for the ``chapters`` sequence node (``.value``)."""

    def __init__(self, value):
        self.value = value


def _parts(value, node, src: Path, line: int):
    """``parts:``, a list of {title, name, chapters}: (the chapters' nodes, the chapters, the parts)."""
    shape = "'parts' must be a list such as [{title: Part One, name: Departure, chapters: [chapters/01.md]}]"
    if not isinstance(value, list) or not value:
        raise BookError(shape, src, line)
    items, nodes, parts = [], [], []
    for part, part_node in zip(value, node.value):
        at = _line(part_node)
        if not isinstance(part, dict) or not isinstance(part.get("chapters"), list) or not part["chapters"]:
            raise BookError("each part needs 'chapters', a list of Markdown files", src, at)
        unknown = set(part) - {"title", "name", "chapters"}
        if unknown:
            raise BookError(f"unknown option '{sorted(unknown)[0]}' in a part (title, name, chapters)", src, at)
        for key in ("title", "name"):
            if part.get(key) is not None and (not isinstance(part[key], str) or len(part[key]) > MAX_SHORT_FIELD_CHARS
                                              or XML_FORBIDDEN.search(part[key])):
                raise BookError(f"a part's '{key}' must be a line of text", src, at)
        chapters_node = next(v for k, v in part_node.value if k.value == "chapters")
        parts.append(Part(" ".join((part.get("title") or "").split()), " ".join((part.get("name") or "").split()),
                          len(items)))
        items += part["chapters"]
        nodes += chapters_node.value
    return _Nodes(nodes), items, tuple(parts)


_VOLUME_KEYS = ("title", "subtitle", "label", "chapters", "parts", "dedication", "epigraph")


def _volumes(value, node, src: Path, line: int):
    """``volumes:``, a list of {title, subtitle, label, chapters or parts, dedication,
    epigraph}: (the chapters' nodes, the chapters, the parts of every volume, and per volume
    (title, subtitle, label, its first chapter's index, its dedication and epigraph as
    book.yaml gives them, and their lines) for ``load`` to read like the book's own)."""
    shape = ("'volumes' must be a list such as [{title: The First Book, chapters: [chapters/01.md]}, "
             "{title: The Second Book, parts: [...]}]")
    if not isinstance(value, list) or not value:
        raise BookError(shape, src, line)
    items, nodes, parts, specs = [], [], [], []
    for k, (volume, volume_node) in enumerate(zip(value, node.value), 1):
        at = _line(volume_node)
        if not isinstance(volume, dict):
            raise BookError(f"volume {k} must be a mapping of {', '.join(_VOLUME_KEYS)}", src, at)
        keys = {str(key.value): (_line(key), v) for key, v in volume_node.value}
        for key in volume:
            if key not in _VOLUME_KEYS:
                raise BookError(f"unknown option '{key}' in volume {k}{_suggest(str(key), _VOLUME_KEYS)} "
                                f"(a volume has {', '.join(_VOLUME_KEYS)})", src, keys.get(str(key), (at,))[0])
        for key in ("title", "subtitle", "label"):
            v = volume.get(key)
            if v is not None and (not isinstance(v, str) or len(v) > MAX_SHORT_FIELD_CHARS or XML_FORBIDDEN.search(v)
                                  or any(c in LINE_BREAKS for c in v.strip())):
                raise BookError(f"volume {k}'s '{key}' must be a line of text", src, keys[key][0])
        title = " ".join((volume.get("title") or "").split())
        if not title:
            raise BookError(f"volume {k} needs a 'title'", src, keys.get("title", (at,))[0])
        if ("chapters" in volume) == ("parts" in volume):
            raise BookError(f"volume {k} needs either 'chapters' or 'parts' (the chapters it holds)",
                            src, keys.get("parts", keys.get("chapters", (at,)))[0])
        first = len(items)
        if "parts" in volume:
            line_, parts_node = keys["parts"]
            chapters_node, chapters, own_parts = _parts(volume["parts"], parts_node, src, line_)
            parts += [dataclasses.replace(p, first=p.first + first) for p in own_parts]
        else:
            line_, chapters_node = keys["chapters"]
            chapters = volume["chapters"]
            if not isinstance(chapters, list) or not chapters:
                raise BookError(f"volume {k}'s 'chapters' must be a list of Markdown files", src, line_)
        items += chapters
        nodes += chapters_node.value
        own = {key: volume[key] for key in ("dedication", "epigraph") if key in volume}
        specs.append((title, " ".join((volume.get("subtitle") or "").split()),
                      " ".join((volume.get("label") or "").split()), first, own,
                      {key: keys[key][0] for key in own}))
    return _Nodes(nodes), items, tuple(parts), tuple(specs)
