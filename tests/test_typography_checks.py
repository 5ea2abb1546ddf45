"""Lint-only checks (checks.py): each reports a precise span."""

import pytest

from onephone_build.transforms.typography import DOC_CHECKS, RULES, Context, fix_text

CTX = Context()
CHECKS = {r.name: r.check for r in RULES if r.check}


def spans(name, text):
    return [(f.rule, text[f.start:f.end], f.start, f.severity) for f in CHECKS[name](text, CTX)]


QUOTE_BALANCE = [
    ("Shut up,” he growled at him, red eyes narrowed.", [("”", 8)]),          # seed: opening lost
    ("Oh-Oh, that sounded bad. Ka-Kacchan! Is everything okay?”", [("”", 56)]),
    ("I’m sorry, All Might…”", [("”", 21)]),
    ("“Hello,” she said. Bye,” he said.", [("”", 23)]),
    ('Shut up," he said.', [('"', 8)]),                                      # straight input too
    ("“Hello, “world.”", [("“", 0)]),                                        # first never closed
    ("“Hello,” she said.", []),
    ("“I think the battery’s… running out.", []),                             # left open: continuation's job
    ("No quotes at all.", []),
    ("“A” and “B” and “C”", []),
]


@pytest.mark.parametrize("text,expected", QUOTE_BALANCE)
def test_quote_balance(text, expected):
    got = spans("quote-balance", text)
    assert [(s, k) for _, s, k, _ in got] == expected
    assert all(sev == "error" for *_, sev in got)


STRAY = [
    ("“’Thank you, All Might. For everything-”", [("’", 1)]),                 # seed
    ("“’Tis true,” he said.", []),                                            # an elision
    ("“’Cause I said so.”", []),
    ("“’90s kids,” she sighed.", []),
    ("“‘Hello,’ she said,” he recalled.", []),                                # nested quote
    ("He said “’nough.", [("’", 9)]),
    ("Plain ’em text", []),
]


@pytest.mark.parametrize("text,expected", STRAY)
def test_stray_apostrophe(text, expected):
    assert [(s, k) for _, s, k, _ in spans("stray-apostrophe", text)] == expected


DASH_PERIOD = [
    ("Hey, I-. Um, okay", [("-.", 6)]),                                      # seed
    ("Hey, I—. Um", [("—.", 6)]),
    ("Hey, I\u2060—. Um", [("—.", 7)]),                                      # also on fixed text
    ("He left–. Then", [("–.", 7)]),
    ("and then—...", []),                                                    # an ellipsis, not a period
    ("at -.5 degrees", []),                                                  # a number
    ("I—” and I-", []),
]


@pytest.mark.parametrize("text,expected", DASH_PERIOD)
def test_dash_period(text, expected):
    assert [(s, k) for _, s, k, _ in spans("dash-period", text)] == expected


AMBIGUOUS = [
    ("or if-for heaven’s sake- those children", []),                          # seed: resolved as a pair
    ("or if-for heaven’s sake, those children", [("-", 5)]),
    ("He waited while-for all he knew- the world ended.", []),
    ("He waited while-for all he knew.", [("-", 15)]),
    ("It was likely-though unproven.", [("-", 13)]),
    ("hit-and-run, if-then, what-if, because-I-said-so", []),
    ("K-Kacchan, B-but, and-and then", []),                                   # stammers
]


@pytest.mark.parametrize("text,expected", AMBIGUOUS)
def test_ambiguous_hyphen_check(text, expected):
    got = spans("ambiguous-hyphen", text)
    assert [(s, k) for _, s, k, _ in got] == expected
    assert all(sev == "error" for *_, sev in got)


@pytest.mark.parametrize("text,expected", AMBIGUOUS)
def test_ambiguous_hyphen_check_agrees_on_fixed_text(text, expected):
    # the fixer leaves an unresolved ambiguous hyphen alone: the check still sees it
    assert len(spans("ambiguous-hyphen", fix_text(text))) == len(expected)


def continuation(paragraphs):
    (check,) = [d.check for d in DOC_CHECKS if d.name == "quote-continuation"]
    return [(i, paragraphs[i][f.start:f.end], f.start, f.rule) for i, f in check(paragraphs, CTX)]


CONTINUATION = [
    # seed voicemail: left open, the next paragraph does not reopen
    (["“O-Oh… Oh, you’re not… home. Hey, mom. I want to help, too, Mom, but I-",
      "He lent me his phone. Mine’s… broken. I should have been-”"],
     [(0, "“", 0)]),
    # correct continuation: every paragraph reopens, only the last closes
    (["“I think the battery’s… running out.", "“Please don’t feel bad.", "“I love you, Mom.”"], []),
    # the seed's second message: continued paragraphs lost their opening quotes
    (["“I think the battery’s… running out.", "Please don’t feel bad.", "I love you, Mom.”"],
     [(0, "“", 0)]),
    # left open at the chapter end
    (["“Hello,” she said.", "He said, “Wait"], [(1, "“", 9)]),
    # empty paragraphs are skipped when looking for the next one
    (["“Open", "", "“Reopened.”"], []),
    (["All closed.", "“Also,” he said."], []),
    # straight quotes count too
    (['"Open', 'Narration.'], [(0, '"', 0)]),
]


@pytest.mark.parametrize("paragraphs,expected", CONTINUATION)
def test_quote_continuation(paragraphs, expected):
    assert [(i, s, k) for i, s, k, _ in continuation(paragraphs)] == expected


def test_checks_registered():
    assert {"quote-balance", "stray-apostrophe", "dash-period", "ambiguous-hyphen"} <= set(CHECKS)
    assert "quote-continuation" in [d.name for d in DOC_CHECKS]
    for r in RULES:
        assert r.doc and (r.fix or r.check).__doc__, r.name


SINGLE_PAIR = [
    ("“‘Course I was goin’ home,” he said.", [("‘", 1)]),   # either could be an apostrophe
    ("“He called me ‘darling’ all day.”", []),               # a word, no -in/-s ending
    ("“She said ‘no,’ and left.”", []),                      # closed after punctuation: sure
    ("the Joneses’ place", []),                              # nothing opens
    ("'Ello, 'ello, 'ello", []),
]


@pytest.mark.parametrize("text,expected", SINGLE_PAIR)
def test_single_quote_pair(text, expected):
    got = spans("single-quote-pair", text)
    assert [(s, k) for _, s, k, _ in got] == expected
    assert all(sev == "warning" for *_, sev in got)


def test_primes_are_not_unbalanced_quotes():
    assert spans("quote-balance", "He is 6'2\" tall and the board is 12\" long.") == []
    assert spans("quote-balance", "He is 6′2″ tall.") == []
