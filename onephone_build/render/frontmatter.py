"""Text of the pages around the story (title, copyright), the same in every format."""

from __future__ import annotations

import datetime as dt

from .. import __version__
from ..config import BookConfig


def copyright_lines(cfg: BookConfig, when: dt.datetime) -> list[str]:
    year = cfg.date[:4] if cfg.date[:4].isdigit() else str(when.year)
    lines = [f"{cfg.title}" + (f": {cfg.subtitle}" if cfg.subtitle else ""),
             f"Text \u00a9 {year} {cfg.author}."]
    if cfg.rights:
        lines.append(cfg.rights)
    if cfg.publisher:
        lines.append(f"Published by {cfg.publisher}.")
    lines.append(f"Identifier: {cfg.identifier}")
    lines.append(f"Set in EB Garamond. Made with onephone-build {__version__}.")
    return lines
