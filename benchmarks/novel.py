"""Synthetic novels of a given length, made from the book's own chapters.

The manuscript's chapters are cut into scenes at their top-level scene breaks and
the scenes are dealt out, in order and repeatedly, into numbered chapters of about
``CHAPTER_WORDS`` words, so a 100k-word novel has about 50 chapters. A target no
larger than the book itself gives the book's own chapters unchanged.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

CHAPTER_WORDS = 2000
_BREAK = re.compile(r"^\* \* \*\s*$")
_FENCE = re.compile(r"^(:{3,})\s*(\S)?")


def words(text: str) -> int:
    return len(text.split())


def scenes(text: str) -> list[str]:
    """A chapter's body (title line dropped) cut at scene breaks outside fenced blocks."""
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    out, cur, depth = [], [], 0
    for line in lines:
        m = _FENCE.match(line)
        if m:
            depth += 1 if m.group(2) else -1
        if depth == 0 and _BREAK.match(line):
            out.append("\n".join(cur).strip())
            cur = []
        else:
            cur.append(line)
    out.append("\n".join(cur).strip())
    return [s for s in out if s]


def make_novel(source: Path, dest: Path, target_words: int) -> Path:
    """Write ``dest/book.yaml`` and ``dest/chapters/*.md`` (about ``target_words`` words)."""
    chapter_files = sorted((source / "chapters").glob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in chapter_files]
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "chapters").mkdir(parents=True)
    chapters: list[str] = []
    if target_words <= sum(words(t) for t in texts):
        chapters = texts
    else:
        pool = [s for t in texts for s in scenes(t)]
        total, cur, i = 0, [], 0
        while total < target_words:
            scene = pool[i % len(pool)]
            i += 1
            cur.append(scene)
            total += words(scene)
            if sum(words(s) for s in cur) >= CHAPTER_WORDS:
                chapters.append(f"# Chapter {len(chapters) + 1}\n\n" + "\n\n* * *\n\n".join(cur) + "\n")
                cur = []
        if cur:
            chapters.append(f"# Chapter {len(chapters) + 1}\n\n" + "\n\n* * *\n\n".join(cur) + "\n")
    names = []
    for n, text in enumerate(chapters, 1):
        name = f"chapters/{n:03d}.md"
        (dest / name).write_text(text, encoding="utf-8")
        names.append(name)
    meta = [line for line in (source / "book.yaml").read_text(encoding="utf-8").splitlines()]
    head = meta[: next(i for i, line in enumerate(meta) if line.startswith("chapters:"))]
    (dest / "book.yaml").write_text("\n".join(head + ["chapters:"] + [f"  - {n}" for n in names]) + "\n",
                                    encoding="utf-8")
    return dest


def pandoc_markdown(manuscript: Path) -> str:
    """The same novel as one Markdown file with a title block, for the Pandoc baselines."""
    import yaml

    meta = yaml.safe_load((manuscript / "book.yaml").read_text(encoding="utf-8"))
    head = (f"---\ntitle: {meta['title']!r}\nauthor: {meta['author']!r}\n"
            f"lang: {meta['language']}\n---\n\n")
    return head + "\n\n".join((manuscript / c).read_text(encoding="utf-8") for c in meta["chapters"])
