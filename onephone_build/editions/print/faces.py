"""One copy of each face in the joined book.

Every part of the print edition embeds its own subset of each face it uses, under the same
font name (WeasyPrint names a font after its description, not after the document). Joined
as they are, the book would carry one copy of each face per part (a 100k-word novel: 99
copies of two faces, two thirds of its bytes). Here the fonts of one name become one font:
the glyphs every part uses, cut once from the face's file (``subset.py``), with the widths
and the text mapping (ToUnicode) of all the parts, and every page (and every form laid
over a page) points at it. Glyph ids are the full font's in every part, so the content
streams stay as they are.
"""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

from pikepdf import Array, Dictionary, Name, Pdf, Stream

from .subset import subset

_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def _resources(pdf: Pdf):
    """Every resource dictionary of the pages and of the forms they draw."""
    seen: set[tuple[int, int]] = set()
    todo = [page.obj.get("/Resources") for page in pdf.pages]
    while todo:
        res = todo.pop()
        if not isinstance(res, Dictionary):
            continue
        yield res
        for kind in ("/XObject", "/Pattern"):
            for obj in (res.get(kind) or Dictionary()).values():
                if obj.is_indirect and obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
                if isinstance(obj, (Stream, Dictionary)) and "/Resources" in obj:
                    todo.append(obj.Resources)


def _mergeable(font) -> bool:
    """A font as WeasyPrint writes it: Type0, one CID font over an embedded file, widths in
    the ``first [w ...]`` form, a ToUnicode of single glyphs."""
    try:
        cid = font.DescendantFonts[0]
        desc = cid.FontDescriptor
        files = [k for k in ("/FontFile2", "/FontFile3") if k in desc]
        return (font.Subtype == "/Type0" and len(font.DescendantFonts) == 1 and len(files) == 1
                and cid.get("/CIDToGIDMap", Name.Identity) == Name.Identity and font.Encoding == "/Identity-H"
                and all(isinstance(cid.W[i + 1], Array) for i in range(0, len(cid.W), 2))
                and b"beginbfrange" not in font.ToUnicode.read_bytes())
    except (AttributeError, KeyError, IndexError, TypeError):
        return False


def _file_key(desc) -> str:
    return "/FontFile3" if "/FontFile3" in desc else "/FontFile2"


def _widths(cid) -> dict[int, object]:
    out = {}
    for i in range(0, len(cid.W), 2):
        first = int(cid.W[i])
        for j, w in enumerate(cid.W[i + 1]):
            out[first + j] = w
    return out


def _to_unicode(font) -> dict[int, bytes]:
    out = {}
    for block in _BFCHAR.findall(font.ToUnicode.read_bytes()):
        for gid, text in _PAIR.findall(block):
            out.setdefault(int(gid, 16), text)
    return out


def _postscript_name(data: bytes) -> str | None:
    from fontTools.ttLib import TTFont

    try:
        return TTFont(io.BytesIO(data), lazy=True)["name"].getDebugName(6)
    except Exception:  # noqa: BLE001 - a file we cannot read is one we do not merge
        return None


def _cmap(mapping: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap, in WeasyPrint's own form."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(mapping.items())
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (gid, text) for gid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _flate(pdf: Pdf, data: bytes, **extra) -> Stream:
    stream = Stream(pdf, zlib.compress(data, 9), **extra)
    stream.Filter = Name.FlateDecode
    return stream


def _merged(pdf: Pdf, fonts: list, face: bytes):
    """One font for ``fonts`` (of one name): the glyphs of all, cut from ``face``."""
    first = fonts[0]
    cid, desc = first.DescendantFonts[0], first.DescendantFonts[0].FontDescriptor
    widths: dict[int, object] = {}
    text: dict[int, bytes] = {}
    for font in fonts:
        widths.update(_widths(font.DescendantFonts[0]))
        for gid, t in _to_unicode(font).items():
            text.setdefault(gid, t)
    key = _file_key(desc)
    extra = {k: v for k, v in desc[key].items() if k not in ("/Length", "/Filter", "/DecodeParms", "/Length1")}
    data = subset(face, set(widths) | set(text))
    if key == "/FontFile2":
        extra["/Length1"] = len(data)
    new_desc = Dictionary({k: v for k, v in desc.items() if k != "/CIDSet"})
    new_desc[key] = pdf.make_indirect(_flate(pdf, data, **extra))
    bbox = list(desc.FontBBox)
    bbox[2] = max([float(w) for w in widths.values()] + [0])
    new_desc.FontBBox = Array(bbox)
    if "/CIDSet" in desc:  # PDF 1.4 and older: the glyphs present, one bit each
        bits = bytearray((max(widths) + 8) // 8)
        for gid in widths:
            bits[gid // 8] |= 0x80 >> (gid % 8)
        new_desc.CIDSet = pdf.make_indirect(_flate(pdf, bytes(bits)))
    flat = Array()
    for gid in sorted(widths):
        if gid - 1 not in widths:
            flat.append(gid)
            flat.append(Array())
        flat[-1].append(widths[gid])
    new_cid = Dictionary({k: v for k, v in cid.items()})
    new_cid.W = flat
    new_cid.FontDescriptor = pdf.make_indirect(new_desc)
    new = Dictionary({k: v for k, v in first.items()})
    new.DescendantFonts = Array([pdf.make_indirect(new_cid)])
    new.ToUnicode = pdf.make_indirect(_flate(pdf, _cmap(text)))
    return pdf.make_indirect(new)


def one_copy_of_each_face(pdf: Pdf, faces: list[Path]) -> None:
    """Merge, in place, the fonts of one name into one font per name; ``faces``: the font
    files the book is set in (a font found in none of them is left as it is)."""
    by_name: dict[str, list] = {}
    uses: list[tuple[Dictionary, Name, str]] = []
    names: dict[tuple[int, int], str | None] = {}  # font object -> its name, None: not mergeable
    for res in _resources(pdf):
        for rname, font in (res.get("/Font") or Dictionary()).items():
            if not font.is_indirect:
                continue
            if font.objgen not in names:
                mergeable = font.get("/BaseFont") is not None and _mergeable(font)
                names[font.objgen] = str(font.BaseFont) if mergeable else None
                if mergeable:
                    by_name.setdefault(names[font.objgen], []).append(font)
            if names[font.objgen] is not None:
                uses.append((res.Font, Name(rname), names[font.objgen]))
    files = {_postscript_name(p.read_bytes()): p for p in faces}
    merged = {}
    for name, fonts in by_name.items():
        desc = fonts[0].DescendantFonts[0].FontDescriptor
        ps_name = _postscript_name(desc[_file_key(desc)].read_bytes())
        face = files.get(ps_name) if ps_name else None
        if face is not None and len(fonts) > 1:
            merged[name] = _merged(pdf, fonts, face.read_bytes())
    for fonts_dict, rname, name in uses:
        if name in merged:
            fonts_dict[rname] = merged[name]


def one_copy_of_each_font_file(pdf: Pdf) -> None:
    """Where the parts embed whole faces (KDP asks for full fonts, so they are not merged
    into one subset): every font descriptor points at one stream of each font file (each
    part embedded its own copy of the same bytes)."""
    import hashlib

    first: dict[tuple[str, bytes], object] = {}
    for obj in pdf.objects:
        if not (isinstance(obj, Dictionary) and obj.get("/Type") == Name.FontDescriptor):
            continue
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            stream = obj.get(key)
            if isinstance(stream, Stream):
                same = (key, hashlib.sha256(stream.read_bytes()).digest())
                obj[key] = first.setdefault(same, stream)
