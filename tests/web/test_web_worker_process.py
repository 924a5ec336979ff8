"""A real `techguard web worker` process killed with SIGKILL mid-batch loses nothing; a new worker resumes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROWS = 1500

ENQUEUE = f"""
from techguard.web import bootstrap
bootstrap.setup(); bootstrap.migrate()
from django.contrib.auth import get_user_model
from techguard.web.screening.jobs import enqueue
user = get_user_model().objects.create_user("rita", "rita@example.org", "x" * 20)
names = ["Example Dual Use Institute", "山田太郎", "Acme Trading"]
enqueue(user, "big.csv", [{{"name": f"{{names[i % 3]}} {{i}}"}} for i in range({ROWS})])
"""


def _progress(db: Path) -> tuple[str, int, int]:
    with sqlite3.connect(db, timeout=10) as conn:
        status, processed = conn.execute("SELECT status, processed FROM screening_job").fetchone()
        results = conn.execute("SELECT COUNT(*) FROM screening_jobresult").fetchone()[0]
    return status, processed, results


def _wait(db: Path, condition, seconds: float) -> tuple[str, int, int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = _progress(db)
        if condition(state):
            return state
        time.sleep(0.05)
    raise AssertionError(f"timed out; last state {state}")


def test_sigkill_mid_batch_then_resume(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL", "DJANGO_"))}
    env.update(TECHGUARD_DATA_DIR=str(tmp_path), TECHGUARD_BATCH_CHUNK="10", TECHGUARD_JOB_STALE_SECONDS="1")
    watch = tmp_path / "watch.csv"
    watch.write_text("id,name,kind,countries\n1,Example Dual Use Institute,organisation,CN\n", encoding="utf-8")
    subprocess.run([str(BIN / "techguard"), "lists", "import", "--format", "simple_csv", str(watch)], env=env,
                   check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-c", ENQUEUE], env=env, check=True, capture_output=True, timeout=120)
    db = tmp_path / "techguard.sqlite3"

    first = subprocess.Popen([str(BIN / "techguard"), "web", "worker"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        _wait(db, lambda s: s[1] >= 30, 60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    status, processed, results = _progress(db)
    assert status == "running" and 30 <= processed < ROWS, (status, processed)
    assert results == processed  # every committed chunk is there, and nothing beyond it

    second = subprocess.Popen([str(BIN / "techguard"), "web", "worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        status, processed, results = _wait(db, lambda s: s[0] == "done", 120)
    finally:
        second.terminate()
        second.wait(timeout=10)
    assert (processed, results) == (ROWS, ROWS)
    with sqlite3.connect(db) as conn:
        indexes = [row[0] for row in conn.execute('SELECT "index" FROM screening_jobresult ORDER BY 1')]
        attempts = conn.execute("SELECT attempts FROM screening_job").fetchone()[0]
        actions = [row[0] for row in conn.execute("SELECT action FROM audit_auditevent ORDER BY id")]
    assert indexes == list(range(ROWS)) and attempts == 2
    assert "screening.batch_resumed" in actions and actions[-1] == "screening.batch_done"
    verify = subprocess.run([str(BIN / "techguard"), "audit", "verify"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert verify.returncode == 0, verify.stderr
