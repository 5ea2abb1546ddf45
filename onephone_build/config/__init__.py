"""What a build is asked for: the book (``book.py``: book.yaml's schema) and the editions
it can be made into (``editions.py``)."""

from .book import (LANG_RE, LINE_BREAKS, MAX_BOOK_BYTES, MAX_CHAPTER_BYTES, MAX_CHAPTERS, XML_FORBIDDEN,  # noqa: F401
                   BookConfig, Chapter, Context, decode_utf8, line_break_name, load, stable_identifier,
                   unify_line_breaks)
from .editions import BY_NAME, EDITIONS, Edition  # noqa: F401
