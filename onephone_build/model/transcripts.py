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
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = {
    "voicemail": "Voicemail",
    "call": "Phone call",
    "radio": "Radio",
    "texts": "Text messages",
}
INNER_BLOCKS = {"narration"}
MARKS = {"greeting", "cue", "message"}
OPTIONAL_BLOCKS = {"author-note": "author_notes", "chapter-summary": "chapter_summaries"}  # class -> book.yaml key
BLOCK_CLASSES = set(KINDS) | INNER_BLOCKS | set(OPTIONAL_BLOCKS)


@dataclass(frozen=True)
class Transcript:
    kind: str
    attrs: dict[str, str]

    @property
    def label(self) -> str:
        """The accessible name, e.g. 'Voicemail from Izuku to Midoriya residence'."""
        name = KINDS[self.kind]
        if self.attrs.get("from"):
            name += f" from {self.attrs['from']}"
        if self.attrs.get("to"):
            name += f" to {self.attrs['to']}"
        return name


def transcript_of(classes: list[str], attrs: list[list[str]]) -> Transcript | None:
    kind = next((c for c in classes if c in KINDS), None)
    return Transcript(kind, dict(attrs)) if kind else None
