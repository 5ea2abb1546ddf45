"""Level spreads and full pages: the page maker of a book typesetter, inside WeasyPrint.

WeasyPrint fills each page as far as the text allows and, to keep two lines of a paragraph
together at a page turn (``widows``, ``orphans``) or a scene break with what follows it,
ends a page a line or more short. A book typesetter fixes such a page by letting the
whole spread run a line long: both facing pages one line deeper, so that the two still end
level and neither is short. This module does the same, page by page as WeasyPrint makes
them:

- each spread of running text (a verso and the recto that faces it, both on ``chapter``
  pages) is made at the text block's depth; when either page comes out short, and is not
  the last page of its chapter, the spread is made again one line long, and the better of
  the two is kept (the natural one on a tie); when both leave a line short, the spread is
  made a line short on both pages, and kept when both pages then come out full, level
  (the other remedy of the trade: a spread run short);
- a recto with no running text facing it (a chapter's opening page) is treated alone;
- when a page still ends short after all this (a scene break kept with a paragraph too
  long for the room left, and no paragraph of its own to re-set), the spread before it is
  made again a line short, a line long or at its natural depth, if it comes out full and
  level so, and the page's spread after it: the lines passed on fill the page, or the
  lines taken back make the room. (So the pages are handed to WeasyPrint once all of the
  document's are made.)

The lookahead re-makes only the pages of a spread that needed it. A page's depth is a
function of its place in its chapter (chapters begin on a recto), so a chapter laid out
alone is paginated exactly as in the whole book, and the parallel, cached layout still
equals the single pass page for page. The running heads and folios stay where they are:
only the text block of a long page is deeper (print.css keeps the folio a line clear).

WeasyPrint has no public hook for this: ``install()`` wraps ``make_all_pages`` (the loop
that makes the pages) and ``page_height`` (where a page's text block gets its depth), and
restores what a trial page changed in the layout context before the spread is made again.

What it costs is the pages made more than once, so it makes few: a paragraph is tried on
a page made again only if, set alone (a fraction of a page's work), its re-setting moves
it by a line; a line gained (or lost) that left the page no fuller is not tried again in
another paragraph, since the text below moves the same whichever paragraph it is; and the
lines of a spread's pages are split once (linememo.py), however often the pages are made.
"""

from __future__ import annotations

from . import earlybreak, linememo
from .grid import LINE_PT
from .looseness import Candidate, Change, Paragraphs, candidates, flaws, inner_lines, nudges, paragraphs_on

LINE_PX = LINE_PT * 4 / 3  # WeasyPrint lays out in CSS pixels
BODY_PAGE = "chapter"  # print.css: the named page of running text (chapters, forewords)

_UNMADE = object()  # a facing recto not made yet (make_spread)
ENABLED = True  # False: WeasyPrint's own page making (a control for the tests and the bench)
PREDICT = True  # False: every candidate paragraph tried on the page made again (a control for the tests)
RUN_SHORT = True  # False: no spread run a line short (a control for the tests)
LOOK_BACK = True  # False: a spread never made again once the next is begun (a control for the tests)
_installed = False
_natural = None  # WeasyPrint's make_all_pages


def install() -> None:
    """Put the spread maker in WeasyPrint's layout (once per process)."""
    global _installed, _natural
    if _installed:
        return
    import weasyprint.layout as layout
    import weasyprint.layout.page as page_module

    _natural = layout.make_all_pages

    natural_height = page_module.page_height

    def page_height(box, context, containing_block_height):
        natural_height(box, context, containing_block_height)
        extra = getattr(context, "onephone_extra", 0.0)
        if extra:  # a deeper text block, the page itself unchanged
            box.height += extra
            box.margin_bottom -= extra

    page_module.page_height = page_height
    layout.make_all_pages = make_all_pages
    earlybreak.install()  # (first: linememo wraps the split it finds)
    linememo.install()
    _installed = True


