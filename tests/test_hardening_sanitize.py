"""Sanitising: raw HTML never puts script into the EPUB or the web edition, allowed markup
survives, characters XML forbids are removed with a located warning, and a manuscript's
own image reaches all three formats; the EPUB of all that passes epubcheck (run once)."""

from __future__ import annotations

import io
import re
import zipfile

import pikepdf
import pytest
from lxml import etree, html as lhtml
from PIL import Image

from onephone_build.build import build
from onephone_build.check import check_epub
from onephone_build.errors import BookError

from .conftest import run_cli, write_manuscript

DANGEROUS = """\
Before <script>alert("s1")</script> after.

<script>
alert("s2")
</script>

An image <img src="pics/red.png" onerror="alert('s3')"> with a handler.

<iframe src="chapter.html">framed</iframe>

<style>p { color: red }</style>

<svg onload="alert('s4')"><circle r="4"/></svg>

<object data="pics/red.png">object</object>

<a href="#chapter-01" onclick="alert('s5')" onmouseover="alert('s6')">anchor</a> and <b style="x" id="dup">bold</b>.

<math><mi>m</mi></math> <form action="x"><input value="v"></form> <noscript>ns</noscript>

<span dir="sideways" lang="not a tag!">odd attributes</span>
"""

ALLOWED = """\
Kept: <em>emphasised</em>, <span lang="ja">Tōkyō</span>, <strong>strong <em>both</em></strong>,
<abbr title="abbreviation">abbr</abbr>, <q>quoted</q>, <a href="mailto:a@example.org">mail</a>, H<sub>2</sub>O.

<blockquote>

A raw *blockquote* around Markdown.

</blockquote>
"""

# NUL, two C0 controls, U+FFFE and U+FFFF, on line 3 of the chapter
FORBIDDEN = "# Forbidden\n\nA\x00B\x01C\x1fD\ufffeE\uffffF.\n"  # (VT is a line break: round 3)

IMAGE = "# Picture\n\n![A red square](pics/red.png)\n\nAnd inline ![dot](pics/red.png) again.\n"


def _png(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buf, "PNG")
    path.write_bytes(buf.getvalue())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("sanitize")
    ms = write_manuscript(root / "ms", {
        "chapters/dangerous.md": "# Dangerous\n\n" + DANGEROUS,
        "chapters/allowed.md": "# Allowed\n\n" + ALLOWED,
        "chapters/forbidden.md": "",
        "chapters/image.md": IMAGE,
    })
    (ms / "chapters/forbidden.md").write_text(FORBIDDEN, encoding="utf-8")
    _png(ms / "chapters/pics/red.png")
    out = root / "out"
    result = build(ms, out, ("epub", "pdf", "html"), use_cache=False, jobs=1)
    epub = zipfile.ZipFile(result.outputs["epub"])
    pages = {n: epub.read(n) for n in epub.namelist() if n.endswith(".xhtml")}
    web = {p.name: p.read_bytes() for p in (out / "html").glob("*.html")}
    return ms, out, result, epub, pages, web


@pytest.fixture(scope="module")
def epubcheck(built):
    return check_epub(built[2].outputs["epub"])


def test_epub_with_all_of_it_passes_epubcheck(epubcheck):
    assert epubcheck == []


def _documents(built):
    _, _, _, _, pages, web = built
    for name, data in pages.items():
        yield f"epub:{name}", etree.fromstring(data)  # well-formed XML or it raises
    for name, data in web.items():
        yield f"web:{name}", lhtml.fromstring(data)


def test_no_script_reaches_epub_or_web(built):
    for where, doc in _documents(built):
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            tag = etree.QName(el).localname
            assert tag not in {"script", "iframe", "style", "svg", "object", "embed", "math", "form", "input",
                               "noscript"}, (where, tag)
            for name, value in el.attrib.items():
                assert not name.split(":")[-1].startswith("on"), (where, tag, name)
                assert name != "style", (where, tag)
                assert "javascript:" not in value.lower(), (where, tag, value)
    text = b"".join(built[4].values()) + b"".join(built[5].values())
    for token in (b"alert(", b"onerror", b"onload", b"onclick", b"sideways", b"not a tag!"):
        assert token not in text, token


