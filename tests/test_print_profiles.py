"""Print-on-demand profiles: book.yaml's ``print:`` section, the service's tables (inside
margin by page count, trims, spine), and what a profile's interior is made of."""

from __future__ import annotations

import pytest

from onephone_build.config import load
from onephone_build.config.print_profiles import PROFILES
from onephone_build.config.editions import DEFAULT
from onephone_build.editions.print.profile import margins
from onephone_build.errors import BookError

from .conftest import write_manuscript

TEXT = {"chapters/one.md": "# One\n\nSome words.\n"}

# KDP's table of the smallest inside margin ("Set Trim Size, Bleed, and Margins")
KDP_INSIDE = [(24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625), (500, 0.625),
              (501, 0.75), (700, 0.75), (701, 0.875), (828, 0.875)]


@pytest.mark.parametrize("pages,least", KDP_INSIDE)
def test_kdp_inside_margin_grows_with_the_page_count(pages, least):
    kdp = PROFILES["kdp"]
    assert kdp.min_inside(pages) == least
    assert margins(kdp, pages, False)["inside"] >= least


@pytest.mark.parametrize("service", ["kdp", "ingram"])
@pytest.mark.parametrize("bleed", [False, True])
def test_outside_top_bottom_at_least_the_services_minimum(service, bleed):
    p = PROFILES[service]
    least = {"kdp": 0.375 if bleed else 0.25, "ingram": 0.5}[service]
    for pages in (24, 400, 800):
        m = margins(p, pages, bleed)
        assert min(m["outside"], m["top"], m["bottom"], m["inside"]) >= least


def test_spine_from_pages_and_paper():
    kdp = PROFILES["kdp"]
    assert kdp.spine_width(300, "white") == pytest.approx(0.6756)
    assert kdp.spine_width(300, "cream") == pytest.approx(0.75)


def _yaml_error(tmp_path, block: str) -> str:
    ms = write_manuscript(tmp_path / "ms", TEXT, trim="5.5in x 8.5in")
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text() + block)
    with pytest.raises(BookError) as e:
        load(ms)
    return str(e.value)


@pytest.mark.parametrize("block,line,words", [
    ("print:\n  service: lulu\n", 8, "'print.service' must be one of kdp, ingram, none"),
    ("print:\n  service: kdp\n  paper: grey\n", 9, "'print.paper' must be one of white, cream"),
    ("print:\n  service: kdp\n  bleed: maybe\n", 9, "'print.bleed' must be true or false"),
    ("print:\n  service: kdp\n  margin: 1in\n", 9, "unknown option 'print.margin'"),
    ("print: kdp\n", 7, "'print' must be a mapping"),
])
def test_print_section_errors_name_the_line(tmp_path, block, line, words):
    msg = _yaml_error(tmp_path, block)
    assert f"book.yaml:{line}:" in msg and words in msg


def test_a_trim_the_service_does_not_print_is_refused(tmp_path):
    ms = write_manuscript(tmp_path / "ms", TEXT, trim="5.7in x 8.5in")
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text() + "print:\n  service: kdp\n")
    with pytest.raises(BookError) as e:
        load(ms)
    assert "book.yaml:7:" in str(e.value) and "not a trim size Amazon KDP prints" in str(e.value)


def test_a_print_service_adds_its_interior_and_cover_to_all(tmp_path):
    ms = write_manuscript(tmp_path / "ms", TEXT)
    assert load(ms).editions == DEFAULT
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text() + "print: {service: ingram, paper: cream}\n")
    cfg = load(ms)
    assert cfg.editions == DEFAULT + ("ingram", "ingram-cover")
    assert (cfg.print.service, cfg.print.paper, cfg.print.bleed) == ("ingram", "cream", False)


def test_too_few_pages_for_the_service_is_a_clear_error_and_nothing_written(tmp_path):
    from .conftest import run_cli

    ms = write_manuscript(tmp_path / "ms", TEXT)
    proc = run_cli("pdf", "--for", "kdp", "-m", str(ms), "-o", str(tmp_path / "out"))
    assert proc.returncode == 1
    assert "pages; Amazon KDP prints 24 to 828 pages" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "test-book-kdp.pdf").exists()


@pytest.mark.parametrize("guess, layouts", [(None, 1), (1, 2)], ids=["guessed", "first-band"])
def test_an_interior_is_first_laid_out_in_the_band_of_its_guessed_page_count(tmp_path, monkeypatch, guess, layouts):
    """The inside margin depends on the final page count. With no earlier build to go by,
    the book is first laid out at the margin of the band its guessed count is in, not the
    first band's: once, where the guess is right (the control: a guess of one page, the
    first band, and the book laid out again), with the same page count either way."""
    from dataclasses import replace

    from onephone_build.editions.print import parts, writer
    from onephone_build.pipeline import render

    from .conftest import MANUSCRIPT

    kdp = replace(PROFILES["kdp"], inside_bands=((10, 0.375), (828, 0.5)))  # the book (25 pages): the second band
    if guess is not None:
        monkeypatch.setattr(writer, "book_pages_guess", lambda r: guess)
    made = []
    real = parts.build_parts
    monkeypatch.setattr(writer, "build_parts", lambda *a, **k: made.append(1) or real(*a, **k))
    r = render(MANUSCRIPT)
    assert kdp.band(parts.book_pages_guess(r)) == 1
    data, count = writer.build_interior(r, kdp, jobs=1)
    assert len(made) == layouts
    assert kdp.band(count) == 1 and count == 25
