"""Running heads and folios of the print edition, laid out apart from the chapters.

A chapter is laid out without them (its pages do not depend on where it starts); the join
lays each page's furniture over it. A furniture sheet carries the furniture of
``SHEET_PAGES`` consecutive page numbers. One WeasyPrint page per number cost about 13 ms
a page (the page cascade and its margin boxes, every page again), a tenth of a book's
layout; so a sheet is six pages, whatever it covers:

1. two pages thrown away (a chapter's opening page carries no furniture);
2. page ``first`` (a recto) and page ``first + 1`` (a verso), set by print.css's margin
   boxes: each side's running head and folio;
3. two strips, a recto and a verso (a named page with no margin boxes, the same margins):
   the sheet's odd folios set flush right, its even ones flush left, one short line each,
   in the margin boxes' type.

The furniture of page n is its side's page with the folio's text object replaced by n's
from the strip, moved onto the folio's baseline (the strips and the margin boxes share
the left and right edges, so the x of a folio is already the margin box's). The strips
begin with the two numbers the margin boxes set; a sheet whose strip does not set them
glyph for glyph, at the same x, is refused (``FurnitureMismatch``), so a change to the
margin boxes' type that the strips do not follow fails the build, not the page.
"""

from __future__ import annotations

SHEET_PAGES = 64  # page numbers in one furniture sheet
_THROWN = 2  # the sheet's opening pages, without furniture
_RECTO, _VERSO, _RECTO_STRIP, _VERSO_STRIP = range(_THROWN, _THROWN + 4)  # its other pages

# The strips' page and lines: the margin boxes' font (print.css: @bottom-left, @bottom-right);
# a line 2pt deep, so that any trim holds a strip on one page (the y is replaced).
SHEET_CSS = (".pg + .pg { break-before: page; }\n"
             "@page folio-strip { }\n"
             ".folio-strip { page: folio-strip; font: 9.5pt \"EB Garamond\"; line-height: 2pt;"
             " letter-spacing: normal; word-spacing: normal; text-indent: 0; hyphens: manual; }\n"
             ".folio-strip.recto { break-before: right; text-align: right; }\n"
             ".folio-strip.verso { break-before: left; text-align: left; }\n")


class FurnitureMismatch(RuntimeError):
    """A strip's folio differs from the margin box's (print.css and SHEET_CSS disagree)."""


def sheet_first(number: int) -> int:
    """The first page number of the sheet that carries page ``number``'s furniture."""
    return (number - 1) // SHEET_PAGES * SHEET_PAGES + 1


def _strip(numbers) -> str:
    return "".join(f"<div>{n}</div>" for n in numbers)


def sheet_body(first: int) -> tuple[str, str]:
    """The sheet's page-counter style and its body, for page numbers ``first`` ..
    ``first + SHEET_PAGES - 1`` (``first`` odd). The counter is set in a style element of
    its own: the style sheets stay the same for every sheet, parsed once per process."""
    last = first + SHEET_PAGES - 1
    counter = f"<style>@page :first {{ counter-set: page {first - _THROWN}; }}</style>"
    pages = '<div class="pg"></div>' * (_THROWN + 2)
    odd, even = range(first, last + 1, 2), range(first + 1, last + 1, 2)
    return counter, (f'<div class="body"><section class="chapter">{pages}</section>'
                     f'<div class="folio-strip recto">{_strip(odd)}</div>'
                     f'<div class="folio-strip verso">{_strip(even)}</div></div>')


def _text_objects(ops: list) -> list[tuple[int, int]]:
    """(BT index, ET index) of each text object of a content stream."""
    spans, start = [], None
    for i, (_, op) in enumerate(ops):
        if str(op) == "BT":
            start = i
        elif str(op) == "ET" and start is not None:
            spans.append((start, i))
            start = None
    return spans


def _runs(ops: list, span: tuple[int, int]) -> list[tuple[list, list, list]]:
    """The runs of a text object (WeasyPrint sets the lines of a block in one): each
    (the font operands in effect, its text matrix's operands, its other instructions),
    a run beginning at each text matrix."""
    runs, font = [], None
    for operands, op in ops[span[0] + 1:span[1]]:
        if str(op) == "Tf":
            font = list(operands)
            if runs:
                runs[-1][0] = font
        elif str(op) == "Tm":
            runs.append([font, list(operands), []])
        elif runs:
            runs[-1][2].append((list(operands), op))
    return [tuple(r) for r in runs]


def _key(run: tuple) -> str:
    """A run, compared without its baseline: the font, the x, the glyphs."""
    font, matrix, rest = run
    return repr((font, matrix[:5], rest))


def _text_object(run: tuple, baseline) -> list:
    """``run`` as a text object of its own, on ``baseline``."""
    import pikepdf

    font, matrix, rest = run
    make = pikepdf.ContentStreamInstruction
    return [make([], pikepdf.Operator("BT")), make(matrix[:5] + [baseline], pikepdf.Operator("Tm")),
            make(font, pikepdf.Operator("Tf")), *(make(o, op) for o, op in rest), make([], pikepdf.Operator("ET"))]


class Sheet:
    """A laid-out furniture sheet: the furniture of each of its page numbers as a form."""

    def __init__(self, data: bytes, first: int):
        import io

        import pikepdf

        self.pdf = pikepdf.open(io.BytesIO(data))
        if len(self.pdf.pages) != _VERSO_STRIP + 1:
            raise FurnitureMismatch(f"furniture sheet {first}: {len(self.pdf.pages)} pages, not {_VERSO_STRIP + 1}")
        self.sides = {}  # 1 (recto) or 0 (verso): (page, its instructions, the folio's text object, baseline)
        self.strips = {}  # page number -> its run in its strip
        last = first + SHEET_PAGES - 1
        for parity, page, strip, start in ((1, _RECTO, _RECTO_STRIP, first), (0, _VERSO, _VERSO_STRIP, first + 1)):
            ops = pikepdf.parse_content_stream(self.pdf.pages[strip])
            runs = [run for span in _text_objects(ops) for run in _runs(ops, span)]
            numbers = range(start, last + 1, 2)
            if len(runs) != len(numbers):
                raise FurnitureMismatch(f"furniture sheet {first}: {len(runs)} folios in a strip of {len(numbers)}")
            self.strips.update(zip(numbers, runs))
            own = pikepdf.parse_content_stream(self.pdf.pages[page])
            want = _key(runs[0])  # the strip's first number is this page's own
            folio = next((s for s in _text_objects(own) if [_key(r) for r in _runs(own, s)] == [want]), None)
            if folio is None:
                raise FurnitureMismatch(f"furniture sheet {first}: page {start}'s folio is not the strip's")
            self.sides[parity] = (self.pdf.pages[page], own, folio, _runs(own, folio)[0][1][5])

    def form(self, number: int):
        """Page ``number``'s running head and folio, a form XObject (pikepdf.Stream) of
        this sheet's PDF."""
        import pikepdf

        page, own, folio, baseline = self.sides[number % 2]
        content = own[:folio[0]] + _text_object(self.strips[number], baseline) + own[folio[1] + 1:]
        form = page.as_form_xobject()
        form.write(pikepdf.unparse_content_stream(content))
        return form

    def close(self) -> None:
        self.pdf.close()
