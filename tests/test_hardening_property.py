"""Property: any text (any Unicode, Markdown punctuation, fenced blocks, raw HTML) through the
real pipeline gives either a BookError or an EPUB whose XHTML is well-formed XML; a sample
of those EPUBs passes epubcheck. Deterministic (derandomize) and bounded in examples."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree

from onephone_build.build import build
from onephone_build.check import check_epub
from onephone_build.errors import BookError

from .conftest import write_manuscript

TOKENS = ["*", "**", "_", "[", "]", "(", ")", "{", "}", "`", "```", "~~~", "\\", "#", "> ", "- ", "1. ",
          "---", "* * *", "...", "--", "'", '"', "<", ">", "&", "&amp;", "&#0;", "|", "^", "~", "$", ":",
          "::: narration", "::: {.voicemail from=\"A\" to=\"B\"}", "::: {.texts from=\"A\"}", ":::",
          "[Beep.]{.cue}", "[hi]{.message from=\"A\" status=\"not delivered\"}", "[x]{lang=ja}",
          "<em>", "</em>", "<span lang=\"fr\">", "</span>", "<script>alert(1)</script>", "<img src=x onerror=y>",
          "<a href=\"#chapter-01\">", "</a>", "<div>", "</div>", "<!--", "-->", "<br>", "^[note]",
          "[^1]", "[^1]: a note", "![i](x.png)", "[l](#chapter-01)", "<http://x.org>", "K-K-Kacchan", "—", "…",
          "\u00a0", "\u2011", "\u2060", "\ufeff", "\u200b", "\x00", "\x0b", "\ufffe", "\r", "\t"]
PIECE = st.one_of(st.sampled_from(TOKENS), st.text(max_size=12), st.sampled_from([" ", "\n", "\n\n"]))
CHAPTER = st.lists(PIECE, max_size=40).map("".join)
FENCED = st.tuples(st.sampled_from(["```", "~~~~", "::: narration", "::: {.call from=\"A\"}"]), CHAPTER).map(
    lambda t: f"{t[0]}\n{t[1]}\n{':::' if t[0].startswith(':') else t[0]}\n")
BODY = st.lists(st.one_of(CHAPTER, FENCED), min_size=1, max_size=4).map("\n\n".join)

EPUBS_CHECKED = 3


def _well_formed(epub: Path) -> None:
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                etree.fromstring(z.read(name))  # raises on forbidden characters or bad nesting


@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    """Run the examples; return (examples, errors, EPUBs kept for epubcheck)."""
    keep = tmp_path_factory.mktemp("epubs")
    out = tmp_path_factory.mktemp("out")
    seen = {"examples": 0, "errors": 0, "epubs": []}

    @settings(max_examples=80, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(BODY, BODY)
    def explore(one: str, two: str) -> None:
        seen["examples"] += 1
        with tempfile.TemporaryDirectory() as tmp:
            ms = write_manuscript(Path(tmp) / "ms", {"chapters/one.md": "", "chapters/two.md": ""})
            (ms / "chapters/one.md").write_bytes(one.encode("utf-8", "surrogatepass"))
            (ms / "chapters/two.md").write_bytes(two.encode("utf-8", "surrogatepass"))
            try:
                result = build(ms, out, ("epub",))
            except BookError as e:
                assert str(e) and "\n" not in str(e).strip()
                seen["errors"] += 1
                return
            epub = result.outputs["epub"]
            _well_formed(epub)
            if len(seen["epubs"]) < EPUBS_CHECKED and any(c in one + two for c in "<*[:"):
                kept = keep / f"{len(seen['epubs'])}.epub"
                shutil.copyfile(epub, kept)
                seen["epubs"].append(kept)

    explore()
    return seen


def test_random_manuscripts_give_a_clear_error_or_a_well_formed_epub(explored):
    assert explored["examples"] >= 50
    assert 0 < explored["errors"] < explored["examples"]  # both outcomes were exercised


def test_a_sample_of_those_epubs_passes_epubcheck(explored):
    assert explored["epubs"]
    for epub in explored["epubs"]:
        assert check_epub(epub) == [], epub
