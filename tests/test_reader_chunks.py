"""A long book goes to Pandoc in chunks, and Pandoc's JSON is decoded a block at a time:
the result is the same as one process reading the whole book."""

from __future__ import annotations

import json

import pytest

from onephone_build import config, pipeline
from onephone_build.read import pandoc as reader

from .conftest import MANUSCRIPT, write_manuscript


@pytest.mark.parametrize("sizes, limit, expected", [
    ([], 10, []),
    ([5], 10, [[0]]),
    ([5, 5], 10, [[0, 1]]),
    ([5, 6], 10, [[0], [1]]),
    ([20, 1, 1], 10, [[0], [1, 2]]),  # a chapter over the limit is a chunk of its own
    ([1, 20, 1], 10, [[0], [1], [2]]),
    ([3, 3, 3, 3], 6, [[0, 1], [2, 3]]),
    ([3, 3, 3, 3], 12, [[0, 1, 2, 3]]),
])
def test_chunks_are_consecutive_and_bounded(sizes, limit, expected):
    assert reader.chunks(sizes, limit) == expected


def test_blocks_are_decoded_one_at_a_time_whatever_the_meta_holds():
    doc = {"pandoc-api-version": [1, 23], "meta": {"blocks": {"t": "MetaList", "c": []},
                                                    "note": {"t": "MetaString", "c": '"blocks":[1]'}},
           "blocks": [{"t": "Para", "c": [{"t": "Str", "c": "a]"}]}, {"t": "HorizontalRule"}]}
    for text in (json.dumps(doc), json.dumps(doc, indent=2)):
        assert list(reader.iter_blocks(text)) == doc["blocks"]
    assert list(reader.iter_blocks('{"blocks":[],"meta":{}}')) == []


def _render_all(ms):
    r = pipeline.render(ms)
    return [(rc.title, rc.xhtml) for rc in r.chapters], r.warnings


def test_a_book_in_chunks_renders_as_in_one_process(monkeypatch):
    one, warnings = _render_all(MANUSCRIPT)
    processes = []
    start = reader._start_pandoc
    monkeypatch.setattr(reader, "_start_pandoc", lambda: processes.append(1) or start())
    monkeypatch.setattr(reader, "CHUNK_BYTES", 1)  # every chapter a chunk of its own
    assert _render_all(MANUSCRIPT) == (one, warnings)
    assert len(processes) == len(config.load(MANUSCRIPT).chapters) > 1


def test_reference_definitions_keep_the_book_in_one_process(tmp_path, monkeypatch):
    ms = write_manuscript(tmp_path / "ms", {
        "chapters/one.md": "# One\n\n[Write to me][me], and a note.[^n]\n",
        "chapters/two.md": "# Two\n\n[me]: mailto:a@example.org\n\n[^n]: The note.\n",
    })
    processes = []
    start = reader._start_pandoc
    monkeypatch.setattr(reader, "_start_pandoc", lambda: processes.append(1) or start())
    monkeypatch.setattr(reader, "CHUNK_BYTES", 1)
    r = pipeline.render(ms)
    assert len(processes) == 1
    assert 'href="mailto:a@example.org"' in r.chapters[0].xhtml and "The note." in r.chapters[0].xhtml


@pytest.mark.parametrize("total, expected", [
    (1, 1),
    (30_000, 7_500),  # a short book: four chunks where it has the chapters
    (578_000, 144_500),
    (3_000_000, reader.CHUNK_BYTES // reader.AT_ONCE),  # long: what the processes hold at once is bounded
])
def test_chunk_limit(total, expected):
    assert reader.chunk_limit(total) == expected


def test_pandoc_reads_ahead_at_most_at_once_processes(tmp_path, monkeypatch):
    """The next chunks are read while this one is typeset, never more than AT_ONCE at a time."""
    started, live, most = [], [0], [0]
    real = reader._Pandoc.json

    def start(self, markdown, root, _init=reader._Pandoc.__init__):
        _init(self, markdown, root)
        started.append(1)
        live[0] += 1
        most[0] = max(most[0], live[0])

    def json(self):
        live[0] -= 1
        return real(self)

    monkeypatch.setattr(reader._Pandoc, "__init__", start)
    monkeypatch.setattr(reader._Pandoc, "json", json)
    monkeypatch.setattr(reader, "CHUNK_BYTES", 1)
    cfg = config.load(write_manuscript(tmp_path / "ms", {
        f"chapters/{n}.md": f"# Chapter {n}\n\nText of {n}.\n" for n in range(1, 6)}))
    parse = reader.Parse(cfg)
    assert len(started) == reader.AT_ONCE == 2
    assert [i for i, _, _ in parse] == list(range(len(cfg.chapters)))
    assert len(started) == len(cfg.chapters) and most[0] == reader.AT_ONCE


def test_pandoc_starts_on_the_first_chunks_before_the_rest_is_checked(tmp_path, monkeypatch):
    """The first chunks go to Pandoc as soon as their chapters are checked; a later chapter
    that is refused stops the processes already started, and its error names that file."""
    events = []
    init, stop = reader._Pandoc.__init__, reader._Pandoc.stop
    check = reader.read_source

    def started(self, markdown, root):
        init(self, markdown, root)
        events.append("pandoc")

    def stopped(self):
        stop(self)
        events.append("stopped")

    monkeypatch.setattr(reader._Pandoc, "__init__", started)
    monkeypatch.setattr(reader._Pandoc, "stop", stopped)
    monkeypatch.setattr(reader, "read_source", lambda path, raw: events.append(path.name) or check(path, raw))
    monkeypatch.setattr(reader, "CHUNK_BYTES", 1)
    files = {f"chapters/{n}.md": f"# Chapter {n}\n\nText of {n}.\n" for n in range(1, 5)}
    cfg = config.load(write_manuscript(tmp_path / "ms", files))
    parse = reader.Parse(cfg)
    assert events == ["1.md", "pandoc", "2.md", "pandoc", "3.md", "4.md"]
    assert [i for i, _, _ in parse] == [0, 1, 2, 3]

    events.clear()
    (tmp_path / "ms" / "chapters" / "4.md").write_bytes(b"# Four\n\nBad \xff byte.\n")
    with pytest.raises(reader.BookError, match="4.md"):
        reader.Parse(cfg)
    assert events[:4] == ["1.md", "pandoc", "2.md", "pandoc"]
    assert events[4:] == ["3.md", "4.md", "stopped", "stopped"]
