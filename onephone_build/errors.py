"""The one exception type a user ever sees: a problem with the input, located."""

from __future__ import annotations

import re
from pathlib import Path

# Characters a message never prints as they are: controls (but LF and TAB), C1, the line and
# paragraph separators, and the bidi overrides and isolates (which reorder a terminal's line).
_UNSHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def shown(value, limit: int = 80) -> str:
    """A value of the author's inside a message: one line (LF and TAB escaped too), cut at
    ``limit`` characters."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "..."
    return _UNSHOWN.sub(_escaped, text).replace("\n", "\\n").replace("\t", "\\t")


class BookError(Exception):
    """Bad input. Printed as one line ``FILE:LINE:COL: message``; exit code 1."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None,
                 col: int | None = None, *, lines: bool = False):
        # One line, whatever value of the author's it quotes: what a terminal would act on
        # is shown escaped, and a line break too, unless the message is a list (``lines``).
        message = _UNSHOWN.sub(_escaped, message)
        if not lines:
            message = message.replace("\n", "\\n")
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.col = col

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = shown(display_path(self.path), limit=10**6)  # a file name may hold a line break too
            if self.line is not None:
                where += f":{self.line}"
                if self.col is not None:
                    where += f":{self.col}"
            where += ": "
        return f"{where}{self.message}"


def line_col(text: str | bytes, at: int) -> tuple[int, int]:
    """1-based line and column of offset ``at`` in ``text`` (characters, or bytes)."""
    nl = "\n" if isinstance(text, str) else b"\n"
    return text.count(nl, 0, at) + 1, at - text.rfind(nl, 0, at)


class UsageError(BookError):
    """A problem with how the command was called (exit code 2)."""


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
