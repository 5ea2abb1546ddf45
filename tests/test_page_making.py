"""The print edition's page making (issue 18): full pages and level spreads, no widows,
orphans, runts, hyphen ladders or hyphenated names, measured from the PDF by
benchmarks/pages.py on small books made to provoke each case, each beside a control
that shows the case is provoked: the same book made with WeasyPrint's own page making,
or without the rule."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from onephone_build.build import build
from onephone_build.editions.print import document, spreads
from onephone_build.editions.print.runs import fallback_runs
from onephone_build.editions.print.runts import bind_last_words

from .conftest import write_manuscript

_SPEC = importlib.util.spec_from_file_location(
    "pages_measure", Path(__file__).resolve().parent.parent / "benchmarks" / "pages.py")
pages = sys.modules.setdefault("pages_measure", importlib.util.module_from_spec(_SPEC))
if not hasattr(pages, "measure"):
    _SPEC.loader.exec_module(pages)

WORDS = ("the rain had not stopped since morning and the street outside the station ran with it "
         "she stood under the awning and counted the buses that did not come for her").split()


def _novel(root: Path, seed: int, chapters: int = 2, paragraphs: int = 45, ending: str = "") -> Path:
    """Running text with scene breaks and dialogue: paragraphs of 1 to 9 lines, which
    is what leaves widows and orphans at page turns."""
    rng = random.Random(seed)

    def para(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + (ending or ".")

    files = {}
    for c in range(1, chapters + 1):
        out = [f"# Chapter {c}", ""]
        for i in range(paragraphs):
            out += [f"“{para(rng.randint(3, 14))}” she said." if i % 4 == 1 else para(rng.randint(12, 110)), ""]
            if i % 13 == 7:
                out += ["* * *", ""]
        files[f"chapters/{c:02}.md"] = "\n".join(out)
    return write_manuscript(root, files)


def _measure(ms: Path, out: Path, edition: str = "pdf"):
    pdf = build(ms, out, (edition,), use_cache=False).outputs[edition]
    return pages.measure(pdf)


@pytest.fixture(scope="module", params=[("pdf", 15), ("pdf", 12), ("kdp", 13)], ids=["trade-a", "trade-b", "kdp"])
def made(request, tmp_path_factory):
    edition, seed = request.param
    root = tmp_path_factory.mktemp("pages")
    ms = _novel(root / "ms", seed, chapters=3 if edition == "kdp" else 2)  # (KDP prints 24 pages or more)
    spreads.ENABLED = False
    try:
        natural = _measure(ms, root / "natural", edition)
    finally:
        spreads.ENABLED = True
    return natural, _measure(ms, root / "made", edition)


def test_running_text_has_full_pages_and_level_spreads(made):
    natural, fig = made
    assert natural.text_pages >= 8
    assert natural.short_pages, "the control provokes no short page"
    assert fig.short_pages == [], fig.short_pages
    assert fig.uneven_spreads == [], fig.uneven_spreads


def test_no_widows_or_orphans(made):
    _, fig = made
    assert fig.widows == [] and fig.orphans == []


def test_a_long_spread_is_rare_and_the_page_count_does_not_grow(made):
    natural, fig = made
    assert len(fig.long_spreads) <= max(2, fig.text_pages // 8)
    assert fig.pages <= natural.pages + 2  # (one blank may move behind the other chapter)


@pytest.fixture(scope="module")
def runty(tmp_path_factory):
    """Paragraphs that all end in a short word: without binding, some last line holds it alone."""
    root = tmp_path_factory.mktemp("runts")
    rng = random.Random(5)
    text = ["# One", ""]
    for _ in range(60):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(14, 60)))
        text += [words.capitalize() + " to it.", ""]
    return write_manuscript(root / "ms", {"chapters/01.md": "\n".join(text)}), root


def test_no_runts(runty, monkeypatch):
    """Either means alone leaves no runt: the last words bound (runts.py), or the page
    maker's mending of a runt it sees (looseness.flaws); the control has neither."""
    from onephone_build.editions.print import looseness

    ms, root = runty
    monkeypatch.setattr(document, "bind_last_words", lambda x: x)
    monkeypatch.setattr(looseness, "_runt", lambda lines: False)
    assert _measure(ms, root / "control").runts, "the control provokes no runt"
    monkeypatch.undo()
    monkeypatch.setattr(document, "bind_last_words", lambda x: x)
    assert _measure(ms, root / "mended").runts == []
    monkeypatch.undo()
    assert _measure(ms, root / "made").runts == []


