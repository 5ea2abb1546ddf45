"""Proofs to look at: the print-on-demand interior as facing-page spreads on contact
sheets, and the flat cover, as PNG (pypdfium2 renders them), in ``OUT/proof-SERVICE/``."""

from __future__ import annotations

from pathlib import Path

from ..output import atomic_dir

SPREAD_DPI = 40  # contact sheets: the layout, not the letters
COVER_DPI = 100
SPREADS_PER_ROW = 3
ROWS_PER_SHEET = 4
GAP = 24  # pixels between spreads
GROUND = (128, 128, 128)  # the sheet behind the pages


def _page_image(pdf, index: int, dpi: int):
    """Page ``index`` cropped to its trim box (bleed off: the page as the reader holds it)."""
    page = pdf[index]
    media = page.get_mediabox()
    trim = page.get_trimbox() or media
    crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
    return page.render(scale=dpi / 72, crop=crop).to_pil().convert("RGB")


def spreads(n: int) -> list[tuple[int | None, int | None]]:
    """Facing pages, 0-based: the first page alone on the right, then verso and recto."""
    pairs: list[tuple[int | None, int | None]] = [(None, 0)]
    for left in range(1, n, 2):
        pairs.append((left, left + 1 if left + 1 < n else None))
    return pairs


def contact_sheets(interior: Path, dpi: int = SPREAD_DPI) -> list:
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument(str(interior))
    try:
        pages = [_page_image(pdf, i, dpi) for i in range(len(pdf))]
    finally:
        pdf.close()
    w, h = pages[0].size
    per_sheet = SPREADS_PER_ROW * ROWS_PER_SHEET
    pairs = spreads(len(pages))
    sheets = []
    for start in range(0, len(pairs), per_sheet):
        chunk = pairs[start:start + per_sheet]
        rows = (len(chunk) + SPREADS_PER_ROW - 1) // SPREADS_PER_ROW
        sheet = Image.new("RGB", (SPREADS_PER_ROW * (2 * w + GAP) + GAP, rows * (h + GAP) + GAP), GROUND)
        for k, (left, right) in enumerate(chunk):
            x = GAP + (k % SPREADS_PER_ROW) * (2 * w + GAP)
            y = GAP + (k // SPREADS_PER_ROW) * (h + GAP)
            for side, index in ((0, left), (1, right)):
                if index is not None:
                    sheet.paste(pages[index], (x + side * w, y))
        sheets.append(sheet)
    return sheets


def cover_image(cover: Path, dpi: int = COVER_DPI):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(cover))
    try:
        return pdf[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        pdf.close()


def write_proofs(interior: Path, cover: Path | None, dest: Path) -> list[Path]:
    """``dest/spreads-NN.png`` and ``dest/cover.png``, the folder replaced whole."""
    written = []
    with atomic_dir(dest) as tmp:
        for i, sheet in enumerate(contact_sheets(interior), 1):
            sheet.save(tmp / f"spreads-{i:02d}.png", optimize=False)
            written.append(dest / f"spreads-{i:02d}.png")
        if cover is not None:
            cover_image(cover).save(tmp / "cover.png")
            written.append(dest / "cover.png")
    return written
