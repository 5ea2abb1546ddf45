"""The command line: parses options and calls build, lint, check, import, serve, stats and
new; no logic of its own."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .config.editions import STORES
from .console import Console, plural
from .errors import BookError, UsageError, display_path

MANUSCRIPT = click.option("-m", "--manuscript", default="manuscript", show_default=True,
                          type=click.Path(exists=True, file_okay=False, path_type=Path),
                          help="Manuscript directory (book.yaml + chapters).")
OUT = click.option("-o", "--out", default="build", show_default=True,
                   type=click.Path(file_okay=False, path_type=Path), help="Output directory.")
LINKS = click.option("--skip-unsafe-links", is_flag=True,
                     help="Drop links and images that leave the manuscript (with a warning) instead of failing.")


JSON = click.option("--json", "as_json", is_flag=True, help="Machine-readable result on stdout (for CI).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="onephone-build")
@click.option("--debug", is_flag=True, help="Show tracebacks (for developers).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and warnings.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable results on stdout (for CI).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool, as_json: bool) -> None:
    """Turn one manuscript into an EPUB, a print PDF and a web edition."""
    ctx.obj = {"debug": debug, "console": Console(quiet, as_json)}


def _console(ctx: click.Context, as_json: bool = False) -> Console:
    con: Console = ctx.obj["console"]
    con.as_json = con.as_json or as_json
    return con


def _build(ctx: click.Context, formats, manuscript: Path, out: Path, skip_unsafe_links: bool,
           as_json: bool, jobs: int | None = None, no_cache: bool = False) -> None:
    from .build import build

    con = _console(ctx, as_json)
    try:
        with con.build_progress() as reporter:
            result = build(manuscript, out, formats, "skip" if skip_unsafe_links else "refuse", reporter,
                           jobs=jobs, use_cache=not no_cache)
    except BookError as e:
        if con.as_json:
            con.json({"ok": False, "error": str(e)})
        raise
    durations = reporter.finish()
    for w in result.warnings:
        con.warn(w)
    if con.as_json:
        con.json({"ok": True, "outputs": {f: str(p) for f, p in result.outputs.items()},
                  "warnings": result.warnings, "durations": durations})
        return
    for fmt, path in result.outputs.items():
        con.info(f"{fmt}: {path}")


SERVICE = click.option("--for", "service", type=click.Choice(["kdp", "ingram"]), default=None,
                       help="A print-on-demand service's interior (OUT/<slug>-SERVICE.pdf).")


def _format_command(name: str, formats: tuple[str, ...], help_text: str, for_service: bool = False) -> None:
    def command(ctx, manuscript, out, skip_unsafe_links, as_json, jobs, no_cache, service=None):
        _build(ctx, (service,) if service else formats, manuscript, out, skip_unsafe_links, as_json, jobs, no_cache)

    options = [MANUSCRIPT, OUT, LINKS, JSON,
               click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                            help="Processes laying out the PDF (default: one per CPU)."),
               click.option("--no-cache", is_flag=True,
                            help="Build everything anew; neither read nor write OUT/.cache."),
               *([SERVICE] if for_service else [])]
    command = click.pass_context(command)
    for option in reversed(options):
        command = option(command)
    cli.command(name, help=help_text)(command)


@cli.command("epub")
@MANUSCRIPT
@OUT
@LINKS
@JSON
@click.option("--for", "store", type=click.Choice(list(STORES)),
              default="generic", show_default=True,
              help="The store whose edition to build (kobo: OUT/<slug>.kepub.epub, kindle: OUT/<slug>.kindle.epub).")
@click.option("--no-cache", is_flag=True, help="Build everything anew; neither read nor write OUT/.cache.")
@click.pass_context
def epub_command(ctx, manuscript, out, skip_unsafe_links, as_json, store, no_cache):
    """Build the EPUB 3 (OUT/<slug>.epub), or a store's edition of it."""
    _build(ctx, (STORES[store].name,), manuscript, out, skip_unsafe_links, as_json, None, no_cache)


