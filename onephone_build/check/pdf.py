"""Facts read back from a PDF (pages, sizes, fonts, outline, metadata) and the checks on them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .issue import Issue


@dataclass
class PdfFacts:
    pages: int
    page_sizes: set[tuple[float, float]]  # points
    fonts: dict[str, bool]  # base font name -> embedded
    outline: list[tuple[str, int]]  # (title, 0-based page index)
    metadata: dict[str, str]


def pdf_facts(path: Path) -> PdfFacts:
    import pypdfium2 as pdfium
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    pdf = pdfium.PdfDocument(str(path))
    sizes = {tuple(round(v, 1) for v in pdf.get_page_size(i)) for i in range(len(pdf))}
    outline = [(item.get_title(), item.get_dest().get_index()) for item in pdf.get_toc()]
    meta = {k: v for k, v in pdf.get_metadata_dict().items() if v}
    n = len(pdf)
    pdf.close()

    fonts: dict[str, bool] = {}
    with open(path, "rb") as f:
        doc = PDFDocument(PDFParser(f))
        for page in PDFPage.create_pages(doc):
            for font in (resolve1(page.resources.get("Font")) or {}).values():
                font = resolve1(font)
                name = str(resolve1(font.get("BaseFont"))).strip("/'")
                descs = [resolve1(font.get("FontDescriptor"))]
                for desc in resolve1(font.get("DescendantFonts")) or []:
                    descs.append(resolve1(resolve1(desc).get("FontDescriptor")))
                embedded = any(d and any(k in d for k in ("FontFile", "FontFile2", "FontFile3"))
                               for d in descs)
                fonts[name.split("+")[-1]] = embedded
    return PdfFacts(n, sizes, fonts, outline, meta)


def check_pdf(path: Path, trim_points: tuple[float, float] | None = None) -> list[Issue]:
    facts = pdf_facts(path)
    issues = []
    where = path.name
    if len(facts.page_sizes) != 1:
        issues.append(Issue("error", where, f"pages of different sizes: {sorted(facts.page_sizes)}"))
    if trim_points and facts.page_sizes != {tuple(round(v, 1) for v in trim_points)}:
        issues.append(Issue("error", where, f"page size {sorted(facts.page_sizes)} is not the trim {trim_points}"))
    for name, embedded in sorted(facts.fonts.items()):
        if not embedded:
            issues.append(Issue("error", where, f"font {name} is not embedded"))
    if not facts.outline:
        issues.append(Issue("error", where, "no PDF outline (bookmarks)"))
    for key in ("Title", "Author"):
        if not facts.metadata.get(key):
            issues.append(Issue("error", where, f"no {key} in the PDF metadata"))
    return issues


_POINTS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}


def trim_points(trim: tuple[str, str]) -> tuple[float, float]:
    """('5.5in', '8.5in') -> (396.0, 612.0)"""
    def pt(v: str) -> float:
        return float(v[:-2]) * _POINTS[v[-2:]]
    return pt(trim[0]), pt(trim[1])
