"""The hyphen/dash classifier (dashes.py): every class, both styles, and the
placement of the non-breaking hyphen (U+2011) and word joiner (U+2060)."""

import pytest

from onephone_build.transforms.typography import NBH, RULES, WJ, Context, fix_text, plain
from onephone_build.transforms.typography.base import EM, EN, NBSP
from onephone_build.transforms.typography.dashes import (ambiguous_hyphens, cut_off, is_honorific,
                                              is_stammer)

CLOSED = Context()
SPACED = Context(dashes="spaced")
FIX_NAMES = [r.name for r in RULES if r.fix]


def mk(s: str) -> str:
    """Test notation: ~ = non-breaking hyphen, ^ = word joiner, _ = no-break space."""
    return s.replace("~", NBH).replace("^", WJ).replace("_", NBSP)


def only(name: str, text: str, ctx: Context = CLOSED) -> str:
    """Run one fix rule alone."""
    return fix_text(text, ctx, frozenset(n for n in FIX_NAMES if n != name))


# (input, expected in closed style) -------------------------------------------
CLOSED_CASES = [
    # numbers: left alone
    ("Call 555-0199 now.", "Call 555-0199 now."),
    ("the years 1990-95", "the years 1990-95"),
    ("on 2024-03-15 at noon", "on 2024-03-15 at noon"),
    ("5 - 3 is 2", "5 - 3 is 2"),
    ("pages 10--20", "pages 10–20"),                        # TeX en dash for a range
    ("at -5 degrees", "at -5 degrees"),
    # stammers (seed)
    ("“K-Kacchan?” the boy breathed", "“K~Kacchan?” the boy breathed"),
    ("I-I’m sorry", "I~I’m sorry"),
    ("“Mi-Midoriya, my boy…", "“Mi~Midoriya, my boy^…"),
    ("I’m going to w-waste your Q-Quirk", "I’m going to w~waste your Q~Quirk"),
    ("Oh-Oh, that sounded bad. Ka-Kacchan!", "Oh~Oh, that sounded bad. Ka~Kacchan!"),
    ("“A-All Might..?”", "“A~All Might^…?”"),
    ("“S-Sorry… I-I hope", "“S~Sorry^… I~I hope"),
    ("“O-On the train… Ka-Kacchan’s helping", "“O~On the train^… Ka~Kacchan’s helping"),
    ("“I-Izuku?!” came a call", "“I~Izuku?!” came a call"),
    # stammers (invented)
    ("W-what? N-no. Y-you!", "W~what? N~no. Y~you!"),
    ("B-b-but why?", "B~b~but why?"),
    ("I-I-I’m fine", "I~I~I’m fine"),
    ("Th-that’s not it", "Th~that’s not it"),
    ("“Sh-Shouto, st-stop", "“Sh~Shouto, st~stop"),
    ("Wh-why-why would you", "Wh~why~why would you"),
    # stammer ending in a cut-off
    ("“B-but-”", "“B~but^—”"),
    ("“Ka-Kacchan-” he gasped", "“Ka~Kacchan^—” he gasped"),
    # honorifics
    ("“I spoke to Midoriya-kun yesterday.", "“I spoke to Midoriya~kun yesterday."),
    ("Uraraka-chan, Aizawa-sensei and Yagi-san", "Uraraka~chan, Aizawa~sensei and Yagi~san"),
    ("Tamaki-senpai’s cape, Kirishima-sama", "Tamaki~senpai’s cape, Kirishima~sama"),
    ("Mi-Midoriya-kun!", "Mi~Midoriya~kun!"),
    ("Kaori-nee-san", "Kaori~nee~san"),
    ("a sun-tan and a double-chin", "a sun-tan and a double-chin"),   # English, not honorifics
    # compounds: the hyphen stays
    ("a quiet, unspoken not-quite-understanding", "a quiet, unspoken not-quite-understanding"),
    ("throwing the boy off-balance.", "throwing the boy off-balance."),
    ("twenty-one T-shirts and an x-ray", "twenty-one T-shirts and an x-ray"),
    ("my mother-in-law is self-aware", "my mother-in-law is self-aware"),
    ("her ex-boyfriend, a hit-and-run", "her ex-boyfriend, a hit-and-run"),
    ("a larger-than-life, so-called hero", "a larger-than-life, so-called hero"),
    ("an if-then rule, a what-if", "an if-then rule, a what-if"),
    ("pre- and post-war Japan", "pre- and post-war Japan"),          # suspended hyphen
    ("first-, second- and third-class", "first-, second- and third-class"),
    ("a 10- to 20-year term", "a 10- to 20-year term"),
    # cut-off / self-correction (seed)
    ("I should have been-”", "I should have been^—”"),
    ("Mom, but I-", "Mom, but I^—"),
    ("There’s- there’s been an accident.", "There’s^—there’s been an accident."),
    ("And I- We- We were on the train.", "And I^—We^—We were on the train."),
    ("“Can I make another-?”", "“Can I make another^—?”"),
    ("Hey, I-. Um, okay", "Hey, I^—. Um, okay"),
    ("tell-” his breath hitched.", "tell^—” his breath hitched."),
    ("so this must be from- “Which hospital?”", "so this must be from^—“Which hospital?”"),
    ("“Wh- Oh.", "“Wh^—Oh."),
    ("he was- he was- “Oh,” he", "he was^—he was^—“Oh,” he"),
    ("the other seemed indifferent- used to it", "the other seemed indifferent^—used to it"),
    # cut-off (invented)
    ("“I never meant-” she began.", "“I never meant^—” she began."),
    ("“You mean-?”", "“You mean^—?”"),
    ("“Stop-!”", "“Stop^—!”"),
    ("“If you-, if we-”", "“If you^—, if we^—”"),
    ("‘I was going to-’ he said", "‘I was going to^—’ he said"),
    ('"I was going to-" he said', "“I was going to^—” he said"),
    ("I was going to -”", "I was going to^—”"),
    # parenthetical pairs
    ("The less likely -though not entirely impossible- scenario was",
     "The less likely^—though not entirely impossible^—scenario was"),
    ("He took a breath -shaky, miserable- before he could",
     "He took a breath^—shaky, miserable^—before he could"),
    ("Her sister -the older one- laughed.", "Her sister^—the older one^—laughed."),
    ("It was -at best- a guess", "It was^—at best^—a guess"),
    ("a guess -at best", "a guess^—at best"),                          # opener without closer
    ("“-really fine. Call me.”", "“—^really fine. Call me.”"),         # resumed after an interruption
    ("(-and yes- it hurt)", "(—^and yes^—it hurt)"),
    ("the suffix -kun is for boys", "the suffix -kun is for boys"),    # a mentioned suffix
    # spaced hyphen, double hyphen, spaced en/em dash
    ("“- tell me where you are”", "“—^tell me where you are”"),   # glued: no line ends “—
    ("He paused - then left.", "He paused^—then left."),
    ("He paused -- then left.", "He paused^—then left."),
    ("He paused--then left.", "He paused^—then left."),
    ("He paused---then left.", "He paused^—then left."),
    ("He paused – then left.", "He paused^—then left."),
    ("He paused — then left.", "He paused^—then left."),
    ("He paused —then left.", "He paused^—then left."),
    ("He paused—then left.", "He paused^—then left."),
    ("the Tokyo–Osaka line", "the Tokyo–Osaka line"),                  # en dash joining words
    ("1990–95", "1990–95"),
    ("Mr. —— said", "Mr. —— said"),                                     # 2-em dash: left alone
    # four hyphens: the 2-em dash of an omitted word or letters (Pride and Prejudice's
    # Gutenberg text); six: the 3-em dash
    ("my situation of life----” Mrs. Philips", "my situation of life^——” Mrs. Philips"),
    ("The officers of the ----shire were", "The officers of the ——^shire were"),
    ("superior to ---- you shall try", "superior to —— you shall try"),
    ("the ——shire", "the ——^shire"),                                     # glued to its letters
    ("it was ------ they said", "it was ——— they said"),
    ("x-----y", "x-----y"),                                              # five: no such dash
    ("law- - law", "law^—law"),                                         # one dash typed twice
    # ambiguous opener written without spaces
    ("or if-for heaven’s sake- those children were alone",
     "or if^—for heaven’s sake^—those children were alone"),
    ("and-to my surprise- he agreed", "and^—to my surprise^—he agreed"),
    ("the likely-though unproven- cause", "the likely^—though unproven^—cause"),
    ("but if-for heaven’s sake, stop.", "but if-for heaven’s sake, stop."),   # no closer: left, reported
    ("if-for you. Then sake- those", "if-for you. Then sake^—those"),          # closer in the next sentence
]


