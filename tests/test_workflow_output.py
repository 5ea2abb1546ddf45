"""Build output for people and for CI: progress on a terminal, plain lines when piped,
`--quiet`, `--json`, and NO_COLOR."""

from __future__ import annotations

import json
import os
import re

import pytest

from .conftest import run_cli, write_manuscript

GOOD = {"chapters/one.md": "# One\n\nShe said, \"Hello...\" and left.\n\n* * *\n\nThe end.\n"}
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|9[0-7])m")  # an SGR foreground colour


@pytest.fixture(scope="module")
def ms(tmp_path_factory):
    return write_manuscript(tmp_path_factory.mktemp("out") / "ms", GOOD)


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    return env | extra


def test_json_result_for_ci(ms, tmp_path):
    proc = run_cli("--json", "all", "-m", str(ms), "-o", str(tmp_path / "o"), env=_env())
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no progress, no chatter: stdout is the one JSON document
    data = json.loads(proc.stdout)
    assert data["ok"] is True and data["warnings"] == []
    # every edition by default: the three formats and the store EPUBs
    assert set(data["outputs"]) == {"epub", "pdf", "html", "kindle", "kobo", "apple", "google"}
    assert data["outputs"]["kobo"].endswith("test-book.kepub.epub")
    assert data["outputs"]["epub"].endswith("test-book.epub")
    assert {"epub", "pdf", "html", "total"} <= set(data["durations"])
    assert all(isinstance(v, float) and v >= 0 for v in data["durations"].values())


def test_json_flag_after_the_command_and_on_failure(ms, tmp_path):
    proc = run_cli("html", "-m", str(ms), "-o", str(tmp_path / "o"), "--json", env=_env())
    assert proc.returncode == 0 and json.loads(proc.stdout)["ok"] is True
    bad = write_manuscript(tmp_path / "bad", {"chapters/one.md": "# One\n\n::: {.call}\nHello.\n"})
    proc = run_cli("--json", "html", "-m", str(bad), "-o", str(tmp_path / "o"), env=_env())
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["ok"] is False and "one.md:3: fenced block '::: call' is never closed" in data["error"]
    assert [line for line in proc.stderr.splitlines() if line.startswith("error:")] == [f"error: {data['error']}"]


def test_quiet_prints_nothing_on_success(ms, tmp_path):
    proc = run_cli("--quiet", "html", "-m", str(ms), "-o", str(tmp_path / "o"), env=_env())
    assert proc.returncode == 0 and proc.stderr == "" and proc.stdout == ""


def test_piped_output_is_plain_lines(ms, tmp_path):
    proc = run_cli("all", "-m", str(ms), "-o", str(tmp_path / "o"), env=_env())
    assert proc.returncode == 0
    assert "\x1b[" not in proc.stderr  # not a terminal: no colours, no live display
    lines = proc.stderr.splitlines()
    assert {"writing epub", "writing pdf", "writing html"} <= set(lines)
    assert any(line.startswith("epub: ") and line.endswith("test-book.epub") for line in lines)


def test_terminal_shows_live_progress_in_colour_unless_no_color(ms, tmp_path):
    proc = run_cli("all", "-m", str(ms), "-o", str(tmp_path / "a"), env=_env(FORCE_COLOR="1", COLUMNS="100"))
    assert proc.returncode == 0
    assert "\x1b[2K" in proc.stderr  # the live display redraws its lines
    assert COLOUR.search(proc.stderr)
    for phase in ("writing epub", "writing pdf", "writing html"):
        assert phase in proc.stderr
    assert "✓" in proc.stderr  # finished phases are ticked
    plain = run_cli("all", "-m", str(ms), "-o", str(tmp_path / "b"),
                    env=_env(FORCE_COLOR="1", NO_COLOR="1", COLUMNS="100"))
    assert plain.returncode == 0 and "writing pdf" in plain.stderr
    assert not COLOUR.search(plain.stderr)


def test_a_reporter_with_step_hears_of_every_chapter(tmp_path):
    """Per-chapter progress: typesetting and PDF layout each count the chapters."""
    from onephone_build.build import build

    ms = write_manuscript(tmp_path / "ms", {f"chapters/{i}.md": f"# C{i}\n\nText {i}.\n" for i in range(3)})

    class Recorder:
        def __init__(self):
            self.phases, self.steps = [], []

        def __call__(self, msg):
            self.phases.append(msg)

        def step(self, done, total):
            self.steps.append((self.phases[-1], done, total))

    rec = Recorder()
    build(ms, tmp_path / "out", ("epub", "pdf"), report=rec, use_cache=False)
    typeset = [(d, t) for p, d, t in rec.steps if p.startswith("reading")]
    layout = [(d, t) for p, d, t in rec.steps if p == "writing pdf"]
    assert typeset == [(1, 3), (2, 3), (3, 3)]
    assert layout == [(1, 3), (2, 3), (3, 3)]
