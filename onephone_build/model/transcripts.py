"""Transcript blocks: what the manuscript may mark, and what each part is called.

Markup (Pandoc fenced divs and bracketed spans)::

    ::: {.voicemail from="Izuku" to="Midoriya residence"}
    [“Midoriya residence. Please leave a message…”]{.greeting}

    [Beep.]{.cue}

    “Mom, it’s me…”

    ::: narration
    There was a sound of a sharp intake…
    :::
    :::

    ::: {.texts from="Todoroki" to="Midoriya"}
    [Are you on the train?]{.message from="Todoroki"}

    [Where are you?]{.message from="Todoroki" status="not delivered"}
    :::

Kinds: voicemail, call, radio, texts. Inside a transcript: ``narration`` blocks
(narration that interrupts the call stays narration), and the inline marks
``greeting``, ``cue`` and ``message``.

Written pieces are set apart the same way: a letter or a note, with a salutation and a
signature as marks of their own paragraphs::

    ::: {.letter from="Ben" to="Ana"}
    [Dear Ana,]{.salutation}

    The train leaves at six.

    [Yours, Ben]{.signature}
    :::

An epigraph (a chapter's, at its head) is a block whose last paragraph may be marked as
its attribution: ``::: epigraph`` ... ``[Emily Dickinson]{.attribution}`` ``:::``.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = {
    "voicemail": "Voicemail",
    "call": "Phone call",
    "radio": "Radio",
    "texts": "Text messages",
}
WRITTEN = {  # written pieces: set apart like a transcript, named like one
    "letter": "Letter",
    "note": "Note",
}
EPIGRAPH = "epigraph"
INNER_BLOCKS = {"narration"}
MARKS = {"greeting", "cue", "message", "salutation", "signature", "attribution"}
OPTIONAL_BLOCKS = {"author-note": "author_notes", "chapter-summary": "chapter_summaries"}  # class -> book.yaml key
BLOCK_CLASSES = set(KINDS) | set(WRITTEN) | {EPIGRAPH} | INNER_BLOCKS | set(OPTIONAL_BLOCKS)


@dataclass(frozen=True)
class Transcript:
    kind: str
    attrs: dict[str, str]

    @property
    def label(self) -> str:
        """The accessible name, e.g. 'Voicemail from Izuku to Midoriya residence'."""
        name = KINDS.get(self.kind) or WRITTEN[self.kind]
        if self.attrs.get("from"):
            name += f" from {self.attrs['from']}"
        if self.attrs.get("to"):
            name += f" to {self.attrs['to']}"
        return name


def transcript_of(classes: list[str], attrs: list[list[str]]) -> Transcript | None:
    kind = next((c for c in classes if c in KINDS), None)
    return Transcript(kind, dict(attrs)) if kind else None


def written_of(classes: list[str], attrs: list[list[str]]) -> Transcript | None:
    """A letter or a note (named like a transcript: 'Letter from Ben to Ana')."""
    kind = next((c for c in classes if c in WRITTEN), None)
    return Transcript(kind, dict(attrs)) if kind else None
