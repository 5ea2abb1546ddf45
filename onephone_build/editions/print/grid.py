"""The baseline grid of the print edition: body text on a fixed line pitch (print.css sets
``line-height: 15pt``, and every vertical space there -- chapter openings, scene breaks,
transcripts, block quotes -- is a whole number of lines), and a text block whose depth is
a whole number of lines, so that every full page ends on the same baseline and the text
of facing pages backs up. One line of the bottom margin is kept free: the line a spread
run long takes (spreads.py), so that a long page stays inside the margins the print
service asks for, and the folio below it stays where it is on every page."""

from __future__ import annotations

import math

LINE_PT = 15.0  # print.css's line-height


def grid_bottom_in(height_in: float, top_in: float, bottom_in: float) -> float:
    """The bottom margin (inches) of a page ``height_in`` tall: at least ``bottom_in`` and
    one line, the line a long page takes, and leaving a text block of a whole number of
    lines between it and the top margin."""
    lines = math.floor(((height_in - top_in - bottom_in) * 72 + 0.01) / LINE_PT) - 1
    return height_in - top_in - (lines * LINE_PT + 0.05) / 72  # a hair over: the last line fits
