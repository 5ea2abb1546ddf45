"""``new DIR``: a manuscript skeleton that builds, lints and validates at once."""

from __future__ import annotations

import uuid
from pathlib import Path

from ..errors import BookError

BOOK_YAML = """\
# Your book. Replace the placeholders; `onephone-build serve -m {dir}` shows every change.
title: Untitled Book
author: Your Name
language: en
identifier: urn:uuid:{uuid}   # keep it: e-readers use it to recognise the book across editions
description: >-
  One or two sentences about the book.
rights: All rights reserved.
trim: 5.5in x 8.5in           # print trim size
typography:
  dashes: closed              # closed (US em dash) or spaced (British spaced en dash)
# series: The Series Name     # on the title page and in the EPUB's collection metadata
# series_number: 1

# The pages around the story; each is optional. Markdown here, or a .md file of the manuscript.
dedication: For everyone who reads the first draft.
epigraph:
  text: Every story is a journey.
  attribution: Someone Wise
author_note: matter/authors-note.md
acknowledgements: matter/acknowledgements.md
about_author: matter/about-the-author.md   # or {{file: ..., image: images/you.jpg}}
teaser: {{title: The Next Book, text: "The first lines of the next book go here..."}}
also_by:
  - title: Your Other Book

chapter_numbers: words        # "Chapter One" over each title: auto, words, numerals, roman, none
openings: small_caps          # a chapter's first words: none, small_caps, drop_cap (print and web)
# scene_openings: true        # small caps after each scene break too
# scene_break: images/ornament.png   # an ornament image in place of the scene-break glyph

chapters:
  - chapters/01-beginning.md
  - chapters/02-the-call.md
# Or parts, each with its own title page (instead of chapters:):
# parts:
#   - name: The Beginning
#     chapters: [chapters/01-beginning.md]
#   - name: The Call
#     chapters: [chapters/02-the-call.md]
"""

CHAPTER_ONE = """\
# Beginning

::: epigraph
A chapter may open with an epigraph of its own.

[Its Author]{.attribution}
:::

Write as you type: "straight quotes", dashes--and dots... The typography stage sets them.

A scene break is three spaced asterisks on a line of their own:

* * *

The next scene begins here. *Emphasis* is one asterisk on each side.
"""

CHAPTER_TWO = """\
# The Call

Phone calls, voicemail, radio and text messages are transcript blocks:

::: {.voicemail from="Ana" to="Ben"}
["Hi, this is Ben. Leave a message!"]{.greeting}

[Beep.]{.cue}

"Ben, it's me. Call me back."

::: narration
She hung up before the tone cut her off.
:::
:::

::: {.texts from="Ana" to="Ben"}
[Are you there?]{.message from="Ana"}

[Yes. On my way.]{.message from="Ben"}
:::

Letters and written notes are set apart too:

::: {.letter from="Ben" to="Ana"}
[Dear Ana,]{.salutation}

I'll be there by six.

[Ben]{.signature}
:::
"""

AUTHORS_NOTE = """\
# Author's Note

A word to the reader before the story begins (it goes after the contents).
"""

ACKNOWLEDGEMENTS = """\
Thank the people who helped make this book. The acknowledgements follow the last chapter.
"""

ABOUT = """\
Your Name writes books. A line or two about you, after the acknowledgements.
"""


def new_book(directory: Path) -> list[Path]:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BookError("already exists and is not an empty directory; choose a new one", directory)
    files = {
        "book.yaml": BOOK_YAML.format(dir=directory, uuid=uuid.uuid4()),
        "chapters/01-beginning.md": CHAPTER_ONE,
        "chapters/02-the-call.md": CHAPTER_TWO,
        "matter/authors-note.md": AUTHORS_NOTE,
        "matter/acknowledgements.md": ACKNOWLEDGEMENTS,
        "matter/about-the-author.md": ABOUT,
    }
    written = []
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
