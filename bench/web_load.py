"""Load benchmark of the web app: p95 page and API latency with N concurrent users, loopback only.

Starts ``techguard web serve`` (gunicorn with ``--workers`` processes of ``--threads`` threads, production
settings; ``--dev`` for Django's threaded server) on 127.0.0.1 with a fresh data directory, creates N researchers with a session, an
API token and a few cases each, then has every user loop over: home page, case list, one of their case pages,
``GET /api/cases`` and ``POST /api/screening/search``, waiting ``--pause`` seconds between requests.
Bounded by ``--requests`` per user (0: no bound) and ``--seconds`` overall. With PostgreSQL the benchmark
database's connections are counted during the load and 5 s after it (they must stay bounded by the server's
threads, not pile up).

CPU per request, the figure that does not depend on what else the machine is running: the CPU seconds of the
server's process tree (``web serve``, gunicorn's master and workers; PostgreSQL's backends not included) and of
this client process over the load, divided by the requests served; and before the load (``--calibrate N``) N
sequential requests of each kind, one kind at a time, for the server's CPU per request kind.

  .venv/bin/python bench/web_load.py                       # SQLite in a temporary data directory
  .venv/bin/python bench/web_load.py --postgres postgres://postgres@127.0.0.1:5432/postgres --requests 0 \
      --users 50 --seconds 120                            # 50 clients, no pause
  .venv/bin/python bench/web_load.py --postgres ... --requests 0 --users 200 --pause 5 --seconds 120
  .venv/bin/python bench/web_load.py --postgres ... --requests 0 --users 50 --dev     # the development server
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _web import free_port, wait_until_answering

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
from techguard.rules.intake import parse_intake
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
        facts, parties = parse_intake("visitor", {"person_name": f"Visitor {i}-{j}",
            "organisation": "Example Dual Use Institute", "citizenships": ["CN"], "description": "lab tour"}).to_case()
        case = create_case(user, "visitor", f"Bench case {i}-{j}", facts, parties)
        run_checks(case, user)
        cases.append(case.pk)
    out.append({"session": session.session_key, "token": ApiToken.issue(user, "bench")[1], "cases": cases})
print(json.dumps(out))
"""


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, the reaped ones included."""
    import psutil

    total = 0.0
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


KINDS = ("home page", "case list", "case page", "GET /api/cases", "POST /api/screening/search")


def _request(client: httpx.Client, step: int, n: int, cases: list[int], headers: dict[str, str]) -> httpx.Response:
    if step == 0:
        return client.get("/")
    if step == 1:
        return client.get("/cases/")
    if step == 2:
        return client.get(f"/cases/{cases[n % len(cases)]}/")
    if step == 3:
        return client.get("/api/cases", headers=headers)
    return client.post("/api/screening/search", headers=headers, json={"name": "Example Dual Use Inst."})


def _calibrate(base: str, account: dict[str, object], server_pid: int, rounds: int) -> dict[str, dict[str, float]]:
    """Server CPU per request kind, load-independent: one client, one kind at a time, the server otherwise idle,
    CPU seconds of the server's process tree before and after ``rounds`` requests of that kind."""
    cookies = {"sessionid": str(account["session"])}
    headers = {"Authorization": f"Bearer {account['token']}"}
    cases = list(account["cases"])  # type: ignore[call-overload]
    out: dict[str, dict[str, float]] = {}
    with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
        for step in range(5):  # warm every worker's caches first (templates, translations, connection)
            for n in range(10):
                _request(client, step, n, cases, headers).read()
        for step, kind in enumerate(KINDS):
            times = []
            cpu_before = _tree_cpu(server_pid)
            for n in range(rounds):
                started = time.perf_counter()
                response = _request(client, step, n, cases, headers)
                response.read()
                times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{kind}: HTTP {response.status_code}")
            cpu = _tree_cpu(server_pid) - cpu_before
            out[kind] = {"server_cpu_ms": round(1000 * cpu / rounds, 1),
                         "wall_median_ms": round(1000 * statistics.median(times), 1)}
    return out


