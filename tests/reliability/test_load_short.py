"""The CI version of the load benchmark: the production stack (gunicorn, 2 processes × 4 threads) under 20
clients with no pause for 15 s: no error, the served stack is the one of ``techguard.web.gunicorn_conf``
(gthread processes with their threads, keep-alive), and on PostgreSQL (DATABASE_URL) the connections stay
bounded by the server's threads during and after the load. The 2-minute runs are bench/web_load.py
(docs/benchmarks.md)."""

from __future__ import annotations

import os
import threading
import time

import httpx
import psutil
from _stack import admin_url, pg_connections, production_stack

# `make bench` runs the longer version (TECHGUARD_LOAD_CLIENTS / TECHGUARD_LOAD_SECONDS)
CLIENTS = int(os.environ.get("TECHGUARD_LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("TECHGUARD_LOAD_SECONDS", "15"))
WORKERS = 2
THREADS = 4  # gunicorn_conf's default (the stack's environment has no TECHGUARD_GUNICORN_THREADS)


def _gunicorn_workers(serve_pid: int) -> list[psutil.Process]:
    """The processes gunicorn forked to serve: children of its master, the `web serve` process's child."""
    masters = [p for p in psutil.Process(serve_pid).children() if "gunicorn" in " ".join(p.cmdline())]
    assert len(masters) == 1, masters
    assert "python:techguard.web.gunicorn_conf" in masters[0].cmdline()
    return masters[0].children()


def test_short_load_on_the_production_stack(tmp_path):
    with production_stack(tmp_path, workers=WORKERS) as stack:
        headers = {"Authorization": f"Bearer {stack.tokens['researcher']}"}
        statuses: list[int] = []
        connection_headers: set[str] = set()
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + SECONDS

        def client_loop() -> None:
            with httpx.Client(base_url=stack.base, headers=headers, timeout=60) as client:
                n = 0
                while time.monotonic() < deadline:
                    n += 1
                    try:
                        if n % 2:
                            response = client.get("/api/cases")
                        else:
                            response = client.post("/api/screening/search", json={"name": "Example Dual Use Inst."})
                    except httpx.HTTPError as exc:
                        with lock:
                            errors.append(repr(exc))
                        continue
                    with lock:
                        statuses.append(response.status_code)
                        connection_headers.add(response.headers.get("connection", "keep-alive").lower())

        threads = [threading.Thread(target=client_loop) for _ in range(CLIENTS)]
        peak = 0
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            if stack.database:
                peak = max(peak, pg_connections(admin_url() or "", stack.database))
            time.sleep(0.5)
        assert errors == [] and statuses and set(statuses) == {200}, (errors[:3], sorted(set(statuses)))
        # gthread workers keep the clients' connections open (a sync worker answers "Connection: close")
        assert connection_headers == {"keep-alive"}, connection_headers
        workers = _gunicorn_workers(stack.pid)
        assert len(workers) == WORKERS
        # each process's pool of request threads, all started by 20 clients (+ its main thread)
        assert all(w.num_threads() >= THREADS + 1 for w in workers), [w.num_threads() for w in workers]
        if stack.database:
            time.sleep(2)
            after = pg_connections(admin_url() or "", stack.database)
            # one persistent connection per serving thread at most, kept for reuse, never one per request
            bound = WORKERS * THREADS + 1
            assert peak <= bound and after <= bound, (peak, after)


def test_thread_count_is_read_from_the_environment_and_checked():
    import subprocess
    import sys

    from _stack import SRC

    def threads(value: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(SRC), "TECHGUARD_GUNICORN_THREADS": value}
        return subprocess.run([sys.executable, "-c", "from techguard.web import gunicorn_conf as c; "
                               "print(c.worker_class, c.threads)"], env=env, capture_output=True, text=True)

    assert threads("2").stdout.split() == ["gthread", "2"]
    refused = threads("0")
    assert refused.returncode != 0 and "TECHGUARD_GUNICORN_THREADS must be a whole number" in refused.stderr
