"""WeasyPrint's C declarations parsed at set-up (editions/print/weasyffi.py): lent to
WeasyPrint only when they are its own, and the PDF the same byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys

from onephone_build.editions.print import weasyffi

from .conftest import MANUSCRIPT

PROBE = """
import sys
from onephone_build.editions.print import weasyffi
{before}
lent = weasyffi.install()
import weasyprint
import weasyprint.text.ffi as f
import cffi
from pathlib import Path
from onephone_build.pipeline import render
from onephone_build.editions.print.writer import build_pdf_single
sys.stdout.buffer.write(repr((lent, type(f.ffi).__name__, cffi.FFI.__name__)).encode() + b"\\n")
sys.stdout.buffer.write(build_pdf_single(render(Path({ms!r}))))
"""


def _probe(before: str = "") -> tuple[str, bytes]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    out = subprocess.run([sys.executable, "-c", PROBE.format(before=before, ms=str(MANUSCRIPT))],
                         capture_output=True, env=env, check=True, timeout=300).stdout
    head, _, pdf = out.partition(b"\n")
    return head.decode(), pdf


def test_the_prebuilt_declarations_are_lent_and_the_pdf_is_the_same():
    assert weasyffi.main() == 0  # (make setup wrote it; unchanged declarations: nothing rewritten)
    lent, pdf = _probe()
    assert lent == "(True, '_Lent', 'FFI')", lent  # lent, and cffi.FFI itself again after
    control, control_pdf = _probe("weasyffi.MODULE = 'no_such_module_here'")
    assert control == "(False, 'FFI', 'FFI')", control
    assert pdf[:5] == b"%PDF-" and pdf == control_pdf


def test_other_declarations_are_not_lent():
    head, _ = _probe("import hashlib\nweasyffi._digest = lambda s: hashlib.sha256(b'other ' + s.encode()).hexdigest()")
    assert head == "(False, 'FFI', 'FFI')", head
