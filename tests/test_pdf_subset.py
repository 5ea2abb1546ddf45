"""The one subset of a face the joined print edition embeds (editions/print/subset.py):
by HarfBuzz or, on a machine without its subsetter, by fontTools, the glyphs asked for
keep their outlines at their own ids, and the others are gone."""

from __future__ import annotations

import io

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from onephone_build.editions.assets import font_file
from onephone_build.editions.print import subset as subset_mod


def _outline(font: TTFont, gid: int):
    pen = RecordingPen()
    font.getGlyphSet()[font.getGlyphOrder()[gid]].draw(pen)
    return pen.value


@pytest.mark.parametrize("with_harfbuzz", [True, False])
def test_glyphs_kept_at_their_ids_and_the_rest_dropped(with_harfbuzz, monkeypatch):
    if with_harfbuzz and subset_mod._harfbuzz() is None:
        pytest.skip("no libharfbuzz-subset on this machine (make system installs it)")
    if not with_harfbuzz:
        monkeypatch.setattr(subset_mod, "_harfbuzz", lambda: None)
    data = font_file("regular").read_bytes()
    full = TTFont(io.BytesIO(data))
    cmap = full.getBestCmap()
    wanted = {full.getGlyphID(cmap[ord(c)]) for c in "fig→ẞ" if ord(c) in cmap}
    dropped = full.getGlyphID(cmap[ord("z")])
    cut = subset_mod.subset(data, wanted)
    small = TTFont(io.BytesIO(cut))
    assert len(cut) < len(data) / 10
    for gid in wanted:
        assert _outline(small, gid) == _outline(full, gid) != []
    assert _outline(small, dropped) == [] != _outline(full, dropped)
    assert "GSUB" not in small and "GPOS" not in small
