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

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BookError

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

_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DIV_FENCE = re.compile(r"^ {0,3}(:{3,})\s*(.*?)\s*$")
_CLASS = re.compile(r"(?:^|\s|\{)\.([\w-]+)")


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


def _fence_classes(spec: str) -> list[str]:
    spec = spec.rstrip(":").strip()
    if spec.startswith("{"):
        return _CLASS.findall(spec)
    return [spec] if spec else []


def check_fences(text: str, path: Path, max_depth: int) -> None:
    """Every ``:::`` block is closed, nests properly (at most ``max_depth`` deep), and is a
    kind we know.

    Pandoc would close an unclosed fence at the end of the input and treat an
    unknown class as a plain div; either would leak into the book, so refuse
    it here with the line the author has to look at.
    """
    stack: list[tuple[int, str]] = []
    code: tuple[str, int, int] | None = None
    for n, line in enumerate(text.split("\n"), 1):
        if code:
            m = _CODE_FENCE.match(line)
            if m and m.group(1)[0] == code[0] and len(m.group(1)) >= code[1] and not line.strip(" `~"):
                code = None
            continue
        m = _CODE_FENCE.match(line)
        if m:
            code = (m.group(1)[0], len(m.group(1)), n)
            continue
        m = _DIV_FENCE.match(line)
        if not m:
            continue
        spec = m.group(2)
        if not spec.strip(":"):
            if not stack:
                raise BookError("closing ':::' without an opening fenced block", path, n)
            stack.pop()
            continue
        classes = _fence_classes(spec)
        known = [c for c in classes if c in BLOCK_CLASSES]
        if not known:
            raise BookError(
                f"unknown fenced block '::: {spec}' (known: {', '.join(sorted(BLOCK_CLASSES))})", path, n)
        if known[0] in INNER_BLOCKS and not any(k in KINDS for _, k in stack):
            raise BookError(f"'::: {known[0]}' belongs inside a transcript block", path, n)
        stack.append((n, known[0]))
        if len(stack) > max_depth:
            raise BookError(f"fenced blocks nested more than {max_depth} deep", path, n)
    if code:
        raise BookError("code block is never closed (``` without its closing fence)", path, code[2])
    if stack:
        n, kind = stack[-1]
        raise BookError(f"fenced block '::: {kind}' is never closed (add a line ':::')", path, n)
