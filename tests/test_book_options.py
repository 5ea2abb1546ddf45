"""Options a book sets in book.yaml, and the book face, end to end."""

from __future__ import annotations

import os
import shutil
import zipfile

from lxml import etree

from .conftest import ROOT, run_cli, write_manuscript

TEXT = {"chapters/one.md": "# One\n\n“I should have been-” She stopped. “There’s- there’s more -if you listen- here.”\n"}


def _epub_text(path) -> str:
    z = zipfile.ZipFile(path)
    return "".join(etree.fromstring(z.read("EPUB/chapter-01.xhtml")).itertext())


def test_closed_dashes_by_default_and_spaced_on_request(tmp_path):
    closed = write_manuscript(tmp_path / "closed", TEXT)
    spaced = write_manuscript(tmp_path / "spaced", TEXT, typography="{dashes: spaced}")
    for ms in (closed, spaced):
        assert run_cli("epub", "-m", str(ms), "-o", str(ms / "out")).returncode == 0
    c = _epub_text(closed / "out" / "test-book.epub")
    s = _epub_text(spaced / "out" / "test-book.epub")
    assert "been\u2014”" in c and "There’s\u2014there’s" in c and "more\u2014if you listen\u2014here" in c
    assert "\u2013" not in c
    assert "\u2014" not in s
    assert "There’s\u00a0\u2013 there’s" in s and "more\u00a0\u2013 if you listen\u00a0\u2013 here" in s


def test_a_missing_book_face_is_a_clear_error_not_a_fallback(tmp_path):
    styles = tmp_path / "styles"
    shutil.copytree(ROOT / "styles", styles)
    (styles / "fonts" / "EBGaramond12-Italic.otf").unlink()
    ms = write_manuscript(tmp_path / "ms", TEXT)
    proc = run_cli("pdf", "-m", str(ms), "-o", str(tmp_path / "out"),
                   env={**os.environ, "ONEPHONE_STYLES": str(styles)})
    assert proc.returncode == 1
    assert "EB Garamond (italic) is missing" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "test-book.pdf").exists()


def test_a_character_no_print_face_has_is_refused_with_its_place(tmp_path):
    # Linear B: neither EB Garamond nor any default fallback face (Noto Serif, Hebrew,
    # Arabic, CJK, emoji) has it
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": "# One\n\nFine.\n\nA sign \U00010000 here.\n"})
    proc = run_cli("pdf", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode == 1
    assert "one.md:5:8:" in proc.stderr and "U+10000" in proc.stderr
