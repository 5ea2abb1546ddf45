"""The whole seed book through ``fix_text``: every one of its 112 hyphens is
accounted for, by a shape classifier written here independently of dashes.py."""

import re
from collections import Counter
from pathlib import Path

import pytest

from onephone_build.transforms.typography import DOC_CHECKS, NBH, RULES, WJ, Context, fix_text
from onephone_build.transforms.typography.base import EM, EN, NBSP

SEED = Path("/work/shared/seed/one-phone-call-away.txt")
pytestmark = pytest.mark.skipif(not SEED.exists(), reason="seed book not available")

HONORIFIC = re.compile(r"(?:kun|chan|san|sama|senpai|sensei)\b")
LETTERS = re.compile(r"[A-Za-z]+")
WORD_AFTER = re.compile(r"[A-Za-z]+(?:’[A-Za-z]+)?")


def paragraphs() -> list[str]:
    return [line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]


def classify(text: str, i: int) -> str:
    """What the hyphen at ``text[i]`` is, judged by its shape alone."""
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before.isalnum() and after.isalnum():
        if before.isdigit() and after.isdigit():
            return "number"
        k = i
        while k and text[k - 1].isalpha():
            k -= 1
        frag = text[k:i]
        word = WORD_AFTER.match(text, i + 1).group()
        if word.lower().startswith(frag.lower()):
            return "stammer"
        if HONORIFIC.match(text, i + 1):
            return "honorific"
        if frag.lower() in {"if", "and", "but", "or", "because", "though", "when", "while"}:
            return "ambiguous"
        return "compound"
    if before in ("", " ") and after.isalpha():
        return "opener"
    if before in ("", " ", "“") and after in ("", " "):
        return "spaced"
    if before not in ("", " ") and (after in ("", " ", "”", "’", "“") or after in "?!.,;:"):
        return "trailing"
    return "other"


def seed_classes():
    per_par = []
    for p in paragraphs():
        per_par.append(Counter(classify(p, m.start()) for m in re.finditer("-", p)))
    return per_par


def test_seed_has_112_hyphens_in_known_classes():
    total = sum(seed_classes(), Counter())
    assert sum(total.values()) == 112
    assert total == Counter({
        "stammer": 24,     # K-Kacchan, I-I’m, Mi-Midoriya, w-waste, Oh-Oh, A-All, ...
        "honorific": 1,    # Midoriya-kun
        "compound": 3,     # not-quite-understanding (2), off-balance
        "ambiguous": 1,    # if-for (heaven’s sake-)
        "opener": 2,       # likely -though, breath -shaky
        "spaced": 1,       # “- tell me
        "trailing": 80,    # 77 cut-offs, 2 pair closers, the closer of if-for
    })


def test_every_hyphen_lands_where_its_class_says():
    """Per paragraph: stammers and honorifics become U+2011, compounds keep the
    hyphen, everything else becomes an em dash (the ambiguous opener too: the
    seed closes it with ``sake-``)."""
    for p, classes in zip(paragraphs(), seed_classes()):
        out = fix_text(p)
        assert out.count(NBH) == classes["stammer"] + classes["honorific"], p
        assert out.count("-") == classes["compound"] + classes["number"], p
        dashes = classes["trailing"] + classes["opener"] + classes["spaced"] + classes["ambiguous"]
        assert out.count(EM) == p.count(EM) + dashes, p


def test_seed_totals_after_fixing():
    outs = [fix_text(p) for p in paragraphs()]
    assert sum(o.count(NBH) for o in outs) == 25
    assert sum(o.count("-") for o in outs) == 3
    assert sum(o.count(EM) for o in outs) == 84


def test_every_stammer_got_a_non_breaking_hyphen():
    for p in paragraphs():
        out = fix_text(p)
        for m in re.finditer(r"(?<![A-Za-z])([A-Za-z]+)-([A-Za-z]+)", p):
            if classify(p, m.start(2) - 1) == "stammer":
                assert f"{m.group(1)}{NBH}{m.group(2)}" in out, (m.group(), out)


def test_surviving_hyphens_are_compounds_or_numbers():
    for p in paragraphs():
        out = fix_text(p)
        for m in re.finditer("-", out):
            k = m.start()
            assert out[k - 1].isalnum() and out[k + 1].isalnum(), out
            j = k
            while j and out[j - 1].isalpha():
                j -= 1
            frag = out[j:k]
            word = LETTERS.match(out, k + 1).group()
            assert not word.lower().startswith(frag.lower()), f"stammer left breakable: {out!r}"
    survivors = sorted(m.group() for p in paragraphs()
                       for m in re.finditer(r"\w+(?:-\w+)+", fix_text(p)))
    assert survivors == ["not-quite-understanding", "off-balance"]


