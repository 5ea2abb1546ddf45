"""Typography rules of onephone-build (``onephone-build lint --list`` lists them).

Importing this package registers every rule; the import order below is the
application order of the fix rules:

1. ``spaces``                             (spaces.py)
2. ``ellipses``                           (ellipses.py)
3. ``quotes``, ``leading-apostrophe``     (quotes.py)
4. ``spaced-dash``, ``stammer``, ``honorific``, ``ambiguous-hyphen``,
   ``dash-pair``, ``cut-off``, ``dash-glue``   (dashes.py)
5. checks: ``quote-balance``, ``quote-continuation`` (chapter-wide),
   ``stray-apostrophe``, ``single-quote-pair``, ``dash-period``, ``ambiguous-hyphen`` (checks.py)

``ambiguous-hyphen`` is registered twice under one name: as a fixer (it
resolves the pairs it can prove) and as a check (it reports the rest), so
disabling the name disables both.
"""

from . import spaces, ellipses, quotes, dashes, checks  # noqa: F401  (order matters)
from .base import (DOC_CHECKS, NBH, RULES, WJ, Context, Edit, Finding, fix_text, plain)

__all__ = ["RULES", "DOC_CHECKS", "fix_text", "Context", "Edit", "Finding", "plain", "NBH", "WJ"]
