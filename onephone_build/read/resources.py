"""Links and images the manuscript refers to: confined to the manuscript, never the network."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import BookError, line_col
from .images import image_problem

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
_SAFE_FRAGMENT = re.compile(r"^#[A-Za-z][\w.:-]*$")
# A web or mail address kept as a link (never fetched): a host for http(s), an address for
# mailto, and nothing a URL may not contain unescaped (spaces, controls, quotes, <>).
_WEB_LINK = re.compile(r"^(?:https?://[^/?#\s@]+(?:[/?#][^\s\"<>\\^`{|}]*)?"
                       r"|mailto:[^\s\"<>\\^`{|}@]+@[^\s\"<>\\^`{|}]+)$", re.I)
# a mailto: URL of only the characters a URL may hold (RFC 3986; others percent-encoded)
_MAILTO = re.compile(r"mailto:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})+\Z")


def _web_link(url: str) -> bool:
    """A web or mail address to keep as a link; a mailto only of what a URL may hold."""
    return bool(_WEB_LINK.match(url)) and (url[:7].lower() != "mailto:" or bool(_MAILTO.match(url)))


def _resolved(path: Path) -> tuple[Path, str]:
    """``path`` resolved, and why it cannot be ("" when it can)."""
    try:
        target = path.resolve()
        target.is_file()
        return target, ""
    except RuntimeError:
        return path, "is a loop of symbolic links"
    except (OSError, ValueError) as e:  # ELOOP, a name too long, a NUL
        return path, "is a loop of symbolic links" if getattr(e, "errno", None) == errno.ELOOP else (
            f"cannot be opened ({getattr(e, 'strerror', None) or e})")


@dataclass
class Resources:
    """Resolves a chapter's URLs; remembers which manuscript images are used.

    ``policy`` is ``"refuse"`` (default: a URL that leaves the manuscript is an
    error) or ``"skip"`` (it is dropped with a warning).
    """

    root: Path
    policy: str = "refuse"
    images: dict[Path, str] = field(default_factory=dict)  # source file -> name in the book
    warnings: list[str] = field(default_factory=list)

    def resolver(self, chapter_path: Path, chapter_text: str = ""):
        def resolve(url: str, kind: str) -> str:
            return self.resolve(url, kind, chapter_path, chapter_text)

        return resolve

    def resolve(self, url: str, kind: str, chapter_path: Path, chapter_text: str = "") -> str:
        if kind == "link" and (_SAFE_FRAGMENT.match(url) or _web_link(url)):
            return url
        parts = urlsplit(url)
        problem = None
        if kind == "link" and parts.scheme.lower() in ("http", "https", "mailto"):
            problem = f"link '{url}' is not a valid web or mail address (a space or a missing host?)"
        elif kind == "anchor":
            problem = (f"link to '{url}' has no target in this chapter (give a heading or a span "
                       "that id; links across chapters are not supported)")
        elif url.startswith("mailto:"):
            problem = f"link '{url}' is not a valid mailto: URL (characters such as spaces or quotes must be %-encoded)"
        elif parts.scheme or parts.netloc:
            problem = (f"{kind} to '{url}' leaves the book (links may be #anchors, http(s) and mailto "
                       "addresses; images must be files in the manuscript)")
        elif url.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", url):
            problem = f"{kind} '{url}' is an absolute path; use a path inside the manuscript"
        elif kind == "link":
            target = (chapter_path.parent / unquote(parts.path)).resolve()
            if not target.is_relative_to(self.root.resolve()):
                problem = f"link '{url}' points outside the manuscript directory"
            else:  # a file of the manuscript is no page of the book: its words stay, as text
                at = chapter_text.find(url)
                line, col = line_col(chapter_text, at) if at >= 0 else (None, None)
                self.warnings.append(str(BookError(
                    f"link '{url}' points at a file, not a page of the book: set as plain text",
                    chapter_path, line, col)))
                return ""
        else:
            target, why = _resolved(chapter_path.parent / unquote(parts.path))
            if why:
                problem = f"image '{url}' {why}"
            elif not target.is_relative_to(self.root.resolve()):
                problem = f"image '{url}' is outside the manuscript directory"
            elif not target.is_file():
                problem = (f"image '{url}' does not exist (image paths are relative to the chapter "
                           f"file: this one looks for {target.relative_to(self.root.resolve())})")
            elif target.suffix.lower() not in IMAGE_TYPES:
                problem = f"image '{url}' is not a PNG, JPEG, GIF, SVG or WebP file"
            elif target not in self.images and (bad := image_problem(target)):
                problem = f"image '{url}' {bad}"
            else:
                name = self.images.setdefault(target, f"images/{len(self.images) + 1:03d}"
                                                      f"{target.suffix.lower()}")
                return name
        at = chapter_text.find(url) if url else -1
        line, col = line_col(chapter_text, at) if at >= 0 else (None, None)
        if self.policy == "skip":
            self.warnings.append(str(BookError(f"skipped {problem}", chapter_path, line, col)))
            return ""
        raise BookError(problem, chapter_path, line, col)
