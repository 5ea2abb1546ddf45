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
chapters:
  - chapters/01-beginning.md
  - chapters/02-the-call.md
"""

CHAPTER_ONE = """\
# Beginning

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
"""


def new_book(directory: Path) -> list[Path]:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BookError("already exists and is not an empty directory; choose a new one", directory)
    files = {
        "book.yaml": BOOK_YAML.format(dir=directory, uuid=uuid.uuid4()),
        "chapters/01-beginning.md": CHAPTER_ONE,
        "chapters/02-the-call.md": CHAPTER_TWO,
    }
    written = []
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