def test_no_hyphen_ladders_or_hyphenated_names(tmp_path, monkeypatch):
    """Long words and long names on a narrow page: hyphenated often, never three line
    ends in a row, never a name. The controls: WeasyPrint's own page making (ladders),
    and names not kept whole (a name hyphenated)."""
    rng = random.Random(7)
    long_words = ("extraordinarily unquestionably administration characteristically "
                  "Montgomery Wolverhampton Bartholomew Constantinople incomprehensible").split()
    text = ["# One", ""]
    for _ in range(40):
        words = " ".join(rng.choice(long_words + WORDS[:8]) for _ in range(rng.randint(20, 70)))
        text += [words[0].upper() + words[1:] + ".", ""]  # (not capitalize(): the names keep their capitals)
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "\n".join(text)}, trim="\"4in x 6in\"")
    monkeypatch.setattr(spreads, "ENABLED", False)
    monkeypatch.setattr(document, "keep_names_whole", lambda x: x)
    control = _measure(ms, tmp_path / "control")
    assert control.hyphen_ladders and control.hyphenated_names, "the control provokes no ladder or no name"
    monkeypatch.undo()
    fig = _measure(ms, tmp_path / "out")
    assert fig.text_pages >= 5
    assert fig.hyphen_ladders == [] and fig.hyphenated_names == []


@pytest.mark.parametrize("before, after", [
    ("<p>He said it was.</p>", "<p>He said it\u00a0was.</p>"),
    ("<p>It was <em>so</em>.</p>", "<p>It was\u00a0<em>so</em>.</p>"),
    ("<p>He had a new inspiration:</p>", '<p>He had a new <span class="nw">inspiration:</span></p>'),
    ("<p>down from a spring-board</p>", '<p>down from a <span class="nw">spring-board</span></p>'),
    ("<p>went to the street.</p>", '<p>went to the\u00a0<span class="nohy">street.</span></p>'),  # bound, not hyphenated
    ("<p>in his manner.\u201d</p>", '<p>in his\u00a0<span class="nohy">manner.\u201d</span></p>'),
    ("<p>went to the <em>street</em>.</p>", "<p>went to the\u00a0<em>street</em>.</p>"),  # (over a tag: bound only)
    ("<p>one</p>", "<p>one</p>"),  # no space: nothing to bind
    ('<p title="a b">a b</p>', '<p title="a b">a\u00a0b</p>'),  # an attribute is never touched
    ("<p>unbelievably incomprehensible end.</p>", "<p>unbelievably incomprehensible end.</p>"),  # too long a pair
    ("<p>a link to https://example.com/a/very/long/path</p>", "<p>a link to https://example.com/a/very/long/path</p>"),
    ('<p>He went <span class="nw">to it</span></p>', '<p>He went <span class="nw">to it</span></p>'),
    # bound, and not broken inside: a stammer cut off (Tom Sawyer: "blowed the--the--"), a hyphen
    ("<p>it blowed the\u2060\u2014the\u2060\u2014\u201d</p>",
     "<p>it blowed\u00a0the\u2060\u2014\u2060the\u2060\u2014\u201d</p>"),
    ("<p>Time for a re-do.</p>", "<p>Time for a\u00a0re-\u2060do.</p>"),
])
def test_last_words_bound_and_kept_whole(before, after):
    assert bind_last_words(before) == after


@pytest.mark.parametrize("before, after", [
    ("<p>plain text</p>", "<p>plain text</p>"),
    ("<p>a 漢字 b</p>", '<p>a <span class="fb">漢字</span> b</p>'),
    ("<p>x😀y</p>", '<p>x<span class="fb emoji">😀</span>y</p>'),
    ('<p title="漢字">t</p>', '<p title="漢字">t</p>'),  # tags and attributes untouched
    ("<p>&amp; שָׁלוֹם</p>", '<p>&amp; <span class="fb">שָׁלוֹם</span></p>'),  # marks stay with their letters
])
def test_runs_the_book_face_lacks_are_spanned(before, after):
    assert fallback_runs(before) == after


