"""Issue 13, hostile and broken input, round two: links planted in OUT, cache entries that
parse but lie, hidden manuscript files, and the inputs that gave a traceback or a hang."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from onephone_build.build import build
from onephone_build.errors import BookError

from .conftest import run_cli, write_manuscript

CHAPTERS = {"chapters/01.md": "# One\n\nThe first words.\n", "chapters/02.md": "# Two\n\nThe second words.\n"}


@pytest.fixture
def ms(tmp_path):
    return write_manuscript(tmp_path / "ms", CHAPTERS)


def _epub_text(out: Path, n: int = 1) -> str:
    return zipfile.ZipFile(out / "test-book.epub").read(f"EPUB/chapter-{n:02d}.xhtml").decode()


# -- (a) links inside OUT, the cache ------------------------------------------------------

def test_a_lock_that_is_a_link_is_refused_and_its_target_untouched(ms, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".lock").symlink_to(victim)
    proc = run_cli("epub", "-m", str(ms), "-o", str(out))
    assert proc.returncode == 1 and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr
    assert victim.read_text() == "precious"


def test_a_cache_that_is_a_link_is_neither_written_nor_read(ms, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").symlink_to(elsewhere, target_is_directory=True)
    proc = run_cli("epub", "-m", str(ms), "-o", str(out))
    assert proc.returncode == 1 and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_cache_kind_folder_that_is_a_link_is_refused(ms, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    (out / ".cache").mkdir(parents=True)
    (out / ".cache" / "chapter").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BookError, match="symbolic link"):
        build(ms, out, ("epub",))
    assert list(elsewhere.iterdir()) == []


def test_an_output_that_is_a_link_is_refused(ms, tmp_path):
    victim = tmp_path / "victim.epub"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "test-book.epub").symlink_to(victim)
    with pytest.raises(BookError, match="symbolic link"):
        build(ms, out, ("epub",))
    assert victim.read_text() == "precious"


@pytest.mark.parametrize("drop", ["title", "xhtml", "resolved", "images", "source_warnings"])
def test_a_chapter_entry_lacking_a_field_is_a_miss(ms, tmp_path, drop):
    out = tmp_path / "out"
    build(ms, out, ("epub",))
    for p in (out / ".cache" / "chapter").glob("*.json"):
        entry = json.loads(p.read_text())
        del entry[drop]
        p.write_text(json.dumps(entry))
    (ms / "chapters/02.md").write_text("# Two\n\nEdited.\n")  # the build must read the cache again
    build(ms, out, ("epub",))
    assert "The first words." in _epub_text(out)


def test_entries_of_the_wrong_shape_are_misses(ms, tmp_path):
    out = tmp_path / "out"
    build(ms, out, ("epub", "pdf"))
    for p in (out / ".cache").rglob("*.json"):
        entry = json.loads(p.read_text())
        p.write_text(json.dumps({"key": entry["key"], "front": "x", "chapters": [None], "pages": True,
                                 "resolved": [[1]], "output": 5, "sha256": entry.get("sha256", "")}))
    (ms / "chapters/02.md").write_text("# Two\n\nEdited.\n")
    result = build(ms, out, ("epub", "pdf"))
    assert result.outputs["pdf"].read_bytes().startswith(b"%PDF")
    build(ms, out, ("epub", "pdf"))  # up to date: the build entries written just now are good


def test_cached_xhtml_goes_through_the_sanitiser(ms, tmp_path):
    out = tmp_path / "out"
    build(ms, out, ("epub",))
    for p in (out / ".cache" / "chapter").glob("*.json"):
        entry = json.loads(p.read_text())
        entry["xhtml"] = entry["xhtml"].replace("<p>", '<p><script>alert(1)</script><a href="https://x.example">x</a>')
        p.write_text(json.dumps(entry))
    (ms / "chapters/02.md").write_text("# Two\n\nEdited.\n")
    build(ms, out, ("epub",))
    text = _epub_text(out)
    assert "The first words." in text and "<script" not in text and "x.example" not in text


def test_untampered_cached_chapters_are_still_hits(ms, tmp_path, monkeypatch):
    from onephone_build import pipeline

    out = tmp_path / "out"
    build(ms, out, ("epub",))
    parsed = []
    real = pipeline.Parse
    monkeypatch.setattr(pipeline, "Parse", lambda cfg, *a: parsed.append(len(cfg.chapters)) or real(cfg, *a))
    (ms / "chapters/02.md").write_text("# Two\n\nEdited.\n")
    build(ms, out, ("epub",))
    assert parsed == [1]


def test_hidden_manuscript_files_are_hashed(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/.draft.md": "# Draft\n\nOld text.\n"})
    out = tmp_path / "out"
    build(ms, out, ("epub",))
    (ms / "chapters/.draft.md").write_text("# Draft\n\nNew text.\n")
    build(ms, out, ("epub",))
    assert "New text." in _epub_text(out)


# -- (b) one clear line instead of a traceback ---------------------------------------------

def _fails_cleanly(proc, *words: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    for w in words:
        assert w in proc.stderr, proc.stderr


@pytest.mark.parametrize("date, word", [("2026-11-27 25:00:00", "hour"), ("2026-13-01", "month")])
def test_a_date_out_of_range_is_one_line(tmp_path, date, word):
    ms = write_manuscript(tmp_path / "ms", CHAPTERS, date=date)
    _fails_cleanly(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")), "book.yaml:4:7:", word)


@pytest.mark.parametrize("epoch", ["99999999999999", "-5", "1e9", str(2**70)])
def test_source_date_epoch_out_of_range_is_one_line(ms, tmp_path, epoch):
    proc = run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out"), env=os.environ | {"SOURCE_DATE_EPOCH": epoch})
    _fails_cleanly(proc, "SOURCE_DATE_EPOCH")


def test_a_300_character_title_makes_a_file_name_that_fits(tmp_path):
    ms = write_manuscript(tmp_path / "ms", CHAPTERS, title="Long " * 60)
    other = write_manuscript(tmp_path / "ms2", CHAPTERS, title="Long " * 60 + "Two")
    a, b = build(ms, tmp_path / "out", ("epub",)), build(other, tmp_path / "out", ("epub",))
    assert len(a.outputs["epub"].name) <= 100 and a.outputs["epub"].is_file()
    assert a.outputs["epub"] != b.outputs["epub"]  # told apart though cut at the same place


def test_a_chapter_path_too_long_for_the_file_system_is_one_line(tmp_path):
    ms = write_manuscript(tmp_path / "ms", CHAPTERS)
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text().replace("chapters/02.md", "chapters/" + "a" * 300 + ".md"))
    _fails_cleanly(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")), "book.yaml:6:", "too long")


@pytest.mark.parametrize("where", ["chapter", "image", "cover"])
def test_a_symlink_loop_is_one_line(tmp_path, where):
    ms = write_manuscript(tmp_path / "ms", CHAPTERS)
    (ms / "l1").symlink_to("l2")
    (ms / "l2").symlink_to("l1")
    yaml = (ms / "book.yaml").read_text()
    if where == "chapter":
        (ms / "book.yaml").write_text(yaml.replace("chapters/02.md", "l1"))
    elif where == "cover":
        (ms / "book.yaml").write_text(yaml + "cover: l1\n")
    else:
        (ms / "chapters/02.md").write_text("# Two\n\n![pic](../l1)\n")
    _fails_cleanly(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")), "loop of symbolic links")


def test_raw_div_blocks_nested_300_deep_are_refused(tmp_path):
    body = "# One\n\n" + "<div>\n\n" * 300 + "deep\n\n" + "</div>\n\n" * 300
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": body})
    _fails_cleanly(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")), "nested more than 32 deep")


def test_raw_div_blocks_nested_within_the_limit_build(tmp_path):
    body = "# One\n\n" + "<div>\n\n" * 20 + "deep\n\n" + "</div>\n\n" * 20 + ("<div>\n\nflat\n\n</div>\n\n" * 50)
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": body})
    build(ms, tmp_path / "out", ("epub",))
    assert "deep" in _epub_text(tmp_path / "out")


# -- (d) serve answers only its loopback names ------------------------------------------------

@pytest.fixture
def served(tmp_path):
    import threading

    from onephone_build.commands.serve import BuildState, make_server

    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text("<html><body><p>secret page</p></body></html>")
    (tmp_path / "html" / "style.css").write_text("p{}")
    server = make_server(tmp_path / "html", BuildState(), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _ask(port: int, path: str, host: str, method: str = "GET") -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_host=True)
    conn.putheader("Host", host)
    conn.endheaders()
    r = conn.getresponse()
    return r.status, r.read()


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "127.0.0.1.evil.example", ""])
@pytest.mark.parametrize("path", ["/", "/__reload", "/style.css"])
def test_serve_refuses_other_host_names(served, host, path):
    for method in ("GET", "HEAD"):
        status, body = _ask(served, path, host, method)
        assert status == 421 and b"secret" not in body


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST:1234", "127.0.0.1:80"])
def test_serve_answers_its_loopback_names(served, host):
    assert _ask(served, "/", host) == (200, _ask(served, "/", "localhost")[1])
    assert b"secret page" in _ask(served, "/", host)[1]


@pytest.mark.parametrize("path", ["/%00", "/index.html%00.css", "/a%00b/"])
def test_serve_answers_a_nul_in_the_path(served, path):
    assert _ask(served, path, "127.0.0.1")[0] == 400
    assert _ask(served, "/", "127.0.0.1")[0] == 200  # and stays up


# -- (b) signals during a PDF build, (f) WeasyPrint's font folders ----------------------------

def _long_book(root: Path) -> Path:
    para = "Some words here and there, said over and over. " * 40
    return write_manuscript(root, {f"chapters/{i:02d}.md": f"# C{i}\n\n" + (para + "\n\n") * 60 for i in range(8)})


def _started_pdf(ms: Path, out: Path, env: dict):
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "onephone_build", "pdf", "-m", str(ms), "-o", str(out),
                             "--no-cache", "-j", "2"], stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(Path(env["TMPDIR"]).glob("onephone-layout-*/weasyprint-*")):
        time.sleep(0.05)  # the workers are laying out (they made their font folders, in the pool's scratch folder)
    assert proc.poll() is None, "the build ended before the signal could be sent"
    time.sleep(0.5)
    return proc


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGKILL"])
def test_a_signal_during_a_pdf_build_leaves_no_traceback_nor_worker(tmp_path, sig):
    import signal
    import time

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = os.environ | {"TMPDIR": str(tmp)}
    proc = _started_pdf(_long_book(tmp_path / "ms"), tmp_path / "out", env)
    proc.send_signal(getattr(signal, sig))
    err = proc.communicate(timeout=60)[1]
    time.sleep(2)  # what a surviving worker would write, it has written
    assert "Traceback" not in err and "Error" not in err, err
    assert proc.returncode == (143 if sig == "SIGTERM" else -9)
    if sig == "SIGTERM":
        assert "terminated" in err
        assert not list(tmp.iterdir())  # no font folder, no scratch folder
    left = [p for p in (tmp_path / "out").rglob("*") if p.name != ".lock"]
    ps = os.popen("ps -eo args").read()
    assert str(tmp_path / "ms") not in ps  # no worker outlived its parent
    if sig == "SIGTERM":
        assert not left
        return
    # SIGKILL cannot be caught: what it may leave is a temporary that no one can take for an
    # output (hidden, .tmp, named after the dead process), and the next build removes it
    assert all(p.name.startswith(".") and f".{proc.pid}-" in p.name and p.suffix == ".tmp" for p in left), left
    assert not list((tmp_path / "out").glob("*.pdf"))
    scratch = list(tmp.glob(f"onephone-layout-{proc.pid}-*"))  # the parent could not delete its scratch folder
    next_build = run_cli("epub", "-m", str(tmp_path / "ms"), "-o", str(tmp_path / "out"), "--no-cache", env=env)
    assert next_build.returncode == 0, next_build.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".lock", "test-book.epub"]
    assert scratch and not any(p.exists() for p in scratch) and not list(tmp.glob("onephone-layout-*"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_pdf_build_leaves_no_font_folders(tmp_path, jobs):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    ms = write_manuscript(tmp_path / "ms", CHAPTERS)
    proc = run_cli("pdf", "-m", str(ms), "-o", str(tmp_path / "out"), "-j", jobs, env=os.environ | {"TMPDIR": str(tmp)})
    assert proc.returncode == 0, proc.stderr
    assert not list(tmp.iterdir())  # no font folder, no scratch folder


# -- (c) images: SVG cleaned, raster images checked -----------------------------------------

EVIL_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"
     onload="alert(1)">
<script>alert(2)</script>
<style>@import url(https://x.example/a.css); rect { fill: red }</style>
<a href="javascript:alert(3)"><rect width="5" height="5" onclick="alert(4)"/></a>
<image xlink:href="https://x.example/p.png" width="5" height="5"/>
<rect width="5" height="5" fill="url(https://x.example/#g)" style="fill: url(https://x.example/s)"/>
<linearGradient id="g"/><rect width="2" height="2" fill="url(#g)"/>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
</svg>"""


