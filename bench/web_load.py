"""Load benchmark of the web app: p95 page and API latency with N concurrent users, loopback only.

Starts ``techguard web serve`` (Django's threaded server, as `make run` does) on 127.0.0.1 with a fresh data
directory, creates N researchers with a session, an API token and a few cases each, then has every user loop
over: home page, case list, one of their case pages, ``GET /api/cases`` and ``POST /api/screening/search``.
Bounded by ``--requests`` per user and ``--seconds`` overall.

  .venv/bin/python bench/web_load.py                       # SQLite in a temporary data directory
  .venv/bin/python bench/web_load.py --postgres postgres://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent

SETUP = """
import json, sys
from techguard.web import bootstrap
bootstrap.setup(); bootstrap.migrate()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from techguard.web.accounts.models import ApiToken, Department, Profile
from techguard.web.cases.workflow import create_case, run_checks
from techguard.web.cases.forms import build_case_data
dept = Department.objects.create(name="Bench")
out = []
for i in range(int(sys.argv[1])):
    user = get_user_model().objects.create_user(f"bench{i}", f"bench{i}@example.org", "x" * 20)
    Profile.objects.create(user=user, role="researcher", department=dept)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cases = []
    for j in range(3):
        facts, parties = build_case_data("visitor", {"title": "t", "person_name": f"Visitor {i}-{j}",
            "organisation": "Example Dual Use Institute", "citizenships": ["CN"], "description": "lab tour"})
        case = create_case(user, "visitor", f"Bench case {i}-{j}", facts, parties)
        run_checks(case, user)
        cases.append(case.pk)
    out.append({"session": session.session_key, "token": ApiToken.issue(user, "bench")[1], "cases": cases})
print(json.dumps(out))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def run(users: int, requests_per_user: int, seconds: float, database_url: str | None) -> dict[str, object]:
    data = Path(tempfile.mkdtemp(prefix="techguard-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL", "DJANGO_"))}
    env.update(TECHGUARD_DATA_DIR=str(data), TECHGUARD_ADMIN_PASSWORD="bench-admin-password")
    bench_db = None
    if database_url:
        import psycopg

        bench_db = f"techguard_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        env["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + "/" + bench_db
    watch = data / "watch.csv"
    watch.write_text("id,name,kind,countries\n1,Example Dual Use Institute,organisation,CN\n", encoding="utf-8")
    subprocess.run([str(BIN / "techguard"), "lists", "import", "--format", "simple_csv", str(watch)], env=env,
                   check=True, capture_output=True)
    setup = subprocess.run([sys.executable, "-c", SETUP, str(users)], env=env, check=True, capture_output=True,
                           text=True)
    accounts = json.loads(setup.stdout.strip().splitlines()[-1])
    port = _free_port()
    server = subprocess.Popen([str(BIN / "techguard"), "web", "serve", "--port", str(port), "--no-worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    page_times: list[float] = []
    api_times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    try:
        for _ in range(150):
            try:
                httpx.get(f"{base}/login/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)

        def user_loop(account: dict[str, object]) -> None:
            cookies = {"sessionid": str(account["session"])}
            headers = {"Authorization": f"Bearer {account['token']}"}
            cases = list(account["cases"])  # type: ignore[call-overload]
            with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
                for n in range(requests_per_user):
                    if time.monotonic() > deadline:
                        return
                    step = n % 5
                    started = time.perf_counter()
                    if step == 0:
                        response, kind = client.get("/"), "page"
                    elif step == 1:
                        response, kind = client.get("/cases/"), "page"
                    elif step == 2:
                        response, kind = client.get(f"/cases/{cases[n % len(cases)]}/"), "page"
                    elif step == 3:
                        response, kind = client.get("/api/cases", headers=headers), "api"
                    else:
                        response, kind = client.post("/api/screening/search", headers=headers,
                                                     json={"name": "Example Dual Use Inst."}), "api"
                    elapsed = time.perf_counter() - started
                    with lock:
                        (page_times if kind == "page" else api_times).append(elapsed)
                        if response.status_code != 200:
                            errors.append(f"{response.request.url.path}: {response.status_code}")

        threads = [threading.Thread(target=user_loop, args=(a,)) for a in accounts]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        if bench_db and database_url:
            import psycopg

            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
    total = len(page_times) + len(api_times)
    return {
        "database": "postgresql" if database_url else "sqlite",
        "users": users,
        "requests": total,
        "errors": len(errors),
        "first_errors": errors[:5],
        "seconds": round(wall, 1),
        "throughput_rps": round(total / wall, 1) if wall else 0,
        "page_p95_ms": round(1000 * _p95(page_times), 1) if page_times else None,
        "page_median_ms": round(1000 * statistics.median(page_times), 1) if page_times else None,
        "api_p95_ms": round(1000 * _p95(api_times), 1) if api_times else None,
        "api_median_ms": round(1000 * statistics.median(api_times), 1) if api_times else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per user (bounded)")
    parser.add_argument("--seconds", type=float, default=120.0, help="overall time limit")
    parser.add_argument("--postgres", metavar="URL", help="server URL for a throw-away benchmark database")
    args = parser.parse_args()
    print(json.dumps(run(args.users, args.requests, args.seconds, args.postgres), indent=2))


if __name__ == "__main__":
    main()