def _page_texts(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def test_the_page_makers_shortcuts_change_no_page(tmp_path, monkeypatch):
    """What saves the page maker work (a re-set paragraph's lines counted alone, a failed
    direction not tried again, lines split once per spread) changes no page: the book is
    the same page for page as with every candidate tried and every line split afresh, and
    fewer pages are laid out."""
    import weasyprint.layout.page as page_module

    from onephone_build.editions.print import linememo

    ms = _novel(tmp_path / "ms", 12)
    natural_remake = page_module.remake_page
    counts = []

    def build_counting(out: Path) -> list[str]:
        counts.append(0)

        def remake_page(*args):
            counts[-1] += 1
            return natural_remake(*args)

        monkeypatch.setattr(page_module, "remake_page", remake_page)
        pdf = build(ms, out, ("pdf",), jobs=1, use_cache=False).outputs["pdf"]
        monkeypatch.setattr(page_module, "remake_page", natural_remake)
        return _page_texts(pdf)

    fast = build_counting(tmp_path / "fast")
    monkeypatch.setattr(spreads, "PREDICT", False)
    monkeypatch.setattr(linememo, "ENABLED", False)
    slow = build_counting(tmp_path / "slow")
    assert len(fast) >= 8 and fast == slow
    assert counts[0] < counts[1], counts


def test_a_paragraph_set_alone_has_the_lines_it_has_on_the_page(tmp_path, monkeypatch):
    """Paragraphs.lines, which decides whether a re-set paragraph is worth a page made
    again, counts what the page holds: every paragraph lying whole on a page of running
    text, in roman, italic spans, dialogue, a block quote (a narrower measure), with a
    footnote call and after a scene break, set alone at its fragment's width, has the
    lines it has there."""
    import weasyprint.layout as layout

    from onephone_build.editions.print.looseness import Paragraphs, paragraphs_on

    rng = random.Random(3)

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    cases = {
        "roman": lambda: words(rng.randint(20, 90)).capitalize() + ".",
        "italic spans": lambda: f"{words(12).capitalize()} *{words(9)}* {words(30)} *{words(4)}*.",
        "dialogue": lambda: f"“{words(rng.randint(5, 30)).capitalize()}-” she said, “{words(8)}…”",
        "block quote": lambda: "> " + words(rng.randint(30, 70)).capitalize() + ".",
        "footnote call": lambda: words(25).capitalize() + "[^n" + str(rng.randint(0, 10**6)) + "] " + words(20) + ".",
        "scene break": lambda: "* * *\n\n" + words(40).capitalize() + ".",
    }
    text, notes = ["# One", ""], []
    for k in range(48):
        kind = list(cases)[k % len(cases)]
        para = cases[kind]()
        if kind == "footnote call":
            notes.append(f"[^{para.split('[^')[1].split(']')[0]}]: {words(10).capitalize()}.")
        text += [para, ""]
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "\n".join(text + notes)})
    spreads.install()
    inner = layout.make_all_pages
    counted = []

    def make_all_pages(context, root_box, html, pages):
        paragraphs, seen = Paragraphs(root_box), set()
        for page in inner(context, root_box, html, pages):
            on_page = paragraphs_on(page)
            for frag in on_page[:-1]:
                if frag.element not in seen:
                    counted.append((len(frag.children), paragraphs.lines(context, frag.element, frag)))
            seen = {f.element for f in on_page}
            yield page

    monkeypatch.setattr(layout, "make_all_pages", make_all_pages)
    build(ms, tmp_path / "out", ("pdf",), jobs=1, use_cache=False)
    assert len(counted) >= 30
    assert [c for c in counted if c[1] is not None and c[0] != c[1]] == []
    assert sum(c[1] is None for c in counted) <= 2  # (the chapter's opening paragraph: its drop cap)


