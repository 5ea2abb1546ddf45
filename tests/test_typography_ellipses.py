"""Rule ``ellipses``: conversion and line-break glue."""

import pytest

from onephone_build.transforms.typography import Context, WJ, fix_text, plain
from onephone_build.transforms.typography.base import NBSP, apply_edits
from onephone_build.transforms.typography.ellipses import ellipses


def mk(s: str) -> str:
    """Test notation: ^ = word joiner, _ = no-break space."""
    return s.replace("^", WJ).replace("_", NBSP)


CASES = [
    # seed
    ("Thank you...", "Thank you^…"),
    ("A-All Might..?", "A-All Might^…?"),
    ("Mine’s… broken.", "Mine’s^… broken."),
    ("O-Oh… Oh, you’re not… home.", "O-Oh^… Oh, you’re not^… home."),
    ("“Hello…?” Toshinori answered", "“Hello^…?” Toshinori answered"),
    ("never delivered…”", "never delivered^…”"),
    ("“No… I… need to tell you", "“No^… I^… need to tell you"),
    # invented
    ("Wait. . . what?", "Wait^… what?"),
    ("Really..!", "Really^…!"),
    ("What...?", "What^…?"),
    ("So...", "So^…"),
    ("It ended....", "It ended.^…"),                 # Chicago: period first, then the ellipsis
    ("It ended. . . .", "It ended.^…"),
    ("And then.......", "And then^…"),               # over-long trail: one ellipsis
    ("word … word", "word_… word"),                  # spaced ellipsis: no break before it
    ("word ... word", "word_… word"),
    ("and then …", "and then_…"),
    ("he said, …and then", "he said,_…and then"),
    ("“...and then she left.”", "“…and then she left.”"),   # after an opening quote: no glue
    ("...and so on", "…and so on"),                  # paragraph start
    ("“... and then?”", "“…_and then?”"),            # an opening ellipsis keeps its word
    ("\"... and then?\"", "\"…_and then?\""),        # straight quotes (the quotes rule comes later)
    ("... and so on", "…_and so on"),
    ("“Wait... and then?”", "“Wait^… and then?”"),   # not opening: the space stays
    ("(…)", "(…)"),
    ("Two dots.. here", "Two dots.. here"),          # two dots alone: left for the author
    ("3.14 and 1.5", "3.14 and 1.5"),
    ("Mine’s\u2060… broken", "Mine’s\u2060… broken"),  # already glued: unchanged
]


@pytest.mark.parametrize("text,expected", CASES)
def test_ellipses_rule(text, expected):
    assert apply_edits(text, ellipses(text, Context())) == mk(expected)


@pytest.mark.parametrize("text,expected", CASES)
def test_ellipses_idempotent(text, expected):
    once = apply_edits(text, ellipses(text, Context()))
    assert apply_edits(once, ellipses(once, Context())) == once


def test_no_three_dots_survive_in_fix_text():
    out = fix_text("Well... I mean. . . maybe..?")
    assert "..." not in out and ". ." not in out
    assert plain(out) == "Well… I mean… maybe…?"


def test_glue_is_a_word_joiner_right_before_the_ellipsis():
    out = fix_text("Mine’s... broken")
    k = out.index("…")
    assert out[k - 1] == WJ and out[k - 2] == "s"
    assert out[k + 1] == " "        # the space after a trailing-off ellipsis stays


def test_no_line_can_start_with_an_ellipsis_mid_paragraph():
    for text in ["a ... b", "a … b", "a...b", "a. . . b", "x “…” y", "a — … b"]:
        out = fix_text(text)
        for k, c in enumerate(out):
            if c == "…" and k > 0:
                # what precedes an ellipsis can never be a breakable space
                assert out[k - 1] not in " \t", (text, out)
