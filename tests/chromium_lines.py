"""Lay pages out in Debian's Chromium and read the line boxes back (test helper).

One browser per test module (``launch``); a page is loaded once and laid out at many
widths.  In the page, ``SETUP_JS`` lists each block's
visible characters (text nodes under p, h1-h6, li, dt, dd, figcaption) and the places
worth looking at; ``CHECK_JS`` asks Chromium for the box of each of those characters
(``Range.getClientRects``) and reports:

* a line that starts with an em dash, an en dash or an ellipsis (the character before it,
  in the same block, is on an earlier line);
* a line that ends with an opening quote, or with an opening dash or ellipsis (one after
  the block start, white space or an opening quote or bracket, with a word after it);
* a ``.nw`` span (a glued unit) broken over two lines.

The page is laid out in an iframe of the harness page, resized from JavaScript: the
iframe is the page's viewport (media queries and vw units follow it), and the whole sweep
is one call, where resizing the browser window costs a round trip per width. Widths whose
layout cannot differ from one already checked (same first-paragraph width, same font
size) are skipped, so a column that stops growing at its measure costs nothing more.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

SETUP_JS = r"""
(document) => {
  const BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, dt, dd, figcaption";
  const HIDDEN = /[\s\u2060\u200b\ufeff\u00ad]/;
  const STARTS = "\u2014\u2013\u2026";
  const OPEN_QUOTES = "\u201c\u2018";
  const BEFORE_OPENING = " \t\n\u00a0\u201c\u2018\"'([{";
  const checks = [];
  let glyphs = 0;
  for (const block of document.querySelectorAll(BLOCKS)) {
    const chars = [];   // visible characters: [node, offset, char, index in text]
    let text = "";
    const walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.parentElement.closest(BLOCKS) !== block) continue;
      for (let i = 0; i < n.data.length; i++) {
        const c = n.data[i];
        if (!HIDDEN.test(c)) chars.push([n, i, c, text.length]);
        text += c;
      }
    }
    glyphs += chars.length;
    for (let k = 0; k < chars.length; k++) {
      const c = chars[k][2], at = chars[k][3];
      if (STARTS.includes(c) && k > 0)
        checks.push({kind: "starts a line with " + c, a: chars[k - 1], b: chars[k]});
      const opening = OPEN_QUOTES.includes(c) ||
        (STARTS.includes(c) && (at === 0 || BEFORE_OPENING.includes(text[at - 1])));
      if (opening && k + 1 < chars.length && /[\p{L}\p{N}]/u.test(chars[k + 1][2]))
        checks.push({kind: "ends a line with opening " + c, a: chars[k], b: chars[k + 1]});
    }
  }
  return {checks, glyphs, spans: Array.from(document.querySelectorAll(".nw"))};
}
"""

CHECK_JS = r"""
(document, window, lines) => {
  const range = document.createRange();
  const box = (ch) => {
    range.setStart(ch[0], ch[1]); range.setEnd(ch[0], ch[1] + 1);
    const rs = range.getClientRects();
    return rs.length ? rs[rs.length - 1] : null;
  };
  const context = (ch) => JSON.stringify(ch[0].data.slice(Math.max(0, ch[1] - 25), ch[1] + 25));
  const bad = [];
  for (const c of lines.checks) {
    const a = box(c.a), b = box(c.b);
    if (!a || !b) continue;
    const h = Math.min(a.height, b.height) / 2;
    // on another line: lower, or (paginated, in columns) higher up and to the left of the column before
    if (Math.abs((b.top + b.bottom) / 2 - (a.top + a.bottom) / 2) > h || b.left < a.left - 2 * a.width)
      bad.push(c.kind + " near " + context(c.b));
  }
  for (const s of lines.spans) {
    const rs = Array.from(s.getClientRects()).filter(r => r.width > 0);
    if (rs.length > 1 && rs.some(r => Math.abs(r.top - rs[0].top) > r.height / 2 || r.left < rs[0].left))
      bad.push("glued unit broken: " + JSON.stringify(s.textContent));
  }
  return bad;
}
"""
SIGNATURE_JS = r"""
(document, window) => {
  const first = document.querySelector("p");
  return first ? first.getBoundingClientRect().width.toFixed(2) + "/" +
                 window.getComputedStyle(first).fontSize : "none";
}
"""


SWEEP_JS = """
async ([url, widths, css]) => {
  const setup = %s;
  const check = %s;
  const signature = %s;
  const frame = document.querySelector("iframe");
  await new Promise((ok) => { frame.onload = ok; frame.src = url; });
  const doc = frame.contentDocument, win = frame.contentWindow;
  if (css) { const st = doc.createElement("style"); st.textContent = css; doc.head.appendChild(st); }
  const lines = setup(doc);
  const done = new Set(), bad = [];
  for (const w of widths) {
    frame.style.width = w + "px";
    const sig = signature(doc, win);
    if (done.has(sig)) continue;
    done.add(sig);
    for (const v of check(doc, win, lines)) bad.push(w + "px: " + v);
  }
  return [bad, {checks: lines.checks.length, glyphs: lines.glyphs, spans: lines.spans.length,
                layouts: done.size}];
}
""" % (SETUP_JS.strip(), CHECK_JS.strip(), SIGNATURE_JS.strip())
HOST = "http://book.test/"
HARNESS = ('<!DOCTYPE html><html><body style="margin:0">'
           '<iframe style="border:0;height:900px;display:block"></iframe></body></html>')


@contextmanager
def launch():
    """Chromium (Debian's, no download), one browser for the caller's lifetime."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def serve(page, root: Path) -> None:
    """Answer ``HOST`` requests from ``root`` (so the harness and the page share an
    origin); the harness page itself at ``HOST``; nothing else is reachable."""
    import mimetypes

    def answer(route):
        rel = route.request.url[len(HOST):].split("?")[0].split("#")[0]
        if not rel:
            return route.fulfill(body=HARNESS, content_type="text/html")
        f = (root / rel).resolve()
        if root.resolve() not in f.parents or not f.is_file():
            return route.fulfill(status=404, body="")
        kind = "application/xhtml+xml" if f.suffix == ".xhtml" else mimetypes.guess_type(f.name)[0]
        route.fulfill(body=f.read_bytes(), content_type=kind or "application/octet-stream")

    page.unroute("**/*")
    page.route("**/*", lambda route: answer(route) if route.request.url.startswith(HOST) else route.abort())


def sweep(page, root: Path, path: str, widths, extra_css: str = "") -> tuple[list[str], dict]:
    """Lay ``root/path`` out in an iframe at each of ``widths`` (px: the iframe is the
    page's viewport, so media queries and vw units follow it) and return the violations
    (``"<width>px: <what>"``) and what was looked at (checks, glyphs, spans, layouts)."""
    serve(page, root)
    page.goto(HOST)
    return page.evaluate(SWEEP_JS, [HOST + path, list(widths), extra_css])
def widths(lo: int = 320, hi: int = 1440) -> list[int]:
    """Phone to desktop: every pixel to 480 (phones), then 2 px to 900, then 4 px."""
    return list(range(lo, 481)) + list(range(482, 901, 2)) + list(range(904, hi + 1, 4))
