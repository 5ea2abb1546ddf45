"""Atomic output (a failed or interrupted build leaves the previous artifacts as they were,
with no temporary files), one build at a time per output directory, and reproducible
bytes under SOURCE_DATE_EPOCH."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

from onephone_build import output
from onephone_build.build import build

from .conftest import ROOT, run_cli, write_manuscript

PROSE = ("She said, “K-Kacchan, wait…” and he didn’t. The train was late again; the platform "
         "emptied and filled and emptied, and nobody looked up from a phone. ")


def _chapters(n: int, paragraphs: int) -> dict[str, str]:
    return {f"chapters/{i:02d}.md": f"# Chapter {i}\n\n" + "\n\n".join([PROSE * 6] * paragraphs) + "\n"
            for i in range(1, n + 1)}


def snapshot(out: Path) -> dict[str, bytes]:
    """Every artifact file (not the lock or the cache) by its path under ``out``."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name == ".lock" and ".cache" not in p.parts}


def leftovers(out: Path) -> list[str]:
    return [str(p) for p in out.rglob(".*") if p.name.endswith(".tmp") or ".old-" in p.name]


def test_failed_rebuild_keeps_every_previous_artifact(tmp_path):
    ms = write_manuscript(tmp_path / "ms", _chapters(2, 2))
    out = tmp_path / "out"
    assert run_cli("all", "-m", str(ms), "-o", str(out)).returncode == 0
    before = snapshot(out)
    assert {"test-book.pdf", "html/index.html", "html/chapter-01.html"} <= set(before)
    # the EPUB and HTML could be built, the PDF cannot (a character the book face lacks)
    (ms / "chapters/02.md").write_text("# Chapter 2\n\nA glyph no face has: \U00010000.\n", encoding="utf-8")
    proc = run_cli("all", "-m", str(ms), "-o", str(out))
    assert proc.returncode == 1 and "has a glyph for" in proc.stderr and "Traceback" not in proc.stderr
    after = snapshot(out)
    assert after["test-book.pdf"] == before["test-book.pdf"]
    assert {k: v for k, v in after.items() if k.startswith("html/")} == \
        {k: v for k, v in before.items() if k.startswith("html/")}
    assert not leftovers(out)


def test_atomic_write_and_dir_keep_the_old_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "book.epub"
    target.write_bytes(b"old")
    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text("old")

    def fail(*args):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with output.atomic_dir(site) as tmp:
            (tmp / "index.html").write_text("new, half written")
            fail()
    monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        output.atomic_write(target, b"new")
    assert target.read_bytes() == b"old" and (site / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.epub", "html"]


def test_interrupted_build_leaves_previous_artifacts_and_no_temporary_files(tmp_path):
    """Ctrl-C (SIGINT to the process group) while the PDF is being laid out."""
    ms = write_manuscript(tmp_path / "ms", _chapters(2, 1))
    out = tmp_path / "out"
    assert run_cli("all", "-m", str(ms), "-o", str(out)).returncode == 0
    before = snapshot(out)
    write_manuscript(ms, _chapters(40, 6))  # long enough to lay out for several seconds
    # Ctrl-C as at a terminal: a suite started in the background (`./.ci/run &` in a script)
    # ignores SIGINT, and a command started with SIGINT ignored rightly keeps ignoring it
    proc = subprocess.Popen([sys.executable, "-m", "onephone_build", "all", "-m", str(ms), "-o", str(out)],
                            stderr=subprocess.PIPE, text=True, start_new_session=True, cwd=ROOT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "writing pdf" in line:
            time.sleep(1.0)
            os.killpg(proc.pid, signal.SIGINT)
            break
    err = "".join(seen) + proc.stderr.read()
    assert proc.wait() != 0, err
    assert "Traceback" not in err and "interrupted" in err, err
    after = snapshot(out)
    assert after["test-book.pdf"] == before["test-book.pdf"]
    assert {k: v for k, v in after.items() if k.startswith("html/")} == \
        {k: v for k, v in before.items() if k.startswith("html/")}
    with zipfile.ZipFile(out / "test-book.epub") as z:  # the EPUB, finished before the PDF, is whole
        assert z.testzip() is None
    assert not leftovers(out)


def test_two_concurrent_builds_into_one_directory(tmp_path):
    ms = write_manuscript(tmp_path / "ms", _chapters(3, 2))
    out = tmp_path / "out"
    env = os.environ | {"SOURCE_DATE_EPOCH": "1700000000"}
    cmd = [sys.executable, "-m", "onephone_build", "all", "--no-cache", "-m", str(ms), "-o", str(out)]
    procs = [subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT) for _ in range(2)]
    errs = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    with zipfile.ZipFile(out / "test-book.epub") as z:
        assert z.testzip() is None and z.namelist()[0] == "mimetype"
    with pikepdf.open(out / "test-book.pdf") as pdf:
        assert len(pdf.pages) > 4
    assert (out / "html/index.html").is_file() and len(list((out / "html").glob("chapter-*.html"))) == 3
    assert not leftovers(out)


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    return write_manuscript(tmp_path_factory.mktemp("repro") / "ms", _chapters(2, 2))


def test_source_date_epoch_gives_identical_bytes(small_book, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(small_book, tmp_path / "a", ("epub", "pdf", "html"), use_cache=False)
    time.sleep(1.1)
    build(small_book, tmp_path / "b", ("epub", "pdf", "html"), use_cache=False, jobs=1)
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert sorted(a) == sorted(b) and len(a) > 5
    for name in a:
        assert a[name] == b[name], name


def test_without_source_date_epoch_dates_are_now(small_book, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = build(small_book, tmp_path / "out", ("epub", "pdf"), use_cache=False)
    now = dt.datetime.now(dt.timezone.utc)
    with zipfile.ZipFile(result.outputs["epub"]) as z:
        opf = z.read("EPUB/content.opf").decode()
    modified = re.search(r'<meta property="dcterms:modified">([^<]+)</meta>', opf).group(1)
    assert abs(dt.datetime.fromisoformat(modified.replace("Z", "+00:00")) - now) < dt.timedelta(minutes=5)
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        created = str(pdf.docinfo["/CreationDate"])
    stamp = dt.datetime.strptime(created[2:16], "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc)
    assert abs(stamp - now) < dt.timedelta(minutes=5)
