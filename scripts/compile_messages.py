"""Compile every gettext catalogue under src/ (``*.po`` -> ``*.mo``) with Babel: no GNU gettext needed.

The ``.po`` files are the one source of translations; run this after editing one (``make install`` runs it too).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "src"


def main() -> int:
    for po_path in sorted(ROOT.rglob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        print(f"compiled {po_path.relative_to(ROOT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
