"""Rule ``spaces``."""

import pytest

from onephone_build.transforms.typography import Context, fix_text
from onephone_build.transforms.typography.base import NBSP, apply_edits
from onephone_build.transforms.typography.spaces import spaces

CASES = [
    ("one  two", "one two"),
    ("one     two   three", "one two three"),
    ("I love you, Mom.”  ", "I love you, Mom.”"),                       # seed: trailing spaces
    ("I love you, Mom.” \u00a0", "I love you, Mom.”"),                  # seed: trailing space + NBSP
    ("granting \u00a0the boy", "granting the boy"),                       # seed: mixed run -> space
    ("on her.\u00a0 To All Might", "on her. To All Might"),
    ("  leading", "leading"),
    ("\u00a0\u00a0leading nbsp", "leading nbsp"),
    ("Mr.\u00a0Smith", "Mr.\u00a0Smith"),                                # a lone NBSP is meant
    ("10\u00a0\u00a0kg", "10\u00a0kg"),                                 # NBSP-only run keeps one NBSP
    ("tab\there", "tab here"),
    ("   ", ""),
    ("", ""),
    ("single spaced text", "single spaced text"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_spaces(text, expected):
    assert apply_edits(text, spaces(text, Context())) == expected


@pytest.mark.parametrize("text,expected", CASES)
def test_spaces_via_fix_text(text, expected):
    # no other rule touches these
    assert fix_text(text) == expected


def test_spaces_edits_are_minimal():
    # the first space of a run stays: only the extra ones are deleted
    edits = list(spaces("a   b", Context()))
    assert [(e.start, e.end, e.new) for e in edits] == [(2, 4, "")]


def test_nbsp_constant():
    assert NBSP == "\u00a0"