@pytest.mark.parametrize("text,expected", CLOSED_CASES)
def test_closed_style(text, expected):
    assert fix_text(text, CLOSED) == mk(expected)


@pytest.mark.parametrize("text,expected", CLOSED_CASES)
def test_closed_style_is_idempotent(text, expected):
    once = fix_text(text, CLOSED)
    assert fix_text(once, CLOSED) == once


@pytest.mark.parametrize("text,expected", CLOSED_CASES)
def test_no_line_starts_with_an_em_dash(text, expected):
    out = fix_text(text, CLOSED)
    for k, c in enumerate(out):
        if c == EM and k > 0 and out[k - 1] != EM and out[k + 1:k + 2] != EM:  # (2-em dash aside)
            assert out[k - 1] in (WJ, "“", "‘", "("), (text, out)


# British style: spaced en dash ----------------------------------------------
SPACED_CASES = [
    ("There’s- there’s been an accident.", "There’s_– there’s been an accident."),
    ("I should have been-”", "I should have been_–”"),          # no space before the closing quote
    ("Mom, but I-", "Mom, but I_–"),
    ("“Can I make another-?”", "“Can I make another_–?”"),
    ("“- tell me where you are”", "“–_tell me where you are”"),   # after an opening quote: no space before, a no-break one after
    ("likely -though not entirely impossible- scenario", "likely_– though not entirely impossible_– scenario"),
    ("He paused -- then left.", "He paused_– then left."),
    ("He paused—then left.", "He paused_– then left."),
    ("He paused — then left.", "He paused_– then left."),
    ("He paused_– then left.", "He paused_– then left."),         # already right
    ("“B-but-”", "“B~but_–”"),
    ("“K-Kacchan?”", "“K~Kacchan?”"),                             # stammers: same in both styles
    ("Call 555-0199", "Call 555-0199"),
    ("or if-for heaven’s sake- those", "or if_– for heaven’s sake_– those"),
    ("from- “Which hospital?”", "from_– “Which hospital?”"),
]