def test_a_transcript_that_crosses_a_page_turn_costs_no_line(tmp_path, monkeypatch):
    """Long transcripts (a voicemail of many short utterances, in their smaller type on the
    body's pitch) between paragraphs of running text cross page turns: the page before the
    turn is full to the foot, and the page after opens on the text block's first line.
    The control: the transcript's margins cloned onto every fragment
    (``box-decoration-break: clone``), which took a line from the foot of one page and the
    head of the next at every turn inside a transcript."""
    from onephone_build.editions.print import layout

    rng = random.Random(21)

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    text = ["# One", ""]
    for k in range(30):
        text += [words(rng.randint(30, 110)).capitalize() + ".", ""]
        if k % 3 == 1:
            text += ['::: {.voicemail from="Ana" to="Ben"}']
            text += [f"“{words(rng.randint(4, 30)).capitalize()}.”\n" for _ in range(rng.randint(8, 22))]
            text += [":::", ""]
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "\n".join(text)})
    fig = _measure(ms, tmp_path / "made")
    assert fig.text_pages >= 8
    assert fig.short_pages == [] and fig.uneven_spreads == [], (fig.short_pages, fig.uneven_spreads)

    css = layout.stylesheet("print.css").read_text(encoding="utf-8")
    assert "box-decoration-break: slice" in css
    cloned = tmp_path / "print.css"
    cloned.write_text(css.replace("box-decoration-break: slice", "box-decoration-break: clone"), encoding="utf-8")
    monkeypatch.setattr(layout, "stylesheet", lambda name: cloned)
    control = _measure(ms, tmp_path / "control")
    assert control.short_pages, "the control provokes no short page"


