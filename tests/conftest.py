"""Shared fixtures: the book is built once per session, and each real validator runs once
per artifact (one epubcheck costs ~5 s of Java start-up)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from onephone_build.build import build
from onephone_build.check import check_epub

ROOT = Path(__file__).resolve().parent.parent
MANUSCRIPT = ROOT / "manuscript"


def pdf_page_parts(pdf_file) -> list[tuple[str, str, str]]:
    """Per page of a PDF (a path or a file object): (running head, folio, whole text)."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf_file) as doc:
        for page in doc.pages:
            h = page.height
            head = page.crop((0, 0, page.width, 0.7 * 72)).extract_text() or ""
            foot = page.crop((0, h - 0.8 * 72, page.width, h)).extract_text() or ""
            out.append((head.strip(), foot.strip(), page.extract_text() or ""))
    return out


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed command, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "onephone_build", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, check=False)


def write_manuscript(root: Path, chapters: dict[str, str], **meta) -> Path:
    """A small manuscript: book.yaml plus the given chapter files (name -> Markdown)."""
    root.mkdir(parents=True, exist_ok=True)
    fields = {"title": "Test Book", "author": "A. Writer", "language": "en"} | meta
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    lines.append("chapters:")
    lines += [f"  - {name}" for name in chapters]
    (root / "book.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, text in chapters.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def book_build(tmp_path_factory):
    """The real book, built once in all three formats."""
    out = tmp_path_factory.mktemp("build")
    result = build(MANUSCRIPT, out, ("epub", "pdf", "html"))
    return result


@pytest.fixture(scope="session")
def book_epubcheck(book_build):
    return check_epub(book_build.outputs["epub"])
