"""The compiled hot path's guard: a module compiled from an older source is refused, never run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from techguard import native

SUFFIX = EXTENSION_SUFFIXES[0]  # .cpython-311-x86_64-linux-gnu.so


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the layout: techguard/ with two "compiled" modules of text/."""
    root = tmp_path / "techguard"
    (root / "text").mkdir(parents=True)
    (root / "text" / "fold.py").write_text("A = 1\n", encoding="utf-8")
    (root / "text" / "scripts.py").write_text("B = 2\n", encoding="utf-8")
    monkeypatch.setattr(native, "PACKAGE", root)
    monkeypatch.setattr(native, "MANIFEST", root / "native.json")
    monkeypatch.setattr(native, "COMPILED_MODULES", ("techguard.text.fold", "techguard.text.scripts"))
    native.check.cache_clear()
    yield root
    native.check.cache_clear()


def _build(root: Path) -> None:
    for name in ("fold", "scripts"):
        (root / "text" / f"{name}{SUFFIX}").write_bytes(b"\x7fELF")
    (root / f"_native__mypyc{SUFFIX}").write_bytes(b"\x7fELF")
    digests = {m: native.source_digest(m) for m in native.COMPILED_MODULES}
    native.MANIFEST.write_text(json.dumps({"compiler": "mypyc 9", "modules": digests}), encoding="utf-8")


def test_no_build_is_plain_python(package: Path) -> None:
    assert native.check() == native.NativeState(False, "")
    assert native.check().describe() == "plain Python (not compiled)"


def test_build_matching_its_sources_is_accepted(package: Path) -> None:
    _build(package)
    assert native.check().describe() == "compiled (mypyc 9)"


def test_source_edited_after_compiling_is_refused(package: Path) -> None:
    _build(package)
    (package / "text" / "scripts.py").write_text("B = 3\n", encoding="utf-8")
    with pytest.raises(native.StaleNativeBuild, match=r"scripts\.py changed after it was compiled.*make native"):
        native.check()


def test_partial_build_is_refused(package: Path) -> None:
    _build(package)
    (package / "text" / f"fold{SUFFIX}").unlink()
    with pytest.raises(native.StaleNativeBuild, match=r"techguard\.text\.fold is missing"):
        native.check()


def test_compiled_module_outside_the_manifest_is_refused(package: Path) -> None:
    _build(package)
    (package / "text" / f"decode{SUFFIX}").write_bytes(b"\x7fELF")
    with pytest.raises(native.StaleNativeBuild, match=r"techguard\.text\.decode is compiled but not in native\.json"):
        native.check()


def test_extensions_without_manifest_are_refused(package: Path) -> None:
    _build(package)
    native.MANIFEST.unlink()
    with pytest.raises(native.StaleNativeBuild, match="without a readable manifest"):
        native.check()


def test_the_running_build_matches_its_sources() -> None:
    # this process imported techguard, so the real check passed; it names what it found
    state = native.check()
    assert state.compiled == any(p.name.endswith(SUFFIX) for p in native.extension_files())


def test_version_names_the_build() -> None:
    from typer.testing import CliRunner

    from techguard.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert f"screening hot path {native.check().describe()}" in result.output