def test_a_long_contents_fills_its_pages_to_the_grid(tmp_path, monkeypatch):
    """A contents of many chapters (Pride and Prejudice has 61) runs over pages: each of
    them but the last ends on the text block's last line, as a full page of text does.
    The control: the entries a blank line apart, as a short contents is set, which leaves
    every page of the list a line short (the text block is an odd number of lines deep
    here; on an even one the first page would be)."""
    rng = random.Random(5)
    files = {"chapters/001.md": "# Chapter 1\n\n" + "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 110))).capitalize() + "." for _ in range(40))}
    for c in range(2, 62):
        files[f"chapters/{c:03}.md"] = f"# Chapter {c}\n\n" + " ".join(rng.choice(WORDS) for _ in range(30)) + "."
    ms = write_manuscript(tmp_path / "ms", files)
    fig = _measure(ms, tmp_path / "made")
    assert fig.short_pages == [], fig.short_pages

    monkeypatch.setattr(document, "_contents_spaced", lambda *a: True)
    control = _measure(ms, tmp_path / "control")
    assert control.short_pages, "the control provokes no short page"


@pytest.mark.parametrize("paragraph, runt", [
    ("he came down to see the rea-<br>son.", True),  # the tail of a word broken
    ("he came down to see<br>it.", True),  # one short word
    ("he came down to see<br><em>it</em>.", True),
    ("he came down to see the<br>understanding.", False),  # one word, but a long one
    ("he came down to see<br>the end.", False),  # two words
    ("it.", False),  # a paragraph of one line
])
def test_a_runt_is_a_flaw_the_page_maker_mends(paragraph, runt):
    """looseness.flaws: a paragraph re-set looser to fill a page may spill a bound word's
    tail onto a line of its own (Pride and Prejudice: 'rea-' / 'son.'); the page maker
    sees it as a flaw, as it sees a hyphen ladder, and nudges the paragraph."""
    import weasyprint

    from onephone_build.editions.print import looseness

    html = f'<p style="margin:0">{paragraph}</p><p style="margin:0">A next paragraph.</p>'
    page = weasyprint.HTML(string=html).render().pages[0]._page_box
    fragments = looseness.paragraphs_on(page)
    assert len(fragments) == 2
    assert (fragments[0].element in looseness.flaws(fragments)) is runt


_AUSTEN = ('<p>“By the bye <span class="nohy">Charles</span>, are you really serious in meditating a dance at '
           '<span class="nohy">Netherfield</span>? I would advise you, before you determine on it, to consult the '
           'wishes of the present party; I am much mistaken if there are not some among us to whom a ball would be '
           'rather a punishment than a <span class="nw">pleasure.”</span></p>'
           '<p>“It is a long time, Mr. <span class="nohy">Bingley</span>, since you went away,” said '
           'Mrs.\u00a0<span class="nohy">Bennet</span>.</p>')


def _strays() -> list:
    """Lines cut early (under earlybreak.EARLY of the measure, the paragraph going on) in
    two paragraphs of Pride and Prejudice as print sets them, at measures 300 to 420 px."""
    import weasyprint

    from onephone_build.editions.print import earlybreak, layout, looseness
    from onephone_build.pipeline import render

    cfg = render(Path(__file__).resolve().parent.parent / "manuscript").config
    css = [weasyprint.CSS(filename=str(layout.stylesheet("print.css"))),
           weasyprint.CSS(string=document.page_setup_css(cfg))]
    body = "".join(f'<div style="width:{w}px">{_AUSTEN}</div>' for w in range(300, 420, 2))
    html = f'<html lang="en"><body><div class="body"><section class="chapter">{body}</section></div></body></html>'
    found = []
    for page in weasyprint.HTML(string=html).render(stylesheets=css).pages:
        for frag in looseness.paragraphs_on(page._page_box):
            for line in frag.children[:-1]:
                if looseness._line_facts(line, frag.style["font_size"])[0] < earlybreak.EARLY * frag.width:
                    found.append((round(frag.width), looseness._text(line)))
    return found


def _cutting_early(real):
    """A first-line split with WeasyPrint's bug made certain: every first line that does
    not hold all of its text ends at its first space (the bug comes and goes with the
    fonts a process has loaded, so it is provoked here, not waited for)."""
    import math

    def split(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        found = real(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        first = text.find(" ", 1)
        if minimum or found[2] is None or first < 0 or first + 1 >= len(text):
            return found
        run = real(text[:first], style, context, math.inf, justification_spacing, is_line_start)
        return (run[0], len(text[:first].encode()), len(text[:first + 1].encode())) + tuple(run[3:])
    return split


def test_no_line_is_cut_early(monkeypatch):
    """WeasyPrint's first-line split sometimes ends a line after a word or two next to an
    inline box ('party; I am much mistaken if there are not some among' / 'us' / 'to whom
    a ball…', Pride and Prejudice); earlybreak.py puts back the longest run that fits.
    With the bug provoked in every split: lines cut early without the guard, none with it."""
    import weasyprint.layout.inline as inline
    import weasyprint.text.line_break as line_break

    from onephone_build.editions.print import earlybreak

    earlybreak.install()
    assert _strays() == []  # the real split, guarded
    monkeypatch.setattr(earlybreak, "_natural", _cutting_early(line_break.split_first_line))
    assert _strays() == []  # the guard round a split that always cuts early
    monkeypatch.setattr(inline, "split_first_line", _cutting_early(line_break.split_first_line))
    assert _strays(), "the control cuts no line early"


def test_a_spread_nothing_else_levels_is_run_a_line_short(tmp_path, monkeypatch):
    """Mostly one-line speeches and three-line paragraphs whose last line is half full:
    nothing to re-set, and a three-line paragraph may not be split (orphans and widows
    of two). Where a page ends a line short and the spread made a line long does no
    better, the spread is run a line short on both pages, level (Pride and Prejudice's
    pages 74 and 75). The control: no spread run short."""
    rng = random.Random(1)
    text = ["# One", ""]
    for _ in range(160):
        r = rng.random()
        if r < 0.12:
            text += [" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 120))).capitalize() + ".", ""]
        elif r < 0.72:
            text += ["“" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).capitalize() + ",” she said.", ""]
        else:
            words = ""
            while len(words) < 150:
                words += rng.choice(WORDS) + " "
            text += [words.strip().capitalize() + ".", ""]
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "\n".join(text)})
    monkeypatch.setattr(spreads, "RUN_SHORT", False)
    control = _measure(ms, tmp_path / "control")
    assert control.uneven_spreads, "the control provokes no uneven spread"
    monkeypatch.undo()
    fig = _measure(ms, tmp_path / "made")
    assert fig.short_spreads, fig
    assert fig.short_pages == [] and fig.uneven_spreads == [], (fig.short_pages, fig.uneven_spreads)


def test_a_page_its_own_paragraphs_cannot_fill_takes_lines_from_the_spread_before(tmp_path, monkeypatch):
    """The book's KDP interior: a page ends two lines short before a scene break, which is
    kept with the three-line paragraph after it (five lines, where two are left), and
    neither a paragraph of its own re-set nor its spread run long or short fills it. The
    spread before it is made again a line short, level, and passes it the two lines. The
    control: no spread made again once the next is begun."""
    from .conftest import MANUSCRIPT

    monkeypatch.setattr(spreads, "LOOK_BACK", False)
    control = _measure(MANUSCRIPT, tmp_path / "control", "kdp")
    assert control.short_pages, "the control leaves no page short"
    monkeypatch.undo()
    fig = _measure(MANUSCRIPT, tmp_path / "made", "kdp")
    assert fig.short_pages == [] and fig.uneven_spreads == [], (fig.short_pages, fig.uneven_spreads)
    assert (fig.widows, fig.orphans) == ([], [])
    assert fig.short_spreads or fig.long_spreads
