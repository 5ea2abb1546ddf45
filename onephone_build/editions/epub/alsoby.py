"""The "Also by" page: the author's other books, each linked to the edition's own store
(book.yaml's ``also_by``), and this book's page there (``stores``), to rate or give it."""

from __future__ import annotations

from html import escape

from ...config.stores import STORE_NAMES, link_for


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>' if url else escape(text)


def body(cfg, store: str) -> str | None:
    """The page's ``<section>``, or None when the book names no other book and no store link
    for ``store``."""
    here = link_for(cfg.stores, store)
    if not cfg.also_by and not here:
        return None
    parts = ['<section class="also-by" epub:type="backmatter" aria-labelledby="also-by-title">']
    if cfg.also_by:
        parts.append(f'<h1 id="also-by-title">Also by {escape(cfg.author)}</h1><ul>')
        parts += [f"<li>{_link(link_for(b.links, store), b.title)}</li>" for b in cfg.also_by]
        parts.append("</ul>")
    else:
        parts.append(f'<h1 id="also-by-title">{escape(cfg.title)}</h1>')
    if here:
        parts.append(f'<p class="this-book">{_link(here, f"{cfg.title} in {STORE_NAMES[store]}")}: '
                     "rate it, or give it to a friend.</p>")
    parts.append("</section>")
    return "".join(parts)
