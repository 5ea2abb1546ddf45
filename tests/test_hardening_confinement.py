"""Confinement: images and links that leave the manuscript are refused (or, with
--skip-unsafe-links, dropped with a warning); no build ever opens a network connection;
WeasyPrint's fetcher and Pandoc's sandbox read nothing from outside."""

from __future__ import annotations

import io
import socket
import threading
import zipfile

import pytest
from PIL import Image

from onephone_build.read import pandoc as reader
from onephone_build.build import build
from onephone_build.errors import BookError

from .conftest import run_cli, write_manuscript


@pytest.fixture(scope="module")
def listener():
    """A server on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    seen: list = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except OSError:
                continue
            seen.append(addr)
            conn.close()

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield server.getsockname()[1], seen
    stop.set()
    t.join()
    server.close()


@pytest.fixture
def no_network(monkeypatch):
    """Every connection this process (and its forked workers) tries is recorded and refused."""
    attempts: list = []

    def connect(self, address):
        attempts.append(address)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    return attempts


def _png(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    path.write_bytes(buf.getvalue())


def hostile(port: int) -> dict[str, tuple[str, str]]:
    """name -> (Markdown, what the error says)."""
    net = f"http://127.0.0.1:{port}"
    return {
        "parent path": ("![x](../../etc/passwd)", "is outside the manuscript directory"),
        "absolute path": ("![x](/etc/hostname)", "is an absolute path"),
        "http image": (f"![x]({net}/x.png)", "leaves the book"),
        "protocol-relative": (f"![x](//127.0.0.1:{port}/x.png)", "leaves the book"),
        "reference image": (f"![y][r]\n\n[r]: {net}/ref.png", "leaves the book"),
        "raw img": (f'<img src="{net}/a.png">', "leaves the book"),
        "file link": ("[l](file:///etc/passwd)", "leaves the book"),
        "data image": ("![x](data:image/png;base64,iVBORw0KGgo=)", "leaves the book"),
        "javascript link": ("[x](javascript:alert(1))", "leaves the book"),
        "raw javascript link": ('<a href=" JaVaScRiPt:alert(1)">x</a>', "leaves the book"),
        "symlink out": ("![x](img/escape.png)", "is outside the manuscript directory"),
    }


# Raw HTML and CSS that would fetch if it survived: the sanitiser removes it silently.
TRICKS = [
    '<div style="background:url(http://127.0.0.1:{port}/s)">styled</div>',
    '<style>@import "http://127.0.0.1:{port}/c.css";</style>',
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/l.css">',
    '<svg><image href="http://127.0.0.1:{port}/i"/></svg>',
    '<object data="http://127.0.0.1:{port}/o"></object>',
    '<iframe src="http://127.0.0.1:{port}/f"></iframe>',
    '<img srcset="http://127.0.0.1:{port}/ss 1x">',
    '<video poster="http://127.0.0.1:{port}/p"></video>',
    '<span style="src: url(http://127.0.0.1:{port}/q)">q</span>',
]


def _manuscript(root, body: str):
    ms = write_manuscript(root / "ms", {"chapters/one.md": f"# One\n\nHello.\n\n{body}\n"})
    outside = root / "outside.png"
    _png(outside)
    (ms / "chapters/img").mkdir()
    (ms / "chapters/img/escape.png").symlink_to(outside)
    return ms


@pytest.mark.parametrize("name", list(hostile(9)), ids=list(hostile(9)))
def test_leaving_the_manuscript_is_refused(tmp_path, listener, no_network, name):
    port, seen = listener
    markdown, fragment = hostile(port)[name]
    ms = _manuscript(tmp_path, markdown)
    with pytest.raises(BookError) as e:
        build(ms, tmp_path / "out", ("epub", "pdf", "html"), use_cache=False)
    assert fragment in str(e.value) and "one.md" in str(e.value)
    assert not no_network and not seen


@pytest.fixture(scope="module")
def skipped(tmp_path_factory, listener):
    """Everything hostile in one chapter, built in all formats with --skip-unsafe-links."""
    port, seen = listener
    root = tmp_path_factory.mktemp("skip")
    body = "\n\n".join([m for m, _ in hostile(port).values()] + [t.format(port=port) for t in TRICKS])
    ms = _manuscript(root, body)
    proc = run_cli("all", "--skip-unsafe-links", "--no-cache", "-m", str(ms), "-o", str(root / "out"))
    return proc, root / "out", port, seen


def test_skip_option_drops_them_with_warnings_and_never_connects(skipped):
    proc, out, port, seen = skipped
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    warnings = [l for l in proc.stderr.splitlines() if l.startswith("warning:")]
    assert len(warnings) >= len(hostile(port)) and all("skipped" in w and "one.md" in w for w in warnings)
    assert not seen, f"something connected to the test server: {seen}"
    texts = [p.read_bytes() for p in (out / "html").rglob("*.html")]
    with zipfile.ZipFile(out / "test-book.epub") as z:
        texts += [z.read(n) for n in z.namelist()]
    for data in texts:
        for bad in (b"127.0.0.1", b"javascript:", b"file:", b"data:image", b"/etc/", b"<iframe", b"<object",
                    b"<svg", b"<video", b"style=", b"srcset"):
            assert bad not in data, bad


def test_in_process_build_attempts_no_connection(tmp_path, listener, no_network):
    port, seen = listener
    body = "\n\n".join([m for m, _ in hostile(port).values()] + [t.format(port=port) for t in TRICKS])
    ms = _manuscript(tmp_path, body)
    result = build(ms, tmp_path / "out", ("epub", "pdf", "html"), "skip", use_cache=False, jobs=1)
    assert set(result.outputs) == {"epub", "pdf", "html"}
    assert not no_network and not seen


def test_weasyprint_fetcher_reads_only_styles_and_book_images(tmp_path, listener):
    from onephone_build.editions.assets import styles_dir
    from onephone_build.editions.print.layout import BOOK_ROOT, confined_fetcher

    port, seen = listener
    inside = tmp_path / "ms" / "pic.png"
    _png(inside)
    link = styles_dir() / ".." / ".." / "etc"  # a path that walks out of styles/
    fetch = confined_fetcher({"images/001.png": inside}).fetch
    assert fetch(BOOK_ROOT + "images/001.png").read() == inside.read_bytes()
    assert fetch((styles_dir() / "print.css").resolve().as_uri()).read()
    for url in (f"http://127.0.0.1:{port}/x.css", "file:///etc/passwd", BOOK_ROOT + "images/002.png",
                BOOK_ROOT + "../../etc/passwd", "data:text/css,p{}", link.as_uri() + "/passwd",
                (styles_dir() / "print.css").resolve().as_uri().replace("file:///", "file://127.0.0.1/") + "/../x"):
        with pytest.raises(ValueError):
            fetch(url)
    assert not seen


def test_a_symlink_in_styles_pointing_out_is_refused(tmp_path, monkeypatch):
    """The fetcher resolves symlinks before the containment check."""
    from onephone_build.editions.print import layout as pdf

    styles = tmp_path / "styles"
    styles.mkdir()
    secret = tmp_path / "secret.css"
    secret.write_text("p {}")
    (styles / "ok.css").write_text("p {}")
    (styles / "link.css").symlink_to(secret)
    monkeypatch.setattr(pdf, "styles_dir", lambda: styles)
    fetch = pdf.confined_fetcher({}).fetch
    assert fetch((styles / "ok.css").as_uri())
    with pytest.raises(ValueError):
        fetch((styles / "link.css").as_uri())


def test_pandoc_runs_sandboxed_with_bounded_heap(monkeypatch, tmp_path):
    """(Its time bound: test_hardening_limits.py::test_pandoc_timeout_is_a_clear_error.)"""
    from onephone_build import config

    calls, popen = [], reader.subprocess.Popen

    def recording(cmd, **kw):
        calls.append(cmd)
        return popen(cmd, **kw)

    monkeypatch.setattr(reader.subprocess, "Popen", recording)
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": "# One\n\nHello.\n"})
    sources, blocks = reader.parse_book(config.load(ms))
    assert len(calls) == 1 and blocks[0][0]["t"] == "Header"
    assert "--sandbox" in calls[0] and f"-M{reader.PANDOC_MEMORY}" in calls[0]