def test_allowed_markup_survives(built):
    for where, data in (("epub", built[4]["EPUB/chapter-02.xhtml"]), ("web", built[5]["chapter-02.html"])):
        q = lhtml.fromstring(data).xpath
        assert [e.text for e in q("//em")][:1] == ["emphasised"], where
        assert q("//span[@lang='ja']")[0].text == "Tōkyō", where
        assert q("//strong/em")[0].text == "both", where
        assert q("//abbr[@title='abbreviation']")[0].text == "abbr", where
        assert q("//q")[0].text == "quoted" and q("//sub")[0].text == "2", where
        assert q("//a[@href='mailto:a@example.org']")[0].text == "mail", where
        assert "blockquote" in q("//blockquote/p/em")[0].text, where
    # kept elements carry their words, never an empty element before them
    assert b"<em></em>" not in built[4]["EPUB/chapter-02.xhtml"]
    assert not re.search(rb"<(em|strong|span|a)[^>]*/>", built[5]["chapter-02.html"])


def test_dangerous_elements_leave_safe_text(built):
    page = built[4]["EPUB/chapter-01.xhtml"].decode()
    assert "Before" in page and "after." in page
    assert '<a href="#chapter-01">anchor</a>' in page and "<b>bold</b>" in page
    assert 'src="images/001.png"' in page  # the raw <img> of a manuscript image stays, handler gone


def test_raw_javascript_link_is_refused_without_the_option(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": '# One\n\n<a href="javascript:alert(1)">x</a>\n'})
    with pytest.raises(BookError, match=r"one\.md:3:\d+: link to 'javascript:alert\(1\)' leaves the book"):
        build(ms, tmp_path / "out", ("epub",), use_cache=False)


def test_forbidden_characters_removed_with_located_warnings(built):
    _, _, result, _, pages, web = built
    warned = [w for w in result.warnings if "forbidden.md" in w]
    cols = [re.search(r"forbidden\.md:3:(\d+): removed character U\+([0-9A-F]{4})", w).groups() for w in warned]
    assert cols == [("2", "0000"), ("4", "0001"), ("6", "001F"), ("8", "FFFE"), ("10", "FFFF")]
    page = pages["EPUB/chapter-03.xhtml"].decode()
    assert "ABCDEF." in page
    assert "ABCDEF." in web["chapter-03.html"].decode()


def test_cli_prints_the_warning_lines(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": ""})
    (ms / "chapters/one.md").write_bytes(b"# One\n\nfine\nbad\x00here\n")
    proc = run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.startswith("warning:")]
    assert len(lines) == 1 and re.match(r"warning: \S*one\.md:4:4: removed character U\+0000", lines[0]), proc.stderr


def test_many_forbidden_characters_give_a_bounded_number_of_warnings(tmp_path):
    from onephone_build.read.source import MAX_CHARACTER_WARNINGS, read_source

    path = tmp_path / "one.md"
    path.write_bytes(b"# One\n\n" + b"a\x01" * 5000)
    src = read_source(path)
    assert len(src.warnings) == MAX_CHARACTER_WARNINGS + 1 and "4990 more" in src.warnings[-1]
    assert "\x01" not in src.text


def test_manuscript_image_in_all_three_formats(built):
    _, out, result, epub, pages, web = built
    opf = etree.fromstring(epub.read("EPUB/content.opf"))
    items = opf.xpath("//opf:item[@href='images/001.png']", namespaces={"opf": "http://www.idpf.org/2007/opf"})
    assert len(items) == 1 and items[0].get("media-type") == "image/png"
    assert epub.read("EPUB/images/001.png") == (built[0] / "chapters/pics/red.png").read_bytes()
    assert pages["EPUB/chapter-04.xhtml"].count(b'src="images/001.png"') == 2
    assert (out / "html/images/001.png").read_bytes() == (built[0] / "chapters/pics/red.png").read_bytes()
    assert web["chapter-04.html"].count(b'src="images/001.png"') == 2
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        images = [name for page in pdf.pages for name, obj in (page.Resources.get("/XObject") or {}).items()
                  if obj.get("/Subtype") == "/Image"]
    assert images, "the PDF shows no image"
