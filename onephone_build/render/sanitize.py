"""Raw HTML from the manuscript, made safe: no script ever reaches an output.

nh3 (ammonia) cleans every raw HTML fragment against an allow-list; the URLs that
survive it (``a href``, ``img src``) go through the book's resolver, so a raw ``<img>``
or ``<a>`` is confined exactly like a Markdown one (refused, or dropped with a warning).

Pandoc hands raw inline HTML over tag by tag (``<em>``, text, ``</em>``), so a start tag
and its end tag in the same list of nodes are paired (``raw_pairs``) and the element is
rebuilt around its rendered content (``wrap_element``); cleaning each tag on its own
would leave an empty ``<em></em>`` before the words it was meant to hold.
"""

from __future__ import annotations

import re
from html import escape
from typing import Callable

import nh3

from ..config import LANG_RE
from ..errors import BookError

# Phrasing elements prose may carry as raw HTML: no scripting, no styling hooks, no
# embedded content but an image of the manuscript's own.
PHRASING_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}
# Block elements a raw HTML block may open around Markdown content.
BLOCK_CONTAINERS = {"blockquote", "div"}
ALLOWED_TAGS = PHRASING_TAGS | BLOCK_CONTAINERS | {"hr", "p"}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "lang", "title", "dir"},
    "a": {"href"},
    "img": {"src", "alt"},
}
# URL attributes and what the resolver checks them as.
URL_ATTRIBUTES = {("a", "href"): "link", ("img", "src"): "image"}
# Every scheme reaches the resolver, which refuses all but #anchors, http(s) and mailto
# links and manuscript images with an error naming the URL (nh3 would drop them silently).
URL_SCHEMES = {"http", "https", "ftp", "file", "data", "javascript", "vbscript", "mailto", "tel", "blob"}
# Elements whose content goes with them (nh3 keeps the text of other removed elements).
CLEAN_CONTENT_TAGS = {"script", "style", "template", "textarea", "svg", "math", "object", "iframe",
                      "noscript", "select", "title"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
             "source", "track", "wbr"}
_DIR_VALUES = {"ltr", "rtl", "auto"}

_START = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>\Z")
_END = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>\Z")

Resolve = Callable[[str, str], str]


def sanitize_fragment(html: str, resolve: Resolve | None = None, tags: set[str] = ALLOWED_TAGS) -> str:
    """Clean an HTML fragment (keeping only ``tags``) and return it as well-formed XHTML.

    ``resolve(url, kind)`` checks each URL kept (raises BookError to refuse it, returns ""
    to drop it); without a resolver no URL is kept."""
    refused: list[BookError] = []

    def attribute(tag: str, name: str, value: str) -> str | None:
        kind = URL_ATTRIBUTES.get((tag, name))
        if kind:
            if resolve is None:
                return None
            try:
                return resolve(value.strip(), kind) or None
            except BookError as e:  # nh3 would swallow it: raise it after cleaning
                refused.append(e)
                return None
        if name == "dir" and value.lower() not in _DIR_VALUES:
            return None
        if name == "lang" and not LANG_RE.match(value):
            return None
        return value

    cleaned = nh3.clean(
        html,
        tags=tags,
        clean_content_tags=CLEAN_CONTENT_TAGS - tags,
        attributes={k: v for k, v in ALLOWED_ATTRIBUTES.items() if k == "*" or k in tags},
        attribute_filter=attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    if refused:
        raise refused[0]
    return _as_xhtml(cleaned)


def raw_pairs(nodes: list[dict], raw_type: str) -> dict[int, int]:
    """Index of each raw HTML start tag in ``nodes`` -> index of its end tag there.

    Pairs nest: an end tag closes the innermost open element of its name, and elements
    opened inside that one and never closed stay unpaired."""
    pairs: dict[int, int] = {}
    open_: list[tuple[str, int]] = []
    for i, node in enumerate(nodes):
        if node["t"] != raw_type or node["c"][0] != "html":
            continue
        tag = node["c"][1].strip()
        m = _START.match(tag)
        if m and not tag.endswith("/>") and m.group(1).lower() not in VOID_TAGS:
            open_.append((m.group(1).lower(), i))
            continue
        m = _END.match(tag)
        if m:
            name = m.group(1).lower()
            for k in range(len(open_) - 1, -1, -1):
                if open_[k][0] == name:
                    pairs[open_[k][1]] = i
                    del open_[k:]
                    break
    return pairs


def wrap_element(start: str, inner: str, end: str, resolve: Resolve | None, tags: set[str]) -> str:
    """The element ``start``..``end`` around ``inner`` (already rendered, so already safe):
    cleaned as a whole when its tag is one of ``tags``; otherwise only ``inner`` is kept,
    or nothing when the element is one whose content is removed with it (script, style…)."""
    shell = sanitize_fragment(start + end, resolve, tags)
    cut = shell.rfind("</")
    if shell and cut > 0:
        return shell[:cut] + inner + shell[cut:]
    name = _START.match(start.strip()).group(1).lower()
    return "" if name in CLEAN_CONTENT_TAGS else inner


def _as_xhtml(fragment: str) -> str:
    """nh3 emits HTML serialisation (``<br>``); re-serialise as XML that reads the same as
    HTML: non-void elements always get an end tag (``<em/>`` would open an element in a
    browser), an image with no source is dropped and one with no alt text gets an empty one."""
    if not fragment.strip():
        return ""
    from lxml import etree, html as lhtml

    out = []
    for part in lhtml.fragments_fromstring(fragment):
        if isinstance(part, str):
            out.append(escape(part, quote=False))
            continue
        for el in list(part.iter()):
            if not isinstance(el.tag, str):
                continue
            el.tag = el.tag.lower()
            if el.tag == "img" and not el.get("src"):
                if el is not part:
                    el.drop_tree()
            elif el.tag == "img":
                el.set("alt", el.get("alt", ""))
            elif el.tag not in VOID_TAGS and el.text is None:
                el.text = ""
        if isinstance(part.tag, str) and part.tag == "img" and not part.get("src"):
            out.append(escape(part.tail or "", quote=False))
            continue
        out.append(etree.tostring(part, encoding="unicode", method="xml"))
    return "".join(out)


# What the renderer itself writes around the prose (xhtml.py), besides ALLOWED_TAGS.
RENDERED_TAGS = ALLOWED_TAGS | {"section", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
                                "dd", "pre", "figure"}
RENDERED_ATTRIBUTES = {"class", "id", "lang", "{http://www.w3.org/XML/1998/namespace}lang", "title", "dir",
                       "role", "aria-label", "aria-labelledby", "start", "href", "src", "alt"}
_FRAGMENT_LINK = re.compile(r"#[A-Za-z][\w.:-]*\Z")


def is_rendered_clean(xhtml: str, urls: set[str]) -> bool:
    """Whether a chapter fragment read back from the cache is one the renderer could have
    written: only its elements and attributes, no comment, processing instruction or entity,
    and every ``href``/``src`` either a #fragment or one of ``urls`` (the resolutions, made
    again, of the chapter's URLs). Whoever can write ``OUT/.cache`` must not reach a reader."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(f"<r>{xhtml}</r>".encode("utf-8", "surrogatepass"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return False
    for el in root.iterdescendants():
        if not isinstance(el.tag, str) or el.tag not in RENDERED_TAGS:
            return False
        for name, value in el.attrib.items():
            if name not in RENDERED_ATTRIBUTES:
                return False
            if name in ("href", "src") and value not in urls and not _FRAGMENT_LINK.match(value):
                return False
    return True
