"""The CI version of the load benchmark: the production stack (gunicorn, 2 workers) under 20 clients with no
pause for 15 s: no error, and on PostgreSQL (DATABASE_URL) the connections stay bounded by the server's
processes during and after the load. The 2-minute runs are bench/web_load.py (docs/benchmarks.md)."""

from __future__ import annotations

import os
import threading
import time

import httpx
from _stack import admin_url, pg_connections, production_stack

# `make bench` runs the longer version (TECHGUARD_LOAD_CLIENTS / TECHGUARD_LOAD_SECONDS)
CLIENTS = int(os.environ.get("TECHGUARD_LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("TECHGUARD_LOAD_SECONDS", "15"))
WORKERS = 2


def test_short_load_on_the_production_stack(tmp_path):
    with production_stack(tmp_path, workers=WORKERS) as stack:
        headers = {"Authorization": f"Bearer {stack.tokens['researcher']}"}
        statuses: list[int] = []
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

        threads = [threading.Thread(target=client_loop) for _ in range(CLIENTS)]
        peak = 0
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            if stack.database:
                peak = max(peak, pg_connections(admin_url() or "", stack.database))
            time.sleep(0.5)
        assert errors == [] and statuses and set(statuses) == {200}, (errors[:3], sorted(set(statuses)))
        if stack.database:
            time.sleep(2)
            after = pg_connections(admin_url() or "", stack.database)
            assert peak <= WORKERS + 1 and after <= WORKERS + 1, (peak, after)
