"""Characters with a line-breaking meaning in the model, shared by the rules that set them
and the writers that render them.

* ``NBH`` (U+2011 NON-BREAKING HYPHEN): a hyphen no line may break at (stammers,
  honorifics).
* ``WJ`` (U+2060 WORD JOINER): no line break between its neighbours (a word and the em
  dash or ellipsis that follows it).

An edition decides how each reaches the reader (``editions/__init__.py``: its ``glue``):
a reading-system font may lack them, so most render them as markup.
"""

NBH = "\u2011"
WJ = "\u2060"
NBSP = "\u00a0"
EM = "\u2014"
EN = "\u2013"
ELLIPSIS = "\u2026"


def plain(text: str) -> str:
    """The text a reader sees: line-breaking marks folded to what they display."""
    return text.replace(NBH, "-").replace(WJ, "")