def _backend_cpu(database_url: str, database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to ``database`` (same machine), by process id."""
    import psutil
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        pids = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database])]
    out = {}
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            continue
        out[pid] = times.user + times.system
    return out


def _connections(database_url: str, database: str) -> int:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database]).fetchone()
    return int(row[0]) if row else 0


def run(users: int, requests_per_user: int, seconds: float, database_url: str | None, *, pause: float = 0.0,
        workers: int = 4, threads: int = 4, dev: bool = False, calibrate: int = 0) -> dict[str, object]:
    data = Path(tempfile.mkdtemp(prefix="techguard-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL", "DJANGO_"))}
    env.update(TECHGUARD_DATA_DIR=str(data), TECHGUARD_ADMIN_PASSWORD="bench-admin-password-1",
               TECHGUARD_ENV="production", TECHGUARD_SECRET_KEY=uuid.uuid4().hex * 2,
               TECHGUARD_ALLOWED_HOSTS="127.0.0.1,localhost", TECHGUARD_LOG_LEVEL="WARNING",
               TECHGUARD_GUNICORN_THREADS=str(threads))
    bench_db = None
    if database_url:
        import psycopg

        # a throw-away database named after the one given (so parallel users of the server never collide)
        bench_db = f"{database_url.rsplit('/', 1)[1] or 'techguard'}_load_{uuid.uuid4().hex[:6]}"
        database_url = database_url.rsplit("/", 1)[0] + "/postgres"
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
    port = free_port()
    command = [str(BIN / "techguard"), "web", "serve", "--port", str(port), "--no-worker"]
    command += ["--dev"] if dev else ["--workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    page_times: list[float] = []
    api_times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    peak_connections = 0
    connections_after: int | None = None
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    try:
        if not wait_until_answering(base, 120):  # up to 2 minutes on a loaded machine
            raise SystemExit("the server did not answer within 120 s")

        def user_loop(account: dict[str, object]) -> None:
            cookies = {"sessionid": str(account["session"])}
            headers = {"Authorization": f"Bearer {account['token']}"}
            cases = list(account["cases"])  # type: ignore[call-overload]
            with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
                n = -1
                while requests_per_user <= 0 or n + 1 < requests_per_user:
                    n += 1
                    if time.monotonic() > deadline:
                        return
                    if pause:
                        # users do not click in step, nor all at the same instant when the run starts: without the
                        # spread first wait, 200 users send 200 requests at t = 0 and that burst alone (5 % of a
                        # 2-minute run) makes the p95
                        time.sleep(pause * (0.5 + random.random()) if n else pause * random.random())
                        if time.monotonic() > deadline:
                            return
                    step = n % 5
                    started = time.perf_counter()
                    response = _request(client, step, n, cases, headers)
                    kind = "page" if step < 3 else "api"
                    elapsed = time.perf_counter() - started
                    response.read()
                    with lock:
                        (page_times if kind == "page" else api_times).append(elapsed)
                        if response.status_code != 200:
                            errors.append(f"{response.request.url.path}: {response.status_code}")

        per_kind = _calibrate(base, accounts[0], server.pid, calibrate) if calibrate else None
        clients = [threading.Thread(target=user_loop, args=(a,)) for a in accounts]
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        server_cpu_before, client_cpu_before = _tree_cpu(server.pid), time.process_time()
        backends_before = _backend_cpu(database_url, bench_db) if bench_db and database_url else {}
        backends_seen = dict(backends_before)
        for client in clients:
            client.start()
        while any(c.is_alive() for c in clients):
            if bench_db and database_url:
                peak_connections = max(peak_connections, _connections(database_url, bench_db))
                backends_seen.update(_backend_cpu(database_url, bench_db))
            time.sleep(1)
        wall = time.monotonic() - started
        server_cpu = _tree_cpu(server.pid) - server_cpu_before
        client_cpu = time.process_time() - client_cpu_before
        if bench_db and database_url:
            backends_seen.update(_backend_cpu(database_url, bench_db))
        # persistent connections only: a backend that served one request and exited between samples is missed
        database_cpu = sum(cpu - backends_before.get(pid, 0.0) for pid, cpu in backends_seen.items())
        load_after = Path("/proc/loadavg").read_text().split()[:3]
        if bench_db and database_url:
            time.sleep(5)
            connections_after = _connections(database_url, bench_db)
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
        "pause_s": pause,
        "server": "runserver (--dev)" if dev else f"gunicorn {workers} workers × {threads} threads",
        "seconds": round(wall, 1),
        "throughput_rps": round(total / wall, 1) if wall else 0,
        "page_p95_ms": round(1000 * _p95(page_times), 1) if page_times else None,
        "page_median_ms": round(1000 * statistics.median(page_times), 1) if page_times else None,
        "api_p95_ms": round(1000 * _p95(api_times), 1) if api_times else None,
        "api_median_ms": round(1000 * statistics.median(api_times), 1) if api_times else None,
        "server_cpu_ms_per_request": round(1000 * server_cpu / total, 1) if total else None,
        "client_cpu_ms_per_request": round(1000 * client_cpu / total, 1) if total else None,
        "database_cpu_ms_per_request": round(1000 * database_cpu / total, 1) if total and bench_db and not dev
        else None,
        "server_cpu_ms_per_request_by_kind": per_kind,
        "db_connections_peak": peak_connections if database_url else None,
        "db_connections_5s_after": connections_after,
        "loadavg_before": " ".join(load_before),
        "loadavg_after": " ".join(load_after),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per user (bounded)")
    parser.add_argument("--seconds", type=float, default=120.0, help="overall time limit")
    parser.add_argument("--postgres", metavar="URL", help="server URL for a throw-away benchmark database")
    parser.add_argument("--pause", type=float, default=0.0, help="mean seconds each user waits between requests")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--dev", action="store_true", help="Django's development server instead of gunicorn")
    parser.add_argument("--calibrate", type=int, default=50, metavar="N",
                        help="before the load, N sequential requests of each kind: server CPU per request kind")
    args = parser.parse_args()
    print(json.dumps(run(args.users, args.requests, args.seconds, args.postgres, pause=args.pause,
                         workers=args.workers, threads=args.threads, dev=args.dev,
                         calibrate=args.calibrate), indent=2))


if __name__ == "__main__":
    main()
