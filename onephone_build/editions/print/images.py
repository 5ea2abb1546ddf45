"""Print resolution of the book's images: an image printed below 300 dpi at the size the
page gives it looks soft or stepped on paper, so the author is told (a warning: the book
still builds)."""

from __future__ import annotations

from ...errors import display_path

MIN_DPI = 300
CSS_PX_PER_INCH = 96  # an image's natural size on the page, before max-width: 100%
TEXT_BLOCK_MARGINS_IN = 0.875 + 0.625  # print.css: the inner and outer page margins
MAX_HEIGHT_IN = 5.0  # print.css: figure img { max-height }


def _inches(value: str) -> float:
    from ...config.book import UNIT_INCHES

    for unit, factor in UNIT_INCHES.items():
        if value.endswith(unit):
            return float(value[: -len(unit)]) * factor
    return float(value)


def low_resolution_warnings(images, trim: tuple[str, str], heights: dict | None = None) -> list[str]:
    """One warning per image (``images``: source file -> name in the book) that prints
    below MIN_DPI; ``heights``: source file -> (inches, fixed): the height print.css sets
    it at (fixed: the scene-break ornament) or at most (the author's photograph)."""
    from PIL import Image

    block = _inches(trim[0]) - TEXT_BLOCK_MARGINS_IN
    out = []
    for src in images:
        if src.suffix.lower() == ".svg":
            continue  # drawn at any size
        try:
            with Image.open(src) as im:
                w, h = im.size
        except OSError:
            continue
        scale = min(1.0, block / (w / CSS_PX_PER_INCH), MAX_HEIGHT_IN / (h / CSS_PX_PER_INCH))
        printed = w / CSS_PX_PER_INCH * scale
        if heights and src in heights:
            height, fixed = heights[src]
            printed = w * height / h if fixed else min(printed, w * height / h)
        dpi = w / printed
        if dpi < MIN_DPI:
            out.append(f"{display_path(src)}: image prints {printed:.2f} in wide at {dpi:.0f} dpi, below "
                       f"{MIN_DPI} dpi; for print give it at least {round(printed * MIN_DPI)} px across")
    return out
