"""The print-on-demand interiors of the book pass their service's preflight, read back
independently too; each deliberately broken copy fails the rule it breaks."""

from __future__ import annotations

import io
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from onephone_build.build import build
from onephone_build.check.preflight import preflight
from onephone_build.config import load
from onephone_build.config.book import PrintOptions
from onephone_build.config.print_profiles import PROFILES

from .conftest import MANUSCRIPT, ROOT, run_cli, write_manuscript


@pytest.fixture(scope="module")
def interiors(tmp_path_factory):
    out = tmp_path_factory.mktemp("pod")
    return build(MANUSCRIPT, out, ("kdp", "ingram")).outputs


@pytest.fixture(scope="module")
def cfg():
    return load(MANUSCRIPT)


def _failed(path: Path, cfg, service: str) -> dict[str, str]:
    return {r.name: r.measured for r in preflight(path, cfg, service) if not r.ok}


@pytest.mark.parametrize("service", ["kdp", "ingram"])
def test_the_book_passes_its_services_preflight(interiors, cfg, service):
    rules = preflight(interiors[service], cfg, service)
    assert {r.name for r in rules} >= {"trim", "bleed", "margin inside", "margin outside", "margin top",
                                       "margin bottom", "fonts embedded", "page count", "smallest type",
                                       "image resolution", "spine width", "no transparency"}
    assert [r for r in rules if not r.ok] == []


