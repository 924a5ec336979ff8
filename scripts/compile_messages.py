"""Compile every gettext catalogue under src/ (``*.po`` -> ``*.mo``) with Babel: no GNU gettext needed.

The ``.po`` files are the one source of translations (the ``.mo`` files are not in git); run this after editing
one. ``make install`` runs it; wheels compile at build time (``techguard._build.BuildPy``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def main() -> int:
    # loaded by path: techguard may not be installed yet (this runs from the Makefile and on fresh checkouts)
    spec = importlib.util.spec_from_file_location("techguard_build", SRC / "techguard" / "_build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for mo_path in build.compile_catalogues(SRC):
        print(f"compiled {mo_path.with_suffix('.po').relative_to(SRC.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
