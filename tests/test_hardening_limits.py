"""Hostile sizes: past a limit the book is refused with an error naming it; at the limit it
builds. No timing here: the limits are what keeps time and memory bounded (README has the
measured figures). Size limits are lowered by monkeypatching to keep the suite fast."""

from __future__ import annotations

import re

import pytest

from onephone_build.config import book as config
from onephone_build.read import pandoc, source
from onephone_build.build import build
from onephone_build.errors import BookError

from .conftest import write_manuscript

D = source.MAX_NESTING
B = source.MAX_BRACKET_DEPTH


def _build(tmp_path, body: str, **chapters):
    files = {"chapters/one.md": f"# One\n\n{body}\n"} | chapters
    ms = write_manuscript(tmp_path / "ms", files)
    return build(ms, tmp_path / "out", ("epub",), use_cache=False)


OVER = {
    "10,000 nested emphasis": ("".join("*a _b " for _ in range(5000)) + "x" + "".join(" c_ d*" for _ in range(5000)),
                               "nested more than"),
    "10,000 unbalanced * runs": (" ".join(["*a"] * 10000), "nested more than"),
    "emphasis one too deep": ("".join(f"*w{i} " for i in range(D + 1)) + "x" + "".join(f" w{i}*" for i in range(D + 1)),
                              "nested more than"),
    "nested brackets": ("[" * (B + 1) + "x" + "]" * (B + 1), f"more than {B} '['"),
    "unclosed brackets": ("[a " * 5000, f"more than {B} '['"),
    "block quotes": ("> " * (D + 1) + "x", "block quotes and lists nested"),
    "nested lists": ("".join("  " * i + "- a\n" for i in range(D + 1)), "block quotes and lists nested"),
    "raw HTML elements": ("<span>" * (D + 1) + "x" + "</span>" * (D + 1), "nested more than"),
    "fenced blocks": ("::: {.call from=\"A\"}\n" + "::: narration\n" * D + "x\n" + ":::\n" * (D + 1),
                      "fenced blocks nested more than"),
}


@pytest.mark.parametrize("name", list(OVER), ids=list(OVER))
def test_over_the_nesting_limits_is_refused_before_pandoc(tmp_path, monkeypatch, name):
    body, fragment = OVER[name]
    monkeypatch.setattr(pandoc, "_start_pandoc", lambda *a: pytest.fail("Pandoc was called"))
    with pytest.raises(BookError, match=re.escape(fragment)) as e:
        _build(tmp_path, body)
    assert "one.md:" in str(e.value)


AT = {
    "emphasis at the limit": "".join(f"*w{i} " for i in range(D // 2)) + "".join(f"_v{i} " for i in range(D // 2))
                             + "x" + "".join(f" v{i}_" for i in reversed(range(D // 2)))
                             + "".join(f" w{i}*" for i in reversed(range(D // 2))),
    "a 10,000-star run": "*" * 10000 + "x" + "*" * 10000,
    "brackets at the limit": "[" * B + "x" + "]" * B,
    "block quotes at the limit": "> " * (D - 1) + "x",
    "spans at the limit": "<span>" * (D - 1) + "x" + "</span>" * (D - 1),
    "many balanced emphases": " ".join(["*a* _b_ **c**"] * 3000),
    "a 1 MB paragraph": ("word *and* [span]{.x} " * 50000).strip(),
}


@pytest.mark.parametrize("name", list(AT), ids=list(AT))
def test_at_the_limits_it_builds(tmp_path, name):
    assert _build(tmp_path, AT[name]).outputs["epub"].is_file()


def test_chapter_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_CHAPTER_BYTES", 2000)
    body = "x " * 900
    _build(tmp_path / "ok", body)
    with pytest.raises(BookError, match=r"book\.yaml:5: chapter 'chapters/one\.md' is .* the limit is"):
        _build(tmp_path / "big", body + "y " * 100)


def test_book_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_BOOK_BYTES", 3000)
    body = "x " * 700
    _build(tmp_path / "ok", body, **{"chapters/two.md": "# Two\n\n" + body})
    with pytest.raises(BookError, match=r"book\.yaml:7: the chapters come to more than"):
        _build(tmp_path / "big", body, **{"chapters/two.md": "# Two\n\n" + body, "chapters/three.md": "# 3\n\n" + body})


def test_chapter_count_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_CHAPTERS", 3)
    three = {f"chapters/{i}.md": f"# {i}\n\ntext\n" for i in range(3)}
    ms = write_manuscript(tmp_path / "ok", three)
    assert len(config.load(ms).chapters) == 3
    ms = write_manuscript(tmp_path / "over", three | {"chapters/3.md": "# 3\n\ntext\n"})
    with pytest.raises(BookError, match=r"book\.yaml:4: 4 chapters; the limit is 3"):
        config.load(ms)


def test_chapter_over_the_limit_read_directly_is_refused(tmp_path, monkeypatch):
    """The reader checks the size it reads, too (a file that grew after book.yaml was checked)."""
    monkeypatch.setattr(source, "MAX_CHAPTER_BYTES", 10)
    path = tmp_path / "one.md"
    path.write_text("# One\n\nmore than ten bytes\n")
    with pytest.raises(BookError, match="the limit is"):
        source.read_source(path)


def test_pandoc_out_of_memory_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pandoc, "PANDOC_MEMORY", "1m")
    with pytest.raises(BookError, match="Pandoc could not read the manuscript: it needs more than 1m"):
        _build(tmp_path, "word " * 300000)


def test_pandoc_timeout_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pandoc, "PANDOC_TIMEOUT", 0.001)
    with pytest.raises(BookError, match="Pandoc took more than"):
        _build(tmp_path, "text")
