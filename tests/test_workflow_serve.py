"""`serve`: a real server process on loopback; edit, break and fix the manuscript and watch
the served page follow, with the server alive throughout."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .conftest import write_manuscript

TIMEOUT = 60  # seconds; a bound on every wait, never a measured duration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(fetch, predicate, proc, what: str):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"serve exited while waiting for {what}"
        value = fetch()
        if value is not None and predicate(value):
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture()
def server(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": "# One\n\nThe first version of the text.\n"})
    out = tmp_path / "out"
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "onephone_build", "serve", "-m", str(ms), "-o", str(out),
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env=os.environ | {"NO_COLOR": "1"})
    try:
        yield ms, out, f"http://127.0.0.1:{port}", proc, log
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


def test_serve_rebuilds_reloads_and_survives_a_broken_manuscript(server):
    ms, out, base, proc, log = server
    page_url = f"{base}/chapter-01.html"
    page = _wait_for(lambda: _get(page_url), lambda p: "first version" in p, proc, "the first build")
    assert "/__reload" in page  # the live-reload script is in the served page...
    assert "/__reload" not in (out / "html" / "chapter-01.html").read_text(encoding="utf-8")  # ...not on disk
    first = json.loads(_get(f"{base}/__reload"))
    assert first["error"] is None

    chapter = ms / "chapters" / "one.md"
    chapter.write_text("# One\n\nThe second version of the text.\n", encoding="utf-8")
    page = _wait_for(lambda: _get(page_url), lambda p: "second version" in p, proc, "the rebuild")
    assert "onephone-build-error" not in page
    assert json.loads(_get(f"{base}/__reload"))["build"] > first["build"]  # open pages reload

    chapter.write_text('# One\n\nThe second version of the text.\n\n::: {.voicemail from="A"}\nHello.\n',
                       encoding="utf-8")
    page = _wait_for(lambda: _get(page_url), lambda p: "onephone-build-error" in p, proc, "the error overlay")
    assert "fenced block &#x27;::: voicemail&#x27; is never closed" in page
    assert "one.md:5" in page
    assert "second version" in page  # the last good build stays readable under the overlay
    state = json.loads(_get(f"{base}/__reload"))
    assert "never closed" in state["error"]
    log.seek(0)
    assert "never closed" in log.read()  # and the terminal says it too

    chapter.write_text("# One\n\nThe third version of the text.\n", encoding="utf-8")
    page = _wait_for(lambda: _get(page_url), lambda p: "third version" in p, proc, "recovery")
    assert "onephone-build-error" not in page
    assert json.loads(_get(f"{base}/__reload"))["error"] is None

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=TIMEOUT) == 0
    log.seek(0)
    text = log.read()
    assert "Traceback" not in text and "stopped" in text


def test_serve_starts_on_a_broken_manuscript_and_shows_why(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": "# One\n\n::: {.podcast}\nHello.\n:::\n"})
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "onephone_build", "serve", "-m", str(ms), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/"), lambda p: True, proc, "the server")
        assert "onephone-build-error" in page and "unknown fenced block" in page
        (ms / "chapters" / "one.md").write_text("# One\n\nFixed.\n", encoding="utf-8")
        _wait_for(lambda: _get(f"http://127.0.0.1:{port}/chapter-01.html"), lambda p: "Fixed." in p, proc, "fix")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=TIMEOUT) == 0


def _get_bytes(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_serve_shows_the_print_proofs_beside_the_web_edition_and_refreshes_them(tmp_path):
    import re
    import shutil

    from .conftest import MANUSCRIPT

    ms = tmp_path / "ms"
    shutil.copytree(MANUSCRIPT, ms)  # long enough for KDP (24 pages at least)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "onephone_build", "serve", "-m", str(ms), "-o", str(tmp_path / "out"),
                             "--port", str(port), "--proof", "kdp"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=os.environ | {"NO_COLOR": "1"})
    try:
        listed = lambda page: re.findall(r'<img src="/__proof/([\w-]+\.png)\?b=(\d+)"', page)  # noqa: E731
        page = _wait_for(lambda: _get(f"{base}/__proof/"), lambda p: len(listed(p)) >= 2, proc, "the proofs")
        names = [n for n, _ in listed(page)]
        assert names[0] == "cover.png" and all(n.startswith("spreads-") for n in names[1:])
        assert "/__reload" in page  # the proofs page reloads with the build too
        assert 'href="/__proof/"' in _get(f"{base}/chapter-01.html")  # linked from the web edition
        first = _get_bytes(f"{base}/__proof/{names[1]}")
        assert first[:8] == b"\x89PNG\r\n\x1a\n"
        assert _get(f"{base}/__proof/../book.yaml") is None and _get(f"{base}/__proof/nothing.png") is None

        chapter = sorted((ms / "chapters").glob("*.md"))[0]
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("\n\n", "\n\nWords added here.\n\n", 1),
                           encoding="utf-8")
        build = int(listed(page)[0][1])
        page = _wait_for(lambda: _get(f"{base}/__proof/"), lambda p: listed(p) and int(listed(p)[0][1]) > build,
                         proc, "the proofs after an edit")
        assert _get_bytes(f"{base}/__proof/{names[1]}") != first  # the first spreads show the new words
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=TIMEOUT) == 0
