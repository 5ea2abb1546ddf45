"""The package contract: registration order, re-exports, fixers that never
raise, edits inside the text, a 1 MB paragraph."""

import random

import pytest

import onephone_build.transforms.typography as typo
from onephone_build.transforms.typography import DOC_CHECKS, NBH, RULES, Context, fix_text
from onephone_build.transforms.typography.base import apply_edits

CTXS = [Context(), Context(dashes="spaced")]


def test_reexports():
    for name in ["RULES", "DOC_CHECKS", "fix_text", "Context", "Edit", "Finding", "plain", "NBH", "WJ"]:
        assert hasattr(typo, name), name
    assert typo.NBH == "\u2011" and typo.WJ == "\u2060"


def test_application_order():
    fixers = [r.name for r in RULES if r.fix]
    assert fixers == ["spaces", "ellipses", "quotes", "leading-apostrophe", "spaced-dash", "stammer",
                      "honorific", "ambiguous-hyphen", "dash-pair", "cut-off", "dash-glue"]
    checks = [r.name for r in RULES if r.check]
    assert checks == ["quote-balance", "stray-apostrophe", "single-quote-pair", "markdown-mark",
                      "dash-period", "ambiguous-hyphen"]
    assert [d.name for d in DOC_CHECKS] == ["quote-continuation"]


def test_each_rule_documented():
    for r in RULES:
        fn = r.fix or r.check
        assert r.doc.strip() and fn.__doc__ and len(fn.__doc__) > 60, r.name


def _hostile(rng: random.Random) -> str:
    alphabet = list("aI5 -–—….\"'“”‘’?!,;:()\u00a0\u2060\u2011\t") + [
        "kun", "if", "--", "...", " -", "- ", "Kacchan", "’em", "B-b", "and-", " . . "]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))


@pytest.mark.parametrize("seed", range(8))
def test_fixers_and_checks_never_raise(seed):
    rng = random.Random(seed)
    for _ in range(1500):
        text = _hostile(rng)
        for ctx in CTXS:
            for r in RULES:
                if r.fix:
                    edits = list(r.fix(text, ctx))
                    for e in edits:
                        assert 0 <= e.start <= e.end <= len(text), (r.name, text, e)
                    text2 = apply_edits(text, edits)   # raises on overlapping edits
                    assert isinstance(text2, str)
                if r.check:
                    for f in r.check(text, ctx):
                        assert 0 <= f.start < f.end <= len(text), (r.name, text, f)
            for d in DOC_CHECKS:
                for i, f in d.check([text, text, ""], ctx):
                    assert 0 <= i < 3
            fix_text(text, ctx)


MIXED = "“K-Kacchan, I- I can’t… if-for heaven’s sake- those -shaky, miserable- x-ray 555-0199 "


def test_a_megabyte_paragraph():
    """Correct at scale (its speed is measured by benchmarks/run.py, not by a timed test)."""
    n = 1_000_000 // len(MIXED) + 1
    one = fix_text(MIXED)
    big = fix_text(MIXED * n)
    assert big.count(NBH) == n * one.count(NBH)
    assert big.count("\u2014") == n * one.count("\u2014")
    for r in RULES:
        if r.check:
            list(r.check(MIXED * n, Context()))