def _text_bottom(page) -> float:
    """The lowest line (or image) of a laid-out page's running text, in px."""
    from weasyprint.formatting_structure import boxes

    root = page.children[0]
    bottom = root.content_box_y()
    for box in root.descendants():
        if isinstance(box, boxes.LineBox):
            bottom = max(bottom, box.position_y + box.height)
        elif isinstance(box, boxes.ReplacedBox) and box.is_in_normal_flow():
            bottom = max(bottom, box.position_y + box.margin_height())
    return bottom


def _floats(page) -> bool:
    """Whether floats lie on a laid-out page (a paragraph's lines beside them are not the
    lines it takes alone)."""
    return any(box.is_floated() for box in page.descendants())


class _FirstLetters:
    """The first lines of the blocks with a ``::first-letter`` style (a drop cap), as the box
    tree holds them before a page is made: WeasyPrint takes the letter out of the line in
    place (``first_letter_to_box``), so a page made a second time would take it out again
    and break the layout. ``restore()`` puts them back before each page is made."""

    def __init__(self, root_box):
        from weasyprint.formatting_structure import boxes

        self.saved = []
        for block in root_box.descendants():
            if getattr(block, "first_letter_style", None) is None or not isinstance(block, boxes.ParentBox):
                continue
            line = block
            while isinstance(line, boxes.ParentBox) and not isinstance(line, boxes.LineBox) and line.children:
                line = line.children[0]
            # the line and the first boxes in it, down to the first text: what the letter
            # is taken out of
            box = line if isinstance(line, boxes.LineBox) else None
            while isinstance(box, boxes.ParentBox) and box.children:
                self.saved.append((box, "children", box.children))
                box = box.children[0]
            if isinstance(box, boxes.TextBox):
                self.saved.append((box, "text", box.text))

    def restore(self) -> None:
        for box, name, value in self.saved:
            setattr(box, name, value)


