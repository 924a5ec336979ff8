"""Run a scenario in a fresh process with its own data directory and SQLite file: for what needs real commits
seen by several threads (pytest-django's transactional tests cannot flush the append-only audit table)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PRELUDE = """
import os, sys
from techguard.web import bootstrap
bootstrap.setup(); bootstrap.migrate()
from django.contrib.auth import get_user_model
from techguard.web.accounts.models import Profile
"""


def run_scenario(code: str, data_dir: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL", "DJANGO_"))}
    environment.update(TECHGUARD_DATA_DIR=str(data_dir), PYTHONPATH=str(SRC), **env)
    return subprocess.run([sys.executable, "-W", "error", "-c", PRELUDE + textwrap.dedent(code)],
                          env=environment, capture_output=True, text=True, timeout=timeout, check=False)
