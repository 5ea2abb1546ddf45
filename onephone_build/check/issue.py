"""What a validator reports, and the Java runtime two of them need."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from ..errors import BookError


@dataclass(frozen=True)
class Issue:
    severity: str  # "error" | "warning"
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


def _java() -> str:
    java = shutil.which("java")
    if not java:
        raise BookError("Java is needed for epubcheck and the HTML checker, and none was found "
                        "(install a Java runtime, e.g. apt-get install default-jre-headless)")
    return java