class _Made:
    """One page as made: the box, where the next begins, whether it ends its run of text
    (the chapter's last page, or the document's), and how many lines it ends short."""

    def __init__(self, page, resume_at, next_page, context):
        self.page, self.resume_at = page, resume_at
        self.final = (resume_at is None or next_page["break"] != "any"
                      or next_page["page"] != page.page_type.name)
        room = context.page_bottom - _text_bottom(page)
        self.short = 0 if self.final else int((room + 0.25 * LINE_PX) // LINE_PX)
        self.reported_footnotes = context.reported_footnotes
        self.body = page.page_type.name == BODY_PAGE and not page.page_type.blank
        self.verso = page.page_type.side == "left"


class _Snapshot:
    """What making a page changes in WeasyPrint's layout context, taken before it is made,
    to make it again."""

    def __init__(self, context):
        self.context = context
        self.page_maker = list(context.page_maker)
        self.footnotes = list(context.footnotes)
        self.reported = list(context.reported_footnotes)
        self.broken = dict(context.broken_out_of_flow)
        self.rendered_notes = list(context.rendered_notes)
        self.running = {name: {n: list(v) for n, v in pages.items()}
                        for name, pages in context.running_elements.items()}

    def restore(self) -> None:
        c = self.context
        c.page_maker[:] = self.page_maker
        c.footnotes[:] = self.footnotes
        c.reported_footnotes = list(self.reported)
        c.broken_out_of_flow = dict(self.broken)
        c.rendered_notes[:] = self.rendered_notes
        c.running_elements.clear()
        for name, pages in self.running.items():
            c.running_elements[name].update({n: list(v) for n, v in pages.items()})


def _last_page(i: int, made: tuple) -> int:
    """The last page of a spread made from page ``i`` (``make_spread``)."""
    return i + 1 if isinstance(made[1], _Made) else i


def _running_spread(made: tuple) -> bool:
    """Whether a spread as made (``make_spread``) is a verso and a recto of running text,
    neither of them the last of its chapter."""
    left, facing = made[0], made[1]
    return (left.body and left.verso and not left.final and isinstance(facing, _Made)
            and facing.body and not facing.final)


def make_all_pages(context, root_box, html, pages):
    """WeasyPrint's ``make_all_pages`` (re-make only the pages that changed), making the
    pages of running text a spread at a time. A page's depth and its re-set paragraphs,
    once chosen, are kept when a later pass (page-based counters) makes it again."""
    from weasyprint.layout.page import remake_page
    from weasyprint.logger import PROGRESS_LOGGER

    if not ENABLED:
        yield from _natural(context, root_box, html, pages)
        return
    extras = context.__dict__.setdefault("onephone_extras", {})  # page index -> extra depth
    decided = context.__dict__.setdefault("onephone_decided", set())
    paragraphs = context.__dict__.setdefault("onephone_paragraphs", Paragraphs(root_box))
    first_letters = context.__dict__.setdefault("onephone_first_letters", _FirstLetters(root_box))
    made_ahead: dict[int, _Made] = {}

    def make(i: int) -> _Made:
        remake_state = context.page_maker[i][-1]
        remake_state.update(content_changed=False, pages_wanted=False, anchors=[], content_lookups=[])
        extra = context.onephone_extra = extras.get(i, 0.0)
        first_letters.restore()
        try:
            page, resume_at = remake_page(i, context, root_box, html)
        finally:
            context.onephone_extra = 0.0
        made = _Made(page, resume_at, context.page_maker[i + 1][1], context)
        page.height -= extra  # the page's own box again: its margin boxes go where they belong
        page.margin_bottom += extra
        return made

    def fill(i: int, before: _Snapshot, previous, changes: list[Change]) -> _Made:
        """Page ``i`` made; when it ends short, made again with one of its paragraphs re-set
        a line shorter or longer (looseness.py), the first that leaves it full. Not tried:
        a paragraph whose lines, counted alone, would not move (``moves``), and a direction
        already seen to fail in a paragraph lying whole on the page."""
        made = make(i)
        if made.body:
            made = mend(i, before, made, changes)
        if not made.short or not made.body:
            return made
        kept = _Snapshot(context)
        begun = {f.element for f in paragraphs_on(previous)} if previous is not None else set()
        failed = set()  # signs of the changes seen to leave the page no fuller
        on_page, floats = paragraphs_on(made.page), _floats(made.page)
        for candidate in candidates(on_page, begun):
            if PREDICT and candidate.sign in failed:
                continue
            tried = [paragraphs.apply(candidate)]
            if PREDICT and not floats and not moves(candidate, tried[0], on_page):
                tried[0].undo()
                continue
            before.restore()
            trial = mend(i, before, make(i), tried)
            if trial.short < made.short:
                made, kept = trial, _Snapshot(context)
                changes.extend(tried)
                failed.clear()
                on_page, floats = paragraphs_on(made.page), _floats(made.page)
                if not made.short:
                    return made
            else:
                for change in reversed(tried):
                    change.undo()
                if len(tried) == 1:  # not mended: what moved is this paragraph's lines alone
                    was, now = (inner_lines(paragraphs_on(m.page), candidate.element) for m in (made, trial))
                    if was is not None and now == was + candidate.sign:
                        failed.add(candidate.sign)  # a line gained or lost anywhere above does the same
        kept.restore()
        return made

    def moves(candidate: Candidate, change: Change, on_page: list) -> bool:
        """Whether the change re-sets the candidate's paragraph a line shorter (or longer)
        as wanted, its lines counted set alone (Paragraphs.lines), not on a page made
        again; True where they cannot be counted so."""
        measure = next((f for f in on_page if f.element is candidate.element), None)
        now = paragraphs.lines(context, candidate.element, measure) if measure is not None else None
        if now is None:
            return True
        was = inner_lines(on_page, candidate.element)
        if was is None:  # the page's last paragraph: it may run on
            change.undo()
            was = paragraphs.lines(context, candidate.element, measure)
            change.redo()
        return (now - was) * candidate.sign > 0

    def mend(i: int, before: _Snapshot, made: _Made, changes: list[Change]) -> _Made:
        """Page ``i`` made again until its paragraphs' lines have no flaw (a line broken
        early, a hyphen ladder: looseness.flaws), each such paragraph nudged in turn."""
        for element in flaws(paragraphs_on(made.page)):
            em = paragraphs.box(element).style["font_size"] if paragraphs.box(element) else 0
            for candidate in nudges(element, em):
                change = paragraphs.apply(candidate)
                before.restore()
                trial = make(i)
                if element not in flaws(paragraphs_on(trial.page)):
                    changes.append(change)
                    made = trial
                    break
                change.undo()
            else:
                before.restore()
                made = make(i)
        return made

    def make_spread(i: int, extra: float, before: _Snapshot, previous, facing_too=True) -> tuple:
        """Page ``i`` and, when it is a verso of running text, the recto facing it, both at
        ``extra`` depth: (page, facing page or None, lines short, paragraphs re-set). With
        ``facing_too`` false, a recto facing a verso that ends short is left unmade
        (``_UNMADE``, made by ``finish``): the spread will be tried long first."""
        before.restore()
        changes: list[Change] = []
        extras[i] = extra
        left = fill(i, before, previous, changes)
        facing = None
        if left.body and left.verso and not left.final:
            extras[i + 1] = extra
            if not facing_too and left.short:
                return left, _UNMADE, left.short, changes
            facing = fill(i + 1, _Snapshot(context), left.page, changes)
        return left, facing, left.short + (facing.short if facing else 0), changes

    def finish(i: int, made: tuple) -> tuple:
        """A spread at the text block's depth whose recto was left unmade, made whole (the
        layout as its verso left it)."""
        left, _, short, changes = made
        extras[i + 1] = 0.0
        facing = fill(i + 1, _Snapshot(context), left.page, changes)
        return left, facing, short + facing.short, changes

    def choose(i: int, leaving: tuple, taking: tuple, state: _Snapshot, extra: float) -> tuple:
        """Back to a spread made earlier: the paragraphs re-set for ``leaving`` undone,
        those of ``taking`` redone, the layout state after ``taking`` restored and its
        depth recorded (a later pass makes the pages so)."""
        for change in reversed(leaving[3]):
            change.undo()
        for change in taking[3]:
            change.redo()
        state.restore()
        extras[i] = extras[i + 1] = extra
        return taking

    def short_spread(i: int, best: tuple, before: _Snapshot, previous) -> tuple:
        """The spread made a line short on both pages, when so both come out full (the last
        resort, after the natural and the long spread: a page left short by a paragraph
        that cannot be re-set, whose next lines may not go to its foot); else ``best``."""
        depth = extras.get(i, 0.0)
        after = _Snapshot(context)
        for change in reversed(best[3]):
            change.undo()
        short = make_spread(i, -LINE_PX, before, previous)
        if short[2] == 0 and _running_spread(short):
            return short
        return choose(i, short, best, after, depth)

    def spread(i: int, before: _Snapshot, previous) -> tuple:
        """Page ``i`` (and its facing recto) at the depth that leaves the fewest lines
        short: the text block's, or one line long; the natural depth on a tie. When the
        verso is short at the text block's depth, the long spread is made before the
        natural recto: if it is short by fewer lines than that verso alone, it is the
        better whatever the recto would be, and the natural recto is never made."""
        decided.add(i)
        best = make_spread(i, 0.0, before, previous, facing_too=False)
        left = best[0]
        if best[2] and left.body and not (left.final and not left.verso):
            after = _Snapshot(context)
            for change in reversed(best[3]):
                change.undo()
            long = make_spread(i, LINE_PX, before, previous)
            if best[1] is _UNMADE and long[2] >= best[2]:
                long_state = _Snapshot(context)
                best = finish(i, choose(i, long, best, after, 0.0))
                if long[2] < best[2]:
                    best = choose(i, best, long, long_state, LINE_PX)
            elif long[2] < best[2]:
                best = long
            else:
                best = choose(i, long, best, after, 0.0)
        if RUN_SHORT and best[2] and _running_spread(best):
            best = short_spread(i, best, before, previous)
        for k in (i, i + 1):
            if not extras.get(k):
                extras.pop(k, None)
        return best

    def look_back(i: int, best: tuple, back: tuple):
        """The spread before page ``i`` made again at another depth (a line short, a line
        long, natural), and page ``i``'s spread after it, when ``i``'s still ends short
        and the earlier one comes out full at that depth: a page short by more lines
        than its own paragraphs can take back (a scene break kept with the paragraph
        after it) is filled by the lines the spread before it passes on, or given the
        room it needs. Returns (the earlier spread, page ``i``'s, the state between them)
        for the first depth that leaves fewer lines short; else None, all as it was."""
        j, before_j, previous_j, best_j = back
        lone = best_j[1] is None  # a chapter's opening recto: never a line short alone
        after, saved = _Snapshot(context), dict(extras)
        for depth in (0.0, LINE_PX) if lone else (-LINE_PX, LINE_PX, 0.0):
            if depth == extras.get(j, 0.0):
                continue
            for change in [*reversed(best[3]), *reversed(best_j[3])]:
                change.undo()
            trial_j = make_spread(j, depth, before_j, previous_j)
            if trial_j[2] == 0 and (lone or _running_spread(trial_j)):
                state = _Snapshot(context)
                trial = spread(i, state, (trial_j[0] if lone else trial_j[1]).page)
                if trial[2] < best[2]:
                    return trial_j, trial, state
                for change in reversed(trial[3]):
                    change.undo()
            for change in reversed(trial_j[3]):
                change.undo()
            extras.clear()
            extras.update(saved)
            for change in [*best_j[3], *best[3]]:
                change.redo()
        after.restore()
        return None

    i, previous = 0, None
    back = None  # the last spread made here: (its first page, the state before it, the page before it, as made)
    made_pages = []  # yielded at the end: a spread may be made again after the next one
    context.rendered_notes = []
    while True:
        remake_state = context.page_maker[i][-1]
        if i in made_ahead:
            made = made_ahead.pop(i)
            page, resume_at, reported = made.page, made.resume_at, made.reported_footnotes
        elif not pages or remake_state["content_changed"] or remake_state["pages_wanted"]:
            PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d", i + 1)
            if i in decided:
                made, back = make(i), None
            else:
                with linememo.spread():
                    before = _Snapshot(context)
                    best = spread(i, before, previous)
                    if LOOK_BACK and best[2] and back is not None and _last_page(back[0], back[3]) == i - 1:
                        found = look_back(i, best, back)
                        if found:
                            earlier, best, before = found
                            for k, m in enumerate(earlier[:2]):
                                if isinstance(m, _Made):
                                    made_pages[back[0] + k] = m.page
                            previous = made_pages[-1]
                    back = (i, before, previous, best)
                made = best[0]
                if best[1] is not None:
                    decided.add(i + 1)
                    made_ahead[i + 1] = best[1]
            page, resume_at, reported = made.page, made.resume_at, made.reported_footnotes
        else:
            PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d (up-to-date)", i + 1)
            page, resume_at, reported = pages[i], context.page_maker[i + 1][0], None
            back = None
        made_pages.append(page)
        previous = page
        i += 1
        if resume_at is None and not reported:
            context.page_maker = context.page_maker[: i + 1]
            context.broken_out_of_flow.clear()
            context.reported_footnotes.clear()
            yield from made_pages
            return
