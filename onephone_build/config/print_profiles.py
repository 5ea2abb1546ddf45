"""Print-on-demand services: what each accepts of an interior and a cover, data only.

KDP: its help pages "Set Trim Size, Bleed, and Margins" and "Create a Paperback Cover"
(inside margin by page count, outside/top/bottom minimums, 24-828 pages, spine = pages x
paper thickness, spine text from 79 pages). IngramSpark: its "File Creation Guide"
(PDF/X, 0.5 in on every side, the last page blank, an even page count; spine per its
calculator within 1/16 in: the per-page figures below are those of its 50 lb white and
creme papers, 444 and 400 pages an inch).
"""

from __future__ import annotations

from dataclasses import dataclass

BLEED_IN = 0.125  # added to each outside edge (KDP and IngramSpark alike)
# The house's reading gutter on top of a service's smallest inside margin: the minimum
# keeps the words out of the binding; a reader also needs the page to open flat enough.
GUTTER_EXTRA_IN = 0.375
# The house's own outside, top and bottom margins (print.css), at least every minimum.
HOUSE_MARGINS_IN = {"top": 0.75, "bottom": 0.85, "outside": 0.625}
HOUSE_INSIDE_IN = 0.875  # print.css: the gutter side
# The smallest text block a page may leave inside those margins: a page that cannot hold
# it puts glyphs off the paper (measured: at 3.5in x 5in the copyright lines are printed
# below the page's edge; at 2in x 2in the half-title too). Across: the narrowest measure
# that still sets justified 11pt lines and long words (about 35 characters). Down: the
# tallest thing print.css does not break, the space above the copyright page's lines.
MIN_MEASURE_IN = 2.5
MIN_BLOCK_HEIGHT_IN = 4.4  # print.css: .copyright { padding-top }


def smallest_trim() -> tuple[float, float]:
    """The smallest page, inches: the house margins around the smallest text block."""
    return (HOUSE_INSIDE_IN + HOUSE_MARGINS_IN["outside"] + MIN_MEASURE_IN,
            HOUSE_MARGINS_IN["top"] + HOUSE_MARGINS_IN["bottom"] + MIN_BLOCK_HEIGHT_IN)

# Trim sizes both services print as a paperback, width x height in inches.
_COMMON_TRIMS = ((5.0, 8.0), (5.06, 7.81), (5.25, 8.0), (5.5, 8.5), (6.0, 9.0), (6.14, 9.21),
                 (6.69, 9.61), (7.0, 10.0), (7.44, 9.69), (7.5, 9.25), (8.0, 10.0), (8.5, 11.0))


@dataclass(frozen=True)
class PrintProfile:
    name: str
    label: str
    trims: tuple[tuple[float, float], ...]  # accepted trim sizes, inches
    pages: tuple[int, int]  # smallest and largest page count
    inside_bands: tuple[tuple[int, float], ...]  # (up to this many pages, smallest inside margin)
    min_margin: float  # outside, top and bottom, without bleed
    min_margin_bleed: float  # the same, with bleed
    spine_per_page: dict  # paper -> inches a page
    spine_text_from: int  # fewest pages with text on the spine
    spine_fold_margin: float  # spine text kept this far from each fold
    spine_tolerance: float
    full_fonts: bool = False  # embed the whole font files, not subsets
    outline: bool = True  # keep the PDF bookmarks
    annotations: bool = False  # keep link annotations (print has nothing to click)
    pdf_variant: str | None = None  # WeasyPrint's pdf_variant
    colour: str = "rgb"  # rgb | cmyk (text and rules in device-cmyk, K only)
    last_page_blank: bool = False
    even_pages: bool = False
    barcode: tuple[float, float] = (2.0, 1.2)  # kept empty at the bottom right of the back cover

    def accepts_trim(self, width: float, height: float) -> bool:
        return any(abs(width - w) < 0.006 and abs(height - h) < 0.006 for w, h in self.trims)

    def band(self, pages: int) -> int:
        """The index of the inside-margin band ``pages`` falls in (the last for more)."""
        for i, (upto, _) in enumerate(self.inside_bands):
            if pages <= upto:
                return i
        return len(self.inside_bands) - 1

    def min_inside(self, pages: int) -> float:
        return self.inside_bands[self.band(pages)][1]

    def inside_margin(self, pages: int) -> float:
        """The inside margin the book is set with at ``pages`` pages."""
        return self.min_inside(pages) + GUTTER_EXTRA_IN

    def outer_minimum(self, bleed: bool) -> float:
        return self.min_margin_bleed if bleed else self.min_margin

    def spine_width(self, pages: int, paper: str) -> float:
        return pages * self.spine_per_page[paper]


