"""The pages around the story that book.yaml names: dedication, epigraph, foreword, author's
note (front matter); acknowledgements, about the author, a teaser for the next book (back
matter). Each is optional; each is Markdown written in book.yaml or a ``.md`` file of the
manuscript::

    dedication: For M., who read every draft.
    epigraph:
      text: The past is a foreign country; they do things differently there.
      attribution: L. P. Hartley, *The Go-Between*
    foreword: matter/foreword.md
    acknowledgements: matter/thanks.md
    about_author: {file: matter/about.md, image: images/author.jpg}
    teaser: {title: The Second Book, file: matter/teaser.md}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import BookError


@dataclass(frozen=True)
class Kind:
    place: str  # "front" (before the first chapter) or "back" (after the last)
    heading: str  # the page's heading; "" for a page that shows none (dedication, epigraph)
    label: str  # its name in the navigation and the accessible name
    epub_type: str  # EPUB structural semantics (the landmark's type)
    role: str  # DPUB-ARIA role ("" where there is none)


# In reading order: a dedication and the epigraph before the contents (print), a foreword
# and the author's note after them; the back matter after the last chapter.
KINDS = {
    "dedication": Kind("front", "", "Dedication", "dedication", "doc-dedication"),
    "epigraph": Kind("front", "", "Epigraph", "epigraph", ""),
    "foreword": Kind("front", "Foreword", "Foreword", "foreword", "doc-foreword"),
    "author_note": Kind("front", "Author\u2019s Note", "Author\u2019s Note", "preface", "doc-preface"),
    "acknowledgements": Kind("back", "Acknowledgements", "Acknowledgements", "acknowledgments",
                             "doc-acknowledgments"),
    "about_author": Kind("back", "About the Author", "About the Author", "backmatter", ""),
    "teaser": Kind("back", "Coming Next", "Coming Next", "backmatter", ""),
}
# the keys each element's mapping may have besides text/file
_EXTRA = {"epigraph": {"attribution"}, "about_author": {"image", "image_alt"}}
MAX_TEXT_CHARS = 20000  # Markdown written in book.yaml itself (a longer one: a file)


@dataclass(frozen=True)
class Epigraph:
    text: str  # Markdown
    attribution: str = ""  # Markdown (one line)


@dataclass(frozen=True)
class Matter:
    kind: str  # a key of KINDS
    text: str  # Markdown ("" for an epigraph page: see epigraphs)
    path: Path  # where the text is (book.yaml, or its file): errors and relative images
    title: str = ""  # the heading, when book.yaml gives one (a teaser: the next book's title)
    epigraphs: tuple[Epigraph, ...] = ()
    image: Path | None = None  # about_author: the author's photograph
    image_alt: str = ""
    volume: int = 0  # a volume's own (a box set's book: config.book.Volume), 0 for the book's

    @property
    def markdown(self) -> str:
        """The text Pandoc reads: an epigraph page's epigraphs as ``::: epigraph`` blocks,
        each ending with its attribution."""
        if self.kind != "epigraph":
            return self.text
        return "\n\n".join(
            f"::: epigraph\n{e.text}\n" + (f"\n[{e.attribution}]{{.attribution}}\n" if e.attribution else "")
            + ":::" for e in self.epigraphs)

    @property
    def css_class(self) -> str:
        return {"epigraph": "epigraphs", "author_note": "authors-note"}.get(self.kind, self.kind.replace("_", "-"))

    @property
    def ident(self) -> str:
        own = self.kind.replace("_", "-")
        return f"volume-{self.volume:02d}-{own}" if self.volume else own

    @property
    def heading(self) -> str:
        return self.title or KINDS[self.kind].heading

    @property
    def label(self) -> str:
        return self.title or KINDS[self.kind].label


def matter(data: dict, lines: dict[str, int], root: Path, src: Path, inside, text_check,
           read_file) -> tuple[Matter, ...]:
    """The elements book.yaml names, in reading order. ``inside(root, value, what, src, line)``
    confines a path to the manuscript; ``text_check(key, value, line)`` checks a text field;
    ``read_file(path, what, line)`` reads a Markdown file as text."""
    out = []
    for kind in KINDS:
        if data.get(kind) in (None, "", []):
            continue
        line = lines[kind]
        out.append(_one(kind, data[kind], root, src, line, inside, text_check, read_file))
    return tuple(out)


def _read(kind: str, value: str, root: Path, src: Path, line: int, inside, read_file) -> tuple[str, Path]:
    p = inside(root, value, f"'{kind}' file", src, line)
    if not p.is_file():
        raise BookError(f"'{kind}' names the file '{value}', which does not exist", src, line)
    return read_file(p, f"'{kind}' file '{value}'", line), p


def _is_file_name(value: str) -> bool:
    return "\n" not in value and value.strip().lower().endswith((".md", ".markdown", ".txt"))


def _one(kind, value, root, src, line, inside, text_check, read_file) -> Matter:
    what = f"'{kind}'"
    if kind == "epigraph":
        items = value if isinstance(value, list) else [value]
        epigraphs = []
        for item in items:
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict) or not isinstance(item.get("text"), str) or set(item) - {"text", "attribution"}:
                raise BookError(f"{what} must be text, or a mapping such as {{text: ..., attribution: ...}} "
                                "(or a list of them)", src, line)
            attribution = item.get("attribution", "")
            if not isinstance(attribution, str):
                raise BookError(f"'{kind}.attribution' must be text", src, line)
            epigraphs.append(Epigraph(text_check(kind, item["text"], line),
                                      " ".join(text_check(kind, attribution, line).split())))
        return Matter(kind, "", src, epigraphs=tuple(epigraphs))
    if isinstance(value, str):
        value = {"file": value} if _is_file_name(value) else {"text": value}
    allowed = {"text", "file", "title"} | _EXTRA.get(kind, set())
    if not isinstance(value, dict):
        raise BookError(f"{what} must be Markdown text, a .md file of the manuscript, or a mapping "
                        f"of {', '.join(sorted(allowed))}", src, line)
    unknown = set(map(str, value)) - allowed
    if unknown:
        raise BookError(f"unknown option '{kind}.{sorted(unknown)[0]}' (known: {', '.join(sorted(allowed))})",
                        src, line)
    if ("text" in value) == ("file" in value):
        raise BookError(f"{what} needs either 'text' or 'file'", src, line)
    for key in value:
        if not isinstance(value[key], str):
            raise BookError(f"'{kind}.{key}' must be text", src, line)
    if "file" in value:
        text, path = _read(kind, value["file"], root, src, line, inside, read_file)
    else:
        text, path = text_check(kind, value["text"], line), src
    image = None
    if value.get("image"):
        image = inside(root, value["image"], f"'{kind}.image'", src, line)
        if not image.is_file():
            raise BookError(f"'{kind}.image' names the file '{value['image']}', which does not exist", src, line)
    return Matter(kind, text, path, title=" ".join(value.get("title", "").split()),
                  image=image, image_alt=value.get("image_alt", "").strip())
