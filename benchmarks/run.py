"""Side-by-side timings of onephone-build and the tools it wraps (``make bench``).

For each size, a synthetic novel is made from the book's own chapters (``novel.py``)
and these are timed, each as its own process, several runs, median reported:

* ``epub``: ``onephone-build epub`` from a clean output folder vs ``pandoc book.md -o book.epub``;
* ``pdf``: ``onephone-build pdf`` from a clean output folder vs one plain WeasyPrint pass
  (the ``weasyprint`` command) over Pandoc's HTML (``pandoc -t html``, no ``-s``) in a
  minimal page, with our ``styles/print.css`` and the font faces and trim of
  ``editions/print/document.py`` (the Pandoc step is not timed); also ``pdf --jobs 1``;
* ``no-change``: ``onephone-build all`` again with nothing changed;
* ``edit-1``: ``onephone-build pdf`` after editing one chapter (vs the full PDF build);
* ``all x5``: ``onephone-build all`` of five editions (epub, pdf, html, kindle, kobo) from a
  clean output folder vs ``all`` of today's three (epub, pdf, html).

Ours and the baseline take turns, run by run, so a change in the machine's load falls
on both alike. The timed runs are not watched; memory comes from one more run of each,
watched: the peak, over the run, of the summed proportional set size (PSS) of the
process and all its children, sampled every 20 ms (PSS shares a page between the
processes that map it, so forked workers are not counted twice; sampling costs CPU,
which is why it is kept out of the timings). Nothing is asserted: the table is the result.

It starts by printing the machine's facts (cores, load, the shared libraries WeasyPrint
uses, the tools' versions), and refuses to measure when a library the speed depends on
(libharfbuzz-subset) is missing, unless told ``--allow-missing-libraries``.

    python benchmarks/run.py [--sizes 5k,100k,500k] [--runs 3] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from novel import make_novel, pandoc_markdown, words  # noqa: E402

BIN = Path(sys.executable).parent
TOOL = [str(BIN / "onephone-build"), "-q"]


def pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


# -- measuring ---------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(cmd: list[str], cwd: Path | None = None, sample: bool = False) -> tuple[float, int]:
    """(wall seconds, peak summed PSS in bytes, or 0 unless ``sample``) of one command;
    fails loudly. Sampling reads /proc of every process in the tree 50 times a second,
    which costs CPU the command would use: timed runs are not sampled."""
    peak = 0
    done = threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def watch():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss(p) for p in _tree(proc.pid)))
            done.wait(0.02)

    sampler = threading.Thread(target=watch, daemon=True)
    if sample:
        sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    if sample:
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')[-2000:]}")
    return wall, peak


Measure = tuple[float, int, list[float]]  # median seconds, peak bytes, every run's seconds


def compare(n: int, ours: list[str], base: list[str] | None, before=None, base_cwd: Path | None = None,
            ) -> tuple[Measure, Measure | None]:
    """``n`` timed runs of ``ours`` and of ``base``, taking turns (a change in the machine's
    load falls on both alike), then one sampled run of each for the peak memory."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(n):
        if before:
            before(i)
        times[0].append(run(ours)[0])
        if base:
            times[1].append(run(base, base_cwd)[0])
    if before:
        before(n)
    peaks = [run(ours, sample=True)[1], run(base, base_cwd, sample=True)[1] if base else 0]
    mine = (statistics.median(times[0]), peaks[0], times[0])
    return mine, ((statistics.median(times[1]), peaks[1], times[1]) if base else None)


# -- the baselines' inputs ---------------------------------------------------

def weasyprint_input(ms: Path, work: Path) -> list[str]:
    """Pandoc's HTML in a minimal page, and the weasyprint command over it with our CSS."""
    from onephone_build import config as config_mod
    from onephone_build.editions.print.document import page_css

    cfg = config_mod.load(ms)
    body = subprocess.run([pandoc(), "-f", "markdown", "-t", "html", str(work / "book.md")],
                          capture_output=True, check=True).stdout.decode()
    (work / "book.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{cfg.language}"><head><meta charset="utf-8"/>'
        f"<title>{cfg.title}</title></head><body>\n{body}\n</body></html>\n", encoding="utf-8")

    class R:  # page_css reads the config only
        config = cfg

    (work / "page.css").write_text(page_css(R()), encoding="utf-8")
    return [str(BIN / "weasyprint"), "-q", "-s", str(ROOT / "styles" / "print.css"), "-s",
            str(work / "page.css"), str(work / "book.html"), str(work / "baseline.pdf")]


