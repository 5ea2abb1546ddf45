"""Issue 13, hostile and broken input, round two: links planted in OUT, cache entries that
parse but lie, hidden manuscript files, and the inputs that gave a traceback or a hang."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from onephone_build.build import build
from onephone_build.errors import BookError

from .conftest import run_cli, write_manuscript

CHAPTERS = {"chapters/01.md": "# One\n\nThe first words.\n", "chapters/02.md": "# Two\n\nThe second words.\n"}


@pytest.fixture
def ms(tmp_path):
    return write_manuscript(tmp_path / "ms", CHAPTERS)


def _epub_text(out: Path, n: int = 1) -> str:
    return zipfile.ZipFile(out / "test-book.epub").read(f"EPUB/chapter-{n:02d}.xhtml").decode()


# -- (a) links inside OUT, the cache ------------------------------------------------------

def test_a_lock_that_is_a_link_is_refused_and_its_target_untouched(ms, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".lock").symlink_to(victim)
    proc = run_cli("epub", "-m", str(ms), "-o", str(out))
    assert proc.returncode == 1 and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr
    assert victim.read_text() == "precious"


def test_a_cache_that_is_a_link_is_neither_written_nor_read(ms, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").symlink_to(elsewhere, target_is_directory=True)
    proc = run_cli("epub", "-m", str(ms), "-o", str(out))
    assert proc.returncode == 1 and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_cache_kind_folder_that_is_a_link_is_refused(ms, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    (out / ".cache").mkdir(parents=True)
    (out / ".cache" / "chapter").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BookError, match="symbolic link"):
        build(ms, out, ("epub",))
    assert list(elsewhere.iterdir()) == []


def test_an_output_that_is_a_link_is_refused(ms, tmp_path):
    victim = tmp_path / "victim.epub"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "test-book.epub").symlink_to(victim)
    with pytest.raises(BookError, match="symbolic link"):
        build(ms, out, ("epub",))
    assert victim.read_text() == "precious"


@pytest.mark.parametrize("drop", ["title", "xhtml", "resolved", "images", "source_warnings"])
def test_a_chapter_entry_lacking_a_field_is_a_miss(ms, tmp_path, drop):
    out = tmp_path / "out"
    build(ms, out, ("epub",))
    for p in (out / ".cache" / "chapter").glob("*.json"):
        entry = json.loads(p.read_text())
        del entry[drop]
        p.write_text(json.dumps(entry))
    (ms / "chapters/02.md").write_text("# Two\n\nEdited.\n")  # the build must read the cache again
    build(ms, out, ("epub",))
    assert "The first words." in _epub_text(out)


def test_entries_of_the_wrong_shape_are_misses(ms, tmp_path):
    out = tmp_path / "out"
    build(ms, out, ("epub", "pdf"))
    for p in (out / ".cache").rglob("*.json"):
        entry = json.loads(p.read_text())
        p.write_text(json.dumps({"key": entry["key"], "front": "x", "chapters": [None], "pages": True,
                                 "resolved": [[1]], "output": 5, "sha256": entry.get("sha256", "")}))
    (ms / "chapters/02.md").write_text("# Two\n\nEdited.\n")
    result = build(ms, out, ("epub", "pdf"))
    assert result.outputs["pdf"].read_bytes().startswith(b"%PDF")
    build(ms, out, ("epub", "pdf"))  # up to date: the build entries written just now are good


def test_cached_xhtml_goes_through_the_sanitiser(ms, tmp_path):
    out = tmp_path / "out"
    build(ms, out, ("epub",))
    for p in (out / ".cache" / "chapter").glob("*.json"):
        entry = json.loads(p.read_text())
        entry["xhtml"] = entry["xhtml"].replace("<p>", '<p><script>alert(1)</script><a href="https://x.example">x</a>')
        p.write_text(json.dumps(entry))
    (ms / "chapters/02.md").write_text("# Two\n\nEdited.\n")
    build(ms, out, ("epub",))
    text = _epub_text(out)
    assert "The first words." in text and "<script" not in text and "x.example" not in text


def test_untampered_cached_chapters_are_still_hits(ms, tmp_path, monkeypatch):
    from onephone_build import pipeline

    out = tmp_path / "out"
    build(ms, out, ("epub",))
    parsed = []
    real = pipeline.Parse
    monkeypatch.setattr(pipeline, "Parse", lambda cfg, *a: parsed.append(len(cfg.chapters)) or real(cfg, *a))
    (ms / "chapters/02.md").write_text("# Two\n\nEdited.\n")
    build(ms, out, ("epub",))
    assert parsed == [1]


def test_hidden_manuscript_files_are_hashed(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/.draft.md": "# Draft\n\nOld text.\n"})
    out = tmp_path / "out"
    build(ms, out, ("epub",))
    (ms / "chapters/.draft.md").write_text("# Draft\n\nNew text.\n")
    build(ms, out, ("epub",))
    assert "New text." in _epub_text(out)
