"""book.yaml: the schema, its defaults, and errors that name the key and the line."""

from __future__ import annotations

import difflib
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import BookError
from .typography.base import Context

TRIM_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(in|mm|cm)?\s*[x×]\s*(\d+(?:\.\d+)?)\s*(in|mm|cm)\s*$")
DASH_STYLES = ("closed", "spaced")


@dataclass(frozen=True)
class Chapter:
    path: Path  # absolute, inside the manuscript
    line: int  # where book.yaml lists it


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

    @property
    def slug(self) -> str:
        s = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
        return s or "book"


# key -> (required, expected type name, checker)
_KEYS = {
    "title": True, "author": True, "language": True, "chapters": True,
    "identifier": False, "description": False, "rights": False, "publisher": False,
    "date": False, "subtitle": False, "cover": False, "trim": False, "typography": False,
}
_TYPO_KEYS = {"dashes"}
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _suggest(word: str, choices) -> str:
    near = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{near[0]}'?)" if near else ""


def _line(node) -> int:
    return node.start_mark.line + 1


def load(root: Path) -> BookConfig:
    """Read and validate ``root/book.yaml``; raise BookError naming file and line."""
    src = root / "book.yaml"
    if not src.is_file():
        raise BookError("no book.yaml here (a manuscript is book.yaml plus the chapters it lists)", root)
    raw = src.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise BookError(f"not UTF-8 (byte {e.start})", src, line) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = (e.problem or e.context or "invalid YAML").strip()
        raise BookError(f"YAML syntax error: {msg}", src, mark.line + 1 if mark else None,
                        mark.column + 1 if mark else None) from None
    except yaml.YAMLError as e:  # pragma: no cover - every PyYAML parse error is marked
        raise BookError(f"YAML error: {e}", src) from None
    if not isinstance(data, dict) or node is None:
        raise BookError("book.yaml must be a mapping of keys such as title, author, chapters", src, 1)
    lines = {k.value: _line(k) for k, _ in node.value}
    values = {k.value: v for k, v in node.value}

    for key in data:
        if key not in _KEYS:
            raise BookError(f"unknown option '{key}'{_suggest(str(key), _KEYS)}", src, lines.get(key))
    for key, required in _KEYS.items():
        if required and (key not in data or data[key] in (None, "", [])):
            raise BookError(f"missing required field '{key}'", src, lines.get(key, 1))

    def text_field(key: str) -> str:
        v = data.get(key)
        if v is None:
            return ""
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            raise BookError(f"'{key}' must be text", src, lines[key])
        return str(v).strip()

    language = text_field("language")
    if not LANG_RE.match(language):
        raise BookError(f"'language' must be a language tag such as en or en-GB, not '{language}'",
                        src, lines["language"])

    chapters_node = values["chapters"]
    if not isinstance(data["chapters"], list):
        raise BookError("'chapters' must be a list of Markdown files", src, lines["chapters"])
    chapters: list[Chapter] = []
    seen: dict[Path, int] = {}
    base = root.resolve()
    for item, item_node in zip(data["chapters"], chapters_node.value):
        ln = _line(item_node)
        if not isinstance(item, str) or not item.strip():
            raise BookError("each chapter must be a path to a Markdown file", src, ln)
        p = (root / item).resolve()
        if not p.is_relative_to(base):
            raise BookError(f"chapter '{item}' is outside the manuscript directory", src, ln)
        if p in seen:
            raise BookError(f"chapter '{item}' is listed twice (first on line {seen[p]})", src, ln)
        if not p.is_file():
            raise BookError(f"chapter '{item}' is listed but does not exist", src, ln)
        seen[p] = ln
        chapters.append(Chapter(p, ln))

    trim = ("5.5in", "8.5in")
    if data.get("trim") is not None:
        m = TRIM_RE.match(str(data["trim"]))
        if not m:
            raise BookError(f"'trim' must look like '5.5in x 8.5in', not '{data['trim']}'", src, lines["trim"])
        w, wu, h, hu = m.groups()
        trim = (f"{w}{wu or hu}", f"{h}{hu}")

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

    cover = None
    if data.get("cover"):
        cover = (root / str(data["cover"])).resolve()
        if not cover.is_relative_to(base):
            raise BookError("'cover' points outside the manuscript directory", src, lines["cover"])
        if not cover.is_file() or cover.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            raise BookError(f"'cover' must be an existing .jpg or .png file, not '{data['cover']}'",
                            src, lines["cover"])

    title = text_field("title")
    author = text_field("author")
    identifier = text_field("identifier") or _stable_identifier(title, author)
    return BookConfig(
        root=root, source=src, title=title, author=author, language=language,
        identifier=identifier, chapters=tuple(chapters),
        description=text_field("description"), rights=text_field("rights"),
        publisher=text_field("publisher"), date=text_field("date"), subtitle=text_field("subtitle"),
        cover=cover, trim=trim, typography=Context(dashes=dashes, language=language),
    )


def _stable_identifier(title: str, author: str) -> str:
    """No identifier given: derive one from title and author, so rebuilds keep it."""
    digest = hashlib.sha1(f"{title}\0{author}".encode()).digest()[:16]
    return f"urn:uuid:{uuid.UUID(bytes=digest, version=5)}"
