"""Rules ``quotes`` and ``leading-apostrophe``."""

import pytest

from onephone_build.transforms.typography import Context, fix_text, plain
from onephone_build.transforms.typography.base import apply_edits
from onephone_build.transforms.typography.quotes import leading_apostrophe, quotes

CTX = Context()


def run(rule, text):
    return apply_edits(text, rule(text, CTX))


QUOTES = [
    ('"Hello," she said.', "“Hello,” she said."),
    ('He said, "It\'s fine."', "He said, “It’s fine.”"),
    ('"Midoriya residence. We\'re not home right now!"', "“Midoriya residence. We’re not home right now!”"),
    ("Kacchan's phone", "Kacchan’s phone"),
    ("the students' lounge", "the students’ lounge"),
    ("'Hello,' she said", "‘Hello,’ she said"),
    ('"\'Hello,\' she said," he recalled.', "“‘Hello,’ she said,” he recalled."),
    ('"I should have been-"', "“I should have been-”"),           # closing after a hyphen at the end
    ('"Tell-" his breath hitched. "- tell me"', "“Tell-” his breath hitched. “- tell me”"),
    ('"Wait..." he said', "“Wait...” he said"),
    ('("Quoted")', "(“Quoted”)"),
    ('word--"Quote"', "word--“Quote”"),
    ('"?!" she asked', "“?!” she asked"),
    ("rock 'n' roll", "rock ’n’ roll"),
    ("the '90s and '07", "the ’90s and ’07"),
    ("give 'em hell", "give ’em hell"),
    ("'Til then", "’Til then"),
    ("“Already curly,” he said", "“Already curly,” he said"),
    ("No quotes here", "No quotes here"),
]


@pytest.mark.parametrize("text,expected", QUOTES)
def test_quotes(text, expected):
    assert run(quotes, text) == expected


LEADING = [
    # wrongly curled by a word processor / Pandoc
    ("‘Til the end", "’Til the end"),
    ("wait ‘til tomorrow", "wait ’til tomorrow"),
    ("give ‘em hell", "give ’em hell"),
    ("‘tis the season, ‘twas the night", "’tis the season, ’twas the night"),
    ("‘cause I said so", "’cause I said so"),
    ("just ‘bout done", "just ’bout done"),
    ("comin’ ‘round the mountain", "comin’ ’round the mountain"),
    ("that’s ‘nuff", "that’s ’nuff"),
    ("‘kay, fine", "’kay, fine"),
    ("everyone ‘cept him", "everyone ’cept him"),
    ("rock ‘n’ roll", "rock ’n’ roll"),
    ("rock ‘n‘ roll", "rock ’n’ roll"),
    ("back in the ‘90s", "back in the ’90s"),
    ("class of ‘07", "class of ’07"),
    ("the ‘80s music", "the ’80s music"),
    ("“‘Til then,” he said", "“’Til then,” he said"),
    # straight input too
    ("'Til then", "’Til then"),
    # genuine opening quotes stay
    ("‘Hello,’ she said", "‘Hello,’ she said"),
    ("‘Round and round,’ she sang", "‘Round and round,’ she sang"),
    ("‘Cause and effect,’ she wrote", "‘Cause and effect,’ she wrote"),
    ("‘Round midnight he left", "’Round midnight he left"),   # no closing quote: an elision
    ("‘Emily,’ she said", "‘Emily,’ she said"),
    ("‘Tilly,’ she said", "‘Tilly,’ she said"),
    ("‘1984’ is a novel", "‘1984’ is a novel"),              # four digits: a title, not a decade
    ("“’Thank you", "“’Thank you"),                          # stray apostrophe: lint's job
]


@pytest.mark.parametrize("text,expected", LEADING)
def test_leading_apostrophe(text, expected):
    assert run(leading_apostrophe, text) == expected


FULL = [
    ('"Rock \'n\' roll in the \'90s, \'til dawn," she said.', "“Rock ’n’ roll in the ’90s, ’til dawn,” she said."),
    ("'Tis true,' he said", "’Tis true,’ he said"),
    ('"Don\'t," she said. "Please."', "“Don’t,” she said. “Please.”"),
]


@pytest.mark.parametrize("text,expected", FULL)
def test_quotes_in_fix_text(text, expected):
    assert plain(fix_text(text)) == expected


def test_no_straight_quotes_survive():
    text = '"It\'s \'em," he said. \'Yes.\' "And--" "Well."'
    out = fix_text(text)
    assert '"' not in out and "'" not in out


def test_curly_input_untouched_by_quotes_rule():
    text = "“O-Oh… Oh, you’re not… home.”"
    assert list(quotes(text, CTX)) == []