@pytest.mark.parametrize("text,expected", SPACED_CASES)
def test_spaced_style(text, expected):
    assert fix_text(mk(text), SPACED) == mk(expected)


@pytest.mark.parametrize("text,expected", SPACED_CASES)
def test_spaced_style_never_breaks_before_a_dash(text, expected):
    out = fix_text(mk(text), SPACED)
    assert EM not in out
    for k, c in enumerate(out):
        if c == EN and k > 0 and out[k - 1] == " ":
            pytest.fail(f"breakable space before en dash in {out!r}")


@pytest.mark.parametrize("text,expected", SPACED_CASES)
def test_spaced_style_is_idempotent(text, expected):
    once = fix_text(mk(text), SPACED)
    assert fix_text(once, SPACED) == once


# each rule name does its own job ----------------------------------------------
RULE_CASES = [
    ("stammer", "K-Kacchan and Midoriya-kun", "K~Kacchan and Midoriya-kun"),
    ("honorific", "K-Kacchan and Midoriya-kun", "K-Kacchan and Midoriya~kun"),
    ("cut-off", "There’s- there’s been-”", "There’s—there’s been—”"),
    ("cut-off", "likely -though", "likely -though"),                     # not an opener's rule
    ("dash-pair", "likely -though not impossible- scenario", "likely—though not impossible—scenario"),
    ("dash-pair", "There’s- there’s", "There’s- there’s"),
    ("spaced-dash", "a - b -- c – d — e", "a—b—c—d—e"),
    ("spaced-dash", "“- tell me", "“—tell me"),
    ("spaced-dash", "been-”", "been-”"),
    ("ambiguous-hyphen", "if-for heaven’s sake- those", "if—for heaven’s sake—those"),
    ("ambiguous-hyphen", "if-for heaven’s sake, those", "if-for heaven’s sake, those"),
    ("dash-glue", "word—word “—quote", "word^—word “—^quote"),
    ("dash-glue", "“…and then", "“…^and then"),
    ("dash-glue", "—No. Not that.", "—^No. Not that."),
    ("dash-glue", "a — b", "a — b"),
]


