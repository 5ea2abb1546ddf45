"""Build orchestration: parse and typeset once, then hand the result to each edition's writer.

Before anything is parsed, every input is hashed (the manuscript folder, the styles,
the options, the tool and its environment: see ``cache.py``); an edition whose last build
had the same inputs and whose output is still the file that build wrote is up to date,
and costs no import of the pipeline, no Pandoc and no WeasyPrint.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .cache import Cache, file_digest, tree_digest
from .config.editions import BY_NAME, NAMES, page_source
from .editions.assets import styles_dir
from .output import atomic_dir, atomic_file, build_lock, write_durably

FORMATS = NAMES  # every edition a build can make (config/editions.py)


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def output_path(out: Path, name: str, slug: str) -> Path:
    return BY_NAME[name].target(out, slug)


def output_digest(path: Path) -> str | None:
    try:
        return tree_digest(path) if path.is_dir() else file_digest(path)
    except OSError:
        return None


def inputs_digest(manuscript: Path, out: Path, link_policy: str) -> str:
    return "\0".join((tree_digest(manuscript, skip=[out]), tree_digest(styles_dir()), link_policy,
                      os.environ.get("SOURCE_DATE_EPOCH", "")))


def _cover(cfg, cache):
    from .editions.epub.writer import cover_image

    return cover_image(cfg, cache)


def build(manuscript: Path, out: Path, formats: tuple[str, ...] | None, link_policy: str = "refuse",
          report: Callable[[str], None] = lambda msg: None, *, jobs: int | None = None,
          use_cache: bool = True) -> BuildResult:
    """Build the editions named in ``formats`` (None: those the book's ``editions`` asks
    for). ``jobs``: processes laying out the PDF (default: one per CPU); ``use_cache=False``
    ignores and leaves alone ``OUT/.cache``."""
    result = BuildResult()
    cfg = None
    with build_lock(out):
        cache = Cache(out) if use_cache else None
        inputs = inputs_digest(manuscript, out, link_policy) if cache else ""
        if formats is None:
            # what book.yaml asks for; unchanged inputs ask for what they asked last time,
            # so an up-to-date `all` reads no book.yaml (startup.py)
            asked = cache.read_json("editions", cache.key("editions", inputs)) if cache else None
            if not (asked and isinstance(asked.get("editions"), list) and asked["editions"]
                    and all(name in BY_NAME for name in asked["editions"])):  # a bad entry is a miss
                from .config import load

                cfg = load(manuscript)
                asked = {"editions": list(cfg.editions)}
                if cache:
                    cache.write_json("editions", cache.key("editions", inputs), asked)
            formats = tuple(asked["editions"])
        todo, keys, unpaged = list(formats), {}, []
        if cache:
            for name in formats:
                keys[name] = cache.key("build", name, inputs)
                entry = cache.read_json("build", keys[name], {"output": str, "digest": str, "warnings": [str]})
                target = out / entry["output"] if entry else None
                if entry and output_digest(target) == entry["digest"]:
                    report(f"{name} is up to date")
                    result.outputs[name] = target
                    result.warnings.extend(w for w in entry["warnings"] if w not in result.warnings)
                    todo.remove(name)
                    if entry.get("paged") is False:
                        unpaged.append(name)
        # a screen edition built without the print edition's page numbers is built again
        # when a print edition, its page source, is laid out now
        if any(BY_NAME[name].writer == "print.writer" for name in todo):
            for name in unpaged:
                todo.append(name)
                del result.outputs[name]
        if not todo:
            return result
        from . import startup
        from .config import load
        from .editions import Job
        from .pipeline import Rendering  # only now: an up-to-date build never loads the pipeline

        report("reading and typesetting the manuscript")
        rendering = Rendering(manuscript, link_policy, cache, cfg or load(manuscript))  # Pandoc starts
        # the page source first: the screen editions carry its page numbers (a page-list)
        source = page_source(rendering.cfg.print.service)
        editions = sorted((BY_NAME[name] for name in todo), key=lambda e: e.name != source)
        # while Pandoc reads (startup.py): WeasyPrint's import, the EPUB's cover
        if any(e.format == "pdf" for e in editions):
            from .editions.print import weasyffi

            weasyffi.install()  # WeasyPrint's C declarations, parsed at set-up (0.2 s)
            if not rendering.long:
                startup.preload("weasyprint")
        cover = startup.in_background(_cover, rendering.cfg, cache) if any(
            e.format == "epub" for e in editions) else None
        step = getattr(report, "step", None)  # per-chapter progress, when the reporter shows it
        rendered = rendering.finish(step)
        result.warnings.extend(w for w in rendered.warnings if w not in result.warnings)
        # every edition is written to a temporary file or folder first; they replace the
        # old outputs together at the end, or none does (a failed PDF keeps the old EPUB)
        with contextlib.ExitStack() as staged:
            for edition in editions:
                report(f"writing {edition.name}")
                writer = importlib.import_module(f".editions.{edition.writer}", __package__)
                target = edition.target(out, rendered.config.slug)
                job = Job(edition, cache, jobs, step, cover.result if cover else None)
                if edition.directory:
                    job.dest = staged.enter_context(atomic_dir(target))
                    writer.write(rendered, job)
                else:
                    write_durably(staged.enter_context(atomic_file(target)), writer.write(rendered, job))
                result.outputs[edition.name] = target
                result.warnings.extend(w for w in rendered.warnings if w not in result.warnings)  # a writer's
        for edition in editions:
            target = result.outputs[edition.name]
            if cache:
                paged = {"paged": rendered.print_pages is not None} if edition.format in ("epub", "html") else {}
                cache.write_json("build", keys[edition.name], {"output": str(target.relative_to(out)),
                                                               "digest": output_digest(target),
                                                               "warnings": rendered.warnings, **paged})
    # keep the order the caller asked for
    result.outputs = {name: result.outputs[name] for name in formats if name in result.outputs}
    return result
