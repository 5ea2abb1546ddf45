"""An EPUB or web build never loads the PDF machinery (WeasyPrint costs 0.7 s to import)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import write_manuscript

HEAVY = ("weasyprint", "pikepdf", "pydyf", "fontTools", "pdfplumber", "pypdfium2", "pypandoc")


@pytest.mark.parametrize("formats", [("epub",), ("html",), ("epub", "html")])
def test_no_pdf_machinery_without_a_pdf(tmp_path, formats):
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": "# One\n\n“K-Kacchan?” he said- no.\n"})
    code = (f"import sys, json; from pathlib import Path; from onephone_build.build import build; "
            f"build(Path({str(ms)!r}), Path({str(tmp_path / 'out')!r}), {formats!r}, use_cache=False); "
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == []
