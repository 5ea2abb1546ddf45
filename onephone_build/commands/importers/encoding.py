"""Plain text of any common encoding: UTF-8 (with or without BOM), UTF-16 (with BOM),
Windows-1252; the name of the one assumed goes into the import summary."""

from __future__ import annotations

from pathlib import Path

from ...errors import BookError

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 (with BOM)"), (b"\xff\xfe", "utf-16", "UTF-16 LE"),
         (b"\xfe\xff", "utf-16", "UTF-16 BE"))
# Bytes Windows-1252 leaves undefined: text that has them is not Windows-1252 either.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding assumed). Refuses only what no common encoding explains."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff"), name
            except UnicodeDecodeError as e:
                raise BookError(f"starts with a {name} byte-order mark but is not {name} "
                                f"(bad bytes at offset {e.start})", path) from None
    if b"\x00" in data:
        raise BookError("the text has NUL bytes and no byte-order mark: UTF-16 or UTF-32 without a "
                        "BOM cannot be told apart from binary data (save it as UTF-8)", path)
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as e:
        utf8_error = e.start
    bad = next((i for i, b in enumerate(data) if b in _CP1252_UNDEFINED), None)
    if bad is not None:
        raise BookError(f"not UTF-8 (byte 0x{data[utf8_error]:02x} at offset {utf8_error}) and not "
                        f"Windows-1252 (byte 0x{data[bad]:02x} at offset {bad}): save it as UTF-8", path)
    return data.decode("cp1252"), "Windows-1252"
