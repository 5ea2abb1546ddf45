"""What the print page shows must exist in one of its faces: the book face, then the
fallback faces book.yaml names (``fonts.fallback``; default: Noto faces for other scripts
and emoji), found through fontconfig as WeasyPrint finds them. A character no face has
would be a box or a face nobody chose: every such character is reported at once, in text
order, where the author wrote it."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from functools import lru_cache
from html import unescape
from pathlib import Path

from ...errors import BookError, display_path, line_col
from ..assets import FAMILY, font_file

MAX_REPORTED = 50  # places listed; the count says how many more


@lru_cache(maxsize=None)
def _cmap(path: str, number: int = 0) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True, fontNumber=number).getBestCmap())


@lru_cache(maxsize=None)
def face_files(family: str) -> tuple[tuple[str, int], ...]:
    """The regular style of ``family`` as fontconfig has it installed: (file, index in a
    collection); none when it is not installed."""
    try:
        out = subprocess.run(["fc-list", "-f", "%{file}\t%{index}\t%{style}\n", f"{family}"],
                             capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    rows = [line.split("\t") for line in out.splitlines() if line.count("\t") == 2]
    regular = [r for r in rows if re.search(r"\bRegular\b|\bBook\b", r[2])] or rows
    return tuple(sorted({(f, int(i or 0)) for f, i, _ in regular[:1]}))


def _drawn(c: str) -> bool:
    """A character that puts ink on the page (not a space, a joiner or a variation selector)."""
    return not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc") and not (
        "\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef")


def missing_glyphs(chars: set[str], fallback: tuple[str, ...]) -> set[str]:
    missing = {c for c in chars if _drawn(c)} - {chr(u) for u in _cmap(str(font_file("regular")))}
    for family in fallback:
        if not missing:
            break
        for path, number in face_files(family):
            missing -= {c for c in missing if ord(c) in _cmap(path, number)}
    return missing


def check_glyphs(r, document: str) -> None:
    """Raise a BookError listing every place where a character no face has is written."""
    cfg = r.config
    shown = set(unescape(re.sub(r"<[^>]+>", "", document))) | set(cfg.title + cfg.author)
    missing = missing_glyphs(shown, cfg.fallback_fonts)
    if not missing:
        return
    places = []
    sources = [(rc.chapter.path, rc.chapter.source.text) for rc in r.chapters]
    sources.append((cfg.source, cfg.source.read_text(encoding="utf-8", errors="replace")))
    for path, text in sources:
        for at, c in enumerate(text):
            if c in missing:
                line, col = line_col(text, at)
                places.append(f"{display_path(path)}:{line}:{col}: {c!r} (U+{ord(c):04X})")
    faces = ", ".join((FAMILY,) + cfg.fallback_fonts)
    head = (f"no face of the print edition has a glyph for {len(missing)} character"
            f"{'' if len(missing) == 1 else 's'} ({faces}; book.yaml's fonts.fallback names more, "
            "an installed font family each)")
    if not places:  # only in text the tool made: a bug of ours, not the author's
        chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(missing))
        raise BookError(f"{head}: {chars}, in text the tool added")
    shown_places = places[:MAX_REPORTED]
    more = f"\n... and {len(places) - MAX_REPORTED} more" if len(places) > MAX_REPORTED else ""
    raise BookError(f"{head}:\n" + "\n".join(shown_places) + more, lines=True)
