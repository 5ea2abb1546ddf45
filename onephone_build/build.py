"""Build orchestration: parse and typeset once, then hand the result to each writer.

Before anything is parsed, every input is hashed (the manuscript folder, the styles,
the options, the tool and its environment: see ``cache.py``); a format whose last build
had the same inputs and whose output is still the file that build wrote is up to date,
and costs no import of the pipeline, no Pandoc and no WeasyPrint.
"""

from __future__ import annotations

import importlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .cache import Cache, file_digest, tree_digest
from .fonts import styles_dir
from .output import atomic_dir, atomic_write, build_lock

FORMATS = ("epub", "pdf", "html")


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def output_path(out: Path, fmt: str, slug: str) -> Path:
    return out / "html" if fmt == "html" else out / f"{slug}.{fmt}"


def output_digest(path: Path) -> str | None:
    try:
        return tree_digest(path) if path.is_dir() else file_digest(path)
    except OSError:
        return None


def inputs_digest(manuscript: Path, out: Path, link_policy: str) -> str:
    return "\0".join((tree_digest(manuscript, skip=[out]), tree_digest(styles_dir()), link_policy,
                      os.environ.get("SOURCE_DATE_EPOCH", "")))


class _Cover(threading.Thread):
    """The EPUB's cover, made in a thread while Pandoc reads (``result()`` waits for it)."""

    def __init__(self, cfg, cache):
        super().__init__(daemon=True)
        self._args, self._value, self._error = (cfg, cache), None, None
        self.start()

    def run(self) -> None:
        try:
            from .writers.epub import cover_image

            self._value = cover_image(*self._args)
        except BaseException as e:  # handed to the builder by result()
            self._error = e

    def result(self):
        self.join()
        if self._error is not None:
            raise self._error
        return self._value


def build(manuscript: Path, out: Path, formats: tuple[str, ...], link_policy: str = "refuse",
          report: Callable[[str], None] = lambda msg: None, *, jobs: int | None = None,
          use_cache: bool = True) -> BuildResult:
    """Build ``formats``. ``jobs``: processes laying out the PDF (default: one per CPU);
    ``use_cache=False`` ignores and leaves alone ``OUT/.cache``."""
    result = BuildResult()
    with build_lock(out):
        cache = Cache(out) if use_cache else None
        todo, keys = list(formats), {}
        if cache:
            inputs = inputs_digest(manuscript, out, link_policy)
            for fmt in formats:
                keys[fmt] = cache.key("build", fmt, inputs)
                entry = cache.read_json("build", keys[fmt])
                target = out / entry["output"] if entry else None
                if entry and output_digest(target) == entry["digest"]:
                    report(f"{fmt} is up to date")
                    result.outputs[fmt] = target
                    result.warnings.extend(w for w in entry["warnings"] if w not in result.warnings)
                    todo.remove(fmt)
        if not todo:
            return result
        from .config import load
        from .pipeline import Rendering  # only now: an up-to-date build never loads the pipeline

        report("reading and typesetting the manuscript")
        rendering = Rendering(manuscript, link_policy, cache, load(manuscript))  # Pandoc starts
        # while Pandoc reads: load WeasyPrint (0.7 s; for a long book, read by Pandoc in
        # parts, later: its 35 MB would add to Pandoc's), make the EPUB's cover
        if "pdf" in todo and not rendering.long:
            threading.Thread(target=importlib.import_module, args=("weasyprint",), daemon=True).start()
        cover = _Cover(rendering.cfg, cache) if "epub" in todo else None
        step = getattr(report, "step", None)  # per-chapter progress, when the reporter shows it
        rendered = rendering.finish(step)
        result.warnings.extend(w for w in rendered.warnings if w not in result.warnings)
        for fmt in todo:
            report(f"writing {fmt}")
            # writers are imported on demand: an EPUB build never loads WeasyPrint
            writer = importlib.import_module(f".writers.{fmt}", __package__)
            target = output_path(out, fmt, rendered.config.slug)
            if fmt == "html":
                with atomic_dir(target) as tmp:
                    writer.write_html(rendered, tmp)
            elif fmt == "pdf":
                atomic_write(target, writer.build_pdf(rendered, jobs=jobs, cache=cache, step=step))
            else:
                atomic_write(target, writer.build_epub(rendered, cover.result()))
            result.outputs[fmt] = target
            if cache:
                cache.write_json("build", keys[fmt], {"output": str(target.relative_to(out)),
                                                      "digest": output_digest(target),
                                                      "warnings": rendered.warnings})
    # keep the order the caller asked for
    result.outputs = {fmt: result.outputs[fmt] for fmt in formats if fmt in result.outputs}
    return result
