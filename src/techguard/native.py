"""The screening hot path compiled with mypyc, and the check that a compiled module matches its source.

``make install`` compiles :data:`COMPILED_MODULES` (``scripts/compile_native.py``): the same typed Python,
turned into C extension modules written beside the ``.py`` files (measured: about 1.4× fewer CPU seconds per
screened name, output byte-identical; docs/benchmarks.md, "Compiled hot path"). Python imports an extension
module before the ``.py`` of the same name, so a source edited after compiling would silently not run:
``import techguard`` calls :func:`check` before any compiled module can load, which refuses a stale or partial
build with the command that mends it. Without a build (no ``.so`` files), everything runs as plain Python.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
MANIFEST = PACKAGE / "native.json"
GROUP = "techguard._native"
"""The shared library mypyc writes for the group (``techguard/_native__mypyc*.so``)."""

COMPILED_MODULES: tuple[str, ...] = (
    "techguard.text.countries",
    "techguard.text.decode",
    "techguard.text.fold",
    "techguard.text.han",
    "techguard.text.korean_names",
    "techguard.text.places",
    "techguard.text.scripts",
    "techguard.matching.abbreviations",
    "techguard.matching.chinese",
    "techguard.matching.explain",
    "techguard.matching.features",
    "techguard.matching.grouping",
    "techguard.matching.han_terms",
    "techguard.matching.hits",
    "techguard.matching.index",
    "techguard.matching.japanese",
    "techguard.matching.kana",
    "techguard.matching.korean",
    "techguard.matching.legal_forms",
    "techguard.matching.loanwords",
    "techguard.matching.pair_model",
    "techguard.matching.query_forms",
    "techguard.matching.rounding",
    "techguard.matching.scoring",
    "techguard.matching.screener",
    "techguard.matching.tokens",
    "techguard.matching.translit",
    "techguard.matching.vocabulary",
    "techguard.matching.word_weights",
)
"""Modules on the per-name path of a screening (profiled), compiled together as one group."""


class StaleNativeBuild(ImportError):
    """A compiled module no longer matches its source (or the build is partial)."""


@dataclass(frozen=True, slots=True)
class NativeState:
    compiled: bool
    compiler: str  # "mypyc 1.x" or "" when not compiled

    def describe(self) -> str:
        return f"compiled ({self.compiler})" if self.compiled else "plain Python (not compiled)"


def source_path(module: str) -> Path:
    return PACKAGE.parent.joinpath(*module.split(".")).with_suffix(".py")


def source_digest(module: str) -> str:
    return hashlib.sha256(source_path(module).read_bytes()).hexdigest()


def extension_files() -> list[Path]:
    """The compiled extension modules present where compiled modules live (any Python version's)."""
    folders = {PACKAGE} | {source_path(m).parent for m in COMPILED_MODULES}
    return sorted(path for folder in folders for path in folder.glob("*.so"))


def _module_of(extension: Path) -> str:
    relative = extension.relative_to(PACKAGE.parent)
    stem = relative.name.split(".", 1)[0]
    return ".".join((*relative.parent.parts, stem))


@cache
def check() -> NativeState:
    """The state of the build; :class:`StaleNativeBuild` when a compiled module does not match its source."""
    suffix = f".cpython-{sys.version_info.major}{sys.version_info.minor}"
    extensions = [p for p in extension_files() if suffix in p.name]
    if not extensions:
        return NativeState(False, "")
    mend = "run `make native` to compile again, or `make pure` to run the plain Python"
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
        digests: dict[str, str] = manifest["modules"]
        compiler = str(manifest["compiler"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise StaleNativeBuild(f"{MANIFEST}: compiled modules without a readable manifest ({error}); {mend}") from None
    present = {_module_of(p) for p in extensions}
    unknown = sorted(present - set(digests) - {f"{GROUP}__mypyc"})
    if unknown:
        raise StaleNativeBuild(f"{unknown[0]} is compiled but not in {MANIFEST.name}; {mend}")
    for module, digest in sorted(digests.items()):
        if module not in present:
            raise StaleNativeBuild(f"{module} is missing from the compiled build; {mend}")
        if source_digest(module) != digest:
            raise StaleNativeBuild(f"{source_path(module)} changed after it was compiled; {mend}")
    return NativeState(True, compiler)


def _through_constructor(names: tuple[str, ...]) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    def reduce(obj: Any) -> tuple[type, tuple[Any, ...]]:
        return type(obj), tuple([getattr(obj, name) for name in names])

    return reduce


def register_pickling(package: str) -> None:
    """Pickle the frozen dataclasses of ``package``'s compiled modules through their constructor (a query
    sent to a batch worker): a compiled frozen class refuses the attribute assignments of the default
    unpickling. Done compiled or not, so both pickle alike."""
    for module_name in COMPILED_MODULES:
        if not module_name.startswith(package + "."):
            continue
        module = importlib.import_module(module_name)
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and value.__module__ == module_name
                and dataclasses.is_dataclass(value)
                and value.__dataclass_params__.frozen  # type: ignore[attr-defined]
                and all(f.init for f in dataclasses.fields(value))
            ):
                copyreg.pickle(value, _through_constructor(tuple(f.name for f in dataclasses.fields(value))))


__all__ = ["COMPILED_MODULES", "GROUP", "MANIFEST", "NativeState", "StaleNativeBuild", "check", "register_pickling"]
