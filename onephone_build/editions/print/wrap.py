"""The full-wrap paperback cover of a print-on-demand edition: back, spine and front on
one page of the exact size (config/print_profiles.py: ``wrap_geometry``), laid out by
WeasyPrint, in the interior's colour space and with its fonts.

The front is the book's cover image (scaled to the front panel and its bleed, refused
below 300 dpi, flattened onto white and converted to CMYK for a PDF/X service) or, when
the book brings none, the generated cover's design (``editions/cover.py``) set in type.
The spine carries title and author only from the service's page count up, kept its fold
margin from each fold; the barcode area of the back stays empty; the back's text is the
book's description."""

from __future__ import annotations

import io
import tempfile
from html import escape
from pathlib import Path

from ...config.book import trim_inches
from ...config.print_profiles import BLEED_IN, PROFILES, PrintProfile, WrapGeometry, wrap_geometry
from ...errors import BookError
from ...render import Rendered
from ..assets import FILES, font_file
from ..cover import ACCENT, GROUND, INK
from . import profile as pod
from .layout import CMYK_PROFILE, confined_fetcher

MIN_DPI = 300
SAFE_IN = 0.375  # text kept this far inside every trim edge of the back and front


def write(r: Rendered, job) -> bytes:
    from .writer import interior_pages

    profile = PROFILES[job.edition.print_profile]
    pages = interior_pages(r, profile, job)
    return build_wrap(r, profile, pages)


def _colour(rgb: tuple[int, int, int], profile: PrintProfile) -> str:
    if profile.colour != "cmyk":
        return "rgb({} {} {})".format(*rgb)
    r, g, b = (v / 255 for v in rgb)
    k = 1 - max(r, g, b)
    if k >= 1:
        return "device-cmyk(0 0 0 1)"
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return f"device-cmyk({c:.3f} {m:.3f} {y:.3f} {k:.3f})"


def _front_image(path: Path, profile: PrintProfile, g: WrapGeometry, dest: Path) -> Path:
    """The cover image as the front panel prints it: checked for resolution over the
    panel and its bleed, alpha flattened onto white, in CMYK for a CMYK service."""
    from PIL import Image

    with Image.open(path) as im:
        im.load()
    wide, high = g.front[1] - g.front[0] + BLEED_IN, g.height
    dpi = min(im.width / wide, im.height / high)
    if dpi < MIN_DPI:
        raise BookError(f"the cover image is {im.width} x {im.height} px: {dpi:.0f} dpi over the front cover "
                        f"({wide:.3f} x {high:.3f} in with bleed); print needs {MIN_DPI} "
                        f"({round(wide * MIN_DPI)} x {round(high * MIN_DPI)} px)", path)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        im = pod.on_white(rgba, rgba.getchannel("A"))
    im = im.convert("CMYK" if profile.colour == "cmyk" else "RGB")
    out = dest / "front.jpg"
    im.save(out, "JPEG", quality=95, subsampling=0)
    return out