def test_closed_style_leaves_no_spaced_dash_no_dots_no_straight_quotes():
    for p in paragraphs():
        out = fix_text(p)
        for bad in (" " + EM, EM + " ", NBSP + EM, "...", "..", "--", '"', "'", "  ", " -", "- "):
            assert bad not in out, (bad, out)
        assert out == out.strip(" \u00a0")
        for m in re.finditer(EM, out):
            k = m.start()
            assert k == 0 or out[k - 1] in (WJ, "“"), out
        for m in re.finditer("…", out):
            k = m.start()
            assert k == 0 or out[k - 1] in (WJ, "“", NBSP), out


def test_seed_specific_results():
    outs = "\n".join(fix_text(p) for p in paragraphs())
    for expected in [
        f"There’s{WJ}{EM}there’s been an accident",
        f"And I{WJ}{EM}We{WJ}{EM}We were on the train",
        f"but I{WJ}{EM}\n",
        f"I should have been{WJ}{EM}”",
        f"Can I make another{WJ}{EM}?”",
        f"Hey, I{WJ}{EM}. Um",
        f"likely{WJ}{EM}though not entirely impossible{WJ}{EM}scenario",
        f"breath{WJ}{EM}shaky, miserable{WJ}{EM}before",
        f"or if{WJ}{EM}for heaven’s sake{WJ}{EM}those children",
        f"“{EM}{WJ}tell me where you are",
        f"“Ka{NBH}Kacchan{WJ}{EM}” he gasped",
        f"Midoriya{NBH}kun yesterday",
        f"Mine’s{WJ}… broken",
        f"O{NBH}Oh{WJ}… Oh, you’re",
        f"A{NBH}All Might{WJ}…?”",
        f"“Thank you{WJ}…”",
        "granting the boy",
        "hang up on her. To All Might",
        "I love you, Mom.”\n",
    ]:
        assert expected in outs, expected


@pytest.mark.parametrize("ctx", [Context(), Context(dashes="spaced")], ids=["closed", "spaced"])
def test_seed_is_idempotent(ctx):
    for p in paragraphs():
        once = fix_text(p, ctx)
        assert fix_text(once, ctx) == once, p


def test_seed_spaced_style():
    outs = [fix_text(p, Context(dashes="spaced")) for p in paragraphs()]
    assert not any(EM in o for o in outs)
    assert sum(o.count(EN) for o in outs) == 84
    assert sum(o.count(NBH) for o in outs) == 25
    for o in outs:
        for m in re.finditer(EN, o):
            k = m.start()
            assert k == 0 or o[k - 1] in (NBSP, "“"), o
    joined = "\n".join(outs)
    assert f"There’s{NBSP}{EN} there’s" in joined
    assert f"I should have been{NBSP}{EN}”" in joined
    assert f"“{EN}{NBSP}tell me" in joined


def _findings(texts):
    out = []
    for r in RULES:
        if r.check:
            for i, t in enumerate(texts):
                out += [(r.name, i) for f in r.check(t, Context())]
    for d in DOC_CHECKS:
        out += [(d.name, i) for i, f in d.check(texts, Context())]
    return out


def test_seed_lint_findings():
    """What lint must say about the seed: the lost quotes, the stray apostrophe,
    ``I-.``; and no ambiguous hyphen (if-for is resolved by its closer)."""
    pars = paragraphs()
    found = Counter(name for name, _ in _findings(pars))
    assert found == Counter({"quote-balance": 8, "quote-continuation": 4,
                             "stray-apostrophe": 1, "dash-period": 1})
    by_rule = {}
    for name, i in _findings(pars):
        by_rule.setdefault(name, []).append(pars[i][:20])
    assert "Shut up,” he growled" in by_rule["quote-balance"]
    assert "“O-Oh… Oh, you’re no" in by_rule["quote-continuation"]
    assert by_rule["stray-apostrophe"] == ["“’Thank you, All Mig"]


def test_fixed_seed_has_no_ambiguous_hyphen_findings():
    fixed = [fix_text(p) for p in paragraphs()]
    assert [n for n, _ in _findings(fixed) if n == "ambiguous-hyphen"] == []
