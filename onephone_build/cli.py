"""The command line: parses options and calls build, lint and check; no logic of its own."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import BookError, UsageError

MANUSCRIPT = click.option("-m", "--manuscript", default="manuscript", show_default=True,
                          type=click.Path(exists=True, file_okay=False, path_type=Path),
                          help="Manuscript directory (book.yaml + chapters).")
OUT = click.option("-o", "--out", default="build", show_default=True,
                   type=click.Path(file_okay=False, path_type=Path), help="Output directory.")
LINKS = click.option("--skip-unsafe-links", is_flag=True,
                     help="Drop links and images that leave the manuscript (with a warning) instead of failing.")


class Console:
    def __init__(self, quiet: bool):
        self.quiet = quiet

    def info(self, msg: str) -> None:
        if not self.quiet:
            click.echo(msg, err=True)

    def warn(self, msg: str) -> None:
        click.echo(f"warning: {msg}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="onephone-build")
@click.option("--debug", is_flag=True, help="Show tracebacks (for developers).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and warnings.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Turn one manuscript into an EPUB, a print PDF and a web edition."""
    ctx.obj = {"debug": debug, "console": Console(quiet)}


def _build(ctx: click.Context, formats, manuscript: Path, out: Path, skip_unsafe_links: bool) -> None:
    from .build import build

    con: Console = ctx.obj["console"]
    result = build(manuscript, out, formats, "skip" if skip_unsafe_links else "refuse", con.info)
    for w in result.warnings:
        con.warn(w)
    for fmt, path in result.outputs.items():
        con.info(f"{fmt}: {path}")


def _format_command(name: str, formats: tuple[str, ...], help_text: str) -> None:
    @cli.command(name, help=help_text)
    @MANUSCRIPT
    @OUT
    @LINKS
    @click.pass_context
    def command(ctx, manuscript, out, skip_unsafe_links):
        _build(ctx, formats, manuscript, out, skip_unsafe_links)


_format_command("epub", ("epub",), "Build the EPUB 3 (OUT/<slug>.epub).")
_format_command("pdf", ("pdf",), "Build the print PDF (OUT/<slug>.pdf).")
_format_command("html", ("html",), "Build the web edition (OUT/html/index.html).")
_format_command("all", ("epub", "pdf", "html"), "Build EPUB, PDF and web edition.")


@cli.command()
@MANUSCRIPT
@click.option("--list", "list_rules", is_flag=True, help="List the typography rules and exit.")
def lint(manuscript: Path, list_rules: bool) -> None:
    """Report typography problems as FILE:LINE:COL: RULE message."""
    from .lint import lint_manuscript, rule_table

    if list_rules:
        for name, kind, doc in rule_table():
            click.echo(f"{name:22} {kind:6} {doc}")
        return
    findings = lint_manuscript(manuscript)
    for f in findings:
        click.echo(str(f))
    if any(f.severity == "error" for f in findings):
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
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
    except Exception as e:  # a bug of ours: still one line, and a way to see more
        if debug:
            raise
        click.echo(f"internal error: {type(e).__name__}: {e} (run with --debug for the traceback)", err=True)
        sys.exit(1)
