"""Start the production stack (``techguard web serve``: gunicorn, production settings) on 127.0.0.1 with a
fresh data directory, a watch list, a researcher and an officer with API tokens and a case."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

SRC = Path(__file__).resolve().parents[2] / "src"
SETUP = """
import json
from techguard.web import bootstrap
bootstrap.setup(); bootstrap.migrate()
from django.contrib.auth import get_user_model
from techguard.web.accounts.models import ApiToken, Department, Profile
from techguard.web.cases.workflow import create_case, run_checks
from techguard.rules.intake import parse_intake
dept = Department.objects.create(name="Physics")
out = {}
for name, role in (("rita", "researcher"), ("otto", "officer")):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "Kq8#x-" + name * 3)
    Profile.objects.create(user=user, role=role, department=dept)
    out[name] = ApiToken.issue(user, "contract")[1]
facts, parties = parse_intake("visitor", {"person_name": "Visitor One",
    "organisation": "Example Dual Use Institute", "citizenships": ["CN"], "description": "lab tour"}).to_case()
case = create_case(get_user_model().objects.get(username="rita"), "visitor", "Contract case", facts, parties)
run_checks(case, case.owner)
out["case"] = case.pk
print(json.dumps(out))
"""


@dataclass(frozen=True)
class Stack:
    base: str
    tokens: dict[str, str]
    case_id: int
    data_dir: Path
    database: str | None  # the throw-away PostgreSQL database, when DATABASE_URL was given
    pid: int  # the `techguard web serve` process (gunicorn's master is its child)


def pg_connections(admin_url: str, database: str) -> int:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database]).fetchone()
    return int(row[0]) if row else 0


def admin_url() -> str | None:
    """The PostgreSQL server of DATABASE_URL, reached through its maintenance database."""
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[0] + "/postgres" if url.startswith("postgres") else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stack_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL", "DJANGO_"))}
    env.update(TECHGUARD_DATA_DIR=str(data_dir), PYTHONPATH=str(SRC), TECHGUARD_ENV="production",
               TECHGUARD_SECRET_KEY=uuid.uuid4().hex * 2, TECHGUARD_ALLOWED_HOSTS="127.0.0.1,localhost",
               TECHGUARD_ADMIN_PASSWORD="Kq8#x-stack-admin", TECHGUARD_LOG_LEVEL="WARNING",
               TECHGUARD_INSECURE_COOKIES="1")
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from techguard.cli import main; main()", *args]


@contextmanager
def production_stack(data_dir: Path, workers: int = 2) -> Iterator[Stack]:
    """SQLite in ``data_dir``; with DATABASE_URL, a throw-away database ``<its name>_stack_<random>`` there."""
    env = stack_env(data_dir)
    database = None
    server_url = admin_url()
    if server_url:
        import psycopg

        database = f"{os.environ['DATABASE_URL'].rsplit('/', 1)[1]}_stack_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = server_url.rsplit("/", 1)[0] + "/" + database
    server = None
    log = (data_dir / "server.log").open("w")
    try:
        watch = data_dir / "watch.csv"
        watch.write_text("id,name,kind,countries\n1,Example Dual Use Institute,organisation,CN\n", encoding="utf-8")
        subprocess.run(_cli("lists", "import", "--format", "simple_csv", str(watch)), env=env, check=True,
                       capture_output=True, timeout=120)
        # the control catalogue, so /api/classification answers (without one it is a declared 503)
        rules = Path(os.environ.get("TECHGUARD_SHARED", SRC.parent.parent / "shared")) / "data" / "rules"
        if rules.is_dir():
            subprocess.run(_cli("catalogue", "build", "--from", str(rules)), env=env, check=True,
                           capture_output=True, timeout=300)
        setup = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True,
                               timeout=180)
        accounts = json.loads(setup.stdout.strip().splitlines()[-1])
        port = _free_port()
        server = subprocess.Popen(_cli("web", "serve", "--port", str(port), "--workers", str(workers),
                                       "--no-worker"), env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{base}/login/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                raise RuntimeError("server exited: " + (data_dir / "server.log").read_text()[-2000:])
            time.sleep(0.2)
        else:
            raise RuntimeError("server did not start: " + (data_dir / "server.log").read_text()[-2000:])
        yield Stack(base, {"researcher": accounts["rita"], "officer": accounts["otto"]}, accounts["case"], data_dir,
                    database, server.pid)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        log.close()
        if database and server_url:
            import psycopg

            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
