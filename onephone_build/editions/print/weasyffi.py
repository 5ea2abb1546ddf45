"""WeasyPrint's C declarations parsed once, at set-up, instead of at every import.

``weasyprint.text.ffi`` hands some 450 lines of C declarations to ``cffi.FFI().cdef`` each
time it is imported: 0.2 s of pycparser, a third of WeasyPrint's import, in every PDF build
(measured here: 201 ms of 514). cffi's out-of-line ABI mode parses declarations ahead into
a Python module (``emit_python_code``) that imports in 5 ms and gives an FFI of the same
types and functions. ``make setup`` writes one into the virtualenv for the WeasyPrint it
finds (``python -m onephone_build.editions.print.weasyffi``); a PDF build calls
``install()`` before WeasyPrint is first imported, and the prebuilt FFI is lent to
WeasyPrint's one ``cffi.FFI()`` call only when WeasyPrint's declarations are, byte for
byte, those it was made from. Otherwise (another WeasyPrint, a virtualenv not made by
``make setup``) WeasyPrint parses them itself, as it always did.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
import re
import sys
from pathlib import Path

MODULE = "_onephone_weasyprint_ffi"  # written next to the installed packages by main()
TARGET = "weasyprint.text.ffi"
_CDEF = re.compile(r"ffi\.cdef\('''(.*?)'''\)", re.S)


def _declarations() -> str | None:
    """WeasyPrint's declarations, read from its source without importing it."""
    spec = importlib.util.find_spec("weasyprint")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "text" / "ffi.py"
    try:
        found = _CDEF.findall(path.read_text(encoding="utf-8"))
    except OSError:
        return None
    return found[0] if len(found) == 1 else None


def _digest(declarations: str) -> str:
    return hashlib.sha256(declarations.encode("utf-8")).hexdigest()


class _Lent:
    """The prebuilt FFI, as WeasyPrint's ``cffi.FFI()`` call: its ``cdef`` checks that the
    declarations are those the FFI was made from; all else is the prebuilt FFI's."""

    def __init__(self, ffi, digest: str):
        self._ffi, self._digest = ffi, digest

    def cdef(self, declarations: str, *args, **kwargs) -> None:
        if _digest(declarations) != self._digest:  # pragma: no cover - checked before lending
            raise RuntimeError("the prebuilt FFI was made from other declarations")

    def __getattr__(self, name: str):
        return getattr(self._ffi, name)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds ``weasyprint.text.ffi`` as the import system would, and runs it with
    ``cffi.FFI`` answering its one call with the prebuilt FFI."""

    def __init__(self, lent: _Lent):
        self.lent = lent

    def find_spec(self, name, path, target=None):
        if name != TARGET:
            return None
        sys.meta_path.remove(self)  # once, and the real finders from here on
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:  # pragma: no cover
            return spec
        run, lent = spec.loader.exec_module, self.lent

        def exec_module(module):
            import cffi

            real = cffi.FFI

            def lend(*args, **kwargs):
                cffi.FFI = real
                return lent

            cffi.FFI = lend
            try:
                run(module)
            finally:
                cffi.FFI = real

        spec.loader.exec_module = exec_module
        return spec


def install() -> bool:
    """Before WeasyPrint is first imported: lend it the prebuilt FFI when there is one made
    from its declarations. True when it will be lent."""
    if TARGET in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return False
    try:
        prebuilt = importlib.import_module(MODULE)
    except ImportError:
        return False
    declarations = _declarations()
    if declarations is None or getattr(prebuilt, "DECLARATIONS_SHA256", None) != _digest(declarations):
        return False
    sys.meta_path.insert(0, _Finder(_Lent(prebuilt.ffi, prebuilt.DECLARATIONS_SHA256)))
    return True


def main() -> int:
    """Write the prebuilt FFI next to the installed packages (``make setup``)."""
    import sysconfig

    import cffi

    declarations = _declarations()
    if declarations is None:
        print("weasyffi: WeasyPrint's declarations not found; it will parse them itself")
        return 0
    target = Path(sysconfig.get_paths()["purelib"]) / f"{MODULE}.py"
    digest = _digest(declarations)
    if target.is_file() and f'DECLARATIONS_SHA256 = "{digest}"' in target.read_text(encoding="utf-8"):
        return 0
    builder = cffi.FFI()
    builder.cdef(declarations)
    builder.set_source(MODULE, None)
    scratch = target.with_suffix(".tmp")
    builder.emit_python_code(str(scratch))  # (it says so on stdout)
    with scratch.open("a", encoding="utf-8") as f:
        f.write(f'\nDECLARATIONS_SHA256 = "{digest}"\n')
    scratch.replace(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