def _with_image(tmp_path, name: str, data: bytes) -> Path:
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": f"# One\n\n![a picture]({name})\n"})
    (ms / "chapters" / name).write_bytes(data)
    return ms


def test_svg_scripts_handlers_and_references_are_removed_from_every_edition(tmp_path):
    from onephone_build.check import check_epub

    ms = _with_image(tmp_path, "evil.svg", EVIL_SVG)
    result = build(ms, tmp_path / "out", ("epub", "html", "pdf"))
    with zipfile.ZipFile(result.outputs["epub"]) as z:
        epub_svg = z.read(next(n for n in z.namelist() if n.endswith(".svg")))
    web_svg = next((tmp_path / "out" / "html").rglob("*.svg")).read_bytes()
    for svg in (epub_svg, web_svg):
        for bad in (b"script", b"onload", b"onclick", b"javascript", b"x.example", b"foreignObject", b"alert"):
            assert bad not in svg, (bad, svg)
        assert b'fill="url(#g)"' in svg  # a reference inside the image stays
    assert [i for i in check_epub(result.outputs["epub"]) if i.severity in ("ERROR", "FATAL", "WARNING")] == []


def test_an_svg_with_entity_declarations_is_refused(tmp_path):
    svg = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' \
          b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    ms = _with_image(tmp_path, "e.svg", svg)
    _fails_cleanly(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")), "01.md:3:", "entity")


def _png(w: int, h: int) -> bytes:
    import io

    from PIL import Image

    b = io.BytesIO()
    Image.new("1", (w, h)).save(b, "PNG")
    return b.getvalue()


def test_a_decompression_bomb_is_refused(tmp_path):
    ms = _with_image(tmp_path, "bomb.png", _png(30000, 30000))
    _fails_cleanly(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")), "bomb.png", "megapixels")


def test_a_corrupt_jpeg_is_refused(tmp_path):
    import io

    from PIL import Image

    b = io.BytesIO()
    Image.new("RGB", (200, 200), "red").save(b, "JPEG")
    ms = _with_image(tmp_path, "broken.jpg", b.getvalue()[: len(b.getvalue()) // 2])
    _fails_cleanly(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")), "broken.jpg", "cannot be read")


def test_bytes_that_do_not_match_the_extension_are_refused(tmp_path):
    ms = _with_image(tmp_path, "really-a-png.jpg", _png(4, 4))
    _fails_cleanly(run_cli("epub", "-m", str(ms), "-o", str(tmp_path / "out")), "holds PNG data, not the JPEG")


def test_a_good_png_still_builds(tmp_path):
    ms = _with_image(tmp_path, "ok.png", _png(40, 40))
    result = build(ms, tmp_path / "out", ("epub",))
    assert any(n.endswith(".png") for n in zipfile.ZipFile(result.outputs["epub"]).namelist())


# -- (e) inputs that hung the PDF -----------------------------------------------------------

@pytest.mark.parametrize("key", ["title", "author", "description", "rights"])
def test_metadata_of_100000_characters_is_refused_at_once(tmp_path, key):
    ms = write_manuscript(tmp_path / "ms", CHAPTERS, **{key: "w" * 100000})
    proc = run_cli("pdf", "-m", str(ms), "-o", str(tmp_path / "out"))
    _fails_cleanly(proc, f"'{key}' is 100,000 characters long; the limit is")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_a_very_long_word_is_not_hyphenated_in_print():
    from onephone_build.editions.print.document import unhyphenated_long_words

    word = "abc" * 3000
    out = unhyphenated_long_words(f'<p class="x">short words and {word}, then <em>more{word}</em></p>')
    assert out.count('<span style="hyphens: manual">') == 2 and 'class="x"' in out
    assert unhyphenated_long_words("<p>ordinary text</p>") == "<p>ordinary text</p>"


def test_a_10000_letter_word_lays_out_in_bounded_time(tmp_path):
    import random
    import time

    rnd = random.Random(1)
    word = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10000))
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": f"# One\n\n{word}\n"})
    start = time.monotonic()
    build(ms, tmp_path / "out", ("pdf",), jobs=1, use_cache=False)
    assert time.monotonic() - start < 60  # unbounded hyphenation: well over 120 s


# -- (f) a link to the chapter's own first heading --------------------------------------------

def test_a_link_to_the_chapters_own_first_heading_has_a_target(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": "# One {#top}\n\nText. [Back to the top](#top).\n"})
    build(ms, tmp_path / "out", ("epub",))
    text = _epub_text(tmp_path / "out")
    assert 'href="#chapter-01-title"' in text and 'id="chapter-01-title"' in text


@pytest.mark.parametrize("url, ok", [("mailto:a@b.example", True), ("mailto:a@b.example?subject=Hi%20there", True),
                                     ("mailto:a b@c.example", False), ('mailto:a"@b', False), ("mailto:a<b>", False),
                                     ("mailto:", False), ("mailto:a\u00e9@b", False)])
def test_mailto_links_hold_only_url_characters(tmp_path, url, ok):
    from onephone_build.read.resources import Resources

    res = Resources(tmp_path)
    if ok:
        assert res.resolve(url, "link", tmp_path / "c.md") == url
    else:
        with pytest.raises(BookError, match="not a valid"):
            res.resolve(url, "link", tmp_path / "c.md")


def test_bidi_and_other_formatting_characters_are_not_missing_glyphs(tmp_path):
    marks = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
    ms = write_manuscript(tmp_path / "ms", {"chapters/01.md": f"# One\n\nText {marks} with marks.\n"})
    result = build(ms, tmp_path / "out", ("pdf",), jobs=1)
    assert result.outputs["pdf"].read_bytes().startswith(b"%PDF")


def test_all_replaces_all_its_outputs_or_none(tmp_path):
    ms = write_manuscript(tmp_path / "ms", CHAPTERS)
    out = tmp_path / "out"
    build(ms, out, ("epub", "pdf", "html"), jobs=1)
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    (ms / "chapters/02.md").write_text("# Two\n\nA glyph no face has: \U00010000.\n", encoding="utf-8")
    with pytest.raises(BookError, match="has a glyph for"):
        build(ms, out, ("epub", "pdf", "html"), jobs=1)
    after = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    assert after == before  # the EPUB (written before the PDF failed) too, and no temporary file