def test_check_for_service_prints_every_rule_and_exits_0(interiors):
    out = interiors["kdp"].parent
    proc = run_cli("check", "--for", "kdp", "-m", str(MANUSCRIPT), "-o", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for rule in ("margin inside", "fonts not subset", "no outline", "page count", "spine width"):
        assert rule in proc.stdout
    assert "FAIL" not in proc.stdout


def test_kdp_interior_read_back(interiors):
    with pikepdf.open(interiors["kdp"]) as pdf:
        assert "/Outlines" not in pdf.Root
        names = {str(o.BaseFont) for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font" and "/BaseFont" in o}
        assert names and not any("+" in n for n in names)
        # whole font files: the embedded regular face has every glyph of the original
        from fontTools.ttLib import TTFont

        original = TTFont(ROOT / "styles" / "fonts" / "EBGaramond12-Regular.otf")
        files = [o.FontFile3.read_bytes() for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor" and "/FontFile3" in o]
        # WeasyPrint embeds the whole OpenType file (FontFile3 /Subtype /OpenType)
        counts = [len(TTFont(io.BytesIO(data)).getGlyphOrder()) for data in files]
        assert max(counts) == len(original.getGlyphOrder())
        # each whole face embedded once, however many parts the book was laid out in
        streams = {o.FontFile3.objgen for o in pdf.objects
                   if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor" and "/FontFile3" in o}
        assert len(streams) == len(set(files)) == 2  # EB Garamond regular and italic


def test_ingram_interior_read_back(interiors):
    with pikepdf.open(interiors["ingram"]) as pdf:
        assert pdf.pdf_version <= "1.4"
        assert str(pdf.docinfo.GTS_PDFXVersion).startswith("PDF/X-1a")
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and int(intent.DestOutputProfile.N) == 4
        assert len(pdf.pages) % 2 == 0
        last = pikepdf.parse_content_stream(pdf.pages[-1])
        assert not [op for _, op in last if str(op) in ("Tj", "TJ", "Do")]
        for page in pdf.pages:
            ops = {str(op) for _, op in pikepdf.parse_content_stream(page)}
            assert not ops & {"rg", "RG"}


def test_bleed_adds_to_the_outside_edges_only(tmp_path):
    ms = tmp_path / "ms"
    import shutil

    shutil.copytree(MANUSCRIPT, ms)
    (ms / "book.yaml").write_text((ms / "book.yaml").read_text() + "print: {service: kdp, bleed: true}\n")
    out = build(ms, tmp_path / "out", ("kdp",)).outputs["kdp"]
    with pikepdf.open(out) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            media, trim = [float(v) for v in page.mediabox], [float(v) for v in page.TrimBox]
            assert trim[2] - trim[0] == 396 and trim[3] - trim[1] == 612
            assert media[2] - media[0] == pytest.approx(396 + 9) and media[3] - media[1] == pytest.approx(612 + 18)
            # the extra width is on the outside: right of a recto, left of a verso
            assert (media[2] > trim[2]) == (n % 2 == 1) and (media[0] < trim[0]) == (n % 2 == 0)
    assert [r for r in preflight(out, load(ms), "kdp") if not r.ok] == []


# --- broken copies ---------------------------------------------------------------

def _broken(src: Path, dest: Path, change) -> Path:
    with pikepdf.open(src) as pdf:
        change(pdf)
        pdf.save(dest)
    return dest


def _font_resource(page) -> str:
    return str(next(iter(page.Resources.Font.keys())))


def _add_text(pdf, index: int, x: float, y: float, size: float) -> None:
    page = pdf.pages[index]
    font = _font_resource(page)
    page.contents_add(pdf.make_stream(f"BT {font} {size} Tf {x} {y} Td <0024> Tj ET".encode()))


def _add_image(pdf, index: int, px: int, inches: float, mode: str = "/DeviceRGB", alpha: bool = False) -> None:
    page = pdf.pages[index]
    comps = 3 if mode == "/DeviceRGB" else 1
    image = pdf.make_stream(zlib.compress(b"\x80" * px * px * comps), Type=pikepdf.Name.XObject,
                            Subtype=pikepdf.Name.Image, Width=px, Height=px, ColorSpace=pikepdf.Name(mode),
                            BitsPerComponent=8, Filter=pikepdf.Name.FlateDecode)
    if alpha:
        image.SMask = pdf.make_stream(zlib.compress(b"\x40" * px * px), Type=pikepdf.Name.XObject,
                                      Subtype=pikepdf.Name.Image, Width=px, Height=px,
                                      ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8,
                                      Filter=pikepdf.Name.FlateDecode)
    name = page.add_resource(image, pikepdf.Name.XObject, pikepdf.Name("/BrokenImage"))
    side = inches * 72
    page.contents_add(pdf.make_stream(f"q {side} 0 0 {side} 100 300 cm {name} Do Q".encode()))


def _outline(pdf):
    with pdf.open_outline() as o:
        o.root.append(pikepdf.OutlineItem("Chapter", 5))


def _subset_name(pdf):
    for o in pdf.objects:
        if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font" and "/BaseFont" in o:
            o.BaseFont = pikepdf.Name("/ABCDEF+" + str(o.BaseFont)[1:])


def _unembed(pdf):
    for o in pdf.objects:
        if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in o:
                    del o[key]


def _wrong_size(pdf):
    pdf.pages[7].MediaBox = pikepdf.Array([0, 0, 400, 612])
    pdf.pages[7].TrimBox = pikepdf.Array([0, 0, 400, 612])


def _rgb_text(pdf):
    pdf.pages[9].contents_add(pdf.make_stream(b"1 0 0 rg 10 10 5 5 re f"), prepend=True)


def _no_intent(pdf):
    del pdf.Root.OutputIntents


def _odd(pdf):
    del pdf.pages[-1]  # the closing blank: an odd count, ending on the book's last page of text


def _soft_alpha(pdf):
    page = pdf.pages[9]
    gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0.5)
    name = page.add_resource(gs, pikepdf.Name.ExtGState, pikepdf.Name("/Half"))
    page.contents_add(pdf.make_stream(f"q {name} gs 10 10 50 50 re f Q".encode()))


BROKEN = [
    ("kdp", _outline, "no outline"),
    ("kdp", _subset_name, "fonts not subset"),
    ("kdp", _unembed, "fonts embedded"),
    ("kdp", _wrong_size, "trim"),
    ("kdp", lambda pdf: _add_text(pdf, 10, 6, 300, 11), "margin inside"),  # a recto, next to the gutter
    ("kdp", lambda pdf: _add_text(pdf, 10, 200, 603, 11), "margin top"),
    ("kdp", lambda pdf: _add_text(pdf, 10, 200, 300, 5), "smallest type"),
    ("kdp", lambda pdf: _add_image(pdf, 10, 60, 1.0), "image resolution"),  # 60 px over an inch
    ("kdp", lambda pdf: _add_image(pdf, 10, 600, 1.0, alpha=True), "no transparency"),
    ("kdp", _soft_alpha, "no transparency"),
    ("ingram", _rgb_text, "no RGB"),
    ("ingram", lambda pdf: _add_image(pdf, 10, 600, 1.0), "no RGB"),
    ("ingram", _no_intent, "output intent"),
    ("ingram", _odd, "even page count"),
    ("ingram", _odd, "last page blank"),
    ("ingram", lambda pdf: _add_text(pdf, 10, 200, 20, 11), "margin bottom"),
]


@pytest.mark.parametrize("service,change,rule", BROKEN, ids=[f"{s}-{r}-{i}" for i, (s, _, r) in enumerate(BROKEN)])
def test_a_broken_interior_fails_the_rule_it_breaks(interiors, cfg, tmp_path, service, change, rule):
    bad = _broken(interiors[service], tmp_path / "bad.pdf", change)
    assert rule in _failed(bad, cfg, service)


def test_check_for_service_exits_1_on_a_failure(interiors, tmp_path):
    import shutil

    out = tmp_path / "out"
    out.mkdir()
    _broken(interiors["kdp"], out / interiors["kdp"].name, _outline)
    proc = run_cli("check", "--for", "kdp", "-m", str(MANUSCRIPT), "-o", str(out))
    assert proc.returncode == 1 and "FAIL" in proc.stdout and "no outline" in proc.stdout
    shutil.rmtree(out)


def test_bleed_asked_but_absent_fails(interiors, cfg):
    bleeding = replace(cfg, print=PrintOptions("kdp", "white", True))
    assert "bleed" in _failed(interiors["kdp"], bleeding, "kdp")


def test_a_long_novel_past_the_first_band_is_laid_out_with_the_wider_gutter(tmp_path):
    """About 45k words: more than 150 pages, so KDP's second band (0.5in inside)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from novel import make_novel

    ms = make_novel(MANUSCRIPT, tmp_path / "novel", 45_000)
    out = build(ms, tmp_path / "out", ("kdp",)).outputs["kdp"]
    rules = {r.name: r for r in preflight(out, load(ms), "kdp")}
    pages = int(rules["page count"].measured)
    assert 150 < pages <= 300
    assert rules["margin inside"].required == f">= 0.5in at {pages} pages"
    assert float(rules["margin inside"].measured[:-2]) >= 0.5
    assert PROFILES["kdp"].inside_margin(pages) == 0.875  # the band's minimum and the house gutter
    assert [r for r in rules.values() if not r.ok] == []


def _ingram_check(kind: str, path: Path) -> dict:
    """The independent checker (PyPI's ingram-checker), as its command line reports."""
    import json
    import subprocess

    exe = Path(sys.executable).with_name("ingram-check")
    proc = subprocess.run([str(exe), kind, str(path), "-t", "5.5x8.5", *(["-c", "bw"] if kind == "interior" else []),
                           "--format", "json"], capture_output=True, text=True, check=False)
    report = json.loads(proc.stdout)
    return {c["check_name"]: c["status"] for c in report["checks"]} | {"compliant": report["summary"]["compliant"]}


def test_the_independent_ingram_checker_agrees(interiors):
    found = _ingram_check("interior", interiors["ingram"])
    assert found["compliant"] is True
    assert found["icc_profiles"] == found["color_space"] == found["margins"] == found["pdfx_compliance"] == "pass"


def test_the_independent_ingram_checker_agrees_on_a_broken_copy(interiors, cfg, tmp_path):
    bad = _broken(interiors["ingram"], tmp_path / "bad.pdf", lambda pdf: (_odd(pdf), _add_image(pdf, 10, 600, 1.0)))
    found = _ingram_check("interior", bad)
    ours = _failed(bad, cfg, "ingram")
    assert found["compliant"] is False and found["page_count"] == "fail" and "even page count" in ours
    assert found["color_space"] == "fail" and "no RGB" in ours


@pytest.mark.parametrize("service", ["ingram", "kdp"])
def test_an_rgb_image_with_alpha_is_flattened_and_converted_for_print(tmp_path, service):
    import shutil

    from PIL import Image

    ms = tmp_path / "ms"
    shutil.copytree(MANUSCRIPT, ms)
    Image.new("RGBA", (1500, 1000), (30, 120, 200, 140)).save(ms / "chapters" / "map.png")
    first = ms / "chapters" / "01-one.md"
    text = first.read_text(encoding="utf-8").split("\n\n")
    first.write_text("\n\n".join(text[:3] + ["![A map of the line](map.png)"] + text[3:]), encoding="utf-8")
    out = build(ms, tmp_path / "out", (service,)).outputs[service]
    with pikepdf.open(out) as pdf:
        images = [im for page in pdf.pages for im in page.images.values()]
        assert images and all("/SMask" not in im for im in images)
        if service == "ingram":
            assert all(str(im.ColorSpace) == "/DeviceCMYK" for im in images)
    assert [r for r in preflight(out, load(ms), service) if not r.ok] == []


@pytest.mark.parametrize("service", ["kdp", "ingram"])
def test_colour_emoji_are_flattened_for_print(tmp_path, service):
    """A colour emoji is a bitmap with a soft mask that the layout embeds itself (not one of
    the book's images): the interior flattens it onto the page's white, in the service's
    colour space, and passes the transparency (and colour) rules."""
    line = "She typed a message \U0001F600 and waited for an answer that did not come for a long time. "
    chapters = {f"chapters/{i}.md": f"# {i}\n\n" + "\n\n".join([line * 3] * 30) + "\n" for i in range(1, 6)}
    ms = write_manuscript(tmp_path / "ms", chapters)
    pdf_path = build(ms, tmp_path / "out", (service,)).outputs[service]
    with pikepdf.open(pdf_path) as pdf:
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert images and not any("/SMask" in o for o in images)
        assert {str(o.ColorSpace) for o in images} == {"/DeviceCMYK" if service == "ingram" else "/DeviceRGB"}
        emoji = pikepdf.PdfImage(images[0]).as_pil_image().convert("RGB")
        corner, middle = emoji.getpixel((0, 0)), emoji.getpixel((emoji.width // 2, emoji.height // 3))
        assert min(corner) > 240 and max(middle) - min(middle) > 60  # white around, a colour face inside
    failed = _failed(pdf_path, load(ms), service)
    assert "no transparency" not in failed and "no RGB" not in failed, failed
