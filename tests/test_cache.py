"""The build cache rebuilds exactly what changed, and is never wrong: what a style, an
option, the tool's version or a corrupt entry must invalidate, it does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from onephone_build import build as build_mod
from onephone_build import cache as cache_mod
from onephone_build.build import build

from .conftest import ROOT, write_manuscript

CHAPTERS = {f"chapters/{n:02d}.md": f"# Chapter {n}\n\n“There’s- there’s more,” {n} times... “K-Kacchan?”\n"
            for n in range(1, 6)}


class Calls:
    """Counts the expensive steps a build takes: Pandoc parses and WeasyPrint layouts."""

    def __init__(self, monkeypatch):
        from onephone_build import pipeline
        from onephone_build.editions.print import parts as pdf

        self.parsed: list[int] = []
        self.laid_out: list[str] = []
        parse, layout = pipeline.Parse, pdf.render_pdf

        def counting_parse(cfg, *args):
            self.parsed.append(len(cfg.chapters))
            return parse(cfg, *args)

        def counting_layout(html, css, images, identifier, **kw):
            self.laid_out.append(html)
            return layout(html, css, images, identifier, **kw)

        monkeypatch.setattr(pipeline, "Parse", counting_parse)
        monkeypatch.setattr(pdf, "render_pdf", counting_layout)

    def chapters(self) -> list[str]:
        """The chapter documents laid out (not the front matter or furniture sheets)."""
        return [h for h in self.laid_out if '<div class="body">\n<section class="chapter"' in h]


@pytest.fixture
def styles(tmp_path, monkeypatch):
    target = tmp_path / "styles"
    shutil.copytree(ROOT / "styles", target)
    monkeypatch.setenv("ONEPHONE_STYLES", str(target))
    return target


@pytest.fixture
def ms(tmp_path, styles):
    return write_manuscript(tmp_path / "ms", CHAPTERS)


def _build(ms: Path, out: Path, formats=("epub", "pdf", "html"), **kw):
    return build(ms, out, formats, jobs=1, **kw)


def _epub_chapter(out: Path, n: int) -> str:
    return zipfile.ZipFile(out / "test-book.epub").read(f"EPUB/chapter-{n:02d}.xhtml").decode()


def test_nothing_changed_nothing_is_done(ms, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _build(ms, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    calls = Calls(monkeypatch)
    messages: list[str] = []
    result = build(ms, out, ("epub", "pdf", "html"), report=messages.append)
    assert calls.parsed == [] and calls.laid_out == []
    assert set(result.outputs) == {"epub", "pdf", "html"}
    assert all("up to date" in m for m in messages)
    assert {p: p.read_bytes() for p in before} == before


def test_an_up_to_date_build_imports_nothing_heavy(ms, tmp_path):
    out = tmp_path / "out"
    _build(ms, out)
    code = ("import sys; from pathlib import Path; from onephone_build.build import build; "
            f"build(Path({str(ms)!r}), Path({str(out)!r}), ('epub', 'pdf', 'html')); "
            "print(sorted(m for m in ('weasyprint', 'ebooklib', 'pikepdf', 'yaml', 'lxml', "
            "'onephone_build.pipeline', 'PIL') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=os.environ)
    assert proc.stdout.strip() == "[]"


def test_an_edited_chapter_is_the_only_one_parsed_and_laid_out(ms, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _build(ms, out)
    calls = Calls(monkeypatch)
    path = ms / "chapters/03.md"
    path.write_text(path.read_text() + "\nA new line -- of text.\n")
    _build(ms, out)
    assert calls.parsed == [1]  # one Pandoc run, for one chapter
    chapters = calls.chapters()
    assert len(chapters) == 1 and "of text" in chapters[0].replace("\u00a0", " ")  # (runts.py binds the last word)
    assert '<span class="nw">line\u2014</span>of text' in _epub_chapter(out, 3)  # typeset, and glued
    assert _result_equals_a_clean_build(ms, out, tmp_path)


def _result_equals_a_clean_build(ms: Path, out: Path, tmp_path: Path) -> bool:
    """The cached build's EPUB chapters and web pages are those of a build without cache
    (with the PDF, as the cached build: they carry its page numbers)."""
    clean = tmp_path / "clean"
    build(ms, clean, ("epub", "pdf", "html"), use_cache=False, jobs=1)
    assert not (clean / ".cache").exists()
    same_epub = all(_epub_chapter(out, n) == _epub_chapter(clean, n) for n in range(1, 6))
    same_html = all((out / "html" / p.name).read_bytes() == p.read_bytes()
                    for p in (clean / "html").glob("*.html"))
    return same_epub and same_html


def test_a_style_change_lays_out_again(ms, tmp_path, styles, monkeypatch):
    out = tmp_path / "out"
    _build(ms, out, ("pdf",))
    calls = Calls(monkeypatch)
    css = styles / "print.css"
    css.write_text(css.read_text() + "\np { letter-spacing: 0.01em; }\n")
    _build(ms, out, ("pdf",))
    assert len(calls.chapters()) == 5
    assert calls.parsed == []  # the text did not change: its typesetting is still good


def test_an_epub_style_change_rebuilds_the_epub_only(ms, tmp_path, styles, monkeypatch):
    out = tmp_path / "out"
    _build(ms, out)
    calls = Calls(monkeypatch)
    css = styles / "epub.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    result = _build(ms, out)
    assert "/* changed */" in zipfile.ZipFile(result.outputs["epub"]).read("EPUB/styles/epub.css").decode()
    # the PDF is joined again (its inputs changed), from the chapters' cached layouts
    assert calls.chapters() == [] and calls.parsed == []


def test_an_option_change_typesets_again(ms, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _build(ms, out, ("epub",))
    assert "There’s\u2014</span>there’s" in _epub_chapter(out, 1)
    yaml = ms / "book.yaml"
    yaml.write_text(yaml.read_text() + "typography:\n  dashes: spaced\n")
    calls = Calls(monkeypatch)
    _build(ms, out, ("epub",))
    assert calls.parsed == [5]
    assert "\u2013 there’s" in _epub_chapter(out, 1) and "\u2014" not in _epub_chapter(out, 1)


def test_link_policy_is_part_of_the_key(tmp_path, styles):
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": "# One\n\nSee [x](file:///etc/passwd).\n"})
    out = tmp_path / "out"
    assert _build(ms, out, ("epub",), link_policy="skip").warnings
    from onephone_build.errors import BookError

    with pytest.raises(BookError):
        _build(ms, out, ("epub",), link_policy="refuse")


def test_a_new_tool_version_misses_the_whole_cache(ms, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _build(ms, out)
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    cache_mod.environment_digest.cache_clear()
    try:
        calls = Calls(monkeypatch)
        _build(ms, out)
        assert calls.parsed == [5]
        assert len(calls.chapters()) == 5
    finally:
        cache_mod.environment_digest.cache_clear()


def test_corrupt_entries_are_ignored(ms, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _build(ms, out)
    for i, p in enumerate(sorted((out / ".cache").rglob("*.*"))):
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 2] if i % 2 else b"\x00garbage")
    calls = Calls(monkeypatch)
    result = _build(ms, out)
    assert calls.parsed == [5]
    assert _result_equals_a_clean_build(ms, out, tmp_path)
    assert result.outputs["pdf"].read_bytes().startswith(b"%PDF")


def test_an_output_changed_by_hand_is_built_again(ms, tmp_path):
    out = tmp_path / "out"
    first = _build(ms, out)
    first.outputs["epub"].write_bytes(b"not an epub")
    (out / "html" / "index.html").unlink()
    again = _build(ms, out)
    assert zipfile.is_zipfile(again.outputs["epub"])
    assert (out / "html" / "index.html").is_file()


def test_images_numbered_after_an_earlier_chapter_gains_one(tmp_path, styles):
    from PIL import Image

    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": "# One\n\nText.\n",
                                            "chapters/two.md": "# Two\n\n![A](b.png)\n"})
    for name, colour in (("a.png", "red"), ("b.png", "blue")):
        Image.new("RGB", (8, 8), colour).save(ms / "chapters" / name)
    out = tmp_path / "out"
    _build(ms, out, ("epub", "html"))
    (ms / "chapters/one.md").write_text("# One\n\n![A](a.png)\n")
    _build(ms, out, ("epub", "html"))
    assert _epub_chapter(out, 1).count("images/001.png") == 1
    assert _epub_chapter(out, 2).count("images/002.png") == 1
    html = (out / "html" / "chapter-02.html").read_text()
    assert 'src="images/002.png"' in html


def test_build_signature_stays_compatible(ms, tmp_path):
    seen: list[str] = []
    result = build_mod.build(ms, tmp_path / "out", ("epub",), "refuse", seen.append)
    assert result.outputs["epub"].is_file() and seen


def test_hashing_never_follows_links_nor_reads_special_files(tmp_path):
    """A symlink to /dev/zero, a link out of the manuscript and a FIFO: the cache key must
    not read them (it would hang, or read outside the book), yet the build works."""
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": "# One\n\nText.\n"})
    os.symlink("/dev/zero", ms / "zero.txt")
    os.symlink("/etc/hostname", ms / "outside.txt")
    os.mkfifo(ms / "pipe")
    key = cache_mod.tree_digest(ms)  # returns at once; it would block on the FIFO or /dev/zero
    (ms / "outside.txt").unlink()
    os.symlink("/etc/passwd", ms / "outside.txt")
    assert cache_mod.tree_digest(ms) != key  # a changed link target still changes the key
    proc = subprocess.run([sys.executable, "-m", "onephone_build", "epub", "-m", str(ms), "-o",
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
