"""Writing outputs safely: atomic replacement, one build per output directory at a time,
and the build time from SOURCE_DATE_EPOCH for reproducible artifacts."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
from pathlib import Path
from typing import Iterator

from .errors import BookError, shown


def build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; always UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            when = None
        if when is None or int(epoch) < 0:
            raise BookError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '{shown(epoch)}'")
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


# A temporary file or folder is named ``.NAME.PID-RANDOM.tmp`` beside the output NAME it
# will replace: hidden, never with the output's extension (nothing takes it for a book),
# and carrying the process that writes it. A build killed with SIGKILL (which no handler
# sees) leaves its temporaries behind; the next build in the same OUT removes those whose
# process is gone (``remove_stale_temporaries``), never one a live process is writing.
_STALE = re.compile(r"^\..+\.(\d+)-[^./]+\.tmp$")


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:  # another user's process
        return True
    except (ProcessLookupError, OverflowError):  # none, or a number no process can have
        return False
    return True


def remove_stale_temporaries(out: Path) -> list[Path]:
    """Delete under ``out`` (links not followed) the temporaries of builds that died;
    return what was deleted."""
    import shutil

    gone, folders = [], [out]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in entries:
            m = _STALE.match(entry.name)
            if m and not _alive(int(m.group(1))):
                if entry.is_dir(follow_symlinks=False):
                    import shutil

                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                gone.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
    return gone


SCRATCH_PREFIX = "onephone-layout-"  # + PID-: the print layout's scratch folder in the temporary directory


def remove_stale_scratch() -> None:
    """Delete the layout scratch folders (``SCRATCH_PREFIX``PID-…) in the temporary
    directory whose process is gone: a parent killed with SIGKILL could not delete its own."""
    import tempfile

    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(SCRATCH_PREFIX):
            pid = entry.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)) and entry.is_dir(follow_symlinks=False):
                import shutil

                shutil.rmtree(entry.path, ignore_errors=True)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a temporary file beside ``path`` (written durably by the caller's ``write_durably``)
    that replaces ``path`` when the block succeeds; several of them in one ``ExitStack``
    replace their targets all together at its end, or none when the block fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    no_link(path)
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
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

    tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent))
    os.chmod(tmp, 0o755)
    try:
        yield tmp
        old = None
        if path.exists():
            old = path.with_name(f".{path.name}.{os.getpid()}-old.tmp")
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
            remove_stale_temporaries(out)  # a build killed outright could not remove its own
            remove_stale_scratch()
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
