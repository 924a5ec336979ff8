"""Compile the gettext catalogues (``*.po`` -> ``*.mo``) with Babel; used at install and build time.

The ``.po`` files are the one source of translations and the only ones in git; the ``.mo`` files are built:
``make install`` runs ``scripts/compile_messages.py``, wheels and sdists compile through ``BuildPy`` below
(``[tool.setuptools.cmdclass]`` in pyproject.toml), and the test session compiles stale ones (tests/conftest.py).
This module imports nothing from techguard so that setuptools can load it before the package's dependencies.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from setuptools.command.build_py import build_py  # type: ignore[import-untyped,unused-ignore]


def compile_catalogue(po_path: Path) -> Path:
    """Write ``po_path``'s ``.mo`` beside it (fuzzy entries left out); atomic, so parallel test workers are safe."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    mo_path = po_path.with_suffix(".mo")
    descriptor, temporary = tempfile.mkstemp(dir=po_path.parent, prefix=".", suffix=".mo.tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write_mo(handle, catalog)
        os.replace(temporary, mo_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return mo_path


def compile_catalogues(root: Path, *, only_stale: bool = False) -> list[Path]:
    """Compile every ``*.po`` under ``root``; with ``only_stale``, only those whose ``.mo`` is missing or older."""
    compiled = []
    for po_path in sorted(root.rglob("*.po")):
        mo_path = po_path.with_suffix(".mo")
        if only_stale and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        compiled.append(compile_catalogue(po_path))
    return compiled


class BuildPy(build_py):  # type: ignore[misc,unused-ignore]  # setuptools ships no type hints for its commands
    """setuptools' build_py, then the catalogues compiled in the build directory (so wheels carry ``.mo``)."""

    def run(self) -> None:
        super().run()
        compile_catalogues(Path(self.build_lib))