_KDP_BANDS = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))

PROFILES: dict[str, PrintProfile] = {
    "kdp": PrintProfile(
        "kdp", "Amazon KDP", _COMMON_TRIMS + ((8.25, 6.0), (8.25, 8.25), (8.5, 8.5), (8.27, 11.69)),
        pages=(24, 828), inside_bands=_KDP_BANDS, min_margin=0.25, min_margin_bleed=0.375,
        spine_per_page={"white": 0.002252, "cream": 0.0025}, spine_text_from=79,
        spine_fold_margin=0.0625, spine_tolerance=0.0625, full_fonts=True, outline=False),
    "ingram": PrintProfile(
        "ingram", "IngramSpark", _COMMON_TRIMS + ((4.25, 7.0), (4.37, 7.0), (5.83, 8.27), (8.27, 11.69)),
        pages=(18, 1200), inside_bands=tuple((n, max(0.5, m)) for n, m in _KDP_BANDS[:-1]) + ((1200, 0.875),),
        min_margin=0.5, min_margin_bleed=0.5,
        spine_per_page={"white": 1 / 444, "cream": 1 / 400}, spine_text_from=48,
        spine_fold_margin=0.0625, spine_tolerance=0.0625, pdf_variant="pdf/x-1a", colour="cmyk",
        last_page_blank=True, even_pages=True),
}
SERVICES = ("kdp", "ingram", "none")
PAPERS = ("white", "cream")


@dataclass(frozen=True)
class WrapGeometry:
    """A full-wrap cover, inches from its left and bottom edge (bleed included)."""

    width: float
    height: float
    spine: float
    back: tuple[float, float]  # x of the back cover's trim edges (outer, fold)
    front: tuple[float, float]  # x of the front cover's trim edges (fold, outer)
    barcode: tuple[float, float, float, float]  # x0, y0, x1, y1 of the area kept empty
    spine_text: bool
    spine_type: float  # points: the spine's type size


SPINE_TYPE_PT = (7.0, 12.0)  # the spine's type: no smaller than the book's smallest, no larger than this
SPINE_FILL = 0.75  # of the room between the fold margins the type's size takes


BARCODE_INSET_IN = 0.25  # the barcode area's distance from the spine fold and the bottom trim edge


def wrap_geometry(profile: PrintProfile, trim: tuple[float, float], pages: int, paper: str) -> WrapGeometry:
    """Width = 2 x trim width + spine + 2 x bleed; height = trim height + 2 x bleed."""
    w, h = trim
    spine = profile.spine_width(pages, paper)
    back = (BLEED_IN, BLEED_IN + w)
    front = (back[1] + spine, back[1] + spine + w)
    bw, bh = profile.barcode
    x1 = back[1] - BARCODE_INSET_IN
    y0 = BLEED_IN + BARCODE_INSET_IN
    # spine text: when the service allows it, and only as large as fits between the fold
    # margins; too thin a spine for 7pt type carries none (79 KDP pages: 0.178in, 3.8pt of room)
    size = min(SPINE_TYPE_PT[1], (spine - 2 * profile.spine_fold_margin) * 72 * SPINE_FILL)
    text = pages >= profile.spine_text_from and size >= SPINE_TYPE_PT[0]
    return WrapGeometry(2 * w + spine + 2 * BLEED_IN, h + 2 * BLEED_IN, spine, back, front,
                        (x1 - bw, y0, x1, y0 + bh), text, size)
