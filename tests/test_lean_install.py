"""The core CLI works without the web, Spark and Parquet extras (they are imported only where used)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "matching"

# Run the CLI in a fresh interpreter where importing any extra's package fails, as in `pip install techguard`.
BLOCKER = """
import importlib.abc, sys
BLOCKED = {"django", "ninja", "psycopg", "reportlab", "dj_database_url", "django_htmx", "simple_history",
           "django_tasks", "pyspark", "pandas", "pyarrow"}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return None
sys.meta_path.insert(0, Block())
sys.argv = ["techguard", *sys.argv[1:]]
from techguard.cli import main
main()
"""


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DJANGO_"))}
    env["TECHGUARD_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run([sys.executable, "-c", BLOCKER, *args], env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def test_screening_and_help_without_django_spark_or_pyarrow(tmp_path: Path) -> None:
    result = _cli(tmp_path, "screen", "--name", "Mitsubishi Heavy Industries", "--json",
                  "--list", str(FIXTURES / "watchlist.csv"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert '"entity_id": "W2"' in result.stdout
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Mitsubishi Heavy Industries\n", encoding="utf-8")
    batch = _cli(tmp_path, "screen", str(queries), "--list", str(FIXTURES / "watchlist.csv"),
                 "--output", str(tmp_path / "out.csv"))  # fmt: skip
    assert batch.returncode == 0, batch.stderr
    assert "W2" in (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert _cli(tmp_path, "--help").returncode == 0


def test_a_missing_extra_is_named_with_its_install_command(tmp_path: Path) -> None:
    result = _cli(tmp_path, "web", "migrate")
    assert result.returncode == 1
    assert "pip install 'techguard[web]'" in result.stderr and "Traceback" not in result.stderr
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,x\n", encoding="utf-8")
    parquet = _cli(tmp_path, "screen", str(queries), "--list", str(FIXTURES / "watchlist.csv"),
                   "--output", str(tmp_path / "out.parquet"))  # fmt: skip
    assert parquet.returncode == 1
    assert "pip install 'techguard[parquet]'" in parquet.stderr and "Traceback" not in parquet.stderr
