"""Markdown -> Pandoc AST: one Pandoc process for the whole book.

Each chapter is decoded and checked on its own (UTF-8, characters XML forbids,
balanced and known fenced blocks), so errors name the chapter file and line;
then the chapters are joined with a raw-block marker and parsed in one call,
and the AST is split back at the markers.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .config import BookConfig
from .errors import BookError
from .transcripts import check_fences

# Pandoc Markdown, minus what would misread prose or reach outside the book:
# our typography stage does quotes/dashes/ellipses (-smart); `@name` in a text message
# is not a citation; `$5 and $6` is not math; raw TeX never reaches our outputs.
PANDOC_FORMAT = "markdown-smart-citations-tex_math_dollars-raw_tex-implicit_figures"

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Soft limits that keep Pandoc and layout in bounded time; past them the book is refused.
MAX_CHAPTER_BYTES = 20 * 1024 * 1024


@dataclass
class Source:
    """One chapter's text as the author edits it, plus anything the reader had to fix."""

    path: Path
    text: str
    warnings: list[str] = field(default_factory=list)


def pandoc_path() -> str:
    """The Pandoc that pypandoc-binary ships, found without importing pypandoc (its import
    and its `pandoc --version` probe cost 80 ms, half of a small book's EPUB build);
    otherwise whichever Pandoc pypandoc finds."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec and not os.environ.get("PYPANDOC_PANDOC") else []:
        bundled = Path(folder) / "files" / "pandoc"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    import pypandoc

    return pypandoc.get_pandoc_path()


def read_source(path: Path) -> Source:
    raw = path.read_bytes()
    if len(raw) > MAX_CHAPTER_BYTES:
        raise BookError(f"chapter is {len(raw) // 1024 // 1024} MiB; the limit is "
                        f"{MAX_CHAPTER_BYTES // 1024 // 1024} MiB per chapter (split it)", path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise BookError(f"not UTF-8: byte 0x{raw[e.start]:02x} at offset {e.start} "
                        "(save the file as UTF-8)", path, line, col) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    src = Source(path, text)
    if _XML_FORBIDDEN.search(text):
        for m in _XML_FORBIDDEN.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            src.warnings.append(f"{path}:{line}:{col}: removed character U+{ord(m.group()):04X}, "
                                "which XML forbids")
        src.text = _XML_FORBIDDEN.sub("", text)
    if not src.text.strip():
        raise BookError("chapter is empty", path, 1)
    check_fences(src.text, path)
    return src


def parse_book(config: BookConfig) -> tuple[list[Source], list[list[dict]]]:
    """Read every chapter and return (sources, blocks per chapter)."""
    sources = [read_source(ch.path) for ch in config.chapters]
    marker = "opbsplit" + hashlib.sha1("".join(s.text for s in sources).encode()).hexdigest()[:12]
    joined = "".join(f"\n\n```{{={marker}}}\n{i}\n```\n\n{s.text}\n" for i, s in enumerate(sources))
    proc = subprocess.run(
        [pandoc_path(), "--sandbox", "-f", PANDOC_FORMAT, "-t", "json"],
        input=joined.encode("utf-8"), capture_output=True, check=False,
    )
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BookError(f"Pandoc could not read the manuscript: {msg[-1] if msg else proc.returncode}",
                        config.root)
    doc = json.loads(proc.stdout)
    chapters: list[list[dict]] = []
    for block in doc["blocks"]:
        if block["t"] == "RawBlock" and block["c"][0] == marker:
            chapters.append([])
        elif chapters:
            chapters[-1].append(block)
    if len(chapters) != len(sources):  # pragma: no cover - fences are checked before
        raise BookError("a fenced block runs across chapters; check the ::: fences", config.root)
    return sources, chapters
