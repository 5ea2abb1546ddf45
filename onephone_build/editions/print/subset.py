"""One font subset: the glyphs given of a font file, at their own glyph ids (the PDF's
content streams name glyphs by the full font's ids), with the options WeasyPrint subsets
with -- by HarfBuzz's subsetter when the machine has it (``make system`` installs
libharfbuzz-subset0), else by fontTools (slower, the same glyphs)."""

from __future__ import annotations

import ctypes.util
import io

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode, void *user_data, void *destroy);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_set_add(hb_set_t *set, uint32_t codepoint);
unsigned int hb_tag_from_string(const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
_READONLY = 1  # HB_MEMORY_MODE_READONLY
_NO_HINTING, _RETAIN_GIDS, _DESUBROUTINIZE, _PASSTHROUGH = 0x01, 0x02, 0x04, 0x20
_DROP_TABLE_TAG = 3  # HB_SUBSET_SETS_DROP_TABLE_TAG
# the tables WeasyPrint drops from its subsets (weasyprint/pdf/fonts.py)
DROPPED = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")

_LIBS: list = []


def _harfbuzz():
    """(ffi, libharfbuzz, libharfbuzz-subset), or None without the subsetter."""
    if not _LIBS:
        path, sub = ctypes.util.find_library("harfbuzz"), ctypes.util.find_library("harfbuzz-subset")
        if not (path and sub):
            _LIBS.append(None)
        else:
            from cffi import FFI

            ffi = FFI()
            ffi.cdef(_CDEF)
            _LIBS.append((ffi, ffi.dlopen(path), ffi.dlopen(sub)))
    return _LIBS[0]


def subset(font: bytes, glyphs: set[int]) -> bytes:
    """``font`` cut down to ``glyphs`` (and the .notdef glyph), every glyph at its own id."""
    hb = _harfbuzz()
    return _harfbuzz_subset(hb, font, glyphs) if hb else _fonttools_subset(font, glyphs)


def _harfbuzz_subset(hb, font: bytes, glyphs: set[int]) -> bytes:
    ffi, lib, sub = hb
    data = ffi.from_buffer(font)
    blob = lib.hb_blob_create(ffi.cast("const char *", data), len(font), _READONLY, ffi.NULL, ffi.NULL)
    face = lib.hb_face_create(blob, 0)
    plan = sub.hb_subset_input_create_or_fail()
    try:
        keep = sub.hb_subset_input_glyph_set(plan)
        for gid in sorted(glyphs):
            lib.hb_set_add(keep, gid)
        drop = sub.hb_subset_input_set(plan, _DROP_TABLE_TAG)
        for tag in DROPPED:
            lib.hb_set_add(drop, lib.hb_tag_from_string(tag.encode(), -1))
        sub.hb_subset_input_set_flags(plan, _RETAIN_GIDS | _PASSTHROUGH | _DESUBROUTINIZE | _NO_HINTING)
        cut = sub.hb_subset_or_fail(face, plan)
        if cut == ffi.NULL:
            raise RuntimeError("HarfBuzz could not subset the font")
        try:
            out = lib.hb_face_reference_blob(cut)
            length = ffi.new("unsigned int *")
            chars = lib.hb_blob_get_data(out, length)
            result = bytes(ffi.buffer(chars, length[0]))
            lib.hb_blob_destroy(out)
        finally:
            lib.hb_face_destroy(cut)
    finally:
        sub.hb_subset_input_destroy(plan)
        lib.hb_face_destroy(face)
        lib.hb_blob_destroy(blob)
    if not result:
        raise RuntimeError("HarfBuzz made an empty subset")
    return result


def _fonttools_subset(font: bytes, glyphs: set[int]) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
                                hinting=False, desubroutinize=True)
    options.drop_tables += [t.strip() for t in DROPPED]
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyphs))
    tt = TTFont(io.BytesIO(font))
    subsetter.subset(tt)
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()
