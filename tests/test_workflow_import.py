"""`import`: the archive's plain-text and HTML exports become a manuscript with the same
structure as the hand-made `manuscript/`, that builds, lints, and keeps every character."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from onephone_build import config
from onephone_build.model.document import plain_text
from onephone_build.read import load_book

from .conftest import MANUSCRIPT, ROOT, run_cli

SEED = ROOT.parent / "shared" / "seed" / "one-phone-call-away.txt"
if not SEED.is_file():
    SEED = Path("/work/shared/seed/one-phone-call-away.txt")
HTML_EXPORT = Path(__file__).parent / "fixtures" / "one-phone-call-away.html"


def _paragraphs(blocks: list[dict]) -> int:
    """Paragraphs, counting those inside transcript fences (the import has no fences)."""
    return sum(1 if b["t"] in ("Para", "Plain") else _paragraphs(b["c"][1]) if b["t"] == "Div" else 0
               for b in blocks)


def structure(manuscript: Path) -> list[list[int]]:
    """Per chapter, the paragraph count of each scene (so: scenes, breaks and paragraphs)."""
    book = load_book(config.load(manuscript))
    result = []
    for ch in book.chapters:
        scenes: list[list[dict]] = [[]]
        for b in ch.blocks:
            if b["t"] == "HorizontalRule":
                scenes.append([])
            else:
                scenes[-1].append(b)
        result.append([_paragraphs(s) for s in scenes])
    return result


@pytest.fixture(scope="module", params=["txt", "html"])
def imported(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"import-{request.param}") / "ms"
    export = SEED if request.param == "txt" else HTML_EXPORT
    proc = run_cli("import", str(export), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_import_reproduces_the_structure_of_the_manuscript(imported):
    expected = structure(MANUSCRIPT)
    assert len(expected) == 2 and [len(ch) for ch in expected] == [4, 9]  # the real book, 3 + 8 breaks
    assert structure(imported) == expected


def test_imported_book_yaml(imported):
    meta = yaml.safe_load((imported / "book.yaml").read_text(encoding="utf-8"))
    assert meta["title"] == "One Phone Call Away"
    assert meta["author"] == "Unknown author"
    assert meta["language"] == "en"
    assert meta["identifier"].startswith("urn:uuid:")
    assert meta["chapters"] == ["chapters/01-one.md", "chapters/02-two.md"]
    first = (imported / "chapters/01-one.md").read_text(encoding="utf-8")
    assert first.startswith("# One\n\n“Midoriya residence.")
    assert "\n\n* * *\n\n" in first


def test_identifier_is_stable(imported, tmp_path):
    """Importing the same export again gives the same identifier (e-readers key on it)."""
    export = HTML_EXPORT if "html" in str(imported) else SEED
    again = tmp_path / "again"
    assert run_cli("import", str(export), "-o", str(again)).returncode == 0
    assert (again / "book.yaml").read_text() == (imported / "book.yaml").read_text()


def test_imported_manuscript_builds_and_lints(imported, tmp_path):
    proc = run_cli("all", "-m", str(imported), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    lint = run_cli("lint", "-m", str(imported))
    assert lint.returncode in (0, 1) and "Traceback" not in lint.stderr, lint.stderr
    # the export's real defects, which manuscript/CHANGES.md fixed by hand, are reported
    assert "quote-balance" in lint.stdout


def test_html_import_keeps_emphasis(tmp_path):
    out = tmp_path / "ms"
    assert run_cli("import", str(HTML_EXPORT), "-o", str(out)).returncode == 0
    one = (out / "chapters/01-one.md").read_text(encoding="utf-8")
    two = (out / "chapters/02-two.md").read_text(encoding="utf-8")
    assert "\n*But don’t let him die on my watch.*\n" in one
    assert "*You’re going to be all right,* he wanted to tell him." in one
    # <em>voicemail </em>and: the space moves outside the emphasis, or Pandoc would not close it
    assert "the words *voicemail* and *I wasn’t there- I couldn’t answer- I wasn’t there for him!* stood" in two
    book = load_book(config.load(out))
    emph = [plain_text(i["c"]) for ch in book.chapters for b in ch.blocks if b["t"] == "Para"
            for i in b["c"] if i["t"] == "Emph"]
    assert emph == ["But don’t let him die on my watch.", "You’re going to be all right,",
                    "You’re going to be fine, don’t talk like that.", "voicemail",
                    "I wasn’t there- I couldn’t answer- I wasn’t there for him!"]


TRICKY = [
    "# not a heading, 100% *literal* _text_ with `ticks` and \\backslashes\\",
    "1. not a list",
    "- not a list either",
    "> not a quote",
    "::: not a fence",
    "* * *",
    "A. Writer said [this]{.cue} and <b>that</b> & &amp; $5 ^up^ ~down~ @cite | pipe",
    "Stammers K-Kacchan, cut-offs- and dots... stay as typed",
]


@pytest.mark.parametrize("kind", ["txt", "html"])
def test_markdown_special_characters_survive_pandoc(kind, tmp_path):
    """Every paragraph of the export comes out of Pandoc as exactly the text that went in."""
    import html

    expected = [p for p in TRICKY if p != "* * *"]  # a scene-break marker, in both kinds
    if kind == "txt":
        export = tmp_path / "export.txt"
        export.write_text("Tricky *Book*\n\nChapter Text\n\n" + "\n\n".join(TRICKY) + "\n", encoding="utf-8")
    else:
        export = tmp_path / "export.html"
        paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in expected)
        export.write_text('<!DOCTYPE html><html><head><title>x</title></head><body>'
                          '<h2 class="title heading">Tricky *Book*</h2>'
                          '<h3 class="byline heading"><a rel="author" href="/users/a">A. Writer</a></h3>'
                          '<div class="userstuff">' + paras + "</div></body></html>", encoding="utf-8")
    out = tmp_path / "ms"
    proc = run_cli("import", str(export), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    cfg = config.load(out)
    assert cfg.title == "Tricky *Book*"
    assert cfg.author == ("A. Writer" if kind == "html" else "Unknown author")
    book = load_book(cfg)
    (chapter,) = book.chapters
    kinds = ["Para"] * len(expected)
    if kind == "txt":  # the "* * *" line of the text is its one scene break
        kinds.insert(TRICKY.index("* * *"), "HorizontalRule")
    assert [b["t"] for b in chapter.blocks] == kinds
    assert [plain_text(b["c"]) for b in chapter.blocks if b["t"] == "Para"] == expected
    assert run_cli("html", "-m", str(out), "-o", str(tmp_path / "out")).returncode == 0


def test_import_refuses_to_overwrite(tmp_path):
    (tmp_path / "ms").mkdir()
    (tmp_path / "ms" / "keep.txt").write_text("mine")
    proc = run_cli("import", str(SEED), "-o", str(tmp_path / "ms"))
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "not an empty directory" in proc.stderr
    assert (tmp_path / "ms" / "keep.txt").read_text() == "mine"
