"""The CLI contract: outputs where promised, exit codes, and one clear line for bad input."""

from __future__ import annotations

import pytest

from .conftest import run_cli, write_manuscript

GOOD = {"chapters/one.md": "# One\n\nShe said, “Hello…” and left.\n\n* * *\n\nThe end.\n"}


def _err(proc) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.startswith("error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_epub_and_html_land_where_the_contract_says(tmp_path):
    ms = write_manuscript(tmp_path / "ms", GOOD)
    out = tmp_path / "out"
    proc = run_cli("epub", "-m", str(ms), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (out / "test-book.epub").is_file()
    proc = run_cli("html", "--manuscript", str(ms), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (out / "html" / "index.html").is_file()
    assert not list(out.glob(".*.tmp")), "temporary files left behind"


@pytest.mark.parametrize("args", [("epub", "-m", "/no/such/dir"), ("frobnicate",), ("epub", "--bogus")])
def test_usage_errors_exit_2(args):
    proc = run_cli(*args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr


CASES = [
    # (name, book.yaml text or None for the default, chapters, expected fragment of the error)
    ("yaml syntax", "title: [unclosed\nauthor: x\n", None, "book.yaml:"),
    ("missing title", "author: A\nlanguage: en\nchapters:\n  - chapters/one.md\n", None, "missing required field 'title'"),
    ("missing author", "title: T\nlanguage: en\nchapters:\n  - chapters/one.md\n", None, "'author'"),
    ("missing language", "title: T\nauthor: A\nchapters:\n  - chapters/one.md\n", None, "'language'"),
    ("unknown option", "title: T\nauthor: A\nlanguage: en\nauthr: B\nchapters:\n  - chapters/one.md\n",
     None, "book.yaml:4: unknown option 'authr' (did you mean 'author'?)"),
    ("chapter absent", "title: T\nauthor: A\nlanguage: en\nchapters:\n  - chapters/one.md\n  - chapters/two.md\n",
     None, "book.yaml:6: chapter 'chapters/two.md' is listed but does not exist"),
    ("duplicate chapter", "title: T\nauthor: A\nlanguage: en\nchapters:\n  - chapters/one.md\n  - chapters/one.md\n",
     None, "listed twice"),
    ("chapter outside", "title: T\nauthor: A\nlanguage: en\nchapters:\n  - ../../etc/passwd\n", None, "outside the manuscript"),
    ("bad dash style", "title: T\nauthor: A\nlanguage: en\ntypography:\n  dashes: wavy\nchapters:\n  - chapters/one.md\n",
     None, "'typography.dashes' must be one of closed, spaced"),
    ("empty chapter", None, {"chapters/one.md": "\n\n  \n"}, "one.md:1: chapter is empty"),
    ("unclosed fence", None, {"chapters/one.md": "# One\n\n::: {.voicemail from=\"A\"}\nHello.\n"},
     "one.md:3: fenced block '::: voicemail' is never closed"),
    ("unknown fence", None, {"chapters/one.md": "# One\n\n::: {.podcast}\nHello.\n:::\n"},
     "one.md:3: unknown fenced block"),
    ("stray closing fence", None, {"chapters/one.md": "# One\n\nHello.\n\n:::\n"}, "one.md:5: closing ':::'"),
]


@pytest.mark.parametrize("name,yaml_text,chapters,fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_one_clear_line_and_exit_1(tmp_path, name, yaml_text, chapters, fragment):
    ms = write_manuscript(tmp_path / "ms", chapters or GOOD)
    if yaml_text is not None:
        (ms / "book.yaml").write_text(yaml_text)
    proc = run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert fragment in _err(proc)


def test_non_utf8_chapter_names_line_and_byte(tmp_path):
    ms = write_manuscript(tmp_path / "ms", GOOD)
    (ms / "chapters/one.md").write_bytes("# One\n\nfine line\ncaf\xe9".encode("latin-1"))
    proc = run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode == 1
    msg = _err(proc)
    assert "one.md:4:" in msg and "not UTF-8" in msg and "offset 20" in msg


def test_debug_shows_the_traceback(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": "\n"})
    proc = run_cli("--debug", "epub", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_failed_rebuild_keeps_the_previous_artifact(tmp_path):
    ms = write_manuscript(tmp_path / "ms", GOOD)
    out = tmp_path / "out"
    assert run_cli("epub", "-m", str(ms), "-o", str(out)).returncode == 0
    before = (out / "test-book.epub").read_bytes()
    (ms / "chapters/one.md").write_text("# One\n\n::: {.voicemail}\nunclosed\n")
    assert run_cli("epub", "-m", str(ms), "-o", str(out)).returncode == 1
    assert (out / "test-book.epub").read_bytes() == before
    # nothing half-written beside it (.cache is the build cache, written entry by entry atomically)
    assert sorted(p.name for p in out.iterdir() if p.name != ".cache") == [".lock", "test-book.epub"]


def test_anchor_links_must_name_an_element_of_their_chapter(tmp_path):
    from onephone_build.check import check_epub

    good = {"chapters/one.md": "# One\n\nSee [the end](#end) or [the top](#chapter-01).\n\n"
                               "## The end {#end}\n\nA [marked]{#mark} word, [again](#mark).\n"}
    ms = write_manuscript(tmp_path / "good", good)
    proc = run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert check_epub(tmp_path / "out" / "test-book.epub") == []

    bad = write_manuscript(tmp_path / "bad", {"chapters/one.md": "# One\n\nText.\n\nSee [it](#nope).\n"})
    proc = run_cli("epub", "-m", str(bad), "-o", str(tmp_path / "out2"))
    assert proc.returncode == 1
    assert "one.md:5:10: link to '#nope' has no target in this chapter" in _err(proc)
    proc = run_cli("epub", "--skip-unsafe-links", "-m", str(bad), "-o", str(tmp_path / "out2"))
    assert proc.returncode == 0 and "warning:" in proc.stderr
