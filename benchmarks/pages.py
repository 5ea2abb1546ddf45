"""Page-making figures of a print PDF, read back from the PDF (a measure, not a feeling).

    python benchmarks/pages.py BOOK.pdf [BOOK.pdf ...] [--json]

Per book: text pages, short pages (not a chapter's last page, yet ending more than half a
line above the book's full depth), uneven spreads (facing text pages whose last lines are
more than half a line apart), widows (a page that opens with a paragraph's last line),
orphans (a page that ends with a paragraph's first line; neither where the other side of
the page turn shows the paragraph ended or begun there: flush lines of a list, a one-line
paragraph that fills the measure), runts (a paragraph's last line
of one short word), hyphen ladders (more than two hyphenated line ends in a row) and
hyphenated names (a capitalised word broken at a line end).

Lines come from pdfplumber's words grouped by baseline; the running heads (small type in
the top 0.7 in) and the folios (a lone number in the bottom 0.7 in) are left out. The
full depth is the most common last line of a text page; a spread that runs a line long
on both pages (the typesetter's way to avoid a short page) is level, not short, and is
counted apart (long spreads), as is one that runs a line short on both (short spreads:
its pages are not counted as short pages). A paragraph starts on an indented line and ends
on a line that stops short of the measure. Heuristics made for prose set justified with
indented paragraphs (the house style); they are stated here so that the figures can be
argued with.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

FURNITURE = 0.7 * 72  # points at the top and bottom that hold running heads and folios
HEAD_SIZE = 9.6  # running heads are set this small or smaller
SENTENCE_END = tuple(".!?…:;\u201d\u2019\"')]")
HYPHENS = ("-", "\u2010", "\u00ad")  # a line that ends in one: hyphenated (or a compound broken)
_FOLIO = re.compile(r"^(?:\d+|[ivxlcdm]+)$", re.I)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    bottom: float  # baseline-ish: the words' bottom, in points from the top
    size: float


@dataclass
class Figures:
    book: str
    pages: int
    text_pages: int = 0
    short_pages: list[int] = field(default_factory=list)
    uneven_spreads: list[tuple[int, int]] = field(default_factory=list)
    long_spreads: list[tuple[int, int]] = field(default_factory=list)
    short_spreads: list[tuple[int, int]] = field(default_factory=list)
    widows: list[int] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)
    runts: list[int] = field(default_factory=list)
    hyphen_ladders: list[int] = field(default_factory=list)
    hyphenated_names: list[int] = field(default_factory=list)


def page_lines(page) -> list[Line]:
    # (a space drawn as a gap, after an inline box, is narrower than pdfplumber's default
    # tolerance of 3 pt:
    # "Prejudice unhesi-" read as one word)
    words = page.extract_words(use_text_flow=True, extra_attrs=["size"], x_tolerance=1.5)
    rows: dict[int, list[dict]] = {}
    for w in words:
        rows.setdefault(round(w["bottom"]), []).append(w)
    lines = []
    for key in sorted(rows):
        ws = sorted(rows[key], key=lambda w: w["x0"])
        line = Line(" ".join(w["text"] for w in ws), ws[0]["x0"], ws[-1]["x1"],
                    max(w["bottom"] for w in ws), statistics.median(w["size"] for w in ws))
        head = line.bottom < FURNITURE and line.size <= HEAD_SIZE
        folio = line.bottom > page.height - FURNITURE and _FOLIO.match(line.text)
        if not (head or folio):
            lines.append(line)
    return lines


def measure(pdf_path: Path) -> Figures:
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        pages = [page_lines(p) for p in pdf.pages]
    fig = Figures(pdf_path.name, len(pages))
    body_size = statistics.mode(round(ln.size, 1) for lines in pages for ln in lines) if any(pages) else 0
    # text pages: mostly body-size lines, more than a few of them
    text = {i for i, lines in enumerate(pages)
            if len([ln for ln in lines if round(ln.size, 1) == body_size]) >= 6}
    fig.text_pages = len(text)
    if not text:
        return fig
    bodies = {i: [ln for ln in pages[i] if round(ln.size, 1) == body_size] for i in text}
    pitches = [b.bottom - a.bottom for lines in bodies.values() for a, b in zip(lines, lines[1:])
               if 0 < b.bottom - a.bottom < 3 * body_size]
    pitch = statistics.median(pitches) if pitches else body_size * 1.3
    full = statistics.mode(round(pages[i][-1].bottom) for i in text)
    # the measure: the width most text pages fill (a verso's text block and a recto's sit
    # apart by the gutter; a page of short lines fills none of it)
    measure_width = statistics.median(max(ln.x1 for ln in bodies[i]) - min(ln.x0 for ln in bodies[i])
                                      for i in text)

    def starts_paragraph(ln: Line, page_left: float) -> bool:
        return ln.x0 > page_left + 0.5 * body_size

    def ends_paragraph(ln: Line, page_right: float) -> bool:
        # well short of the measure; or, ending a sentence, short of it at all (a justified
        # line that goes on reaches the measure)
        return (ln.x1 < page_right - 0.1 * measure_width
                or (ln.x1 < page_right - 2 and ln.text.rstrip().endswith(SENTENCE_END)))

    def opens_chapter(i: int) -> bool:  # a heading larger than the text, or a sunk first line
        first = pages[i][0] if i in text else None
        return first is not None and (first.size > body_size + 1
                                      or first.bottom > FURNITURE + 0.3 * (full - FURNITURE))

    ends = {ln.text[-1:] for i in text for ln in bodies[i]}
    hyphenation = ("\u2010", "\u00ad") if ends & {"\u2010", "\u00ad"} else HYPHENS
    # a chapter's last page: the next page is not running text, or opens a chapter
    final = {i for i in text if i + 1 not in text or opens_chapter(i + 1)}
    edges = {}  # per page: its text block's left and right edges
    for i in text:
        page_left = min(ln.x0 for ln in bodies[i])
        edges[i] = page_left, max(page_left + measure_width, max(ln.x1 for ln in bodies[i]))
    for i in sorted(text):
        lines = bodies[i]
        page_left, page_right = edges[i]
        if pages[i][-1].bottom < full - pitch / 2 and i not in final:
            fig.short_pages.append(i + 1)
        # the page's own first and last lines (a body line after smaller type, a
        # transcript's, is not at a page turn); a paragraph that the other side of the
        # turn shows ended (the page before ends one) or begun (the page after opens
        # one) has no line across it: flush lines of a list, a one-line paragraph that
        # fills the measure
        first, last = lines[0], lines[-1]
        if (first is pages[i][0] and ends_paragraph(first, page_right)
                and not starts_paragraph(first, page_left) and i - 1 in text
                and not ends_paragraph(pages[i - 1][-1], edges[i - 1][1])):
            fig.widows.append(i + 1)
        if (last is pages[i][-1] and starts_paragraph(last, page_left)
                and not ends_paragraph(last, page_right) and i + 1 in text
                and not starts_paragraph(pages[i + 1][0], edges[i + 1][0])):
            fig.orphans.append(i + 1)
        run = 0
        for k, a in enumerate(lines):
            # a runt: one short word alone on a paragraph's last line (not on a paragraph
            # of one line, nor in a list of short lines)
            continued = k > 0 and not ends_paragraph(lines[k - 1], page_right) and not starts_paragraph(a, page_left)
            if continued and ends_paragraph(a, page_right) and len(a.text.split()) == 1 and len(a.text) <= 6:
                fig.runts.append(i + 1)
            if a.text.endswith(HYPHENS) and not a.text.endswith("--"):
                run += 1
                if run == 3:
                    fig.hyphen_ladders.append(i + 1)
                word = a.text.split()[-1]
                # a name broken by hyphenation; a compound broken after its own hyphen
                # (Sunday-/school) is not, where the PDF's hyphenation has a character
                # of its own (U+2010, as WeasyPrint's)
                if word[:1].isupper() and len(word) > 2 and a.text.endswith(hyphenation):
                    fig.hyphenated_names.append(i + 1)
            else:
                run = 0
        # a spread: a verso (even page number) and the recto after it
        if (i + 1) % 2 == 0 and i + 1 in text and not {i, i + 1} & final:
            other = pages[i + 1][-1].bottom
            if abs(other - pages[i][-1].bottom) > pitch / 2:
                fig.uneven_spreads.append((i + 1, i + 2))
            elif other > full + pitch / 2:
                fig.long_spreads.append((i + 1, i + 2))
            elif full - 1.5 * pitch < other < full - pitch / 2:
                fig.short_spreads.append((i + 1, i + 2))
    run_short = {n for spread in fig.short_spreads for n in spread}
    fig.short_pages = [n for n in fig.short_pages if n not in run_short]
    return fig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf", nargs="+", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = [measure(p) for p in args.pdf]
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=1))
        return 0
    cols = ["text_pages", "short_pages", "uneven_spreads", "long_spreads", "short_spreads", "widows", "orphans",
            "runts", "hyphen_ladders", "hyphenated_names"]
    print("| book | pages | " + " | ".join(c.replace("_", " ") for c in cols) + " |")
    print("|---|---:|" + "---:|" * len(cols))
    for r in results:
        vals = [str(getattr(r, c)) if isinstance(getattr(r, c), int) else str(len(getattr(r, c))) for c in cols]
        print(f"| {r.book} | {r.pages} | " + " | ".join(vals) + " |")
    sys.stdout.flush()  # (the table before the pages, when both go to a terminal)
    for r in results:
        for c in cols[1:]:
            if getattr(r, c):
                print(f"{r.book}: {c.replace('_', ' ')}: pages {getattr(r, c)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
