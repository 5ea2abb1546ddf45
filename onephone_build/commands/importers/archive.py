"""Zip containers (EPUB, DOCX) read safely: bounded sizes, no member outside the archive
(the names are only looked up, never used as paths on disk), no zip bombs."""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from ...errors import BookError

MAX_ARCHIVE_BYTES = 64 << 20  # the file itself
MAX_MEMBER_BYTES = 32 << 20  # one member, uncompressed
MAX_TOTAL_BYTES = 256 << 20  # all members read, uncompressed
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # uncompressed / compressed, past which a member is a bomb


class Archive:
    def __init__(self, data: bytes, path: Path, what: str):
        self.path, self.what = path, what
        if len(data) > MAX_ARCHIVE_BYTES:
            raise BookError(f"the {what} is larger than {MAX_ARCHIVE_BYTES >> 20} MiB", path)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as e:
            raise BookError(f"not a valid {what} (a zip archive): {e}", path) from None
        if len(infos) > MAX_MEMBERS:
            raise BookError(f"the {what} has more than {MAX_MEMBERS} files", path)
        self.infos = {i.filename: i for i in infos if not i.is_dir() and safe_name(i.filename)}
        self.read_total = 0

    def names(self) -> list[str]:
        return list(self.infos)

    def has(self, name: str) -> bool:
        return name in self.infos

    def read(self, name: str) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise BookError(f"the {self.what} has no file '{name}'", self.path)
        if info.file_size > MAX_MEMBER_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise BookError(f"'{name}' in the {self.what} is too large once uncompressed "
                            f"({info.file_size >> 20} MiB)", self.path)
        self.read_total += info.file_size
        if self.read_total > MAX_TOTAL_BYTES:
            raise BookError(f"the {self.what} uncompresses to more than {MAX_TOTAL_BYTES >> 20} MiB", self.path)
        try:
            with self.zip.open(info) as f:
                data = f.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
            raise BookError(f"cannot read '{name}' in the {self.what}: {e}", self.path) from None
        if len(data) > MAX_MEMBER_BYTES:  # the header lied about the size
            raise BookError(f"'{name}' in the {self.what} is too large once uncompressed", self.path)
        return data


def safe_name(name: str) -> bool:
    """A member name that stays inside the archive: relative, no '..', no drive, no NUL."""
    if not name or "\0" in name or "\\" in name or name.startswith("/") or ":" in name.split("/")[0]:
        return False
    return ".." not in posixpath.normpath(name).split("/")


def join(base: str, href: str) -> str | None:
    """``href`` (relative to the member ``base``) as a member name, or None when it leaves."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    name = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path)))
    return name if safe_name(name) else None
