"""Markdown -> Pandoc AST: one Pandoc process for the whole book (or a few, in chunks,
for a long one).

The chapters, read and checked by ``read/source.py``, are joined with a raw-block
marker and parsed in one call, and the AST is split back at the markers.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import threading
from pathlib import Path
from typing import Iterator

from ..config import BookConfig
from ..errors import BookError
from ..model.document import Source
from .prose import join_emphasis
from .source import read_bytes, read_source

# Pandoc Markdown, minus what would misread prose or reach outside the book:
# our typography stage does quotes/dashes/ellipses (-smart); `@name` in a text message
# is not a citation; `$5 and $6` is not math; raw TeX never reaches our outputs.
PANDOC_FORMAT = "markdown-smart-citations-tex_math_dollars-raw_tex-implicit_figures"

# Pandoc's limits (the input's: read/source.py).
PANDOC_TIMEOUT = 300  # seconds for one Pandoc process (a 10 MB chapter takes ~10 s)
PANDOC_MEMORY = "3g"  # Pandoc's heap (+RTS -M): a 10 MB book needs ~1 GB
# The heap Pandoc starts with (+RTS -H). Its binary asks for 64 MB, which it spends time
# faulting in: with 8 MB the book (5k words) reads in 55 ms instead of 90, a 768 KiB chunk
# in 0.86 s instead of 0.93, in 20-60 MB less memory.
PANDOC_HEAP_START = "8m"


def pandoc_path() -> str:
    """The Pandoc that pypandoc-binary ships, found without importing pypandoc (its import
    and its `pandoc --version` probe cost 80 ms, half of a small book's EPUB build);
    otherwise whichever Pandoc pypandoc finds."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec and not os.environ.get("PYPANDOC_PANDOC") else []:
        bundled = Path(folder) / "files" / "pandoc"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    import pypandoc

    return pypandoc.get_pandoc_path()


def _start_pandoc() -> subprocess.Popen:
    """Pandoc in its sandbox (no file or network access), with a bounded heap."""
    cmd = [pandoc_path(), "+RTS", f"-M{PANDOC_MEMORY}", f"-H{PANDOC_HEAP_START}", "-RTS", "--sandbox",
           "-f", PANDOC_FORMAT, "-t", "json"]
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


class _Pandoc:
    """One Pandoc process reading ``markdown``, started now; ``json()`` waits for its output."""

    def __init__(self, markdown: bytes, root: Path):
        self.root = root
        self._proc = _start_pandoc()
        self._output: tuple[bytes, bytes] | None = None
        self._talk = threading.Thread(target=self._communicate, args=(markdown,), daemon=True)
        self._talk.start()

    def _communicate(self, data: bytes) -> None:
        try:
            self._output = self._proc.communicate(data, timeout=PANDOC_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.communicate()

    def stop(self) -> None:
        """Its output is not wanted (a later chapter is refused)."""
        if self._proc.poll() is None:
            self._proc.kill()

    def json(self) -> str:
        self._talk.join()
        if self._output is None:
            raise BookError(f"Pandoc took more than {PANDOC_TIMEOUT} s to read the manuscript "
                            "(split or simplify it)", self.root)
        stdout, stderr = self._output
        if self._proc.returncode != 0:
            msg = stderr.decode("utf-8", "replace").strip().splitlines()
            if self._proc.returncode == 251 or any("Heap exhausted" in m for m in msg):
                msg = [f"it needs more than {PANDOC_MEMORY} of memory (split or simplify the manuscript)"]
            raise BookError(f"Pandoc could not read the manuscript: {msg[-1] if msg else self._proc.returncode}",
                            self.root)
        return stdout.decode("utf-8")


_WS = re.compile(r"[ \t\n\r]*")


def iter_blocks(doc: str) -> Iterator[dict]:
    """The top-level blocks of a Pandoc JSON document, decoded one at a time: the whole
    AST of a long book as Python objects is many times the size of its text."""
    decode = json.JSONDecoder().raw_decode

    def skip(i: int, over: str = "") -> int:
        i = _WS.match(doc, i).end()
        if over:
            if doc[i] != over:
                raise ValueError(f"Pandoc's JSON: expected {over!r} at {i}")
            i = _WS.match(doc, i + 1).end()
        return i

    i = skip(0, "{")
    while doc[i] != "}":
        key, i = decode(doc, i)
        i = skip(i, ":")
        if key != "blocks":
            _, i = decode(doc, i)
        else:
            i = skip(i, "[")
            while doc[i] != "]":
                block, i = decode(doc, i)
                yield block
                i = skip(i)
                if doc[i] == ",":
                    i = skip(i + 1)
            i += 1
        i = skip(i)
        if doc[i] == ",":
            i = skip(i + 1)


# Markdown held by the Pandoc processes reading at once: about 130k words, for which Pandoc
# takes about 170 MB (it holds the whole AST: a 500k-word book in one process takes 300 MB).
CHUNK_BYTES = 3 << 18  # 768 KiB
# Pandoc processes reading at once, each on at most CHUNK_BYTES / AT_ONCE: Pandoc reads at
# about 1.1 s a MB on one core, and the typesetting of a chunk waits for all of it, so two
# processes on smaller chunks (and this one typesetting each as it comes) use both cores.
AT_ONCE = 2
# A book is cut into at least this many chunks (where it has the chapters): the first
# comes back sooner, and the typesetting starts while the rest are read.
PIECES = 4


def chunk_limit(total: int) -> int:
    """The most bytes a chunk of a book of ``total`` bytes holds."""
    return max(1, min(CHUNK_BYTES // AT_ONCE, -(-total // PIECES)))


def chunks(sizes: list[int], limit: int = CHUNK_BYTES) -> list[list[int]]:
    """Consecutive chapter indices in groups of at most ``limit`` bytes (a longer chapter
    is a group of its own)."""
    groups: list[list[int]] = []
    total = 0
    for i, n in enumerate(sizes):
        if not groups or total + n > limit:
            groups.append([])
            total = 0
        groups[-1].append(i)
        total += n
    return groups


class Parse:
    """The book through Pandoc, under way. Making one reads and checks every chapter and
    starts Pandoc, then returns at once: the caller can do other work (imports, a cover)
    while Pandoc reads. Iterating yields ``(index, source, blocks)`` for every chapter in
    order; ``result()`` waits for them all.

    The chapters go to Pandoc in chunks (``chunk_limit``), ``AT_ONCE`` processes at a time,
    the next ones reading while the caller typesets the chapters of the first; its JSON
    is decoded a block at a time. So neither Pandoc nor this process ever holds the AST of
    a long book whole.
    ``whole=True``: one process, whatever the size (a chapter defines reference links or
    footnotes that another one may use)."""

    def __init__(self, config: BookConfig, whole: bool = False, raws: list[bytes] | None = None):
        """``raws``: the chapters' bytes, when the caller has read them (``source.read_bytes``)."""
        self.config = config
        raws = raws if raws is not None else [read_bytes(ch.path) for ch in config.chapters]
        # the marker between chapters: no text can hold the digest of its own file's bytes
        self._marker = "opbsplit" + hashlib.sha1(b"".join(raws)).hexdigest()[:12]
        sizes = [len(raw) for raw in raws]
        total = sum(sizes)
        self.long = total > CHUNK_BYTES  # more than the Pandoc processes hold at once
        self._chunks = chunks(sizes, total if whole else chunk_limit(total))
        # the first chunks go to Pandoc as soon as their chapters are checked, the rest
        # are checked while it reads
        self.sources: list[Source] = []
        self._running: list[_Pandoc] = []
        try:
            for k, indices in enumerate(self._chunks):
                self.sources += [read_source(config.chapters[i].path, raws[i]) for i in indices]
                if k < AT_ONCE:
                    self._running.append(self._start(indices))
        except BaseException:
            for pandoc in self._running:
                pandoc.stop()
            raise

    def _start(self, indices: list[int]) -> _Pandoc:
        joined = "".join(f"\n\n```{{={self._marker}}}\n{i}\n```\n\n{self.sources[i].text}\n" for i in indices)
        return _Pandoc(joined.encode("utf-8"), self.config.root)

    def __iter__(self) -> Iterator[tuple[int, Source, list[dict]]]:
        for k, indices in enumerate(self._chunks):
            doc = self._running.pop(0).json()
            if k + AT_ONCE < len(self._chunks):
                self._running.append(self._start(self._chunks[k + AT_ONCE]))
            done = 0
            try:
                for i, blocks in self._split(iter_blocks(doc)):
                    yield i, self.sources[i], join_emphasis(blocks)
                    done += 1
            except RecursionError:
                raise BookError("the manuscript is nested too deeply to read (emphasis, quotes, lists, "
                                "fenced blocks)", self.config.root) from None
            if done != len(indices):  # pragma: no cover - fences are checked before
                raise BookError("a fenced block runs across chapters; check the ::: fences", self.config.root)

    def _split(self, blocks: Iterator[dict]) -> Iterator[tuple[int, list[dict]]]:
        """The blocks grouped by chapter, at the markers put between them."""
        current, found = None, []
        for block in blocks:
            if block["t"] == "RawBlock" and block["c"][0] == self._marker:
                if current is not None:
                    yield current, found
                current, found = int(block["c"][1]), []
            elif current is not None:
                found.append(block)
        if current is not None:
            yield current, found

    def result(self) -> tuple[list[Source], list[list[dict]]]:
        """(sources, blocks per chapter)."""
        return self.sources, [blocks for _, _, blocks in self]


def parse_book(config: BookConfig) -> tuple[list[Source], list[list[dict]]]:
    """Read every chapter and return (sources, blocks per chapter)."""
    return Parse(config).result()


def parse_texts(sources: list[Source], root: Path) -> list[list[dict]]:
    """Each source's blocks, from one Pandoc process (the front and back matter: a few
    short texts, read together)."""
    if not sources:
        return []
    marker = "opbmatter" + hashlib.sha1("".join(s.text for s in sources).encode()).hexdigest()[:12]
    joined = "".join(f"\n\n```{{={marker}}}\n{i}\n```\n\n{s.text}\n" for i, s in enumerate(sources))
    doc = _Pandoc(joined.encode("utf-8"), root).json()
    found: list[list[dict]] = [[] for _ in sources]
    current = None
    for block in iter_blocks(doc):
        if block["t"] == "RawBlock" and block["c"][0] == marker:
            current = int(block["c"][1])
        elif current is not None:
            found[current].append(block)
    return [join_emphasis(blocks) for blocks in found]
