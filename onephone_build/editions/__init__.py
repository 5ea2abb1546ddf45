"""The editions: one writer each, for the rows of ``config/editions.py``.

A writer module has ``write(rendered, job)``: it returns the edition's bytes, or, for an
edition that is a folder, fills ``job.dest``. Editions know the rendered book
(``render/``), never the typography rules. ``assets`` finds styles/ and the book face;
``glue`` renders the model's no-break marks as the edition's row says; ``cover`` draws the
generated cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ..config.editions import Edition

Step = Optional[Callable[[int, int], None]]  # progress: (done, total)


@dataclass
class Job:
    """What a writer is given besides the rendered book."""

    edition: Edition
    cache: object = None  # cache.Cache, or None (--no-cache)
    jobs: int | None = None  # processes for the layout (print)
    step: Step = None
    cover: Callable[[], tuple[bytes, str]] | None = None  # the cover image, made in the background
    dest: Path | None = None  # a fresh folder to fill, for an edition that is a folder
