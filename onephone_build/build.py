"""Build orchestration: parse and typeset once, then hand the result to each writer."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .output import atomic_dir, atomic_write, build_lock
from .pipeline import render

FORMATS = ("epub", "pdf", "html")


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def output_path(out: Path, fmt: str, slug: str) -> Path:
    return out / "html" if fmt == "html" else out / f"{slug}.{fmt}"


def build(manuscript: Path, out: Path, formats: tuple[str, ...], link_policy: str = "refuse",
          report: Callable[[str], None] = lambda msg: None) -> BuildResult:
    result = BuildResult()
    with build_lock(out):
        report("reading and typesetting the manuscript")
        rendered = render(manuscript, link_policy)
        result.warnings.extend(rendered.warnings)
        for fmt in formats:
            report(f"writing {fmt}")
            # writers are imported on demand: an EPUB build never loads WeasyPrint
            writer = importlib.import_module(f".writers.{fmt}", __package__)
            target = output_path(out, fmt, rendered.config.slug)
            if fmt == "html":
                with atomic_dir(target) as tmp:
                    writer.write_html(rendered, tmp)
            else:
                atomic_write(target, getattr(writer, f"build_{fmt}")(rendered))
            result.outputs[fmt] = target
    return result
