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


def grid_lines(height_in: float, top_in: float, bottom_in: float) -> int:
    """The lines of the text block of a page ``height_in`` tall, between the top margin and
    a bottom margin of at least ``bottom_in`` and the line a long page takes."""
    return math.floor(((height_in - top_in - bottom_in) * 72 + 0.01) / LINE_PT) - 1


def grid_bottom_in(height_in: float, top_in: float, bottom_in: float) -> float:
    """The bottom margin (inches) of a page ``height_in`` tall that leaves a text block of
    ``grid_lines`` lines below the top margin."""
    lines = grid_lines(height_in, top_in, bottom_in)
    return height_in - top_in - (lines * LINE_PT + 0.05) / 72  # a hair over: the last line fits
