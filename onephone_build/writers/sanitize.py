"""Raw HTML from the manuscript, made safe: no script ever reaches an output."""

from __future__ import annotations

import nh3

# What prose may carry as raw HTML: phrasing and a few block elements, no scripting,
# no styling hooks, no embedded content that could fetch anything.
ALLOWED_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "cite", "code", "del", "dfn", "div", "em",
    "hr", "i", "ins", "kbd", "mark", "p", "q", "s", "samp", "small", "span", "strong", "sub",
    "sup", "time", "u", "var",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "lang", "title", "dir"},
    "a": {"href"},
    "time": {"datetime"},
}


def sanitize_fragment(html: str) -> str:
    """Clean an HTML fragment and return it as well-formed XHTML."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"mailto"},  # relative links stay; http(s), javascript: and data: go
        link_rel=None,
        strip_comments=True,
    )
    return _as_xhtml(cleaned)


def _as_xhtml(fragment: str) -> str:
    """nh3 emits HTML serialisation (``<br>``); re-serialise as XML."""
    if not fragment.strip():
        return ""
    from lxml import etree, html as lhtml

    parts = lhtml.fragments_fromstring(fragment)
    out = []
    for p in parts:
        if isinstance(p, str):
            from html import escape

            out.append(escape(p, quote=False))
        else:
            for el in p.iter():
                el.tag = el.tag.lower() if isinstance(el.tag, str) else el.tag
            out.append(etree.tostring(p, encoding="unicode", method="xml"))
    return "".join(out)
