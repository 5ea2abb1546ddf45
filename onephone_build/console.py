"""What the commands print: messages, live build progress, tables and the --json result.

Human output goes to stderr (stdout stays clean for ``--json`` and tables). Colours and
live progress only on a terminal; rich honours ``NO_COLOR`` and ``TERM=dumb`` itself.
"""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # rich is imported when something is printed (a quiet build never loads it)
    from rich.console import Console as RichConsole
    from rich.progress import Progress
    from rich.table import Table


class BuildReporter:
    """The ``report`` callback ``build.build`` takes (one call a phase): a live line per
    phase on a terminal, a plain line otherwise; it times every phase for ``--json``."""

    def __init__(self, console: "Console", progress: "Progress | None"):
        self._con = console
        self._progress = progress
        self._task = None
        self._phase: str | None = None
        self._started = self._t0 = time.perf_counter()
        self.durations: dict[str, float] = {}

    @staticmethod
    def phase_name(msg: str) -> str:
        """'writing epub' -> 'epub'; any other message is its own phase."""
        return msg[len("writing "):] if msg.startswith("writing ") else msg

    def _close_phase(self) -> None:
        now = time.perf_counter()
        if self._phase is not None:
            self.durations[self._phase] = round(self.durations.get(self._phase, 0) + now - self._t0, 3)
        self._t0 = now

    def __call__(self, msg: str) -> None:
        self._close_phase()
        self._phase = self.phase_name(msg)
        if self._progress is not None:
            self.finish_task()
            self._task = self._progress.add_task(msg, total=None)
        else:
            self._con.info(msg)

    def step(self, done: int, total: int) -> None:
        """Per-chapter progress inside the current phase (a bar on a terminal only)."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=total, completed=done)

    def finish_task(self) -> None:
        if self._progress is not None and self._task is not None:
            total = next(t for t in self._progress.tasks if t.id == self._task).total or 1
            self._progress.update(self._task, total=total, completed=total)

    def finish(self) -> dict[str, float]:
        self._close_phase()
        self._phase = None
        self.durations["total"] = round(time.perf_counter() - self._started, 3)
        return self.durations


def plural(n: int, word: str) -> str:
    """``1 chapter``, ``2 chapters``."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


class Console:
    def __init__(self, quiet: bool = False, as_json: bool = False):
        self.quiet = quiet
        self.as_json = as_json

    @cached_property
    def err(self) -> "RichConsole":
        from rich.console import Console as RichConsole

        return RichConsole(stderr=True, force_terminal=None, highlight=False, soft_wrap=True)

    @cached_property
    def out(self) -> "RichConsole":
        from rich.console import Console as RichConsole

        return RichConsole(force_terminal=None, highlight=False, soft_wrap=True)

    @property
    def chatty(self) -> bool:
        return not (self.quiet or self.as_json)

    @property
    def live(self) -> bool:
        """Styled, live output on stderr: a terminal (or FORCE_COLOR), as rich decides it."""
        if "FORCE_COLOR" not in os.environ and not sys.stderr.isatty():
            return False  # rich would print plain lines: no need to load it
        return self.err.is_terminal

    def info(self, msg: str) -> None:
        if not self.chatty:
            return
        if self.live:
            self.err.print(msg, markup=False)
        else:
            print(msg, file=sys.stderr, flush=True)

    def warn(self, msg: str) -> None:
        self.err.print(f"[yellow]warning:[/] {_escape(msg)}")

    def error(self, msg: str) -> None:
        self.err.print(f"[bold red]error:[/] {_escape(msg)}")

    def table(self, table: "Table") -> None:
        self.out.print(table)

    def json(self, data: object) -> None:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str), flush=True)

    @contextmanager
    def build_progress(self) -> Iterator[BuildReporter]:
        """A reporter for one build: a live spinner/bar per phase on a terminal, plain lines otherwise."""
        if not (self.chatty and self.live):
            yield BuildReporter(self, None)
            return
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (SpinnerColumn(finished_text="[green]✓[/]"), TextColumn("{task.description}"),
                   BarColumn(bar_width=20), TimeElapsedColumn())
        with Progress(*columns, console=self.err, transient=False) as progress:
            reporter = BuildReporter(self, progress)
            try:
                yield reporter
            finally:
                reporter.finish_task()


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
