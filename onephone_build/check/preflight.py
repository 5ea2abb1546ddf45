"""Preflight of a print-on-demand interior: each rule of the service
(config/print_profiles.py) measured on the PDF as written, with the value found.

Read back with pikepdf (boxes, fonts, outline, annotations, PDF/X keys, output intent,
colour spaces and transparency of every content stream, form and image) and pdfplumber
(where the text is on each page, its smallest size, each image's size on the page)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..config.book import trim_inches
from ..config.print_profiles import BLEED_IN, PROFILES, PrintProfile, wrap_geometry
from .issue import Issue

_SUBSET = re.compile(r"^/?[A-Z]{6}\+")
_MIN_TYPE_PT = 7.0
_MIN_DPI = 300
_TOLERANCE_PT = 0.5  # boxes and margins are compared to this


@dataclass(frozen=True)
class Rule:
    name: str
    ok: bool
    measured: str
    required: str


def _inches(pt: float) -> str:
    return f"{pt / 72:.3f}in"


def _boxes(page) -> tuple[list[float], list[float]]:
    media = [float(v) for v in page.mediabox]
    trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
    return media, trim


def _box_rules(pdf, profile: PrintProfile, trim: tuple[float, float], bleed: bool) -> list[Rule]:
    sizes, bad_bleed = set(), []
    for n, page in enumerate(pdf.pages, 1):
        media, box = _boxes(page)
        sizes.add((round((box[2] - box[0]) / 72, 3), round((box[3] - box[1]) / 72, 3)))
        b = BLEED_IN * 72 if bleed else 0.0
        recto = n % 2 == 1
        want = [box[0] - (0 if recto else b), box[1] - b, box[2] + (b if recto else 0), box[3] + b]
        if any(abs(m - w) > _TOLERANCE_PT for m, w in zip(media, want)):
            bad_bleed.append(n)
    w, h = trim
    trim_ok = sizes == {(round(w, 3), round(h, 3))} and profile.accepts_trim(w, h)
    first = pdf.pages[0]
    media, box = _boxes(first)
    extra = f"+{(media[2] - media[0] - box[2] + box[0]) / 72:.3f}in x +{(media[3] - media[1] - box[3] + box[1]) / 72:.3f}in"
    return [
        Rule("trim", trim_ok, ", ".join(f"{a:g}x{b:g}in" for a, b in sorted(sizes)),
             f"{w:g}x{h:g}in, one of {profile.label}'s trim sizes"),
        Rule("bleed", not bad_bleed, extra + (f" (wrong on pages {bad_bleed[:5]})" if bad_bleed else ""),
             "+0.125in x +0.25in, outside edges only" if bleed else "none (page = trim)"),
    ]


def _text_rules(path: Path, profile: PrintProfile, pages: int, bleed: bool) -> list[Rule]:
    import pdfplumber

    least = {"inside": 1e9, "outside": 1e9, "top": 1e9, "bottom": 1e9}
    smallest, low_dpi, images = 1e9, [], 0
    with pdfplumber.open(path) as doc:
        for n, page in enumerate(doc.pages, 1):
            tx0, ttop, tx1, tbottom = getattr(page, "trimbox", None) or page.bbox
            chars = page.chars
            if chars:
                left = min(c["x0"] for c in chars) - tx0
                right = tx1 - max(c["x1"] for c in chars)
                top = min(c["top"] for c in chars) - ttop
                bottom = tbottom - max(c["bottom"] for c in chars)
                inside, outside = (left, right) if n % 2 == 1 else (right, left)
                for k, v in (("inside", inside), ("outside", outside), ("top", top), ("bottom", bottom)):
                    least[k] = min(least[k], v)
                # pdfminer's size is the box's height: across the line only for upright text
                # (the spine's text runs at 90 degrees: its size is the box's width)
                smallest = min(smallest, min(c["size"] if c["upright"] else c["width"] for c in chars))
            for im in page.images:
                images += 1
                wide = im["x1"] - im["x0"]
                if wide > 0:
                    dpi = im["srcsize"][0] / (wide / 72)
                    if dpi < _MIN_DPI:
                        low_dpi.append((n, round(dpi)))
    need_in = profile.min_inside(pages) * 72
    need_out = profile.outer_minimum(bleed) * 72
    rules = [Rule("margin inside", least["inside"] + _TOLERANCE_PT >= need_in, _inches(least["inside"]),
                  f">= {need_in / 72:g}in at {pages} pages")]
    for side in ("outside", "top", "bottom"):
        rules.append(Rule(f"margin {side}", least[side] + _TOLERANCE_PT >= need_out, _inches(least[side]),
                          f">= {need_out / 72:g}in"))
    rules.append(Rule("smallest type", smallest >= _MIN_TYPE_PT - 0.01, f"{smallest:.2f}pt", f">= {_MIN_TYPE_PT:g}pt"))
    rules.append(Rule("image resolution", not low_dpi,
                      f"{images} images" + (f", below on pages {low_dpi[:5]}" if low_dpi else ""),
                      f">= {_MIN_DPI} dpi at printed size"))
    return rules


def _font_rules(pdf, profile: PrintProfile) -> list[Rule]:
    import pikepdf

    names, missing, subsets = set(), [], []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" or "/BaseFont" not in obj:
            continue
        name = str(obj.BaseFont)
        descs = [obj.get("/FontDescriptor")] + [d.get("/FontDescriptor") for d in obj.get("/DescendantFonts", [])]
        if str(obj.get("/Subtype")) == "/Type0" or not obj.get("/DescendantFonts"):
            names.add(name)
            if not any(d is not None and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                       for d in descs):
                missing.append(name)
            if _SUBSET.match(name):
                subsets.append(name)
    rules = [Rule("fonts embedded", bool(names) and not missing, f"{len(names)} fonts" +
                  (f", not embedded: {sorted(set(missing))}" if missing else ""), "every font")]
    if profile.full_fonts:
        rules.append(Rule("fonts not subset", not subsets,
                          ", ".join(sorted(set(subsets))) or "no ABCDEF+ prefix", "whole font files"))
    return rules


def _structure_rules(pdf, profile: PrintProfile) -> list[Rule]:
    outline = pdf.Root.get("/Outlines")
    entries = int(outline.get("/Count", 0)) if outline is not None and "/First" in outline else 0
    annots = sum(len(p.obj.get("/Annots", [])) for p in pdf.pages)
    rules = []
    if not profile.outline:
        rules.append(Rule("no outline", entries == 0, f"{entries} bookmarks", "none"))
    if not profile.annotations:
        rules.append(Rule("no annotations", annots == 0, f"{annots} annotations", "none"))
    return rules


def _pdfx_rules(pdf, profile: PrintProfile) -> list[Rule]:
    if not profile.pdf_variant:
        return []
    info = pdf.docinfo
    version = str(info.get("/GTS_PDFXVersion", ""))
    want = {"pdf/x-1a": "PDF/X-1a", "pdf/x-3": "PDF/X-3", "pdf/x-4": "PDF/X-4"}[profile.pdf_variant]
    intents = pdf.Root.get("/OutputIntents") or []
    kinds = []
    for intent in intents:
        dest = intent.get("/DestOutputProfile")
        n = int(dest.get("/N", 0)) if dest is not None else 0
        # the ICC header's own colour space (bytes 16-20) must agree with /N
        space = dest.read_bytes()[16:20].decode("latin-1").strip() if dest is not None else "none"
        kinds.append((str(intent.get("/S")), n, space))
    good_intent = any(s == "/GTS_PDFX" and (n, space) in ((1, "GRAY"), (4, "CMYK")) for s, n, space in kinds)
    trim_all = all("/TrimBox" in p.obj for p in pdf.pages)
    return [
        Rule("PDF/X label", version.startswith(want) and str(info.get("/Trapped", "")) in ("/False", "/True"),
             f"{version or 'none'}, Trapped {info.get('/Trapped', 'missing')}, PDF {pdf.pdf_version}",
             f"{want}, Trapped set"),
        Rule("output intent", good_intent, ", ".join(f"{s} N={n} {space}" for s, n, space in kinds) or "none",
             "/GTS_PDFX with a grey or CMYK profile"),
        Rule("TrimBox on every page", trim_all, "yes" if trim_all else "missing", "every page"),
    ]


def colour_facts(pdf) -> tuple[set[str], list[str]]:
    """(colour spaces used for drawing and images, where transparency is) over every page
    content stream, form XObject and image."""
    import pikepdf

    spaces: set[str] = set()
    transparency: list[str] = []
    seen: set = set()

    def space_name(cs, resources) -> str:
        if isinstance(cs, pikepdf.Name) and resources is not None and cs in (resources.get("/ColorSpace") or {}):
            cs = resources.ColorSpace[cs]
        if isinstance(cs, pikepdf.Array):
            if str(cs[0]) == "/ICCBased":
                return {1: "ICCGray", 3: "ICCRGB", 4: "ICCCMYK"}.get(int(cs[1].get("/N", 0)), "ICC")
            return str(cs[0]).lstrip("/")
        return str(cs).lstrip("/")

    def walk(owner, resources, where: str) -> None:
        if owner.objgen in seen and owner.objgen != (0, 0):
            return
        seen.add(owner.objgen)
        group = owner.get("/Group")
        if group is not None and group.get("/S") == "/Transparency":
            transparency.append(f"{where}: transparency group")
        for name, cs in (resources.get("/ColorSpace") or {}).items() if resources is not None else ():
            spaces.add(space_name(cs, None) + " (resource)")
        for gs in (resources.get("/ExtGState") or {}).values() if resources is not None else ():
            if float(gs.get("/ca", 1)) < 1 or float(gs.get("/CA", 1)) < 1 or gs.get("/SMask", pikepdf.Name.None_) != pikepdf.Name.None_:
                transparency.append(f"{where}: soft alpha or mask")
        for operands, op in pikepdf.parse_content_stream(owner):
            op = str(op)
            if op in ("rg", "RG"):
                spaces.add("DeviceRGB")
            elif op in ("k", "K"):
                spaces.add("DeviceCMYK")
            elif op in ("g", "G"):
                spaces.add("DeviceGray")
            elif op in ("cs", "CS"):
                spaces.add(space_name(operands[0], resources))
        for name, xobj in (resources.get("/XObject") or {}).items() if resources is not None else ():
            if xobj.get("/Subtype") == "/Image":
                spaces.add(space_name(xobj.get("/ColorSpace"), resources) if "/ColorSpace" in xobj else "Mask")
                if "/SMask" in xobj or "/Mask" in xobj:
                    transparency.append(f"{where}: image {name} with alpha")
            elif xobj.get("/Subtype") == "/Form":
                walk(xobj, xobj.get("/Resources"), f"{where} form {name}")

    for n, page in enumerate(pdf.pages, 1):
        walk(page.obj, page.obj.get("/Resources"), f"page {n}")
    return spaces, transparency


def _colour_rules(pdf, profile: PrintProfile) -> list[Rule]:
    spaces, transparency = colour_facts(pdf)
    rules = [Rule("no transparency", not transparency, "; ".join(transparency[:3]) or "none", "flattened")]
    if profile.colour == "cmyk":
        rgb = {s for s in spaces if "RGB" in s}
        rules.append(Rule("no RGB", not rgb, ", ".join(sorted(spaces)) or "none", "CMYK or grey only"))
        calibrated = {s for s in spaces if s.startswith(("ICC", "Lab", "Cal"))}
        rules.append(Rule("device colour only", not calibrated, ", ".join(sorted(calibrated)) or "none",
                          "no ICC-based or Lab colour spaces (PDF/X-1a)"))
    return rules


def _count_rules(pdf, profile: PrintProfile, paper: str) -> list[Rule]:
    n = len(pdf.pages)
    lo, hi = profile.pages
    rules = [Rule("page count", lo <= n <= hi, str(n), f"{lo} to {hi}")]
    if profile.even_pages:
        rules.append(Rule("even page count", n % 2 == 0, str(n), "even"))
    if profile.last_page_blank:
        import pikepdf

        last = pdf.pages[-1]
        drawn = [op for _, op in pikepdf.parse_content_stream(last) if str(op) in ("Tj", "TJ", "Do", "re", "l")]
        rules.append(Rule("last page blank", not drawn, f"{len(drawn)} marks", "blank"))
    spine = profile.spine_width(n, paper)
    rules.append(Rule("spine width", True, f"{spine:.4f}in on {paper} ({n} pages); spine text "
                      f"{'allowed' if n >= profile.spine_text_from else 'not allowed'}",
                      f"pages x {profile.spine_per_page[paper]:.6f}in; text from {profile.spine_text_from} pages"))
    return rules


def preflight(path: Path, cfg, service: str) -> list[Rule]:
    """Every rule of ``service`` on the interior at ``path``, for the book ``cfg``."""
    import pikepdf

    profile = PROFILES[service]
    bleed = cfg.print.bleed
    with pikepdf.open(path) as pdf:
        n = len(pdf.pages)
        rules = _box_rules(pdf, profile, trim_inches(cfg.trim), bleed)
        rules += _text_rules(path, profile, n, bleed)
        rules += _font_rules(pdf, profile) + _structure_rules(pdf, profile) + _pdfx_rules(pdf, profile)
        rules += _colour_rules(pdf, profile) + _count_rules(pdf, profile, cfg.print.paper)
    return rules


def preflight_issues(path: Path, cfg, service: str) -> list[Issue]:
    """The failed rules as validator issues (for ``check``)."""
    return [Issue("error", path.name, f"{r.name}: {r.measured} (required: {r.required})")
            for r in preflight(path, cfg, service) if not r.ok]


def _barcode_rule(path: Path, g) -> Rule:
    """The barcode area rendered (pypdfium2, 100 dpi): one colour throughout, nothing drawn."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        scale = 100 / 72
        image = doc[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    x0, y0, x1, y1 = g.barcode  # inches from the bottom left
    h = image.height
    box = (round(x0 * 100) + 1, h - round(y1 * 100) + 1, round(x1 * 100) - 1, h - round(y0 * 100) - 1)
    colours = image.crop(box).getcolors(maxcolors=1 << 16) or []
    return Rule("barcode area empty", len(colours) == 1, f"{len(colours)} colours in {x1 - x0:g} x {y1 - y0:g}in",
                "one colour: nothing drawn")


def _spine_text_rules(path: Path, profile: PrintProfile, g) -> list[Rule]:
    import pdfplumber

    fold_l, fold_r = g.back[1] * 72, g.front[0] * 72
    with pdfplumber.open(path) as doc:
        chars = [c for c in doc.pages[0].chars if c["x1"] > fold_l and c["x0"] < fold_r]
    clear = min((min(c["x0"] - fold_l, fold_r - c["x1"]) for c in chars), default=None)
    need = profile.spine_fold_margin * 72
    rules = [Rule("spine text", bool(chars) == g.spine_text,
                  f"{len(chars)} characters on a {g.spine:.4f}in spine",
                  f"{'title and author' if g.spine_text else 'none'} (text from {profile.spine_text_from} pages "
                  "and a spine wide enough for 7pt)")]
    if chars:
        rules.append(Rule("spine text from the folds", clear + _TOLERANCE_PT >= need, _inches(clear),
                          f">= {profile.spine_fold_margin:g}in"))
    return rules


def preflight_cover(path: Path, cfg, service: str, pages: int) -> list[Rule]:
    """The full-wrap cover at ``path`` for an interior of ``pages`` pages."""
    import pikepdf

    profile = PROFILES[service]
    g = wrap_geometry(profile, trim_inches(cfg.trim), pages, cfg.print.paper)
    with pikepdf.open(path) as pdf:
        media = [float(v) for v in pdf.pages[0].mediabox]
        w, h = (media[2] - media[0]) / 72, (media[3] - media[1]) / 72
        size_ok = len(pdf.pages) == 1 and abs(w - g.width) <= 0.01 and abs(h - g.height) <= 0.01
        rules = [Rule("cover size", size_ok, f"{w:.4f} x {h:.4f}in, {len(pdf.pages)} page(s)",
                      f"{g.width:.4f} x {g.height:.4f}in = 2 x trim + spine {g.spine:.4f}in "
                      f"({pages} pages x {profile.spine_per_page[cfg.print.paper]:.6f}) + 2 x {BLEED_IN}in bleed")]
        rules += _font_rules(pdf, profile) + _pdfx_rules(pdf, profile) + _colour_rules(pdf, profile)
    rules += _spine_text_rules(path, profile, g)
    rules.append(_barcode_rule(path, g))
    rules += [r for r in _text_rules(path, profile, pages, False) if r.name in ("smallest type", "image resolution")]
    return rules