@pytest.mark.parametrize("name,text,expected", RULE_CASES)
def test_rule_alone(name, text, expected):
    assert only(name, text) == mk(expected)


def test_every_dash_rule_is_registered_in_order():
    names = [r.name for r in RULES if r.fix]
    dash = ["spaced-dash", "stammer", "honorific", "ambiguous-hyphen", "dash-pair", "cut-off", "dash-glue"]
    assert [n for n in names if n in dash] == dash


# edits are minimal, so lint maps them to the source ---------------------------
def test_cut_off_edits_replace_hyphen_and_delete_space():
    text = "There’s- there’s"
    edits = sorted(cut_off(text, CLOSED), key=lambda e: e.start)
    assert [(e.start, e.end, e.new) for e in edits] == [(7, 8, EM), (8, 9, "")]


def test_pair_opener_edit_deletes_space_before():
    from onephone_build.transforms.typography.dashes import dash_pair
    text = "likely -though"
    edits = sorted(dash_pair(text, CLOSED), key=lambda e: e.start)
    assert [(e.start, e.end, e.new) for e in edits] == [(6, 7, ""), (7, 8, EM)]


# shape predicates ------------------------------------------------------------
@pytest.mark.parametrize("text,yes", [
    ("K-Kacchan", True), ("I-I’m", True), ("Oh-Oh", True), ("w-waste", True),
    ("A-All", True), ("B-but", True), ("st-stop", True), ("N-no", True),
    ("off-balance", False), ("T-shirt", False), ("x-ray", False), ("twenty-one", False),
    ("555-0199", False), ("Midoriya-kun", False), ("ex-boyfriend", False), ("uh-oh", False),
])
def test_is_stammer(text, yes):
    assert is_stammer(text, text.index("-")) is yes


@pytest.mark.parametrize("text,yes", [
    ("Midoriya-kun", True), ("Uraraka-chan", True), ("All-Might-sama", True), ("Tanaka-shi", True),
    ("Todoroki-kun’s", True), ("sun-tan", False), ("double-chin", False), ("Midoriya-kunai", False),
    ("kun-Midoriya", False),
])
def test_is_honorific(text, yes):
    assert is_honorific(text, text.rindex("-")) is yes


@pytest.mark.parametrize("text,expected", [
    ("if-for heaven’s sake- those", [(2, 20)]),
    ("if-for heaven’s sake, those", [(2, None)]),
    ("because-I-said-so attitude", []),        # longer chains are phrasal compounds
    ("hit-and-run", []),
    ("if-then", []),
    ("what-if", []),
    ("while-away", [(5, None)]),
    ("probably-though not -really", [(8, 20)]),
    ("off-balance", []),
])
def test_ambiguous_hyphens(text, expected):
    assert ambiguous_hyphens(text) == expected


def test_plain_folds_nbh_and_wj():
    out = fix_text("“K-Kacchan-” he gasped")
    assert NBH in out and WJ in out
    assert plain(out) == "“K-Kacchan—” he gasped"
