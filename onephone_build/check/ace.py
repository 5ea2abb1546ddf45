"""DAISY Ace, the accessibility checker of EPUB (npm ``@daisy/ace-cli``, installed by the
Makefile into tools/node/), run with Debian's Chromium. Every violation it reports is an
error here: critical and serious ones and moderate and minor ones alike, since a book
claims WCAG 2.2 AA."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import BookError
from .issue import Issue

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "node"
CHROMIUM = "/usr/bin/chromium"


def ace_command() -> list[str]:
    ace = TOOLS / "node_modules" / "@daisy" / "ace-cli" / "bin" / "ace.js"
    node = shutil.which("node")
    if not node or not ace.is_file():
        raise BookError("DAISY Ace is not installed (make setup installs it into tools/node/: "
                        "npm install in tools/node with PUPPETEER_SKIP_DOWNLOAD=1)")
    if not os.path.exists(os.environ.get("PUPPETEER_EXECUTABLE_PATH", CHROMIUM)):
        raise BookError(f"DAISY Ace needs Chromium at {CHROMIUM} (apt-get install chromium)")
    return [node, str(ace)]


def check_ace(path: Path) -> list[Issue]:
    """Ace's violations in the EPUB at ``path``, one issue each, named by file and rule."""
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1",
           "PUPPETEER_EXECUTABLE_PATH": os.environ.get("PUPPETEER_EXECUTABLE_PATH", CHROMIUM)}
    with tempfile.TemporaryDirectory(prefix="onephone-ace-") as tmp:
        proc = subprocess.run([*ace_command(), "--silent", "--force", "--outdir", tmp, str(path)],
                              capture_output=True, env=env, check=False, timeout=600)
        report = Path(tmp) / "report.json"
        if not report.is_file():
            tail = (proc.stderr or proc.stdout).decode(errors="replace")[-300:]
            return [Issue("error", path.name, f"DAISY Ace failed: {tail}")]
        data = json.loads(report.read_text(encoding="utf-8"))
    issues = []
    for subject in data.get("assertions", []):
        where = f"{path.name}/{subject.get('earl:testSubject', {}).get('url', '')}"
        for a in subject.get("assertions", []):
            test, result = a.get("earl:test", {}), a.get("earl:result", {})
            issues.append(Issue("error", where, f"{test.get('dct:title')} ({test.get('earl:impact')}): "
                                                f"{result.get('dct:description', '').strip()}"))
    return issues
