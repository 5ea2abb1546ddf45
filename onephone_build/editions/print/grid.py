"""The baseline grid of the print edition: body text on a fixed line pitch (print.css sets
``line-height: 15pt``, and every vertical space there -- chapter openings, scene breaks,
transcripts, block quotes -- is a whole number of lines), and a text block whose depth is
a whole number of lines, so that every full page ends on the same baseline and the text
of facing pages backs up."""

from __future__ import annotations

import math

LINE_PT = 15.0  # print.css's line-height


def grid_bottom_in(height_in: float, top_in: float, bottom_in: float) -> float:
    """The bottom margin (inches), at least ``bottom_in``, that leaves a text block of a
    whole number of lines between it and the top margin on a page ``height_in`` tall."""
    lines = math.floor(((height_in - top_in - bottom_in) * 72 + 0.01) / LINE_PT)
    return height_in - top_in - (lines * LINE_PT + 0.05) / 72  # a hair over: the last line fits
