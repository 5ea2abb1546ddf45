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
from .preflight import preflight, preflight_cover, preflight_issues


def _service(path: Path, cfg) -> str:
    """The print-on-demand service whose edition ``path`` is."""
    from ..config.editions import EDITIONS

    return next(e.print_profile for e in EDITIONS if e.print_profile and e.target(path.parent, cfg.slug) == path)

# check name (as in an edition's row) -> (what it is called, how it is run on the artifact);
# looked up when called, so that a test may stand in for a validator
VALIDATORS = {
    "epubcheck": ("epubcheck", lambda path, cfg: check_epub(path)),
    "ace": ("DAISY Ace", lambda path, cfg: check_ace(path)),
    "pdf": ("PDF checks", lambda path, cfg: check_pdf(path, trim_points(cfg.trim))),
    "nu": ("Nu HTML checker", lambda path, cfg: check_html(path)),
    "preflight": ("print preflight", lambda path, cfg: preflight_issues(path, cfg, _service(path, cfg))),
    "cover": ("cover preflight", lambda path, cfg: _cover_issues(path, cfg)),
}


def _interior_of(cover: Path, cfg, service: str) -> Path:
    from ..config.editions import BY_NAME, PRINT_EDITIONS

    return BY_NAME[PRINT_EDITIONS[service]].target(cover.parent, cfg.slug)


def _pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def _cover_issues(path: Path, cfg) -> list[Issue]:
    service = _service(path, cfg)
    interior = _interior_of(path, cfg, service)
    if not interior.is_file():
        return [Issue("error", path.name, f"no interior {interior.name} to size the spine from")]
    return [Issue("error", path.name, f"{r.name}: {r.measured} (required: {r.required})")
            for r in preflight_cover(path, cfg, service, _pages(interior)) if not r.ok]


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


def preflight_build(manuscript: Path, out: Path, service: str) -> list[tuple[Path, list]]:
    """[(file, its rules)] for ``service``'s interior in ``out``, and its cover when there is one."""
    from .. import config as config_mod
    from ..config.editions import PRINT_COVERS, PRINT_EDITIONS
    from ..errors import display_path

    cfg = config_mod.load(manuscript)
    path = config_mod.BY_NAME[PRINT_EDITIONS[service]].target(out, cfg.slug)
    if not path.is_file():
        raise BookError(f"nothing to preflight in {display_path(out)}: {path.name} missing (build first: "
                        f"onephone-build pdf --for {service} -m {display_path(manuscript)} -o {display_path(out)})")
    checked = [(path, preflight(path, cfg, service))]
    cover = config_mod.BY_NAME[PRINT_COVERS[service]].target(out, cfg.slug)
    if cover.is_file():
        checked.append((cover, preflight_cover(cover, cfg, service, _pages(path))))
    return checked
