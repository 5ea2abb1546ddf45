"""The build cache: content-hashed entries under ``OUT/.cache``.

Every key starts from ``environment_digest()`` -- the tool's version, its own source,
the versions of every installed package, the Python version and the Pandoc binary -- so
an upgrade of anything the output depends on misses the whole cache. Callers add
what their entry depends on (chapter text, styles, options). Entries are written
atomically; an entry that cannot be read back is treated as missing, never trusted.

This module imports nothing heavy: the no-change check runs before any of the
pipeline is loaded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Iterable

from . import __version__
from .output import atomic_write, inner_dir

CACHE_DIR = ".cache"
_VCS = {".git", ".hg", ".svn"}  # what a manuscript under version control holds besides the book


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def tree_digest(root: Path, skip: Iterable[Path] = ()) -> str:
    """Names and contents of every regular file under ``root``, hidden ones too (a chapter or
    an image may be one), ``skip`` and version-control folders left out. A symbolic link
    counts by its target's name and is never followed, and a device or a pipe by its name only: hashing must not read outside the manuscript, nor
    block on ``/dev/zero`` or a FIFO."""
    skip = {p.resolve() for p in skip}
    parts: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if n not in _VCS and (d / n).resolve() not in skip)
        for name in sorted(filenames):
            p = d / name
            mode = os.lstat(p).st_mode
            if stat.S_ISLNK(mode):
                parts += [str(p.relative_to(root)), "link:" + os.readlink(p)]
            elif stat.S_ISREG(mode):
                parts += [str(p.relative_to(root)), file_digest(p)]
            else:
                parts += [str(p.relative_to(root)), "special"]
    return digest(*parts)


@functools.lru_cache(maxsize=None)
def environment_digest() -> str:
    """What the tool is: version, source, installed packages (their dist-info names carry
    the versions), Python and the Pandoc binary that pypandoc-binary ships."""
    here = Path(__file__).resolve().parent
    parts = [__version__, sys.version]
    for p in sorted(here.rglob("*.py")):
        parts += [str(p.relative_to(here)), p.read_bytes()]
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        parts += sorted(n for n in names if n.endswith((".dist-info", ".egg-info")))
        pandoc = Path(entry) / "pypandoc" / "files" / "pandoc"
        if pandoc.is_file():
            st = pandoc.stat()
            parts += [str(pandoc), str(st.st_size), str(st.st_mtime_ns)]
    return digest(*parts)


def fits(value, shape) -> bool:
    """Whether a JSON ``value`` has ``shape``: a type (``int`` means a non-bool int), a list
    ``[s]`` (every item of shape ``s``), a tuple (a list of exactly those shapes) or a dict
    (those fields at least, each of its shape)."""
    if isinstance(shape, dict):
        return isinstance(value, dict) and all(k in value and fits(value[k], s) for k, s in shape.items())
    if isinstance(shape, list):
        return isinstance(value, list) and all(fits(v, shape[0]) for v in value)
    if isinstance(shape, tuple):
        return isinstance(value, list) and len(value) == len(shape) and all(map(fits, value, shape))
    return isinstance(value, shape) and not (shape is int and isinstance(value, bool))


class Cache:
    """Entries of one output directory's cache; ``key()`` mixes in the environment."""

    def __init__(self, out: Path):
        self.out, self.root = out, out / CACHE_DIR

    def key(self, *parts: str | bytes) -> str:
        return digest(environment_digest(), *parts)

    def path(self, kind: str, key: str, suffix: str) -> Path:
        # neither OUT/.cache nor its folders may be links: entries are read and written in OUT only
        return inner_dir(self.out, CACHE_DIR, kind) / f"{key}{suffix}"

    def read_bytes(self, kind: str, key: str, suffix: str = ".bin") -> bytes | None:
        try:
            return self.path(kind, key, suffix).read_bytes()
        except OSError:
            return None

    def write_bytes(self, kind: str, key: str, data: bytes, suffix: str = ".bin") -> Path:
        target = self.path(kind, key, suffix)
        atomic_write(target, data, durable=False)
        return target

    def read_json(self, kind: str, key: str, shape: dict | None = None) -> dict | None:
        """The entry, or None when it is missing, unreadable or not of ``shape`` (field ->
        type, see ``fits``): a bad entry is a miss, never an error."""
        data = self.read_bytes(kind, key, ".json")
        if data is None:
            return None
        try:
            value = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            return None
        # an entry names its own key: a file renamed or truncated into another name is not trusted
        if not isinstance(value, dict) or value.get("key") != key:
            return None
        return value if shape is None or fits(value, shape) else None

    def write_json(self, kind: str, key: str, value: dict) -> None:
        self.write_bytes(kind, key, json.dumps({**value, "key": key}, ensure_ascii=False).encode(), ".json")
