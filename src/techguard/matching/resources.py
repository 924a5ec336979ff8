"""The language resources that screening scores depend on, and the algorithm version that records them.

Readings (cutlet + unidic), Chinese conversion (OpenCC) and pinyin (pypinyin) change with their versions,
and so can a score. Every result therefore carries :func:`algorithm_version`: the matching algorithm's own
version followed by the versions of these packages, so two results are comparable only when it agrees.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

# distribution names, in the order they appear in the version string; the first three are the optional
# Japanese reader (techguard[japanese]), the others are always installed
RESOURCES = ("cutlet", "fugashi", "unidic-lite", "opencc", "pypinyin")


@cache
def resource_versions() -> dict[str, str]:
    """Installed versions of the language resources; ``"absent"`` for one that is not installed."""
    found: dict[str, str] = {}
    for name in RESOURCES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


@cache
def algorithm_version() -> str:
    """``techguard-match-X.Y (cutlet 0.5.2; fugashi 1.5.2; unidic-lite 1.0.8; opencc 1.4.2; pypinyin 0.55.0)``.

    Two results are comparable only when this string agrees: a resource's version changes readings,
    conversions and so scores."""
    from techguard.matching.screener import ALGORITHM_VERSION

    parts = "; ".join(f"{name} {ver}" for name, ver in resource_versions().items())
    return f"{ALGORITHM_VERSION} ({parts})"


__all__ = ["RESOURCES", "algorithm_version", "resource_versions"]
