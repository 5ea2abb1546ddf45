"""Validators for what a build produced: epubcheck (``epubcheck``), DAISY Ace (``ace``), the
Nu HTML checker (``nu``), checks read back from the PDF (``pdf``). Real validators, not our own opinion,
wherever one exists. Which ones an edition must pass is its row's ``checks``
(config/editions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import BookError
from .ace import check_ace
from .epubcheck import check_epub
from .issue import Issue
from .nu import check_html
from .pdf import PdfFacts, check_pdf, pdf_facts, trim_points  # noqa: F401

# check name (as in an edition's row) -> (what it is called, how it is run on the artifact);
# looked up when called, so that a test may stand in for a validator
VALIDATORS = {
    "epubcheck": ("epubcheck", lambda path, cfg: check_epub(path)),
    "ace": ("DAISY Ace", lambda path, cfg: check_ace(path)),
    "pdf": ("PDF checks", lambda path, cfg: check_pdf(path, trim_points(cfg.trim))),
    "nu": ("Nu HTML checker", lambda path, cfg: check_html(path)),
}


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


def check_build(manuscript: Path, out: Path, names: tuple[str, ...] | None = None) -> list[ArtifactCheck]:
    """Run the validators of every edition the book asks for (or of ``names``) on what
    ``out`` holds (in parallel: most are Java or Chromium start-ups). A missing artifact is
    an error that says how to make it."""
    from concurrent.futures import ThreadPoolExecutor

    from .. import config as config_mod
    from ..errors import display_path

    cfg = config_mod.load(manuscript)
    editions = [config_mod.BY_NAME[name] for name in (names or cfg.editions)]
    jobs = [(e.target(out, cfg.slug), *VALIDATORS[c]) for e in editions for c in e.checks]
    missing = [e.target(out, cfg.slug) for e in editions
               if not (e.target(out, cfg.slug) / "index.html" if e.directory else e.target(out, cfg.slug)).is_file()]
    if missing:
        names = ", ".join(p.name for p in missing)
        raise BookError(f"nothing to check in {display_path(out)}: {names} missing (build first: "
                        f"onephone-build all -m {display_path(manuscript)} -o {display_path(out)})")
    with ThreadPoolExecutor(min(len(jobs), 4)) as pool:
        futures = [(p, name, pool.submit(fn, p, cfg)) for p, name, fn in jobs]
        return [ArtifactCheck(p, name, f.result()) for p, name, f in futures]
