"""Zip a directory reproducibly: sorted entries, one fixed timestamp (SOURCE_DATE_EPOCH),
fixed permissions, no extra fields. usage: repro_zip.py DIR ZIP [PREFIX]"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from pathlib import Path


def repro_zip(src: Path, dest: Path, prefix: str = "") -> None:
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)  # zip starts at 1980
    t = time.gmtime(epoch)
    stamp = (*t[:5], t[5] - t[5] % 2)  # zip (DOS) time counts seconds in twos
    files = sorted(p for p in src.rglob("*") if p.is_file() and not p.name.startswith("."))
    tmp = dest.with_name(f".{dest.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            name = "/".join(filter(None, [prefix, path.relative_to(src).as_posix()]))
            info = zipfile.ZipInfo(name, stamp)
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # unix
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    os.replace(tmp, dest)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    repro_zip(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] if len(sys.argv) == 4 else "")
