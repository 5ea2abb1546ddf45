"""`lint`: planted defects are reported at FILE:LINE:COL by rule name; clean text is clean."""

from __future__ import annotations

from .conftest import MANUSCRIPT, run_cli, write_manuscript

PLANTED = """\
# One

“This quote closes,” she said. Then she left.

Shut up,” he growled, and the door slammed.

“I was going to say-. Never mind.”

“It runs on,” she said, “and on,

He waited.

“’Thank you,” said the clerk.

The plan was that if-for any reason at all the train stopped, they would walk.
"""


def _position(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def test_lint_reports_each_planted_defect_where_it_is(tmp_path):
    ms = write_manuscript(tmp_path / "ms", {"chapters/one.md": PLANTED})
    proc = run_cli("lint", "-m", str(ms), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    expected = {
        "quote-balance": _position(PLANTED, "” he growled"),
        "dash-period": _position(PLANTED, "-. Never"),
        "quote-continuation": _position(PLANTED, "“and on"),  # the quote left open
        "stray-apostrophe": _position(PLANTED, "’Thank"),
        "ambiguous-hyphen": _position(PLANTED, "-for any"),
    }
    for rule, (line, col) in expected.items():
        hits = [l for l in lines if f": {rule}" in l]
        assert hits, (rule, lines)
        path, ln, cl = hits[0].split(":")[:3]
        assert path.endswith("chapters/one.md")
        assert int(ln) == line, (rule, hits[0])
        assert abs(int(cl) - col) <= 1, (rule, hits[0])
    # nothing reported on the clean first paragraph
    assert not any(l.split(":")[1] == "3" for l in lines), lines


def test_lint_is_clean_on_the_finished_manuscript():
    proc = run_cli("lint", "-m", str(MANUSCRIPT))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == ""


def test_lint_list_names_every_rule():
    from onephone_build.transforms.typography import DOC_CHECKS, RULES

    proc = run_cli("lint", "--list")
    assert proc.returncode == 0
    names = {line.split()[0] for line in proc.stdout.splitlines()}
    assert names == {r.name for r in RULES} | {d.name for d in DOC_CHECKS} | {"rare-structure"}
