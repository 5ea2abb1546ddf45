"""The project's styles/ and the book face, found where the project keeps them, or a clear
error: never a silent fallback."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import BookError

FAMILY = "EB Garamond"
FILES = {"regular": "EBGaramond12-Regular.otf", "italic": "EBGaramond12-Italic.otf"}


def styles_dir() -> Path:
    """``styles/`` of the project (override with ONEPHONE_STYLES)."""
    env = os.environ.get("ONEPHONE_STYLES")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "styles"


def stylesheet(name: str) -> Path:
    p = styles_dir() / name
    if not p.is_file():
        raise BookError(f"stylesheet {name} is missing (looked in {styles_dir()})", p)
    return p


def font_file(style: str) -> Path:
    p = styles_dir() / "fonts" / FILES[style]
    if not p.is_file():
        raise BookError(f"the book font {FAMILY} ({style}) is missing: expected {p}; "
                        "restore styles/fonts/ from the repository", p)
    return p
