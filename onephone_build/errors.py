"""The one exception type a user ever sees: a problem with the input, located."""

from __future__ import annotations

from pathlib import Path


class BookError(Exception):
    """Bad input. Printed as one line ``FILE:LINE:COL: message``; exit code 1."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None,
                 col: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.col = col

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = display_path(self.path)
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
