"""The editions a build can make: one row each, data only.

An edition is a kind of file (``format``), the module that writes it (imported only when
the edition is built), its file name, its stylesheet, how the model's line-breaking
characters reach its reader (``glue``) and the validators it must pass. A store or a
printer is one more row here and at most one more module under ``editions/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# How NBH (U+2011) and WJ (U+2060) are rendered (see model/chars.py):
#   "nowrap"  every glued run as <span class="nw"> with plain hyphens inside: a reader's
#             font needs neither character (many lack U+2060, Kindle shows U+FEFF as a
#             space, Kobo draws U+2011 raised);
#   "joiner"  stammers and honorifics as nowrap spans, a word joiner before a dash or an
#             ellipsis: only for a face known to have U+2060 (the print edition's).
GLUES = ("nowrap", "joiner")


@dataclass(frozen=True)
class Edition:
    name: str
    format: str  # epub | pdf | html
    writer: str  # module under onephone_build.editions with write(rendered, job)
    output: str  # file (or folder) name in OUT; {slug} is the book's
    stylesheet: str  # in styles/
    glue: str = "nowrap"
    checks: tuple[str, ...] = ()  # validators in check/ (check/__init__.py: VALIDATORS)
    directory: bool = False  # the output is a folder (written whole, then swapped in)
    print_profile: str | None = None  # a print-on-demand service (config/print_profiles.py)
    store: str = ""  # an EPUB's store (editions/epub/stores.py: its characters, markup, CSS)
    size_limit: int = 0  # MiB the store accepts (0: none known); a larger file is an error

    def target(self, out: Path, slug: str) -> Path:
        return out / self.output.format(slug=slug)


_EPUB_CHECKS = ("epubcheck", "ace")

# Store editions: the same rendered book, written by the same EPUB writer with its store's
# profile. ``epub`` is the generic EPUB (``epub --for generic``) for every other reader.
# Limits: Send to Kindle fails in practice above about 50 MB (E999); Kobo's is 100 MB;
# Apple Books takes 2 GB; no limit is known to us for Google Play.
EDITIONS: tuple[Edition, ...] = (
    Edition("epub", "epub", "epub.writer", "{slug}.epub", "epub.css", checks=_EPUB_CHECKS, store="generic"),
    Edition("pdf", "pdf", "print.writer", "{slug}.pdf", "print.css", glue="joiner", checks=("pdf",)),
    Edition("html", "html", "web", "html", "web.css", checks=("nu",), directory=True),
    Edition("kindle", "epub", "epub.writer", "{slug}.kindle.epub", "epub.css", checks=_EPUB_CHECKS,
            store="kindle", size_limit=50),
    Edition("kobo", "epub", "epub.writer", "{slug}.kepub.epub", "epub.css", checks=_EPUB_CHECKS,
            store="kobo", size_limit=100),
    Edition("apple", "epub", "epub.writer", "{slug}.apple.epub", "epub.css", checks=_EPUB_CHECKS,
            store="apple", size_limit=2048),
    Edition("google", "epub", "epub.writer", "{slug}.google.epub", "epub.css", checks=_EPUB_CHECKS,
            store="google"),
    # print on demand: the interior as the service takes it (book.yaml's print.service
    # adds its row, and its cover, to what `all` builds)
    Edition("kdp", "pdf", "print.writer", "{slug}-kdp.pdf", "print.css", glue="joiner",
            checks=("preflight",), print_profile="kdp"),
    Edition("ingram", "pdf", "print.writer", "{slug}-ingram.pdf", "print.css", glue="joiner",
            checks=("preflight",), print_profile="ingram"),
    # the full-wrap cover (back, spine, front) of each, sized from the interior's page count
    Edition("kdp-cover", "pdf", "print.wrap", "{slug}-kdp-cover.pdf", "print.css", glue="joiner",
            checks=("cover",), print_profile="kdp"),
    Edition("ingram-cover", "pdf", "print.wrap", "{slug}-ingram-cover.pdf", "print.css", glue="joiner",
            checks=("cover",), print_profile="ingram"),
)
BY_NAME = {e.name: e for e in EDITIONS}
NAMES = tuple(BY_NAME)
DEFAULT = tuple(e.name for e in EDITIONS if e.print_profile is None)  # what `all` builds unless told
PRINT_EDITIONS = {e.print_profile: e.name for e in EDITIONS if e.print_profile and e.writer == "print.writer"}
PRINT_COVERS = {e.print_profile: e.name for e in EDITIONS if e.print_profile and e.writer == "print.wrap"}
STORES = {e.store: e for e in EDITIONS if e.store}  # `epub --for STORE`: kindle, kobo, apple, google, generic
ALIASES = {"generic": "epub"}


def page_source(service: str) -> str:
    """The print edition whose page numbers the EPUBs and the web edition carry (a
    page-list): the print-on-demand interior of book.yaml's ``print.service``, or the PDF."""
    return PRINT_EDITIONS.get(service, "pdf")  # book.yaml may name the generic EPUB by its store
