"""The built book, read back as text, against every hyphen, dash and ellipsis of the seed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html as lhtml

from onephone_build.transforms.typography import fix_text, plain

from .conftest import MANUSCRIPT, ROOT

SEED = ROOT.parent / "shared" / "seed" / "one-phone-call-away.txt"
MARKED = re.compile(r"\S*[-\u2014\u2026]\S*")


def _norm(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def editions(book_build):
    """Each edition's paragraphs, as a reader sees their text."""
    z = zipfile.ZipFile(book_build.outputs["epub"])
    epub = [_norm("".join(p.itertext())) for n in sorted(z.namelist())
            if re.search(r"chapter-\d+\.xhtml$", n)
            for p in etree.fromstring(z.read(n)).iter("{http://www.w3.org/1999/xhtml}p")]
    html_dir: Path = book_build.outputs["html"]
    web = [_norm(p.text_content()) for f in sorted(html_dir.glob("chapter-*.html"))
           for p in lhtml.parse(str(f)).getroot().xpath("//main//p")]
    return {"epub": epub, "web": web}


@pytest.mark.skipif(not SEED.is_file(), reason="the seed lives in ../shared")
@pytest.mark.parametrize("edition", ["epub", "web"])
def test_every_seed_hyphen_and_ellipsis_comes_out_as_the_rules_say(editions, edition):
    text = " ".join(editions[edition])
    changes = (MANUSCRIPT / "CHANGES.md").read_text(encoding="utf-8")
    tokens = missing = 0
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.strip() == "Chapter Text":
            continue
        for m in MARKED.finditer(plain(fix_text(line))):
            tokens += 1
            token = m.group().strip("“”")
            if token not in text:
                # only where the editor changed the author's text, as CHANGES.md records
                assert token.replace("\u2014", "-") in changes, (token, line[:70])
                missing += 1
    assert tokens > 130 and missing <= 2


@pytest.mark.parametrize("edition", ["epub", "web"])
def test_no_raw_marks_survive(editions, edition):
    for text in editions[edition]:
        assert "..." not in text
        assert not re.search(r"\w- |\s-\w| - |--|-$", text), text
        assert not re.search(r" \u2014|\u2014 ", text), text  # closed em dashes
        assert "\u2011" not in text and "\u2060" not in text
        assert "'" not in text and '"' not in text, text  # every quote curled
