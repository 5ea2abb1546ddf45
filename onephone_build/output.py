"""Writing outputs safely: atomic replacement, one build per output directory at a time,
and the build time from SOURCE_DATE_EPOCH for reproducible artifacts."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from pathlib import Path
from typing import Iterator

from .errors import BookError


def build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; always UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            when = None
        if when is None or int(epoch) < 0:
            raise BookError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '{epoch}'")
        return when
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def no_link(path: Path) -> Path:
    """``path``, refused when it is a symbolic link: nothing the tool writes follows a link
    (a link planted in OUT could point anywhere)."""
    if path.is_symlink():
        raise BookError(f"{path} is a symbolic link: refusing to write through it (remove it)")
    return path


def inner_dir(root: Path, *names: str) -> Path:
    """The folder ``root/names...``, each level made when missing and none a symbolic link."""
    path = root
    for name in names:
        path = no_link(path / name)
        path.mkdir(exist_ok=True)
    return path


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either the old file or the whole new one;
    ``durable``: on the disk before it replaces the old one (the cache's entries need not be:
    a lost or torn entry is not trusted and is made again)."""
    with atomic_file(path) as tmp:
        if durable:
            write_durably(tmp, data)
        else:
            tmp.write_bytes(data)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a temporary file beside ``path`` (written durably by the caller's ``write_durably``)
    that replaces ``path`` when the block succeeds; several of them in one ``ExitStack``
    replace their targets all together at its end, or none when the block fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    no_link(path)
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


@contextlib.contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """Yield a fresh temporary directory that replaces ``path`` when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    no_link(path)
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    os.chmod(tmp, 0o755)
    try:
        yield tmp
        old = None
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            os.replace(path, old)
        os.replace(tmp, path)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per output directory; a second one waits for the first."""
    out.mkdir(parents=True, exist_ok=True)
    lock = no_link(out / ".lock")
    try:  # O_NOFOLLOW: a link made between the check and the open is not followed either
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as e:
        raise BookError(f"{lock}: cannot open the build lock ({e.strerror})") from None
    with os.fdopen(fd, "r+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
