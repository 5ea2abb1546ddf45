"""Re-setting one paragraph a line shorter or longer, as TeX's ``\\looseness`` does: the
typesetter's first remedy for a page that ends short (spreads.py tries it before letting
a spread run a line long).

A page ends a line short when the text that would fill it may not go there: a paragraph's
last line alone at the top of the next page (a widow), its first alone at the foot (an
orphan), a scene break kept with the lines after it. Making one paragraph of the page a
line shorter gives the page the room it lacked; making one a line longer fills the line
left empty. Either way the page comes out full at its own depth.

A paragraph is made shorter by tracking it tighter (a little less space between its
letters, at most ``TRACKING_EM``, and between its words, at most ``WORD_SPACE_EM``), longer
by tracking it looser by as much: justified lines are spread to the measure again, so the
change shows mostly in where the lines break. Only a
paragraph that begins and ends on the page is re-set, and only one whose last line
promises the change: short enough to be taken back into the lines above it, or full
enough to spill a word onto a new line. The amount is the least that the paragraph's
spaces can absorb, with a margin, so it stays as close to the natural setting as it can.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .runts import LETTER, RUNT_LETTERS

TRACKING_EM = 0.015  # letter spacing taken away or added, at most (15 units of InDesign's tracking)
WORD_SPACE_EM = 0.05  # word spacing taken away or added, at most (EB Garamond's space: about 0.23 em)
MARGIN = 1.3  # greedy breaking moves whole words: more than the bare arithmetic
MAX_TRIALS = 4  # paragraphs tried per short page, at each of the two amounts
MAX_SHARE = 2.0  # a paragraph whose change seems to need more than twice the whole amount is not tried


@dataclass
class Candidate:
    element: object  # the paragraph's element
    letter_px: float  # the change of its letter spacing
    word_px: float  # the change of its word spacing

    @property
    def sign(self) -> int:
        """-1: set tighter, to take a line back; 1: looser, to spill a word."""
        return 1 if self.letter_px > 0 else -1


@dataclass
class Change:
    """Styles replaced in the box tree: undone when a trial fails, done again when chosen."""
    swaps: list = field(default_factory=list)  # (box, old style, new style)

    def undo(self) -> None:
        for box, old, _ in self.swaps:
            box.style = old

    def redo(self) -> None:
        for box, _, new in self.swaps:
            box.style = new


def _line_facts(line, em: float) -> tuple[float, float]:
    """A laid-out line's natural width (what it uses, less the space justification added
    to its spaces: a line broken early and spread to the measure is still short) and how
    much its spacing can give or take at most (its letters' tracking and its spaces' word
    spacing), in px."""
    from weasyprint.formatting_structure import boxes

    right = line.position_x
    give = stretch = 0.0
    for box in line.descendants():
        if isinstance(box, boxes.TextBox):
            spaces = box.text.count(" ")
            give += (len(box.text) * TRACKING_EM + spaces * WORD_SPACE_EM) * em
            stretch += (spaces + box.text.count("\u00a0")) * getattr(box, "justification_spacing", 0)
        if box is not line and hasattr(box, "margin_width"):
            right = max(right, box.position_x + box.margin_width())
    return right - line.position_x - stretch, give


def paragraphs_on(page) -> list:
    """The laid-out paragraph fragments of a page, in order: block boxes of ``<p>`` that
    hold lines."""
    from weasyprint.formatting_structure import boxes

    return [b for b in page.children[0].descendants()
            if isinstance(b, boxes.BlockBox) and b.element_tag == "p" and b.children
            and all(isinstance(c, boxes.LineBox) for c in b.children)]


def inner_lines(fragments: list, element) -> int | None:
    """How many lines the paragraph of ``element`` has on a page (``fragments``:
    paragraphs_on(page)), when it lies there whole with text after it: the page's text
    below it then moves by the lines it gains or loses, whichever paragraph that is."""
    for frag in fragments[:-1]:
        if frag.element is element:
            return len(frag.children)
    return None


def candidates(fragments: list, begun_before: set) -> list[Candidate]:
    """The paragraphs of a page worth re-setting, the most promising first. ``fragments``:
    paragraphs_on(page); ``begun_before``: elements of paragraphs the previous page holds
    (a paragraph that began there is not re-set: that page is made)."""
    found = []
    for k, frag in enumerate(fragments):
        lines = frag.children
        if frag.element in begun_before or len(lines) < 2:
            continue
        width, em = frag.width, frag.style["font_size"]
        facts = [_line_facts(line, em) for line in lines]
        used = facts[-1][0]
        if k == len(fragments) - 1 and used > 0.97 * width:
            continue  # the page's last paragraph, to all appearances running on
        before = sum(g for _, g in facts[:-1])
        every = before + facts[-1][1]
        for sign, share in ((-1, used / before * MARGIN if before else 9.0),  # the last line taken back
                            (1, (width - used) / every * MARGIN if every else 9.0)):  # a word spilled
            if share <= MAX_SHARE:
                found.append((share, sign, frag.element, em))
    found.sort(key=lambda f: f[0])

    def at(share: float, sign: int, element, em: float) -> Candidate:
        return Candidate(element, sign * share * TRACKING_EM * em, sign * share * WORD_SPACE_EM * em)

    # the least amount that should do, then the whole amount: a justified line has room
    # of its own to absorb before a word moves, and greedy breaking moves whole words,
    # neither of which the arithmetic sees
    return ([at(*f) for f in found if f[0] <= 1][:MAX_TRIALS]
            + [at(1.0, *f[1:]) for f in found[:MAX_TRIALS]])


# Three flaws of a paragraph's lines that a nudge mends, setting the paragraph a hair tighter
# or looser (NUDGES_EM, tried in turn) so that its lines break elsewhere:
# - a stray break: WeasyPrint (70) sometimes breaks a justified line early, next to an
#   inline box (a span), leaving a word or two alone on a line in mid-paragraph
#   (Kozea/WeasyPrint#1614 and #1051 describe the family of bugs);
# - a hyphen ladder: more than MAX_HYPHENS_IN_A_ROW lines in a row that end in a hyphen;
# - a runt: the paragraph's last line one word, short (runts.RUNT_LETTERS letters or
#   fewer) or the tail of a word hyphenated on the line before. runts.py binds last words
#   so that the natural setting has none; a paragraph re-set looser to fill a page may
#   spill a bound word's tail (Pride and Prejudice: "rea-" / "son.").
NUDGES_EM = (-0.002, 0.002, -0.005, 0.005, -0.01, 0.01)
MAX_HYPHENS_IN_A_ROW = 2
_HYPHENS = ("-", "\u2010", "\u00ad")


def _text(line) -> str:
    from weasyprint.formatting_structure import boxes

    return "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox))


def _ends_in_hyphen(line) -> bool:
    return _text(line).rstrip().endswith(_HYPHENS)


def _runt(lines: list) -> bool:
    """Whether the last of a paragraph's ``lines`` is a runt (one word: short, or the tail
    of a word hyphenated on the line before)."""
    last = _text(lines[-1]).split()
    return (len(lines) > 1 and len(last) == 1
            and (len(LETTER.findall(last[0])) <= RUNT_LETTERS or _ends_in_hyphen(lines[-2])))


def _runs_on(frag) -> bool:
    """Whether the paragraph goes on after this fragment (on the next page): its text does
    not end with the fragment's last line."""
    last = _text(frag.children[-1])
    whole = "".join(frag.element.itertext())
    return not " ".join(whole.split()).endswith(" ".join(last.split()))


