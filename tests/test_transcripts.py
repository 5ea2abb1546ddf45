"""Transcript blocks of every kind come out with their class, accessible name and parts in
EPUB, web edition and PDF; typography applies inside them."""

from __future__ import annotations

import zipfile

import pdfplumber
import pytest
from lxml import etree, html as lhtml

from onephone_build.build import build
from onephone_build.check import check_epub

from .conftest import write_manuscript

KINDS_MD = """\
# Calls

She listened to the machine.

::: {.voicemail from="Rin" to="The Sato house"}
[“You’ve reached the Satos. Leave a message!”]{.greeting}

[Beep.]{.cue}

“Mom, it’s R-Rin. I'm fine-

::: narration
A train went past, loud enough to drown her out.
:::

“-really fine. Call me.”
:::

::: {.call from="Haru" to="Rin"}
“Where are you?” [Static.]{.cue} “Rin?”

[Call ended.]{.cue}
:::

::: {.radio from="Unit 4" to="Dispatch"}
“Dispatch, we have a s-situation...”
:::

::: {.texts from="Haru" to="Rin"}
[are you ok]{.message from="Haru"}

[answer me]{.message from="Haru" status="not delivered"}

[on the train]{.message from="Rin"}
:::

* * *

Afterwards, nobody spoke.
"""

NAMES = {
    "voicemail": "Voicemail from Rin to The Sato house",
    "call": "Phone call from Haru to Rin",
    "radio": "Radio from Unit 4 to Dispatch",
    "texts": "Text messages from Haru to Rin",
}
X = {"x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("transcripts")
    ms = write_manuscript(root / "ms", {"chapters/calls.md": KINDS_MD})
    return build(ms, root / "out", ("epub", "html", "pdf"))


def _check_sections(sections, text_of):
    found = {}
    for sec in sections:
        classes = sec.get("class").split()
        assert classes[0] == "transcript"
        found[classes[1]] = sec
        assert sec.get("aria-label") == NAMES[classes[1]]
    assert set(found) == set(NAMES)
    vm = found["voicemail"]
    assert text_of(vm, "greeting") == ["“You’ve reached the Satos. Leave a message!”"]
    assert text_of(vm, "cue") == ["Beep."]
    assert text_of(vm, "narration") == ["A train went past, loud enough to drown her out."]
    assert text_of(found["call"], "cue") == ["Static.", "Call ended."]
    messages = text_of(found["texts"], "message")
    assert len(messages) == 3 and "not delivered" in messages[1] and "Haru" in messages[0]
    sides = [m.get("class").split()[1] for m in found["texts"].iter()
             if "message" in (m.get("class") or "").split()]
    assert sides == ["sent", "sent", "received"]  # the thread's owner (from) sends
    return found


def test_epub_transcripts(built):
    z = zipfile.ZipFile(built.outputs["epub"])
    doc = etree.fromstring(z.read("EPUB/chapter-01.xhtml"))

    def text_of(sec, cls):
        return [" ".join("".join(e.itertext()).split()) for e in
                sec.xpath(f".//*[contains(concat(' ', @class, ' '), ' {cls} ')]", namespaces=X)]

    found = _check_sections(doc.xpath("//x:section[contains(@class,'transcript')]", namespaces=X), text_of)
    # typography inside a transcript: stammer glued, cut-off became a dash, straight quote curled
    vm = "".join(found["voicemail"].itertext())
    assert "R-Rin" in vm and "fine\u2014" in vm and "I’m" in vm and "\u2014really" in vm
    assert "s-situation…”" in "".join(found["radio"].itertext())
    assert check_epub(built.outputs["epub"]) == []


def test_web_transcripts(built):
    page = lhtml.parse(str(built.outputs["html"] / "chapter-01.html")).getroot()

    def text_of(sec, cls):
        return [" ".join(e.text_content().split()) for e in sec.find_class(cls)]

    _check_sections(page.xpath("//section[contains(@class,'transcript')]"), text_of)
    assert ":::" not in page.text_content()


def test_pdf_sets_transcripts_apart(built):
    """Print: the transcript's name is shown, and its text is set smaller than narration."""
    with pdfplumber.open(built.outputs["pdf"]) as pdf:
        chars = [c for p in pdf.pages for c in p.chars]
        text = "".join(c["text"] for c in chars)
    for name in NAMES.values():
        assert name.lower().replace(" ", "") in text.lower().replace(" ", "")

    def size_of(word):
        at = text.index(word)
        return chars[at]["size"]

    assert size_of("reached") < size_of("listened") - 0.5  # greeting vs narration
    assert size_of("Afterwards") == size_of("listened")
    assert ":::" not in text