def per_page(path: Path) -> float:
    """A PDF's size per page, in KB."""
    import pikepdf

    with pikepdf.open(path) as doc:
        return path.stat().st_size / len(doc.pages) / 1000


# -- one size ----------------------------------------------------------------

def bench(size: str, runs: int, work: Path) -> list[dict]:
    target = int(float(size.rstrip("kK")) * 1000)
    base = work / size
    ms = make_novel(ROOT / "manuscript", base / "ms", target)
    (base / "book.md").write_text(pandoc_markdown(ms), encoding="utf-8")
    n_words = sum(words(p.read_text(encoding="utf-8")) for p in (ms / "chapters").glob("*.md"))
    n_chapters = len(list((ms / "chapters").glob("*.md")))
    out = base / "out"
    clean = lambda _i: shutil.rmtree(out, ignore_errors=True)  # noqa: E731
    rows = []

    def row(what, ours, baseline=None, note=""):
        rows.append({"size": f"{size} ({n_words:,} words, {n_chapters} ch.)", "what": what,
                     "ours": ours, "base": baseline, "note": note})
        r = rows[-1]
        ratio = f"{r['ours'][0] / r['base'][0]:.2f}" if r["base"] else "-"
        print(f"  {what:10} ours {ours[0]:7.2f}s {ours[1] / 2**20:6.0f} MiB"
              + (f" | base {baseline[0]:7.2f}s {baseline[1] / 2**20:6.0f} MiB | ratio {ratio}" if baseline else "")
              + f"  runs {['%.2f' % t for t in ours[2]]}", flush=True)

    print(f"{size}: {n_words} words, {n_chapters} chapters", flush=True)
    row("epub", *compare(runs, TOOL + ["epub", "-m", str(ms), "-o", str(out)],
                         [pandoc(), "book.md", "-o", "book.epub"], clean, base), "vs pandoc book.md -o book.epub")
    wp = weasyprint_input(ms, base)
    row("pdf", *compare(runs, TOOL + ["pdf", "-m", str(ms), "-o", str(out)], wp, clean),
        "vs one plain WeasyPrint pass")
    ours_kb, base_kb = (per_page(path) for path in (next(out.glob("*.pdf")), base / "baseline.pdf"))
    rows[-1]["note"] += f"; {ours_kb:.2f} vs {base_kb:.2f} KB a page ({ours_kb / base_kb:.2f}x)"
    print(f"  pdf size   ours {ours_kb:.2f} KB a page | base {base_kb:.2f} KB a page", flush=True)
    full_pdf, weasy = rows[-1]["ours"], rows[-1]["base"]
    row("pdf -j1", compare(max(1, runs // 2), TOOL + ["pdf", "-j", "1", "-m", str(ms), "-o", str(out)], None,
                           clean)[0], weasy, "one process, vs the same WeasyPrint pass")
    run(TOOL + ["all", "-m", str(ms), "-o", str(out)])
    row("no-change", compare(runs, TOOL + ["all", "-m", str(ms), "-o", str(out)], None)[0], None,
        "all three formats, nothing changed")
    chapter = sorted((ms / "chapters").glob("*.md"))[n_chapters // 2]
    original = chapter.read_text(encoding="utf-8")

    def edit(i):
        chapter.write_text(original + f"\nShe said it again, {i + 1} times over -- and stopped.\n",
                           encoding="utf-8")

    run(TOOL + ["pdf", "-m", str(ms), "-o", str(out)])
    row("edit-1", compare(runs, TOOL + ["pdf", "-m", str(ms), "-o", str(out)], None, edit)[0], full_pdf,
        "pdf after editing one chapter, vs the full pdf build")
    chapter.write_text(original, encoding="utf-8")
    editions = {}
    for n, names in ((3, "epub, pdf, html"), (5, "epub, pdf, html, kindle, kobo")):
        editions[n] = base / f"ms{n}"
        shutil.rmtree(editions[n], ignore_errors=True)
        shutil.copytree(ms, editions[n])
        config = editions[n] / "book.yaml"
        config.write_text(f"editions: [{names}]\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    outs = {n: base / f"out{n}" for n in editions}
    five, three = compare(max(1, runs // 2), TOOL + ["all", "-m", str(editions[5]), "-o", str(outs[5])],
                          TOOL + ["all", "-m", str(editions[3]), "-o", str(outs[3])],
                          lambda _i: [shutil.rmtree(o, ignore_errors=True) for o in outs.values()])
    row("all x5", five, three, "all: five editions (+ kindle, kobo) vs the three")
    return rows


def _burn(n: int) -> float:
    t = time.perf_counter()
    s = 0
    for i in range(n):
        s += i * i
    return time.perf_counter() - t


def parallelism(n: int = 5_000_000) -> float:
    """How many CPUs this run really has: two pure-Python loops side by side against one
    (2.0 on two idle cores; about 1.0 when other work keeps the machine busy)."""
    from multiprocessing import get_context

    one = _burn(n)
    with get_context("fork").Pool(2) as pool:
        two = pool.map(_burn, [n, n])
    return 2 * one / max(two)


def table(rows: list[dict], load: str) -> str:
    mib = lambda b: f"{b / 2**20:.0f} MiB"  # noqa: E731
    lines = ["| novel | build | onephone-build | baseline | ratio | peak mem. ours | peak mem. baseline | what |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        o, b = r["ours"], r["base"]
        cells = [r["size"], r["what"], f"{o[0]:.2f} s", f"{b[0]:.2f} s" if b else "-",
                 f"{o[0] / b[0]:.2f}" if b else "-", mib(o[1]), mib(b[1]) if b else "-", r["note"]]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"Medians of the runs; {load}; CPUs: {os.cpu_count()}.")
    return "\n".join(lines)


# The shared libraries WeasyPrint loads: the first two it cannot run without; without
# harfbuzz-subset it subsets every font with fontTools (a PDF build 1.7 times slower).
LIBRARIES = {"pango-1.0": "needed", "harfbuzz": "needed", "harfbuzz-subset": "speed"}


def machine_facts() -> tuple[list[str], list[str]]:
    """(lines saying what this machine is: cores, load, the libraries WeasyPrint uses, the
    versions of the tools; the libraries missing)."""
    import ctypes.util

    import pikepdf
    import weasyprint

    found = {lib: ctypes.util.find_library(lib) for lib in LIBRARIES}
    missing = [lib for lib, path in found.items() if not path]
    pandoc_version = subprocess.run([pandoc(), "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    lines = [f"CPUs {os.cpu_count()}; load average {' '.join(open('/proc/loadavg').read().split()[:3])}",
             "libraries: " + ", ".join(f"{lib} {path or 'MISSING'}" for lib, path in found.items()),
             f"{pandoc_version}; WeasyPrint {weasyprint.__version__}; pikepdf {pikepdf.__version__}; "
             f"Python {sys.version.split()[0]}"]
    return lines, missing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="5k,100k,500k", help="comma-separated, e.g. 5k,100k")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (500k and up: 1)")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "onephone-bench")
    ap.add_argument("--allow-missing-libraries", action="store_true",
                    help="measure even when a library the speed depends on is missing (the table says so)")
    args = ap.parse_args()
    facts, missing = machine_facts()
    for line in facts:
        print(line, flush=True)
    if missing:
        warning = (f"MISSING: {', '.join('lib' + m for m in missing)} -- `make system` installs it; "
                   "a table measured without it is not the user's machine")
        if not args.allow_missing_libraries:
            raise SystemExit(warning + " (or pass --allow-missing-libraries)")
        print("WARNING: " + warning, flush=True)
    start = (" ".join(open("/proc/loadavg").read().split()[:3]), parallelism())
    print(f"load average {start[0]}, effective parallelism {start[1]:.2f}", flush=True)
    rows = []
    for size in args.sizes.split(","):
        big = float(size.rstrip("kK")) >= 500
        rows += bench(size, 1 if big else args.runs, args.work)
    end = (" ".join(open("/proc/loadavg").read().split()[:3]), parallelism())
    print()
    print("\n".join(facts) + "\n")
    print(table(rows, f"load average at start {start[0]}, at end {end[0]}; effective parallelism of two "
                      f"processes (2.00 = two free cores) at start {start[1]:.2f}, at end {end[1]:.2f}"))


if __name__ == "__main__":
    main()
