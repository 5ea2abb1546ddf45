"""What a build is asked for: the book (``book.py``: book.yaml's schema) and the editions
it can be made into (``editions.py``)."""

from .book import (LANG_RE, MAX_BOOK_BYTES, MAX_CHAPTER_BYTES, MAX_CHAPTERS, XML_FORBIDDEN, BookConfig,  # noqa: F401
                   Chapter, Context, decode_utf8, load, stable_identifier)
from .editions import BY_NAME, EDITIONS, Edition  # noqa: F401
