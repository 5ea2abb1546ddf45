"""A print-on-demand profile applied to the interior: the page (margins from the page
count, bleed on the outside edges, colours in CMYK for PDF/X), WeasyPrint's options, and
what the joined PDF must lose or gain (outline, link annotations, closing blank pages)."""

from __future__ import annotations

import pikepdf
from pikepdf import Name

from ...config.print_profiles import BLEED_IN, HOUSE_MARGINS_IN, PrintProfile
from .grid import grid_bottom_in
from .layout import CMYK_PROFILE

FURNITURE_IN = 0.4  # room the running heads and folios need between the trim and the text block


def margins(profile: PrintProfile, pages: int, bleed: bool) -> dict[str, float]:
    """Inches: top, bottom, outside, inside, for a book of ``pages`` pages."""
    least = profile.outer_minimum(bleed)
    return {"top": max(HOUSE_MARGINS_IN["top"], least + FURNITURE_IN),
            "bottom": max(HOUSE_MARGINS_IN["bottom"], least + FURNITURE_IN),
            "outside": max(HOUSE_MARGINS_IN["outside"], least),
            "inside": profile.inside_margin(pages)}


def page_css(profile: PrintProfile, pages: int, bleed: bool, trim_height: float) -> str:
    """The @page rules of the profile at ``pages`` pages (after print.css: they win), on a
    page ``trim_height`` inches tall (the text block a whole number of lines: grid.py)."""
    m = margins(profile, pages, bleed)
    m["bottom"] = grid_bottom_in(trim_height, m["top"], m["bottom"])
    b = f"{BLEED_IN}in" if bleed else "0"
    css = (f"@page {{ margin-top: {m['top']}in; margin-bottom: {m['bottom']:.4f}in; "
           f"bleed-top: {b}; bleed-bottom: {b}; }}\n"
           f"@page :left {{ margin-left: {m['outside']}in; margin-right: {m['inside']}in; "
           f"bleed-left: {b}; bleed-right: 0; }}\n"
           f"@page :right {{ margin-left: {m['inside']}in; margin-right: {m['outside']}in; "
           f"bleed-left: 0; bleed-right: {b}; }}\n"
           # an image at its pixels over 300 dpi (not CSS's 96), never wider than the text
           "img { image-resolution: 300dpi; max-width: 100%; height: auto; }\n")
    if profile.colour == "cmyk":
        # every colour print.css uses, in DeviceCMYK and on black ink alone
        css += (f'@color-profile device-cmyk {{ src: url("{CMYK_PROFILE.as_uri()}"); components: c, m, y, k; }}\n'
                "html { color: device-cmyk(0 0 0 1); }\n"
                "@page { color: device-cmyk(0 0 0 1); }\n"
                ".transcript { border-left-color: device-cmyk(0 0 0 0.73); }\n"
                ".narration { border-left-color: device-cmyk(0 0 0 0); }\n")
    return css


def on_white(im, mask):
    """``im`` laid on white paper through ``mask`` (its alpha): RGB, no transparency."""
    from PIL import Image

    flat = Image.new("RGB", im.size, "white")
    flat.paste(im.convert("RGB"), mask=mask)
    return flat


def print_images(images: dict, profile: PrintProfile, dest) -> dict:
    """The book's images as the service prints them: transparency flattened onto white
    (neither service takes it), CMYK for a CMYK service; the others as they are."""
    from pathlib import Path

    from PIL import Image

    out = {}
    for name, path in images.items():
        with Image.open(path) as im:
            im.load()
        alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
        wrong_space = profile.colour == "cmyk" and im.mode not in ("CMYK", "L", "1")
        if not (alpha or wrong_space):
            out[name] = path
            continue
        if alpha:
            rgba = im.convert("RGBA")
            im = on_white(rgba, rgba.getchannel("A"))
        target = Path(dest) / f"{len(out):04d}"
        if profile.colour == "cmyk":
            im.convert("CMYK").save(target, "JPEG", quality=95, subsampling=0, dpi=im.info.get("dpi", (300, 300)))
        else:
            im.convert("RGB").save(target, "PNG")
        out[name] = target
    return out


def write_options(profile: PrintProfile) -> dict:
    options: dict = {}
    if profile.full_fonts:
        options["full_fonts"] = True
    if profile.pdf_variant:
        options["pdf_variant"] = profile.pdf_variant
    return options


def save_options(profile: PrintProfile) -> dict:
    """pikepdf's save options: PDF/X-1a and X-3 are PDF 1.3/1.4, without object streams."""
    if profile.pdf_variant in ("pdf/x-1a", "pdf/x-3"):
        return {"object_stream_mode": pikepdf.ObjectStreamMode.disable, "force_version": "1.4"}
    return {}


def blank_like(out: pikepdf.Pdf, template: pikepdf.Page) -> None:
    """A blank page at the end of ``out`` with ``template``'s boxes (bleed on the same side)."""
    page = out.add_blank_page(page_size=(float(template.mediabox[2]), float(template.mediabox[3])))
    page.obj.MediaBox = pikepdf.Array(list(template.mediabox))
    for box in ("/TrimBox", "/BleedBox"):
        if box in template.obj:
            page.obj[box] = pikepdf.Array(list(template.obj[box]))