def flaws(fragments: list) -> list:
    """Elements of the paragraphs of a page whose lines have a flaw: a line of a justified
    paragraph that ends far short of the measure though the paragraph goes on, a hyphen
    ladder, or a runt."""
    found = []
    for frag in fragments:
        lines = frag.children
        em = frag.style["font_size"]
        runs_on = frag is fragments[-1] and _runs_on(frag)
        going_on = lines[:-1] + (lines[-1:] if runs_on else [])
        stray = frag.style["text_align_all"] == "justify" and any(
            _line_facts(line, em)[0] < 0.7 * frag.width for line in going_on)
        run = longest = 0
        for line in lines:
            run = run + 1 if _ends_in_hyphen(line) else 0
            longest = max(longest, run)
        if stray or longest > MAX_HYPHENS_IN_A_ROW or (not runs_on and _runt(lines)):
            found.append(frag.element)
    return found


def nudges(element, em: float) -> list[Candidate]:
    return [Candidate(element, n * em, 0.0) for n in NUDGES_EM]


class Paragraphs:
    """The paragraphs of a document's box tree (the tree pages are made from), by element."""

    def __init__(self, root_box):
        self.root_box, self._boxes = root_box, None

    def box(self, element):
        if self._boxes is None:
            from weasyprint.formatting_structure import boxes

            self._boxes = {b.element: b for b in self.root_box.descendants()
                           if isinstance(b, boxes.BlockBox) and b.element_tag == "p"}
        return self._boxes.get(element)

    def lines(self, context, element, measure) -> int | None:
        """How many lines the paragraph of ``element`` takes, set alone at the width of
        ``measure`` (its fragment on a page) in its boxes' current styles: a fraction of
        the cost of making the page again to see. None where the count alone could differ
        from the page's: a drop cap or a first-line style, content other than one run of
        lines (floats on the page: the caller does not ask)."""
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.inline import iter_line_boxes

        paragraph = self.box(element)
        if (paragraph is None or paragraph.first_letter_style is not None
                or paragraph.first_line_style is not None or len(paragraph.children) != 1
                or not isinstance(paragraph.children[0], boxes.LineBox)):
            return None
        line = paragraph.children[0]
        line.position_x, line.position_y = measure.content_box_x(), 0
        context.create_block_formatting_context()  # no floats beside it
        try:
            return sum(1 for _ in iter_line_boxes(context, line, 0, -float("inf"), None, measure,
                                                   [], [], None, None))
        finally:
            context.finish_block_formatting_context()

    def apply(self, candidate: Candidate) -> Change:
        """Re-set a paragraph's letter and word spacing (every box in it: the spacing is
        inherited already). Styles are replaced, not changed: a page already made keeps
        its own."""
        change = Change()
        paragraph = self.box(candidate.element)
        if paragraph is None:
            return change
        for box in paragraph.descendants():
            style = box.style.copy()
            letters = box.style["letter_spacing"]
            style["letter_spacing"] = (0 if letters == "normal" else letters) + candidate.letter_px
            style["word_spacing"] = box.style["word_spacing"] + candidate.word_px
            change.swaps.append((box, box.style, style))
        change.redo()
        return change
