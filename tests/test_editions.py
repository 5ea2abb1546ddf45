"""The editions table: what `all` builds is what book.yaml asks for, and every row names a
writer, a stylesheet and validators that exist."""

from __future__ import annotations

import importlib

import pytest

from onephone_build.check import VALIDATORS
from onephone_build.config.editions import EDITIONS, GLUES
from onephone_build.editions.assets import stylesheet

from .conftest import run_cli, write_manuscript


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.name)
def test_each_row_names_what_exists(edition):
    writer = importlib.import_module(f"onephone_build.editions.{edition.writer}")
    assert callable(writer.write)
    assert stylesheet(edition.stylesheet).is_file()
    assert edition.glue in GLUES
    assert edition.checks and all(c in VALIDATORS for c in edition.checks)


def test_all_builds_the_editions_the_book_asks_for(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"one.md": "# One\n\nText.\n"}, editions="[html, epub]")
    out = tmp_path / "out"
    proc = run_cli("--json", "all", "--no-cache", "-m", str(ms), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (out / "test-book.epub").is_file() and (out / "html" / "index.html").is_file()
    assert not (out / "test-book.pdf").exists()
    # a single edition's command still builds it whatever the list says
    assert run_cli("pdf", "--no-cache", "-m", str(ms), "-o", str(out)).returncode == 0
    assert (out / "test-book.pdf").is_file()


@pytest.mark.parametrize("value, message", [
    ("[epub, kindel]", "unknown edition 'kindel'"),
    ("epub", "'editions' must be a list"),
    ("[]", "'editions' must be a list"),
])
def test_a_bad_editions_list_is_one_located_error(tmp_path, value, message):
    ms = write_manuscript(tmp_path / "ms", {"one.md": "# One\n\nText.\n"}, editions=value)
    proc = run_cli("all", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode == 1
    assert message in proc.stderr and "book.yaml:4" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "test-book.epub").exists()


def test_an_up_to_date_all_reads_no_book_yaml(tmp_path):
    import subprocess
    import sys

    ms = write_manuscript(tmp_path / "ms", {"one.md": "# One\n\nText.\n"}, editions="[html]")
    out = tmp_path / "out"
    code = ("import sys; from pathlib import Path; from onephone_build.build import build; "
            f"r = build(Path({str(ms)!r}), Path({str(out)!r}), None); "
            "print(sorted(r.outputs), 'yaml' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["['html']", "True"]
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert again.stdout.split() == ["['html']", "False"]
    # book.yaml changed: the list is read again
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text().replace("[html]", "[html, epub]"))
    third = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert third.stdout.split() == ["['epub',", "'html']", "True"]
