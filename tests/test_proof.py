"""Proofs: the interior as facing-page spreads on contact sheets and the flat cover, as PNG."""

from __future__ import annotations

import pikepdf
from PIL import Image

from onephone_build.commands.proof import GROUND, SPREAD_DPI, spreads

from .conftest import MANUSCRIPT, run_cli


def test_spreads_pair_verso_and_recto_after_a_lone_first_recto():
    assert spreads(1) == [(None, 0)]
    assert spreads(4) == [(None, 0), (1, 2), (3, None)]
    assert spreads(5) == [(None, 0), (1, 2), (3, 4)]


def test_proof_writes_contact_sheets_and_the_cover(tmp_path):
    proc = run_cli("proof", "--for", "kdp", "-m", str(MANUSCRIPT), "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "proof-kdp"
    with pikepdf.open(tmp_path / "one-phone-call-away-kdp.pdf") as pdf:
        pages = len(pdf.pages)
    sheets = sorted(folder.glob("spreads-*.png"))
    assert len(sheets) == -(-(pages // 2 + 1) // 12)  # 12 spreads a sheet
    first = Image.open(sheets[0]).convert("RGB")
    w, h = round(5.5 * SPREAD_DPI), round(8.5 * SPREAD_DPI)
    # the first spread: nothing on the left (the sheet's ground), the half title on the right
    assert first.getpixel((24 + w // 2, 24 + h // 2)) == GROUND
    assert first.getpixel((24 + w + 5, 24 + 5)) == (255, 255, 255)
    cover = Image.open(folder / "cover.png")
    with pikepdf.open(tmp_path / "one-phone-call-away-kdp-cover.pdf") as pdf:
        width_in = float(pdf.pages[0].mediabox[2] - pdf.pages[0].mediabox[0]) / 72
    assert abs(cover.width - width_in * 100) <= 1
