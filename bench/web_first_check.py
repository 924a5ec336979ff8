"""The web app's first screening check after a start, and after a list import, timed over HTTP.

Issue 9 asks for the first check ≤ 2 s after a start: no user's request may wait for the screening index.
This benchmark imports the real list snapshots in ../shared (every list the CLI can import; the shared CSL
file is cut off and refused) into a fresh data directory with ``techguard lists import`` — which builds and
caches the index — creates one API token, then, ``--rounds`` times:

* **start**: launches ``techguard web serve`` (production settings, gunicorn), polls ``/login/`` until the server
  answers, and sends ``POST /api/screening/search`` at once: the time from the launch to the first check's
  answer, and the first check's own latency;
* **after a list import**: with the server running, imports a new snapshot of a small list with the CLI, then
  times the first checks that follow at once (a worker that has not yet noticed the switch loads the new index
  from the on-disk cache the import wrote), and again after a second import and the workers' index-watch
  interval (each worker has loaded the new index in the background);
* **cold start** (``--cold``, for comparison): the same start with the index cache deleted, so the server builds
  the index itself before it answers.

  .venv/bin/python bench/web_first_check.py [--rounds 3] [--workers 2] [--cold]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _web import free_port, wait_until_answering

from techguard.web.screening.services import INDEX_WATCH_SECONDS

BIN = Path(sys.executable).parent
SHARED = Path(os.environ.get("TECHGUARD_SHARED", Path(__file__).resolve().parents[1].parent / "shared")) / "data"
LISTS = SHARED / "lists"
IMPORTS = (
    "us_ofac_sdn_2021-07-07",
    "us_ofac_consolidated_nonsdn_2025-12-19",
    "un_sc_consolidated_2026-02-27/UN_consolidated.xml",
    "jp_meti_end_user_list_2025-09-29/jp.json",
    "cn_mofcom_lists_2026-07-19/cn.json",
    "us_bis_dpl_2023-11-30/dpl.txt",
)
QUERIES = ("Skolkovo Institute of Science and Technology", "ロステック", "Harbin Institute of Technology",
           "Example Trading Ltd")

TOKEN = """
from techguard.web import bootstrap
bootstrap.setup(); bootstrap.migrate()
from django.contrib.auth import get_user_model
from techguard.web.accounts.models import ApiToken, Profile
user = get_user_model().objects.create_user("bench", "bench@example.org", "x" * 20)
Profile.objects.create(user=user, role="officer")
print(ApiToken.issue(user, "bench")[1])
"""


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _cli(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(BIN / "techguard"), *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _check(client: httpx.Client, token: str, name: str) -> float:
    started = time.perf_counter()
    response = client.post("/api/screening/search", headers={"Authorization": f"Bearer {token}"},
                           json={"name": name})
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"POST /api/screening/search: HTTP {response.status_code}: {response.text[:300]}")
    return elapsed


def _start(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], str, float]:
    """Launch the server; returns it, its base URL and the seconds until ``/login/`` answered."""
    port = free_port()
    launched = time.perf_counter()
    server = subprocess.Popen(
        [str(BIN / "techguard"), "web", "serve", "--port", str(port), "--no-worker", "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    if wait_until_answering(base, 60):
        return server, base, launched
    server.terminate()
    raise SystemExit("the server did not answer within 60 s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def run(rounds: int, workers: int, cold: bool) -> dict[str, object]:
    data = Path(tempfile.mkdtemp(prefix="techguard-firstcheck-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL", "DJANGO_"))}
    env.update(TECHGUARD_DATA_DIR=str(data), TECHGUARD_ADMIN_PASSWORD="bench-admin-password-1",
               TECHGUARD_ENV="production", TECHGUARD_SECRET_KEY=uuid.uuid4().hex * 2,
               TECHGUARD_ALLOWED_HOSTS="127.0.0.1,localhost", TECHGUARD_LOG_LEVEL="WARNING")
    result: dict[str, object] = {"load_before": _load(), "workers": workers}
    try:
        imports = [_cli(env, "lists", "import", str(LISTS / relative)) for relative in IMPORTS]
        result["import_seconds"] = [round(s, 2) for s in imports]
        token = subprocess.run([sys.executable, "-c", TOKEN], env=env, check=True, capture_output=True,
                               text=True).stdout.strip().splitlines()[-1]
        starts: list[dict[str, float]] = []
        after_import: list[float] = []
        after_watch: list[float] = []
        for round_ in range(rounds):
            if cold:
                shutil.rmtree(data / "cache" / "index", ignore_errors=True)
            server, base, launched = _start(env, workers)
            ready = time.perf_counter()
            try:
                with httpx.Client(base_url=base, timeout=120) as client:
                    first = _check(client, token, QUERIES[round_ % len(QUERIES)])
                    answered = time.perf_counter()
                    starts.append({"launch_to_ready": ready - launched, "first_check": first,
                                   "launch_to_first_answer": answered - launched})
                    watch = data / f"watch-{round_}.csv"
                    watch.write_text(f"id,name,kind,countries\n1,Example Trading {round_} Ltd,organisation,CN\n",
                                     encoding="utf-8")
                    _cli(env, "lists", "import", "--format", "simple_csv", "--source", "bench_watch", str(watch))
                # one new connection per check, so that the checks spread over the workers (each loads the new
                # index on its first check after the import): the slowest is the figure
                checks = []
                for n in range(workers * 3):
                    with httpx.Client(base_url=base, timeout=120) as fresh:
                        checks.append(_check(fresh, token, QUERIES[n % len(QUERIES)]))
                after_import.append(max(checks))
                # the same once the workers' index watch has had its interval to notice the switch
                _cli(env, "lists", "import", "--format", "simple_csv", "--source", "bench_watch2", str(watch))
                time.sleep(INDEX_WATCH_SECONDS + 1)
                checks = []
                for n in range(workers * 3):
                    with httpx.Client(base_url=base, timeout=120) as fresh:
                        checks.append(_check(fresh, token, QUERIES[n % len(QUERIES)]))
                after_watch.append(max(checks))
            finally:
                _stop(server)
        result["starts"] = [{k: round(v, 3) for k, v in s.items()} for s in starts]
        result["first_check_after_import_max"] = [round(s, 3) for s in after_import]
        result["first_check_after_import_and_watch_max"] = [round(s, 3) for s in after_watch]
        result["launch_to_first_answer_median"] = round(
            statistics.median(s["launch_to_first_answer"] for s in starts), 3)
        result["first_check_median"] = round(statistics.median(s["first_check"] for s in starts), 3)
        result["load_after"] = _load()
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--cold", action="store_true", help="delete the index cache before every start")
    args = parser.parse_args()
    print(json.dumps(run(args.rounds, args.workers, args.cold), indent=2))


if __name__ == "__main__":
    main()