def finish(out: pikepdf.Pdf, profile: PrintProfile) -> None:
    """What the service asks of the joined interior."""
    if not profile.outline:
        if "/Outlines" in out.Root:
            del out.Root.Outlines
        out.Root.PageMode = Name.UseNone
    if not profile.annotations:  # links: nothing to click on paper, and PDF/X forbids them on the page
        for page in out.pages:
            if "/Annots" in page.obj:
                del page.obj.Annots
    if profile.last_page_blank:
        _close_with_blanks(out, profile.even_pages)
    _strip_full_font_prefix(out, profile)
    _drop_calibrated_spaces(out, profile)
    flatten_images(out, profile)


def finish_cover(out: pikepdf.Pdf, profile: PrintProfile) -> None:
    """What the service asks of the cover: the trim inside the bleed, no outline or links,
    whole fonts named as such."""
    b = BLEED_IN * 72
    for page in out.pages:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        page.obj.BleedBox = pikepdf.Array([x0, y0, x1, y1])
        page.obj.TrimBox = pikepdf.Array([x0 + b, y0 + b, x1 - b, y1 - b])
    if "/Outlines" in out.Root:
        del out.Root.Outlines
    for page in out.pages:
        if "/Annots" in page.obj:
            del page.obj.Annots
    _strip_full_font_prefix(out, profile)
    _drop_calibrated_spaces(out, profile)


def flatten_images(out: pikepdf.Pdf, profile: PrintProfile) -> None:
    """Every image the layout itself embedded with transparency (a colour emoji is a bitmap
    with a soft mask) flattened onto the white of the page, and in the service's colour
    space: neither service takes transparency, and PDF/X-1a no RGB. The book's own images
    were flattened before the layout (``print_images``)."""
    import zlib

    for obj in list(out.objects):
        if not (isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Image):
            continue
        rgb = str(obj.get("/ColorSpace", "")) == "/DeviceRGB" or (
            isinstance(obj.get("/ColorSpace"), pikepdf.Array) and int(obj.ColorSpace[1].get("/N", 0)) == 3)
        if "/SMask" not in obj and not (profile.colour == "cmyk" and rgb):
            continue
        im = pikepdf.PdfImage(obj).as_pil_image().convert("RGB")
        if "/SMask" in obj:
            im = on_white(im, pikepdf.PdfImage(obj.SMask).as_pil_image().convert("L").resize(im.size))
            del obj.SMask
        im = im.convert("CMYK") if profile.colour == "cmyk" else im
        for key in ("/DecodeParms", "/Decode", "/Interpolate"):
            if key in obj:
                del obj[key]
        obj.write(zlib.compress(im.tobytes()), filter=Name.FlateDecode)
        obj.ColorSpace = Name.DeviceCMYK if profile.colour == "cmyk" else Name.DeviceRGB
        obj.BitsPerComponent = 8


def _drop_calibrated_spaces(out: pikepdf.Pdf, profile: PrintProfile) -> None:
    """PDF/X-1a allows device colour only: WeasyPrint lists its ICC-based (the CMYK
    profile's) and Lab colour spaces in every page's resources, drawn with or not; ours
    draw in /DeviceCMYK, so the entries go (the output intent keeps the profile)."""
    if profile.colour != "cmyk":
        return
    for obj in out.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        resources = obj.get("/Resources")  # a form's own resources may be a direct dictionary
        for holder in (obj, resources if isinstance(resources, pikepdf.Dictionary) else None):
            spaces = holder.get("/ColorSpace") if holder is not None else None
            if isinstance(spaces, pikepdf.Dictionary):
                for name in list(spaces.keys()):
                    cs = spaces[name]
                    if isinstance(cs, pikepdf.Array) and str(cs[0]) in ("/ICCBased", "/Lab", "/CalRGB", "/CalGray"):
                        del spaces[name]


def _close_with_blanks(out: pikepdf.Pdf, even: bool) -> None:
    """One blank page at the end, and another when the count would be odd."""
    blank_like(out, out.pages[len(out.pages) % 2])  # the next page: a verso after a recto
    if even and len(out.pages) % 2:
        blank_like(out, out.pages[len(out.pages) % 2])


def _strip_full_font_prefix(out: pikepdf.Pdf, profile: PrintProfile) -> None:
    """WeasyPrint names a font ``ABCDEF+Name`` even when it embeds the whole file; that
    prefix means "subset" (PDF 32000 9.6.4), so a full font loses it."""
    if not profile.full_fonts:
        return
    for obj in out.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") in (Name.Font, Name.FontDescriptor):
            for key in ("/BaseFont", "/FontName"):
                name = obj.get(key)
                if isinstance(name, Name) and len(str(name)) > 8 and str(name)[7] == "+":
                    obj[key] = Name("/" + str(name)[8:])
