"""What a build is asked for: the book (``book.py``: book.yaml's schema) and the editions
it can be made into (``editions.py``).

The names are loaded when first used (PEP 562): an up-to-date build imports
``config.editions`` alone, not book.yaml's schema and everything it imports (about a
third of that build's time)."""

import importlib

_FROM = {**dict.fromkeys(("LANG_RE", "LINE_BREAKS", "MAX_BOOK_BYTES", "MAX_CHAPTER_BYTES", "MAX_CHAPTERS",
                          "XML_FORBIDDEN", "BookConfig", "Chapter", "Context", "decode_utf8", "line_break_name",
                          "load", "stable_identifier", "unify_line_breaks"), ".book"),
         **dict.fromkeys(("BY_NAME", "EDITIONS", "Edition"), ".editions")}
__all__ = sorted(_FROM)


def __getattr__(name: str):
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_FROM[name], __name__), name)
    globals()[name] = value
    return value
