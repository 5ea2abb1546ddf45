"""Pandoc AST -> XHTML fragments: the one rendering every format shares.

The EPUB packages a chapter's fragment as is, the web edition wraps it in its
page template, and the print edition concatenates the fragments for WeasyPrint.
Format differences live in the stylesheets, not here.

Line-breaking marks of the model (see ``model/chars.py``) are rendered as
``<span class="nw">`` (``white-space: nowrap``) around the whole glued unit, across
any inline markup in it (``render/nowrap.py``), with a plain hyphen-minus inside:
every font has that glyph, and every reading system we target honours ``nowrap``,
where U+2011 and U+2060 are missing from many e-reader fonts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html import escape
from typing import Callable

from ..config import LANG_RE
from ..model.chars import NBH, WJ
from ..model.document import ChapterDoc, collect_ids, plain_text
from ..model.transcripts import EPIGRAPH, MARKS, OPTIONAL_BLOCKS, Transcript, transcript_of, written_of
from .nowrap import RAW_PAIR, with_nowrap
from .sanitize import BLOCK_CONTAINERS, PHRASING_TAGS, raw_pairs, sanitize_fragment, wrap_element

_XML_ID = re.compile(r"[A-Za-z_][\w.-]*")
_CONTAINER_TAGS = {"Emph": "em", "Strong": "strong", "Strikeout": "s", "Superscript": "sup",
                   "Subscript": "sub", "Underline": "u"}


def text(s: str) -> str:
    """Escape a Str; the glue marks in it are shown as what they display (the nowrap
    spans around them are ``nowrap.with_nowrap``'s)."""
    if NBH in s or WJ in s:
        s = s.replace(NBH, "-").replace(WJ, "")
    return escape(s, quote=False)


def attr(s: str) -> str:
    return escape(s, quote=True)


@dataclass
class Renderer:
    """Renders one chapter; collects its footnotes and the resources it refers to."""

    chapter_id: str
    resolve: Callable[[str, str], str]  # (url, "link"|"image") -> url to write (raises BookError)
    notes: list[str] = field(default_factory=list)
    transcript: Transcript | None = None  # the one being rendered
    ornament: str = ""  # the scene breaks' image (a URL relative to the chapter), or "" for the glyph
    _in_line: bool = False  # rendering inside a line's inlines (its glue is already spans)

    # -- blocks ------------------------------------------------------------
    def blocks(self, blocks: list[dict]) -> str:
        outer, self._in_line = self._in_line, False  # a note's paragraphs are lines of their own
        try:
            return self.with_raw_html(blocks, "RawBlock", self.block, self.blocks, BLOCK_CONTAINERS)
        finally:
            self._in_line = outer

    def with_raw_html(self, nodes: list[dict], raw_type: str, one, many, tags: set[str]) -> str:
        """Render ``nodes``; a raw HTML start tag and its end tag among them become one
        clean element around what lies between (see ``sanitize.raw_pairs``)."""
        pairs = raw_pairs(nodes, raw_type)
        out, i = [], 0
        while i < len(nodes):
            if i in pairs:
                j = pairs[i]
                out.append(wrap_element(nodes[i]["c"][1], many(nodes[i + 1:j]), nodes[j]["c"][1],
                                        self.resolve, tags))
                i = j + 1
            else:
                out.append(one(nodes[i]))
                i += 1
        return "".join(out)

    def block(self, b: dict) -> str:
        t, c = b["t"], b.get("c")
        if t == "Para":
            return self.para(c)
        if t == "Plain":
            return self.inlines(c)
        if t == "Header":
            level = min(max(c[0], 2), 6)
            return f"<h{level}{self.id_attr(c[1][0])}>{self.inlines(c[2])}</h{level}>\n"
        if t == "HorizontalRule":
            src = self.resolve(self.ornament, "image") if self.ornament else ""
            if src:  # the author's ornament: a separator, the image only decoration
                return f'<p class="scene-break ornament" role="separator"><img src="{attr(src)}" alt=""/></p>\n'
            return '<hr class="scene-break"/>\n'
        if t == "BlockQuote":
            return f"<blockquote>\n{self.blocks(c)}</blockquote>\n"
        if t == "Div":
            return self.div(c[0], c[1])
        if t == "LineBlock":
            lines = "<br/>\n".join(self.inlines(line) for line in c)
            return f'<p class="line-block">{lines}</p>\n'
        if t == "BulletList":
            return "<ul>\n" + "".join(f"<li>{self.blocks(i)}</li>\n" for i in c) + "</ul>\n"
        if t == "OrderedList":
            start = c[0][0]
            s = f' start="{start}"' if start != 1 else ""
            return f"<ol{s}>\n" + "".join(f"<li>{self.blocks(i)}</li>\n" for i in c[1]) + "</ol>\n"
        if t == "DefinitionList":
            items = "".join(f"<dt>{self.inlines(term)}</dt>\n" + "".join(
                f"<dd>{self.blocks(d)}</dd>\n" for d in defs) for term, defs in c)
            return f"<dl>\n{items}</dl>\n"
        if t == "CodeBlock":
            return f"<pre><code>{escape(c[1], quote=False)}</code></pre>\n"
        if t == "RawBlock":
            return sanitize_fragment(c[1], self.resolve) + "\n" if c[0] == "html" else ""
        if t == "Figure":  # caption: [short, blocks]
            caption = self.blocks(c[1][1]).strip()
            caption = f"<figcaption>{caption}</figcaption>" if caption else ""
            return f'<figure class="figure">{self.blocks(c[2])}{caption}</figure>\n'

        if t == "Table":
            return ""  # prose books carry no tables; Pandoc's table model is not rendered
        return ""

    def para(self, inlines: list[dict]) -> str:
        # An image alone in its paragraph is a figure, its alt text the caption (as Pandoc's
        # implicit figures make it): never split from its caption, scaled to the page.
        if len(inlines) == 1 and inlines[0]["t"] == "Image":
            img = self.inline(inlines[0])
            alt = inlines[0]["c"][1]
            if img and plain_text(alt).strip():
                return (f'<figure class="figure">{img}<figcaption>{self.inlines(alt)}</figcaption>'
                        "</figure>\n")
        # A paragraph that is one transcript mark (greeting, cue, message) takes its class.
        if len(inlines) == 1 and inlines[0]["t"] == "Span":
            (ident, classes, kvs), content = inlines[0]["c"]
            mark = next((c for c in classes if c in MARKS), None)
            if mark:
                return self.mark_para(mark, dict(kvs), content)
        return f"<p>{self.inlines(inlines)}</p>\n"

    def mark_para(self, mark: str, kv: dict[str, str], content: list[dict]) -> str:
        if mark == "message":
            sender = kv.get("from", "")
            status = kv.get("status", "")
            head = f'<span class="sender">{attr(sender)}</span> ' if sender else ""
            tail = f' <span class="status">({attr(status)})</span>' if status else ""
            owner = self.transcript.attrs.get("from") if self.transcript else None
            cls = "message " + ("sent" if sender and sender == owner else "received")
            cls += " undelivered" if "not" in status.lower() else ""
            return f'<p class="{cls}">{head}<span class="body">{self.inlines(content)}</span>{tail}</p>\n'
        return f'<p class="{mark}">{self.inlines(content)}</p>\n'

    def div(self, a: list, blocks: list[dict]) -> str:
        ident, classes, kvs = a
        tr = transcript_of(classes, kvs)
        if tr:
            outer, self.transcript = self.transcript, tr
            body = self.blocks(blocks)
            self.transcript = outer
            return (f'<section{self.id_attr(ident)} class="transcript {tr.kind}" '
                    f'aria-label="{attr(tr.label)}">\n{body}</section>\n')
        written = written_of(classes, kvs)
        if written:  # a letter or a note: set apart, named for assistive technology
            return (f'<section{self.id_attr(ident)} class="written {written.kind}" '
                    f'aria-label="{attr(written.label)}">\n{self.blocks(blocks)}</section>\n')
        if EPIGRAPH in classes:
            return (f'<div{self.id_attr(ident)} class="epigraph" role="doc-epigraph">\n'
                    f"{self.blocks(blocks)}</div>\n")
        if "narration" in classes:
            return f'<div{self.id_attr(ident)} class="narration">\n{self.blocks(blocks)}</div>\n'
        optional = next((c for c in classes if c in OPTIONAL_BLOCKS), None)
        if optional:  # an imported author's note or chapter summary that book.yaml shows
            return f'<div{self.id_attr(ident)} class="{optional}">\n{self.blocks(blocks)}</div>\n'
        return f"<div{self.id_attr(ident)}>\n{self.blocks(blocks)}</div>\n"

    @staticmethod
    def id_attr(ident: str) -> str:
        return f' id="{attr(ident)}"' if _XML_ID.fullmatch(ident) else ""

    # -- inlines -----------------------------------------------------------
    def inlines(self, inlines: list[dict]) -> str:
        if not self._in_line:  # a block's own inlines: glued units become nowrap spans first
            self._in_line = True
            try:
                return self.inlines(with_nowrap(inlines))
            finally:
                self._in_line = False
        out, words = [], []  # words: the text of the Str and Space run under way, escaped at once
        for n in inlines:
            t = n["t"]
            if t == "Str":
                words.append(n["c"])
            elif t == "Space" or t == "SoftBreak":
                words.append(" ")
            elif t == "RawInline":  # raw start and end tags pair up: the general way
                return self.with_raw_html(inlines, "RawInline", self.inline, self.inlines, PHRASING_TAGS)
            else:
                if words:
                    out.append(text("".join(words)))
                    words = []
                out.append(self.inline(n))
        if words:
            out.append(text("".join(words)))
        return "".join(out)

    def inline(self, n: dict) -> str:
        t, c = n["t"], n.get("c")
        if t == "Str":
            return text(c)
        if t in ("Space", "SoftBreak"):
            return " "
        if t == "LineBreak":
            return "<br/>\n"
        if t in _CONTAINER_TAGS:
            tag = _CONTAINER_TAGS[t]
            return f"<{tag}>{self.inlines(c)}</{tag}>"
        if t == "SmallCaps":
            return f'<span class="smallcaps">{self.inlines(c)}</span>'
        if t == "Span":
            (ident, classes, kvs), content = c
            keep = [cl for cl in classes if re.fullmatch(r"[A-Za-z][\w-]*", cl)]
            cls = f' class="{attr(" ".join(keep))}"' if keep else ""
            lang = dict(kvs).get("lang")
            la = f' lang="{attr(lang)}" xml:lang="{attr(lang)}"' if lang and LANG_RE.match(lang) else ""
            return f"<span{self.id_attr(ident)}{cls}{la}>{self.inlines(content)}</span>"
        if t == "Quoted":
            q = ("\u201c", "\u201d") if c[0]["t"] == "DoubleQuote" else ("\u2018", "\u2019")
            return q[0] + self.inlines(c[1]) + q[1]
        if t == "Link":
            href = self.resolve(c[2][0], "link")
            return f'<a href="{attr(href)}">{self.inlines(c[1])}</a>' if href else self.inlines(c[1])
        if t == "Image":
            src = self.resolve(c[2][0], "image")
            alt = plain_text(c[1])
            return f'<img src="{attr(src)}" alt="{attr(alt)}"/>' if src else ""
        if t == "Code":
            return f"<code>{escape(c[1], quote=False)}</code>"
        if t == "Math":
            return escape(c[1], quote=False)
        if t == "RawInline":
            return sanitize_fragment(c[1], self.resolve, PHRASING_TAGS) if c[0] == "html" else ""
        if t == "Cite":
            return self.inlines(c[1])
        if t == RAW_PAIR:  # a raw start and end tag that with_nowrap paired
            return wrap_element(c[0]["c"][1], self.inlines(c[2]), c[1]["c"][1], self.resolve, PHRASING_TAGS)
        if t == "Note":
            self.notes.append(self.blocks(c))
            k = len(self.notes)
            return (f'<a class="noteref" id="{self.chapter_id}-ref{k}" href="#{self.chapter_id}-note{k}"'
                    f' role="doc-noteref">{k}</a>')
        return ""

    def footnotes(self) -> str:
        """The chapter's notes at its end, each an ``<aside role="doc-footnote">`` whose number
        links back to its call (a number: no arrow glyph a reader's face may lack). The EPUB
        marks them as pop-up footnotes, print moves each to the foot of its page."""
        if not self.notes:
            return ""
        items = []
        for k, body in enumerate(self.notes, 1):
            back = (f'<a class="note-number" href="#{self.chapter_id}-ref{k}" role="doc-backlink">'
                    f"{k}.</a> ")
            body = "<p>" + back + body[3:] if body.startswith("<p>") else f"<p>{back}</p>\n{body}"
            items.append(f'<aside class="footnote" id="{self.chapter_id}-note{k}" role="doc-footnote">'
                         f"{body}</aside>\n")
        items = "".join(items)
        return f'<section class="footnotes" aria-label="Notes">\n{items}</section>\n'


OPENING_WORDS = 4  # words set in small caps at a chapter's opening (fewer when a sentence ends first)


def opening(blocks: list[dict]) -> int | None:
    """The index of the paragraph that opens a chapter: its first block, or the first after
    the epigraphs that head it; None when the chapter opens otherwise (a transcript, a list)."""
    for i, b in enumerate(blocks):
        if b["t"] == "Div" and EPIGRAPH in b["c"][0][1]:
            continue
        if b["t"] == "Para" and not (len(b["c"]) == 1 and b["c"][0]["t"] in ("Image", "Span")):
            return i
        return None
    return None


def opening_words(inlines: list[dict], words: int = OPENING_WORDS) -> list[dict]:
    """The paragraph with its first words in a ``<span class="opening-words">``: up to
    ``words`` words of plain text, ending early at the end of a sentence or at markup."""
    n, count = 0, 0
    while n < len(inlines) and inlines[n]["t"] in ("Str", "Space"):
        if inlines[n]["t"] == "Str":
            count += 1
            if count == words or re.search(r"[.!?:;—]\W*$", inlines[n]["c"]):
                n += 1
                break
        n += 1
    while n and inlines[n - 1]["t"] == "Space":
        n -= 1
    if not n:
        return inlines
    return [{"t": "Span", "c": [["", ["opening-words"], []], inlines[:n]]}] + inlines[n:]


def chapter_fragment(chapter: ChapterDoc, resolve: Callable[[str, str], str], openings: str = "none",
                     ornament=None, scene_openings: bool = False) -> str:
    """The chapter as one ``<section>``: heading, body, its notes. ``openings``: book.yaml's
    (small_caps, drop_cap: the first words of the opening paragraph marked, the paragraph
    classed ``opening``); ``ornament``: the scene breaks' image (a path), or None;
    ``scene_openings``: the first words after each scene break in small caps too."""
    anchors: set[str] = set()  # the chapter's ids, collected when a link first names one

    def checked(url: str, kind: str) -> str:
        """A #fragment must name an element of this chapter (each chapter is its own file)."""
        if kind == "link" and chapter.title_id and url == "#" + chapter.title_id:
            return resolve(f"#{chapter.id}-title", kind)  # the heading lifted into the title
        if kind == "link" and url.startswith("#"):
            if not anchors:
                anchors.update(collect_ids([chapter.title, chapter.blocks]), (chapter.id, f"{chapter.id}-title"))
            if url[1:] not in anchors:
                return resolve(url, "anchor")
        return resolve(url, kind)

    r = Renderer(chapter.id, checked)
    if ornament is not None:
        r.ornament = os.path.relpath(ornament, chapter.path.parent).replace(os.sep, "/")
    blocks = chapter.blocks
    first = opening(blocks) if openings != "none" else None
    marked = {first: "opening"} if first is not None else {}
    if scene_openings and not any(b["t"] == "RawBlock" for b in blocks):  # (no raw element spans a split)
        marked.update({i: "opening scene-opening" for i in range(1, len(blocks))
                       if blocks[i - 1]["t"] == "HorizontalRule" and blocks[i]["t"] == "Para"})
    body, done = [], 0
    for i in sorted(marked):  # before the first: only epigraphs, so no raw HTML element spans a split
        body.append(r.blocks(blocks[done:i]))
        body.append(f'<p class="{marked[i]}">{r.inlines(opening_words(blocks[i]["c"]))}</p>\n')
        done = i + 1
    body = "".join(body) + r.blocks(blocks[done:])
    title = r.inlines(chapter.title)
    if chapter.label:  # the number above the title, apart from it
        title = (f'<span class="chapter-number">{text(chapter.label)}</span>'
                 + (f' <span class="chapter-name">{title}</span>' if title else ""))
    cls = "chapter drop-cap" if openings == "drop_cap" else "chapter"
    return (f'<section class="{cls}" id="{chapter.id}" role="doc-chapter" '
            f'aria-labelledby="{chapter.id}-title">\n'
            f'<h1 class="chapter-title" id="{chapter.id}-title">{title}</h1>\n'
            f"{body}{r.footnotes()}</section>\n")


def matter_fragment(ident: str, cls: str, label: str, role: str, heading: list[dict] | None,
                    doc: ChapterDoc, resolve: Callable[[str, str], str], image: str = "",
                    image_alt: str = "") -> str:
    """A page of front or back matter as one ``<section>``: its heading when it shows one
    (a dedication or an epigraph shows none, and is named by ``label``), the author's
    photograph (``image``, already resolved), the text and its notes."""
    r = Renderer(ident, resolve)
    body = r.blocks(doc.blocks)
    role_attr = f' role="{role}"' if role else ""
    if heading:
        name = f'aria-labelledby="{ident}-title"'
        head = f'<h1 class="matter-title" id="{ident}-title">{r.inlines(heading)}</h1>\n'
    else:
        name, head = f'aria-label="{attr(label)}"', ""
    photo = (f'<figure class="author-photo"><img src="{attr(image)}" alt="{attr(image_alt)}"/></figure>\n'
             if image else "")
    return (f'<section class="matter {cls}" id="{ident}"{role_attr} {name}>\n'
            f"{head}{photo}{body}{r.footnotes()}</section>\n")
