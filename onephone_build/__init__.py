"""onephone-build: one manuscript to EPUB, print PDF and web edition."""

__version__ = "0.1.0"
