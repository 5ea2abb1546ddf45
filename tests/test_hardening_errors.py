"""Bad input the issue's list does not spell out: still one line `error: FILE:LINE[:COL]: message`,
exit 1, no traceback (the listed cases are in test_cli_errors.py)."""

from __future__ import annotations

import os
import re

import pytest

from .conftest import run_cli, write_manuscript

GOOD = {"chapters/one.md": "# One\n\nShe said hello.\n"}
HEAD = "title: T\nauthor: A\nlanguage: en\n"
CHAPTERS = "chapters:\n  - chapters/one.md\n"
ERROR_LINE = re.compile(r"^error: (?P<file>[^:]+):(?P<line>\d+)(:\d+)?: \S")


def _error(proc) -> str:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.startswith("error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


# (id, book.yaml bytes or None, chapter bytes or None, expected file, line, fragment)
CASES = [
    ("yaml is a list", b"- a\n- b\n", None, "book.yaml", 1, "must be a mapping"),
    ("yaml is empty", b"", None, "book.yaml", 1, "must be a mapping"),
    ("yaml not utf-8", b"title: Caf\xe9\nauthor: A\n", None, "book.yaml", 1, "not UTF-8: byte 0xe9 at offset 10"),
    ("key given twice", HEAD.encode() + b"title: U\n" + CHAPTERS.encode(), None, "book.yaml", 4,
     "'title' is given twice (first on line 1)"),
    ("yaml alias", b"title: &t T\nauthor: *t\nlanguage: en\n" + CHAPTERS.encode(), None, "book.yaml", 2,
     "aliases"),
    ("deep yaml", b"title: " + b"[" * 3000 + b"]" * 3000 + b"\n", None, "book.yaml", None, "nested too deeply"),
    ("number key", HEAD.encode() + b"3: x\n" + CHAPTERS.encode(), None, "book.yaml", 4, "unknown option '3'"),
    ("control char in title", b'title: "T\\x01"\nauthor: A\nlanguage: en\n' + CHAPTERS.encode(), None,
     "book.yaml", 1, "'title' contains the control character U+0001"),
    ("nul in chapter path", HEAD.encode() + b'chapters:\n  - "chapters/\\0one.md"\n', None, "book.yaml", 5,
     "NUL character"),
    ("chapter is a directory", HEAD.encode() + b"chapters:\n  - chapters\n", None, "book.yaml", 5,
     "is a directory"),
    ("chapter not a string", HEAD.encode() + b"chapters:\n  - 5\n", None, "book.yaml", 5, "must be a path"),
    ("trim too small", HEAD.encode() + b"trim: 0in x 0in\n" + CHAPTERS.encode(), None, "book.yaml", 4,
     "'trim' sides must be between 2in and 20in"),
    ("trim too large", HEAD.encode() + b"trim: 1000000in x 8in\n" + CHAPTERS.encode(), None, "book.yaml", 4,
     "'trim' sides must be between"),
    ("lone surrogate (CESU-8)", None, b"# One\n\nbad \xed\xa0\x80 here\n", "one.md", 3, "not UTF-8: byte 0xed"),
    ("only forbidden characters", None, b"\x00\x01\n\x0b", "one.md", 1, "chapter is empty"),
]


@pytest.mark.parametrize("name,yaml_bytes,chapter,file,line,fragment", CASES, ids=[c[0] for c in CASES])
def test_more_bad_input_gets_one_located_line(tmp_path, name, yaml_bytes, chapter, file, line, fragment):
    ms = write_manuscript(tmp_path / "ms", GOOD)
    if yaml_bytes is not None:
        (ms / "book.yaml").write_bytes(yaml_bytes)
    if chapter is not None:
        (ms / "chapters/one.md").write_bytes(chapter)
    msg = _error(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")))
    assert fragment in msg, msg
    if line is None:
        assert msg.startswith("error: ") and file in msg
    else:
        m = ERROR_LINE.match(msg)
        assert m and m["file"].endswith(file) and int(m["line"]) == line, msg


def test_book_yaml_that_is_a_directory(tmp_path):
    ms = tmp_path / "ms"
    (ms / "book.yaml").mkdir(parents=True)
    assert "book.yaml is not a file" in _error(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")))


def test_unquoted_date_is_accepted(tmp_path):
    ms = write_manuscript(tmp_path / "ms", GOOD, date="2026-11-27")
    proc = run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("epoch", ["abc", "-5", "99999999999999"])
def test_bad_source_date_epoch(tmp_path, epoch):
    ms = write_manuscript(tmp_path / "ms", GOOD)
    proc = run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out"), env=os.environ | {"SOURCE_DATE_EPOCH": epoch})
    assert "SOURCE_DATE_EPOCH" in _error(proc)


def test_every_error_of_the_cli_suite_has_the_located_form(tmp_path):
    """The issue's list (test_cli_errors.CASES) prints FILE:LINE[:COL] where there is a line."""
    from .test_cli_errors import CASES as LISTED

    for name, yaml_text, chapters, _ in LISTED:
        ms = write_manuscript(tmp_path / name.replace(" ", "-"), chapters or GOOD)
        if yaml_text is not None:
            (ms / "book.yaml").write_text(yaml_text)
        msg = _error(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")))
        assert ERROR_LINE.match(msg), (name, msg)


def test_missing_manuscript_is_a_usage_error(tmp_path):
    proc = run_cli("all", "-m", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()
