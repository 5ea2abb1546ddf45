"""``serve``: build the web edition, serve it on loopback, rebuild on change, reload the page.

The reload script and the error overlay are added to pages as they are *served*; the
files on disk are exactly what ``onephone-build html`` writes. Pages poll ``/__reload``
(a JSON build counter and the last error) and reload when the counter moves. With
``--proof SERVICE`` the print proofs (``proof.py``: spreads and the flat cover) are made
on every rebuild too and shown at ``/__proof/``, linked from every page.
"""

from __future__ import annotations

import html
import json
import re
import signal
import threading
import urllib.parse
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from ..errors import BookError

RELOAD_PATH = "/__reload"
PROOF_PATH = "/__proof/"
PROOF_LINK = ('<a href="/__proof/" style="position:fixed;right:1em;bottom:1em;z-index:2147483646;padding:.3em .7em;'
              'background:#1f2937;color:#fff;font:14px/1.4 sans-serif;border-radius:4px">Print proofs</a>')
PROOF_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Print proofs</title>
<style>body{{margin:0;padding:1em;background:#555;color:#fff;font:15px/1.4 sans-serif}}
img{{display:block;max-width:100%;margin:0 0 1.5em;box-shadow:0 2px 8px #0008}}</style></head>
<body><h1>Print proofs</h1><p><a style="color:#fff" href="/">Back to the web edition</a></p>
{images}</body></html>"""
_PROOF_FILE = re.compile(r"[\w-]+\.png\Z")
RELOAD_SCRIPT = """<script>/* onephone-build serve: live reload */
(function(){var seen=%d;function poll(){fetch("%s",{cache:"no-store"}).then(function(r){return r.json()})
.then(function(s){if(s.build!==seen){location.reload();return}setTimeout(poll,500)})
.catch(function(){setTimeout(poll,1000)})}setTimeout(poll,500)})();</script>"""
OVERLAY = ('<div id="onephone-build-error" role="alert" style="position:fixed;inset:0 0 auto 0;z-index:2147483647;'
           'margin:0;padding:1em 1.5em;background:#7f1d1d;color:#fff;font:15px/1.4 monospace;'
           'white-space:pre-wrap">rebuild failed — the page shows the last good build<br>%s</div>')
ERROR_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>
<body><p>No web edition yet.</p></body></html>"""


@dataclass
class BuildState:
    """What the server knows about the latest build; shared by the watcher and the handlers."""

    build: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def succeeded(self) -> None:
        with self.lock:
            self.build += 1
            self.error = None

    def failed(self, message: str) -> None:
        with self.lock:
            self.build += 1
            self.error = message

    def snapshot(self) -> tuple[int, str | None]:
        with self.lock:
            return self.build, self.error


def decorate(page: str, build: int, error: str | None, proofs: bool = False) -> str:
    """A served page: the reload script, the error overlay when the last rebuild failed,
    and a link to the print proofs when they are made."""
    extra = (PROOF_LINK if proofs else "") + RELOAD_SCRIPT % (build, RELOAD_PATH)
    if error:
        extra = OVERLAY % html.escape(error) + extra
    head, sep, tail = page.rpartition("</body>")
    return f"{head}{extra}{sep}{tail}" if sep else page + extra


class Handler(SimpleHTTPRequestHandler):
    state: BuildState  # set by make_server
    proofs: Path | None = None  # the folder of the print proofs (``--proof``), set by make_server

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the terminal shows builds
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def refused(self) -> bool:
        """Answer with an error, and say so, a Host that is not the loopback one (a page on a
        rebinding domain must not read the preview) or a path with a NUL character."""
        if not loopback_host(self.headers.get("Host", "")):
            self.send_error(421, "Misdirected Request")
        elif "\0" in urllib.parse.unquote(self.path):
            self.send_error(400, "Bad Request")
        else:
            return False
        return True

    def do_HEAD(self) -> None:  # noqa: N802
        if not self.refused():
            super().do_HEAD()

    def do_GET(self) -> None:  # noqa: N802
        if self.refused():
            return
        path = self.path.split("?", 1)[0]
        if path == RELOAD_PATH:
            build, error = self.state.snapshot()
            return self._send(json.dumps({"build": build, "error": error}).encode(), "application/json")
        if path.startswith(PROOF_PATH) and self.proofs is not None:
            return self._proof(urllib.parse.unquote(path[len(PROOF_PATH):]))
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" or not Path(self.directory).is_dir():
            build, error = self.state.snapshot()
            try:
                page = target.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                if not error:
                    return self.send_error(404)
                page = ERROR_PAGE  # no good build yet: the overlay says why
            return self._send(decorate(page, build, error, self.proofs is not None).encode(),
                              "text/html; charset=utf-8")
        return super().do_GET()

    def _proof(self, name: str) -> None:
        """The proofs page (``name`` empty), or one of its images; nothing else of the folder."""
        try:
            names = sorted(p.name for p in self.proofs.iterdir() if _PROOF_FILE.match(p.name))
        except OSError:
            names = []
        if not name:
            build, error = self.state.snapshot()
            order = sorted(names, key=lambda n: n != "cover.png")  # the cover first, then the spreads
            images = "\n".join(f'<img src="{PROOF_PATH}{n}?b={build}" alt="{html.escape(n)}">' for n in order)
            page = PROOF_PAGE.format(images=images or "<p>No proofs yet.</p>")
            return self._send(decorate(page, build, error).encode(), "text/html; charset=utf-8")
        if name not in names:
            return self.send_error(404)
        self._send((self.proofs / name).read_bytes(), "image/png")

    def _send(self, body: bytes, ctype: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


LOOPBACK_NAMES = {"127.0.0.1", "localhost"}  # what a browser on this machine calls the address bound


def loopback_host(host: str) -> bool:
    """Whether a Host header names the loopback address the server listens on (any port:
    the name is what a DNS rebinding attack cannot fake)."""
    name = re.sub(r":\d{1,5}\Z", "", host.strip().lower())
    return name.rstrip(".") in LOOPBACK_NAMES


def make_server(directory: Path, state: BuildState, port: int, proofs: Path | None = None) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"state": state, "proofs": proofs})
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(directory)))
    except OSError as e:
        raise BookError(f"cannot listen on 127.0.0.1:{port}: {e.strerror}") from None
    server.daemon_threads = True
    return server


def serve(manuscript: Path, out: Path, port: int,
          rebuild: Callable[[], None], info: Callable[[str], None], fail: Callable[[str], None],
          proofs: Path | None = None) -> None:
    """Serve ``out/html`` until interrupted; ``rebuild()`` builds the web edition (and the
    print proofs into ``proofs``, when given) or raises.

    The watcher runs in the main thread; SIGTERM and Ctrl-C stop it, then the server.
    """
    import watchfiles

    from ..editions.assets import styles_dir

    state = BuildState()

    def run_build() -> None:
        try:
            rebuild()
        except BookError as e:
            state.failed(f"error: {e}")
            fail(str(e))
        except Exception as e:  # a bug of ours must not take the preview down either
            state.failed(f"internal error: {type(e).__name__}: {e}")
            fail(f"internal error: {type(e).__name__}: {e}")
        else:
            state.succeeded()
            info(f"built web edition{' and proofs' if proofs else ''} (#{state.build})")

    run_build()
    server = make_server(out / "html", state, port, proofs)
    thread = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
    thread.start()
    info(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")

    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    watched = [p for p in (manuscript, styles_dir()) if p.is_dir()]
    try:
        outside_out = _Outside(out, watchfiles.DefaultFilter())
        for changes in watchfiles.watch(*watched, watch_filter=outside_out, stop_event=stop,
                                        debounce=200, step=50, raise_interrupt=False):
            names = sorted({Path(p).name for _, p in changes})
            info(f"changed: {', '.join(names)}; rebuilding")
            run_build()
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.shutdown()
        server.server_close()
        info("stopped")


class _Outside:
    """watchfiles filter: the default one, minus anything under the output directory
    (an ``-o`` inside the manuscript must not rebuild forever)."""

    def __init__(self, out: Path, default):
        self.out = out.resolve()
        self.default = default

    def __call__(self, change, path: str) -> bool:
        return self.default(change, path) and not Path(path).resolve().is_relative_to(self.out)
