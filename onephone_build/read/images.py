"""The manuscript's images, checked before any edition ships them: a raster image must be
what its name says, open and decode, and stay under a pixel limit (a decompression bomb is
refused); an SVG is cleaned like raw HTML (no script, no event handler, no link or
reference out of the image, no entity or DTD) before any edition ships it."""

from __future__ import annotations

import re
from pathlib import Path

MAX_IMAGE_PIXELS = 50_000_000  # a 7,000 x 7,000 image: far past any print use, decoded in ~2 s
# what each extension must hold, in Pillow's names for the formats
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# elements that run, embed or fetch: removed with their content
_SVG_DROPPED = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "handler", "listener",
                "set", "animate", "animateMotion", "animateTransform", "discard"}
_CSS_FETCH = re.compile(r"url\s*\(|@import|expression\s*\(|javascript:", re.I)


def image_problem(path: Path) -> str | None:
    """Why ``path`` cannot go into the book (None when it can)."""
    if path.suffix.lower() == ".svg":
        try:
            clean_svg(path.read_bytes())
        except ValueError as e:
            return str(e)
        return None
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # checked here, against our own limit
    try:
        with Image.open(path) as im:
            expected = _FORMATS.get(path.suffix.lower())
            if im.format != expected:
                return f"holds {im.format or 'unknown'} data, not the {expected} its name says (rename it)"
            w, h = im.size
            if w * h > MAX_IMAGE_PIXELS:
                return f"is {w} x {h} pixels; the limit is {MAX_IMAGE_PIXELS // 10**6} megapixels"
            im.load()  # decodes every byte: a truncated or corrupt file fails here
    except Exception as e:  # Pillow raises many kinds for a broken file  # noqa: BLE001
        return f"cannot be read as an image ({type(e).__name__}: {e})"
    return None


def image_bytes(path: Path) -> bytes:
    """What an edition ships for the image at ``path`` (an SVG cleaned)."""
    data = path.read_bytes()
    return clean_svg(data) if path.suffix.lower() == ".svg" else data


def clean_svg(data: bytes) -> bytes:
    """The SVG with nothing that runs or fetches; ValueError for one that cannot be read
    or that declares entities or a DTD."""
    from lxml import etree

    if re.search(rb"<!DOCTYPE|<!ENTITY", data, re.I):
        raise ValueError("is an SVG with a DOCTYPE or entity declarations (remove them)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise ValueError(f"is not a well-formed SVG ({e})") from None
    if etree.QName(root).localname != "svg":
        raise ValueError("is not an SVG image (its root element is not <svg>)")
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # a comment or processing instruction
            if el.getparent() is not None:
                el.getparent().remove(el)
            continue
        q = etree.QName(el)
        if q.namespace not in (SVG_NS, None) or q.localname in _SVG_DROPPED:
            if el.getparent() is not None:
                el.getparent().remove(el)
            continue
        if q.localname == "style" and _CSS_FETCH.search(el.text or ""):
            el.text = ""
        for name, value in list(el.attrib.items()):
            local = etree.QName(name).localname.lower()
            if local.startswith("on") or (local == "style" and _CSS_FETCH.search(value)):
                del el.attrib[name]
            elif local == "href" and not value.strip().startswith("#"):
                del el.attrib[name]  # links and references out of the image
            elif _CSS_FETCH.search(value) and not re.fullmatch(r"\s*url\(\s*#[\w.-]+\s*\)\s*", value):
                del el.attrib[name]  # fill="url(http://…)" and the like; url(#gradient) stays
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