def wrap_html(r: Rendered, profile: PrintProfile, g: WrapGeometry, front_image: bool) -> tuple[str, str]:
    """(HTML, CSS) of the cover; positions in inches from the top-left corner (bleed included)."""
    cfg = r.config
    ink, ground, accent = (_colour(c, profile) for c in (INK, GROUND, ACCENT))
    top = BLEED_IN + SAFE_IN
    text_h = g.height - 2 * top
    barcode_top = g.height - g.barcode[3]
    faces = "".join(
        f'@font-face {{ font-family: "EB Garamond"; font-style: {"italic" if s == "italic" else "normal"}; '
        f'font-weight: 400; src: url("{font_file(s).resolve().as_uri()}"); }}\n' for s in FILES)
    css = f"""{faces}
@page {{ size: {g.width}in {g.height}in; margin: 0; }}
html {{ font-family: "EB Garamond"; color: {ink}; }}
body {{ margin: 0; }}
.panel {{ position: absolute; top: 0; height: {g.height}in; background: {ground}; }}
.back {{ left: 0; width: {g.back[1]}in; }}
.spine {{ left: {g.back[1]}in; width: {g.spine}in; }}
.front {{ left: {g.front[0]}in; width: {g.width - g.front[0]}in; }}
.front img {{ position: absolute; left: 0; top: 0; width: 100%; height: 100%; object-fit: cover; }}
.blurb {{ position: absolute; left: {g.back[0] + SAFE_IN}in; top: {top + 0.4}in;
  width: {g.back[1] - g.back[0] - 2 * SAFE_IN}in; max-height: {barcode_top - 0.25 - top - 0.4}in;
  font-size: 11.5pt; line-height: 1.45; hyphens: none; }}
.blurb p {{ margin: 0 0 0.8em; text-align: left; }}
.frame {{ position: absolute; left: {g.front[0] + 0.25}in; top: {BLEED_IN + 0.25}in;
  width: {g.front[1] - g.front[0] - 0.5}in; height: {g.height - 2 * BLEED_IN - 0.5}in;
  border: 2.5pt solid {accent}; box-sizing: border-box; }}
.frame::after {{ content: ""; position: absolute; left: 0.1in; top: 0.1in; right: 0.1in; bottom: 0.1in;
  border: 0.8pt solid {accent}; }}
.title {{ position: absolute; left: {g.front[0] + SAFE_IN + 0.2}in; top: {g.height * 0.28}in;
  width: {g.front[1] - g.front[0] - 2 * SAFE_IN - 0.4}in; text-align: center; font-size: 30pt;
  line-height: 1.15; hyphens: none; }}
.title .subtitle {{ display: block; font-style: italic; font-size: 14pt; margin-top: 0.2in; }}
.author {{ position: absolute; left: {g.front[0] + SAFE_IN}in; top: {g.height * 0.76}in;
  width: {g.front[1] - g.front[0] - 2 * SAFE_IN}in; text-align: center; font-style: italic; font-size: 16pt; }}
.rule {{ position: absolute; left: {(g.front[0] + g.front[1]) / 2 - 0.6}in; top: {g.height * 0.62}in;
  width: 1.2in; border-top: 1pt solid {accent}; }}
.spine-text {{ position: absolute; left: {g.back[1] + g.spine / 2}in; top: {g.height / 2}in;
  width: {g.height - 2 * top}in; height: {g.spine - 2 * profile.spine_fold_margin}in;
  margin-left: -{(g.height - 2 * top) / 2}in; margin-top: -{g.spine / 2 - profile.spine_fold_margin}in;
  transform: rotate(90deg); display: flex; justify-content: space-between; align-items: center;
  font-size: {g.spine_type:.2f}pt; line-height: 1; white-space: nowrap; }}
"""
    if profile.colour == "cmyk":
        css += f'@color-profile device-cmyk {{ src: url("{CMYK_PROFILE.as_uri()}"); components: c, m, y, k; }}\n'
    blurb = "".join(f"<p>{escape(p)}</p>" for p in (cfg.description or "").split("\n\n") if p.strip())
    if front_image:
        front = '<div class="panel front"><img src="file:///onephone-book/front.jpg" alt=""/></div>'
    else:
        subtitle = f'<span class="subtitle">{escape(cfg.subtitle)}</span>' if cfg.subtitle else ""
        front = (f'<div class="panel front"></div><div class="frame"></div>'
                 f'<div class="title">{escape(cfg.title)}{subtitle}</div><div class="rule"></div>'
                 f'<div class="author">{escape(cfg.author)}</div>')
    spine = (f'<div class="spine-text"><span>{escape(cfg.title)}</span><span>{escape(cfg.author)}</span></div>'
             if g.spine_text else "")
    html = f"""<!DOCTYPE html><html lang="{escape(cfg.language)}"><head><meta charset="utf-8"/>
<title>{escape(cfg.title)} (cover)</title><meta name="author" content="{escape(cfg.author)}"/>
<meta name="dcterms.created" content="1980-01-01T00:00:00Z"/><meta name="dcterms.modified" content="1980-01-01T00:00:00Z"/>
</head><body><div class="panel back"></div><div class="panel spine"></div>{front}
<div class="blurb" id="blurb">{blurb}</div>{spine}</body></html>"""
    return html, css


def _blurb_fits(doc) -> bool:
    """The description's lines all end above the barcode area (max-height would clip them)."""
    def boxes(box):
        yield box
        for child in getattr(box, "children", []):
            yield from boxes(child)

    for page in doc.pages:
        for box in boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == "blurb" and box.element_tag == "div":
                inner = max((c.position_y + c.margin_height() for c in box.children), default=box.content_box_y())
                return inner <= box.content_box_y() + box.height + 0.5
    return True


def build_wrap(r: Rendered, profile: PrintProfile, pages: int) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    cfg = r.config
    g = wrap_geometry(profile, trim_inches(cfg.trim), pages, cfg.print.paper)
    with tempfile.TemporaryDirectory(prefix="onephone-cover-") as tmp:
        images = {"front.jpg": _front_image(cfg.cover, profile, g, Path(tmp))} if cfg.cover else {}
        html, css = wrap_html(r, profile, g, bool(images))
        fetcher = confined_fetcher(images)
        profiles: dict = {}
        fonts = FontConfiguration()
        sheet = CSS(string=css, url_fetcher=fetcher, color_profiles=profiles, font_config=fonts)
        doc = HTML(string=html, base_url="file:///onephone-book/", url_fetcher=fetcher).render(
            stylesheets=[sheet], color_profiles=profiles, font_config=fonts)
        if len(doc.pages) != 1 or not _blurb_fits(doc):
            raise BookError("the description is too long for the back cover (it would run into the barcode "
                            "area): shorten it", cfg.source)
        data = doc.write_pdf(pdf_identifier=cfg.identifier.encode(), **pod.write_options(profile))
    return _finish(data, profile)


def _finish(data: bytes, profile: PrintProfile) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        pod.finish_cover(pdf, profile)
        buf = io.BytesIO()
        pdf.save(buf, deterministic_id=True, **pod.save_options(profile))
    return buf.getvalue()