_format_command("pdf", ("pdf",), "Build the print PDF (OUT/<slug>.pdf; --for kdp|ingram: OUT/<slug>-kdp.pdf, "
                "OUT/<slug>-ingram.pdf).", for_service=True)
_format_command("html", ("html",), "Build the web edition (OUT/html/index.html).")


@cli.command("cover")
@MANUSCRIPT
@OUT
@JSON
@click.option("--for", "service", type=click.Choice(["kdp", "ingram"]), required=True,
              help="The print-on-demand service (OUT/<slug>-SERVICE-cover.pdf).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes laying out the interior the spine is measured on.")
@click.pass_context
def cover(ctx, manuscript, out, as_json, service, jobs):
    """Build the full-wrap paperback cover: back, spine and front, sized from the interior's pages."""
    from .config.editions import PRINT_COVERS

    _build(ctx, (PRINT_COVERS[service],), manuscript, out, False, as_json, jobs)
_format_command("all", None, "Build every edition the book asks for (book.yaml's editions: all by default).")


@cli.command()
@click.option("-m", "--manuscript", default="manuscript", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Manuscript directory (book.yaml + chapters); not needed with --list.")
@click.option("--list", "list_rules", is_flag=True, help="List the typography rules and exit.")
@JSON
@click.pass_context
def lint(ctx: click.Context, manuscript: Path, list_rules: bool, as_json: bool) -> None:
    """Report typography problems as FILE:LINE:COL: RULE message."""
    from .commands.lint import lint_manuscript, rule_table

    con = _console(ctx, as_json)
    if list_rules:
        rules = rule_table()
        if con.as_json:
            con.json([{"rule": name, "kind": kind, "doc": doc} for name, kind, doc in rules])
        else:
            for name, kind, doc in rules:
                click.echo(f"{name:22} {kind:6} {doc}")
        return
    if not manuscript.is_dir():
        raise UsageError(f"Invalid value for '-m' / '--manuscript': Directory '{manuscript}' does not exist.")
    findings = lint_manuscript(manuscript)
    failed = any(f.severity == "error" for f in findings)
    if con.as_json:
        con.json({"ok": not failed, "findings": [
            {"path": display_path(f.path), "line": f.line, "col": f.col, "rule": f.rule,
             "severity": f.severity, "message": f.message} for f in findings]})
    else:
        for f in findings:
            click.echo(str(f))
    if failed:
        sys.exit(1)


@cli.command("import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="New manuscript directory to create.")
@click.pass_context
def import_command(ctx: click.Context, export: Path, out: Path) -> None:
    """Turn an AO3 download or page, an EPUB, a plain or Gutenberg text, or a Word document
    into a manuscript directory."""
    from .commands.importers import import_export, summary

    con = _console(ctx)
    book = import_export(export, out)
    for line in summary(book):
        con.info(line)
    for w in book.warnings:
        con.warn(w)
    con.info(f"-> {display_path(out)}; next: onephone-build lint -m {display_path(out)}   (the source's own defects)")


@cli.command()
@MANUSCRIPT
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the web edition is built (OUT/html). Default: a temporary directory.")
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--proof", "service", type=click.Choice(["kdp", "ingram"]), default=None,
              help="Also make the service's print proofs on every change and show them at /__proof/.")
@LINKS
@click.pass_context
def serve(ctx: click.Context, manuscript: Path, out: Path | None, port: int, service: str | None,
          skip_unsafe_links: bool) -> None:
    """Preview the web edition: rebuild on every change and reload the page."""
    import tempfile

    from .build import build
    from .commands.serve import serve as run_server
    from .config.editions import PRINT_COVERS, PRINT_EDITIONS

    con = _console(ctx)
    policy = "skip" if skip_unsafe_links else "refuse"
    with tempfile.TemporaryDirectory(prefix="onephone-serve-") as tmp:
        target = out or Path(tmp)
        proofs = target / f"proof-{service}" if service else None
        formats = ("html",) + ((PRINT_EDITIONS[service], PRINT_COVERS[service]) if service else ())

        def rebuild() -> None:
            result = build(manuscript, target, formats, policy)  # one parse for the web edition and the print
            for w in result.warnings:
                con.warn(w)
            if service:
                from .commands.proof import write_proofs

                write_proofs(result.outputs[PRINT_EDITIONS[service]], result.outputs[PRINT_COVERS[service]], proofs)

        run_server(manuscript, target, port, rebuild, con.info, con.error, proofs)


@cli.command()
@MANUSCRIPT
@JSON
@click.pass_context
def stats(ctx: click.Context, manuscript: Path, as_json: bool) -> None:
    """Words, characters, scenes, dialogue share and reading time, per chapter."""
    from rich.table import Table

    from .commands.stats import WORDS_PER_MINUTE, book_stats

    con = _console(ctx, as_json)
    result = book_stats(manuscript)
    if con.as_json:
        con.json(result.as_dict())
        return
    table = Table(title=f"{result.total.title} — reading time at {WORDS_PER_MINUTE} words a minute")
    for name in ("Chapter", "Words", "Characters", "Scenes", "Dialogue", "Reading time"):
        table.add_column(name, justify="left" if name == "Chapter" else "right")
    rows = [(f"{i}. {c.title}", c) for i, c in enumerate(result.chapters, 1)]
    rows.append((f"Total ({plural(result.total.chapters, 'chapter')})", result.total))
    for n, (label, c) in enumerate(rows):
        table.add_row(label, f"{c.words:,}", f"{c.characters:,}", str(c.scenes), f"{c.dialogue_share:.0%}",
                      _minutes(c.reading_minutes), end_section=n == len(rows) - 2)
    con.table(table)


def _minutes(m: int) -> str:
    return f"{m} min" if m < 60 else f"{m // 60} h {m % 60:02d} min"


@cli.command()
@MANUSCRIPT
@OUT
@JSON
@click.option("--for", "target", type=click.Choice(list(STORES) + ["kdp", "ingram"]), default=None,
              help="A store's EPUB edition only, or a print service's preflight: each of its rules, "
                   "passed or failed, with the value measured.")
@click.pass_context
def check(ctx: click.Context, manuscript: Path, out: Path, as_json: bool, target: str | None) -> None:
    """Validate what is in OUT: epubcheck, DAISY Ace, the Nu HTML checker, PDF page size, fonts, outline, metadata."""
    from rich.table import Table

    from .check import check_build
    con = _console(ctx, as_json)
    if target in ("kdp", "ingram"):
        _preflight(con, manuscript, out, target)
        return
    con.info(f"checking {display_path(out)} (epubcheck, Ace and the HTML checker take a few seconds each)")
    results = check_build(manuscript, out, (STORES[target].name,) if target else None)
    failed = any(r.errors for r in results)
    if con.as_json:
        con.json({"ok": not failed, "artifacts": [
            {"artifact": str(r.artifact), "validator": r.validator, "errors": r.errors, "warnings": r.warnings,
             "issues": [vars(i) for i in r.issues]} for r in results]})
    else:
        table = Table(title=f"check {display_path(out)}")
        for name in ("Artifact", "Validator", "Errors", "Warnings", "Result"):
            table.add_column(name, justify="right" if name in ("Errors", "Warnings") else "left")
        for r in results:
            verdict = "[red]FAIL[/]" if r.errors else ("[yellow]ok (warnings)[/]" if r.warnings else "[green]ok[/]")
            table.add_row(r.artifact.name + ("/" if r.artifact.is_dir() else ""), r.validator, str(r.errors), str(r.warnings), verdict)
        con.table(table)
        for r in results:
            for issue in r.issues:
                con.out.print(str(issue), markup=False)
    if failed:
        sys.exit(1)


@cli.command()
@MANUSCRIPT
@OUT
@click.option("--for", "service", type=click.Choice(["kdp", "ingram"]), required=True,
              help="The print-on-demand service whose interior and cover to proof.")
@click.pass_context
def proof(ctx: click.Context, manuscript: Path, out: Path, service: str) -> None:
    """Build the service's interior and cover, and write them as PNG to look at (OUT/proof-SERVICE/)."""
    from .commands.proof import write_proofs
    from .config.editions import PRINT_COVERS, PRINT_EDITIONS

    _build(ctx, (PRINT_EDITIONS[service], PRINT_COVERS[service]), manuscript, out, False, False)
    from .config import load

    slug = load(manuscript).slug
    for path in write_proofs(out / f"{slug}-{service}.pdf", out / f"{slug}-{service}-cover.pdf",
                             out / f"proof-{service}"):
        _console(ctx).info(f"proof: {display_path(path)}")


def _preflight(con: Console, manuscript: Path, out: Path, service: str) -> None:
    from rich.table import Table

    from .check import preflight_build

    checked = preflight_build(manuscript, out, service)
    failed = [r for _, rules in checked for r in rules if not r.ok]
    if con.as_json:
        con.json({"ok": not failed, "artifacts": [{"artifact": str(path), "rules": [vars(r) for r in rules]}
                                                  for path, rules in checked]})
    else:
        for path, rules in checked:
            table = Table(title=f"preflight {display_path(path)} for {service}")
            for name in ("Rule", "Result", "Measured", "Required"):
                table.add_column(name)
            for r in rules:
                table.add_row(r.name, "[green]pass[/]" if r.ok else "[red]FAIL[/]", r.measured, r.required)
            con.table(table)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def new(ctx: click.Context, directory: Path) -> None:
    """Create a new manuscript skeleton in DIRECTORY that builds at once."""
    from .commands.new import new_book

    con = _console(ctx)
    new_book(directory)
    con.info(f"created {display_path(directory)}/book.yaml, two chapters and the front and back matter")
    con.info(f"next: onephone-build serve -m {display_path(directory)}   or   "
             f"onephone-build all -m {display_path(directory)}")


def run() -> None:
    """The console script: ``main()``, and then a quick exit (startup.py says why)."""
    from .startup import quick_exit, tune_gc

    tune_gc()
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
    quick_exit(code)


# Options of the whole program, which a user also types after the command (`all -q`).
GLOBAL_FLAGS = ("-q", "--quiet", "--debug", "--json")


def hoist_global_flags(args: list[str]) -> list[str]:
    """``args`` with the program's own flags moved before the command, wherever they were
    typed (up to a ``--``); a command's ``--json`` means the same as the program's."""
    try:
        end = args.index("--")
    except ValueError:
        end = len(args)
    flags = [a for a in args[:end] if a in GLOBAL_FLAGS]
    return list(dict.fromkeys(flags)) + [a for a in args[:end] if a not in GLOBAL_FLAGS] + args[end:]


class Terminated(BaseException):
    """SIGTERM, raised where the program is: every ``finally`` runs (temporary files
    removed, the layout workers stopped) and it leaves with one line, no traceback."""


def _terminated(signum, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> None:
    import signal

    argv = hoist_global_flags(list(argv if argv is not None else sys.argv[1:]))
    debug = "--debug" in argv
    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli.main(args=argv, prog_name="onephone-build", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except UsageError as e:
        if debug:
            raise
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except BookError as e:
        if debug:
            raise
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        click.echo("terminated", err=True)
        sys.exit(143)
    except Exception as e:  # a bug of ours: still one line, and a way to see more
        if debug:
            raise
        click.echo(f"internal error: {type(e).__name__}: {e} (run with --debug for the traceback)", err=True)
        sys.exit(1)
