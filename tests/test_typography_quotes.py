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


# Word-initial elisions by shape (issue 12): a word-initial ' that no later single quote
# closes is an apostrophe.  Real lines: The Adventures of Tom Sawyer (Gutenberg #74),
# fan-fiction dialect, SmartyPants' and Pandoc's smart-quote tests, Standard Ebooks'
# typogrify cases, adapted to the house style (US, closed).
SHAPE = [
    # Tom Sawyer (Twain's dialect; straight quotes as in the Gutenberg text)
    ("\"I wouldn't 'a' done it,\" said Tom.", "“I wouldn’t ’a’ done it,” said Tom."),
    ("\"'Pears to me it's so.\"", "“’Pears to me it’s so.”"),
    ("\"Come 'long, Huck.\"", "“Come ’long, Huck.”"),
    ("\"'Tain't so, and 'twouldn't be.\"", "“’Tain’t so, and ’twouldn’t be.”"),
    ("\"'Bouts a dollar.\"", "“’Bouts a dollar.”"),
    ("\"'Deed I will, Tom.\"", "“’Deed I will, Tom.”"),
    ("'Long about midnight", "’Long about midnight"),
    # fan fiction
    ("\"'Sup, Ana?\"", "“’Sup, Ana?”"),
    ("\"'Nother day, 'nother dollar.\"", "“’Nother day, ’nother dollar.”"),
    ("\"'S okay.\"", "“’S okay.”"),
    ("\"'fraid so.\"", "“’fraid so.”"),
    ("\"'e said it to 'im.\"", "“’e said it to ’im.”"),
    ("\"'Course.\"", "“’Course.”"),
    ("'Ello, 'ello, 'ello, what's all this then?", "’Ello, ’ello, ’ello, what’s all this then?"),
    # genuine quotations still pair: nested, after punctuation, at a word end
    ("\"She said 'no,' and left.\"", "“She said ‘no,’ and left.”"),
    ("\"He called me 'darling' all day.\"", "“He called me ‘darling’ all day.”"),
    ("\"Tell 'em I said 'hello.'\"", "“Tell ’em I said ‘hello.’”"),
    ("'Round and round,' she sang", "‘Round and round,’ she sang"),
    ("the Joneses' place and the boys' room", "the Joneses’ place and the boys’ room"),
    ("\"I was goin' home,\" he said.", "“I was goin’ home,” he said."),
    # SmartyPants / Pandoc smart test cases
    ("'Hello,' he said, 'it's me.'", "‘Hello,’ he said, ‘it’s me.’"),
    ("\"'Nested' quotes\"", "“‘Nested’ quotes”"),
    ("'He said, \"I'll go.\"'", "‘He said, “I’ll go.”’"),
    ("the '80s and '90s", "the ’80s and ’90s"),
    # primes: feet and inches after a number
    ("He is 6'2\" tall.", "He is 6′2″ tall."),
    ("He is 5' 11\".", "He is 5′ 11″."),
    ("a 12\" ruler", "a 12″ ruler"),
    ("a 10' pole", "a 10′ pole"),
    ("\"He's 6'2\",\" she said.", "“He’s 6′2″,” she said."),
    ("\"I am 12\" she said", "“I am 12” she said"),       # a quotation open: a closing quote
    ("the 1960's fashion", "the 1960’s fashion"),
]


@pytest.mark.parametrize("text,expected", SHAPE)
def test_elisions_by_shape_and_primes(text, expected):
    assert plain(fix_text(text)) == expected


@pytest.mark.parametrize("text", ["‘pears to me", "‘Sup, Ana?", "he was ‘fraid", "‘Ello, ‘ello"])
def test_wrongly_curled_elisions_are_fixed(text):
    """Word-processor input (already curled the wrong way) is fixed the same way."""
    assert "‘" not in run(leading_apostrophe, text)
