"""`stats`: numbers counted by hand on a small manuscript, from the typeset text."""

from __future__ import annotations

import json

import pytest

from .conftest import run_cli, write_manuscript

CHAPTERS = {
    # “Hello there,” she said.  -> 4 words, 2 in dialogue, 24 characters
    # He waited. “Fine.”        -> 3 words, 1 in dialogue, 18 characters
    "chapters/one.md": '# Start\n\n"Hello there," she said.\n\n* * *\n\nHe waited. "Fine."\n',
    # “It began with K-Kacchan’s phone. I don’t—   -> 7 words (a stammer and a contraction are
    #   one word each), all dialogue: the quotation runs on into the next paragraph; 42 characters
    # “I can’t say more.”                          -> 4 words, all dialogue, 19 characters
    # The end came.                                -> 3 words, narration, 13 characters
    "chapters/two.md": "# Two\n\n\"It began with K-Kacchan's phone. I don't-\n\n\"I can't say more.\"\n\n"
                       "The end came.\n",
}


@pytest.fixture(scope="module")
def manuscript(tmp_path_factory):
    return write_manuscript(tmp_path_factory.mktemp("stats") / "ms", CHAPTERS)


def test_stats_json_counts(manuscript):
    proc = run_cli("stats", "-m", str(manuscript), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    one, two = data["chapters"]
    assert (one["title"], one["words"], one["characters"], one["scenes"], one["dialogue_words"]) == \
        ("Start", 7, 42, 2, 3)
    assert (two["title"], two["words"], two["characters"], two["scenes"], two["dialogue_words"]) == \
        ("Two", 14, 74, 1, 11)
    total = data["total"]
    assert (total["words"], total["characters"], total["chapters"], total["scenes"], total["dialogue_words"]) == \
        (21, 116, 2, 3, 14)
    assert total["dialogue_share"] == round(14 / 21, 4)
    assert data["words_per_minute"] == 238 and total["reading_minutes"] == 1


def test_stats_table(manuscript):
    proc = run_cli("stats", "-m", str(manuscript), env={"NO_COLOR": "1", "COLUMNS": "120", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" not in proc.stdout  # not a terminal: no colours
    rows = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
            for line in proc.stdout.splitlines() if line.startswith("│")}
    assert rows["1. Start"] == ["7", "42", "2", "43%", "1 min"]
    assert rows["2. Two"] == ["14", "74", "1", "79%", "1 min"]
    assert rows["Total (2 chapters)"] == ["21", "116", "3", "67%", "1 min"]


def test_dialogue_words_spans_open_quotations_but_not_narration():
    from onephone_build.commands.stats import dialogue_words

    assert dialogue_words("“Hi,” he said. “Bye now.”") == 3
    assert dialogue_words("“A quotation that goes on") == 5  # continues in the next paragraph
    assert dialogue_words("No dialogue at all, it’s narration.") == 0
