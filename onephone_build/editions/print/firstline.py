"""WeasyPrint's first-line split (``weasyprint.layout.inline.split_first_line``), wrapped:
the one place the print edition replaces it (linememo.py remembers splits, earlybreak.py
mends a line Pango cut early)."""

from __future__ import annotations


def wrap(split):
    """Put ``split`` in WeasyPrint's inline layout in place of the split there now, and
    return that one (which ``split`` calls)."""
    import weasyprint.layout.inline as inline

    found = inline.split_first_line
    inline.split_first_line = split
    return found
