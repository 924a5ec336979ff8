"""Compile techguard's screening hot path with mypyc, in place (``make native``; ``make install`` runs it).

    .venv/bin/python scripts/compile_native.py [--clean]

Writes C extension modules beside the sources of ``techguard.native.COMPILED_MODULES`` and the manifest
(``src/techguard/native.json``: each source's SHA-256) by which ``techguard.native.check`` refuses a stale
build. ``--clean`` removes them (back to plain Python). Without a C compiler it says so and leaves plain
Python in place: techguard then uses about 1.4× more CPU per screened name, nothing else changes.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from types import ModuleType

SRC = Path(__file__).resolve().parents[1] / "src"


def _load_native() -> ModuleType:
    """techguard/native.py on its own: importing the package would refuse the stale build being mended."""
    spec = importlib.util.spec_from_file_location("techguard_native_build", SRC / "techguard" / "native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


native = _load_native()


def mypy_config() -> str:
    """pyproject.toml's mypy settings without the Django plugin (no compiled module imports Django): strict,
    and the untyped libraries it lets pass."""
    settings = tomllib.loads((SRC.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    untyped = [m for o in settings.get("overrides", []) if o.get("ignore_missing_imports") for m in o["module"]]
    return (f"[mypy]\npython_version = {settings['python_version']}\nstrict = True\n"
            f"[mypy-{','.join(untyped)}]\nignore_missing_imports = True\n")  # fmt: skip


def clean() -> int:
    removed = native.extension_files()
    for path in removed:
        path.unlink()
    native.MANIFEST.unlink(missing_ok=True)
    return len(removed)


def compile_all() -> None:
    from mypy.version import __version__ as mypy_version
    from mypyc.build import mypycify
    from setuptools import setup

    sources = [str(native.source_path(m).relative_to(SRC)) for m in native.COMPILED_MODULES]
    with tempfile.TemporaryDirectory(prefix="techguard-mypyc-") as work:
        config = Path(work) / "mypy.ini"
        config.write_text(mypy_config(), encoding="utf-8")
        here = Path.cwd()
        os.chdir(SRC)  # mypyc names modules by their path from the current directory
        log = io.StringIO()  # the compiler's command lines and mypyc's notes: shown only if the build fails
        try:
            with contextlib.redirect_stdout(log):
                extensions = mypycify(
                    ["--config-file", str(config), "--cache-dir", str(Path(work) / "mypy-cache"), *sources],
                    group_name=native.GROUP,
                    target_dir=str(Path(work) / "c"),
                )
                setup(
                    name="techguard-native",
                    ext_modules=extensions,
                    script_args=["--quiet", "build_ext", "--inplace", "--build-temp", str(Path(work) / "build")],
                )
        except BaseException:
            print(log.getvalue(), file=sys.stderr)
            raise
        finally:
            os.chdir(here)
    digests = {m: native.source_digest(m) for m in native.COMPILED_MODULES}
    manifest = {"compiler": f"mypyc {mypy_version}", "modules": digests}
    native.MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules (plain Python)")
    args = parser.parse_args()
    removed = clean()
    if args.clean:
        print(f"removed {removed} compiled modules: techguard runs as plain Python")
        return 0
    compiler = os.environ.get("CC", "cc").split()[0]
    if shutil.which(compiler) is None:
        print(f"warning: no C compiler ({compiler}): techguard stays plain Python, about 1.4x more CPU per "
              "screened name; install gcc and run `make native`", file=sys.stderr)  # fmt: skip
        return 0
    started = time.perf_counter()
    print(f"compiling {len(native.COMPILED_MODULES)} modules with mypyc (about 1-2 minutes) ...", flush=True)
    try:
        compile_all()
    except BaseException:
        clean()  # never leave a partial build behind (techguard.native.check would refuse it anyway)
        raise
    print(f"compiled in {time.perf_counter() - started:.0f} s: {native.check().describe()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
