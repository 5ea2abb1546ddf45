"""`new` makes a book that builds and passes every validator at once; `check` validates a
build directory, fails on any error, and says clearly when an artifact is missing."""

from __future__ import annotations

import json

import pytest

from onephone_build import check as check_mod
from onephone_build.check import VALIDATORS
from onephone_build.cli import main
from onephone_build.config.editions import DEFAULT, EDITIONS

from .conftest import run_cli


@pytest.fixture(scope="module")
def new_book(tmp_path_factory):
    root = tmp_path_factory.mktemp("new")
    ms, out = root / "mybook", root / "build"
    proc = run_cli("new", str(ms))
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("all", "-m", str(ms), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return ms, out


def test_new_book_has_a_scene_break_and_a_transcript(new_book):
    ms, out = new_book
    assert sorted(p.name for p in (ms / "chapters").iterdir()) == ["01-beginning.md", "02-the-call.md"]
    assert "\n* * *\n" in (ms / "chapters/01-beginning.md").read_text()
    assert "::: {.voicemail" in (ms / "chapters/02-the-call.md").read_text()
    page = (out / "html" / "chapter-02.html").read_text(encoding="utf-8")
    assert 'class="transcript voicemail"' in page and 'class="transcript texts"' in page
    assert run_cli("lint", "-m", str(ms)).returncode == 0


def test_new_book_passes_check(new_book):
    """The real validators: epubcheck and DAISY Ace on every EPUB edition, the Nu HTML checker,
    PDF trim/fonts/outline/metadata."""
    ms, out = new_book
    proc = run_cli("check", "-m", str(ms), "-o", str(out), env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith("│")]
    # a new book asks for the default editions (no print-on-demand service)
    expected = [VALIDATORS[c][0] for e in EDITIONS if e.name in DEFAULT for c in e.checks]
    assert [r.split("│")[2].strip() for r in rows] == expected
    assert expected.count("DAISY Ace") == 5
    assert all(r.split("│")[5].strip() == "ok" for r in rows), proc.stdout


def test_new_refuses_a_directory_in_use(new_book):
    ms, _ = new_book
    proc = run_cli("new", str(ms))
    assert proc.returncode == 1 and proc.stderr.startswith("error: ") and "not an empty directory" in proc.stderr


def test_check_fails_on_an_error(new_book, monkeypatch, capsys):
    """A PDF whose page size is not the trim in book.yaml: exit 1, FAIL in the table, the reason below.
    (epubcheck, Ace and the HTML checker are stubbed here: the test above runs them for real.)"""
    ms, out = new_book
    monkeypatch.setattr(check_mod, "check_epub", lambda p: [])
    monkeypatch.setattr(check_mod, "check_ace", lambda p: [])
    monkeypatch.setattr(check_mod, "check_html", lambda p: [])
    yaml_text = (ms / "book.yaml").read_text()
    monkeypatch.setattr(check_mod, "trim_points", lambda trim: (432.0, 648.0))  # as if trim: 6in x 9in
    with pytest.raises(SystemExit) as exit_:
        main(["check", "-m", str(ms), "-o", str(out)])
    assert exit_.value.code == 1
    stdout = capsys.readouterr().out
    assert "FAIL" in stdout and "is not the trim" in stdout
    with pytest.raises(SystemExit) as exit_:
        main(["--json", "check", "-m", str(ms), "-o", str(out)])
    assert exit_.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    pdf = next(a for a in data["artifacts"] if a["validator"] == "PDF checks")
    assert pdf["errors"] == 1 and "is not the trim" in pdf["issues"][0]["message"]
    assert (ms / "book.yaml").read_text() == yaml_text


def test_check_names_a_missing_artifact(new_book, tmp_path):
    ms, out = new_book
    partial = tmp_path / "partial"
    assert run_cli("html", "-m", str(ms), "-o", str(partial)).returncode == 0
    proc = run_cli("check", "-m", str(ms), "-o", str(partial))
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in proc.stderr
    assert ("untitled-book.epub, untitled-book.pdf, untitled-book.kindle.epub, untitled-book.kepub.epub, "
            "untitled-book.apple.epub, untitled-book.google.epub missing") in errors[0]
    assert "build first" in errors[0]


def test_check_for_a_store_runs_only_its_edition(new_book, monkeypatch, capsys):
    ms, out = new_book
    seen = []
    monkeypatch.setattr(check_mod, "check_epub", lambda p: seen.append(("epubcheck", p.name)) or [])
    monkeypatch.setattr(check_mod, "check_ace", lambda p: seen.append(("ace", p.name)) or [])
    monkeypatch.setattr(check_mod, "check_html", lambda p: seen.append(("nu", p.name)) or [])
    main(["--json", "check", "--for", "kobo", "-m", str(ms), "-o", str(out)])
    assert sorted(seen) == [("ace", "untitled-book.kepub.epub"), ("epubcheck", "untitled-book.kepub.epub")]
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_trim_points():
    assert check_mod.trim_points(("5.5in", "8.5in")) == (396.0, 612.0)
    assert check_mod.trim_points(("148mm", "210mm")) == pytest.approx((419.53, 595.28), abs=0.01)
