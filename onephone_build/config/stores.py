"""book.yaml's ``stores:``, ``also_by:`` and ``accessibility:`` sections.

``stores``: this book's page in each store, ``{kindle: URL, kobo: URL, ...}`` (store names
as in config/editions.py: kindle, kobo, apple, google, generic). ``also_by``: the author's
other books, each ``{title: ..., stores: {kindle: URL, ...}}``. Each EPUB edition links to its
own store (a Kindle reader to Amazon), else to the ``generic`` link. ``accessibility``:
``{certified_by: ..., exemption: ...}``: who evaluated the conformance claim (default: the
publisher, else the author) and the EU exemption the book claims, if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import BookError
from .editions import STORES

URL_RE = re.compile(r"^https?://[^\s<>\"'`]+$")
# the exemption values of the W3C's a11y vocabulary (EPUB Accessibility 1.1, section 3.4)
EXEMPTIONS = ("eaa-disproportionate-burden", "eaa-fundamental-alteration", "eaa-microenterprise")


@dataclass(frozen=True)
class OtherBook:
    title: str
    links: dict[str, str] = field(default_factory=dict)  # store -> URL


@dataclass(frozen=True)
class Accessibility:
    certified_by: str = ""  # "" until load(): the publisher or the author
    exemption: str = ""


STORE_NAMES = {"kindle": "the Kindle Store", "kobo": "Kobo", "apple": "Apple Books",
               "google": "Google Play Books", "generic": "the store"}


def link_for(links: dict[str, str], store: str) -> str:
    """The link a reader of ``store``'s edition follows: that store's, else the generic one."""
    return links.get(store) or links.get("generic", "")


def _links(value, what: str, src, line: int) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise BookError(f"'{what}' must be a mapping of stores to links such as "
                        "{kindle: https://..., kobo: https://...}", src, line)
    for store, url in value.items():
        if store not in STORES:
            raise BookError(f"unknown store '{store}' in '{what}' (stores: {', '.join(STORES)})", src, line)
        if not isinstance(url, str) or not URL_RE.match(url.strip()):
            raise BookError(f"'{what}.{store}' must be an http(s) link, not {url!r}", src, line)
    return {s: u.strip() for s, u in value.items()}


def stores(value, src, line: int) -> dict[str, str]:
    return {} if value is None else _links(value, "stores", src, line)


def also_by(value, src, line: int) -> tuple[OtherBook, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BookError("'also_by' must be a list of books such as "
                        "[{title: ..., stores: {kindle: https://...}}]", src, line)
    books = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
            raise BookError("each book in 'also_by' needs a 'title'", src, line)
        unknown = set(item) - {"title", "stores"}
        if unknown:
            raise BookError(f"unknown option '{sorted(unknown)[0]}' in 'also_by' (title, stores)", src, line)
        links = _links(item["stores"], "also_by.stores", src, line) if item.get("stores") is not None else {}
        books.append(OtherBook(item["title"].strip(), links))
    return tuple(books)


def accessibility(value, src, line: int, default_certifier: str) -> Accessibility:
    value = {} if value is None else value
    if not isinstance(value, dict):
        raise BookError("'accessibility' must be a mapping such as {certified_by: ..., exemption: ...}", src, line)
    unknown = set(value) - {"certified_by", "exemption"}
    if unknown:
        raise BookError(f"unknown option 'accessibility.{sorted(unknown)[0]}' (certified_by, exemption)", src, line)
    certifier = value.get("certified_by") or default_certifier
    if not isinstance(certifier, str):
        raise BookError("'accessibility.certified_by' must be text", src, line)
    exemption = value.get("exemption") or ""
    if exemption and exemption not in EXEMPTIONS:
        raise BookError(f"'accessibility.exemption' must be one of {', '.join(EXEMPTIONS)}, not {exemption!r}",
                        src, line)
    return Accessibility(certifier.strip(), exemption)
