"""A system check: every translation catalogue is compiled and current.

The ``.mo`` files are built from the ``.po`` files (``make install``, wheel builds), not kept in git; an install
that skipped the step would show an English page to a Japanese user without a word, so ``manage.py check`` and
every server start say so instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.checks import Warning, register

SOURCE = Path(__file__).resolve().parent.parent  # src/techguard: the web app's and the cores' catalogues


@register()
def catalogues_compiled(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    stale = [
        po for po in sorted(SOURCE.rglob("*.po"))
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return []
    return [Warning(
        f"{len(stale)} translation catalogue(s) not compiled or older than their .po: "
        + ", ".join(str(po.relative_to(SOURCE)) for po in stale),
        hint="run: python scripts/compile_messages.py (make install does)",
        id="techguard.i18n.W001",
    )]
