"""Web batch screening at scale: a 50,000-name upload through the real worker, its live progress and memory.

    .venv/bin/python bench/web_batch.py [--rows 50000] [--small 5000]

A throw-away data directory gets the METI End User List imported through the snapshot store (the web app
builds its screener from it, as in production) and an SQLite database. The upload is parsed as the page
parses it, queued, and screened by the worker loop in a thread while this process polls the progress fragment
every 2 s as the browser's htmx does, recording what it shows and the resident memory. Then the results are
downloaded as CSV. The same is done for ``--small`` rows first: memory is bounded when the 50,000-row run
needs little more than the small one (docs/benchmarks.md "Web batch screening").
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _lists import EVAL, LISTS

_data = tempfile.mkdtemp(prefix="techguard-bench-batch-")
os.environ["TECHGUARD_DATA_DIR"] = _data
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techguard.web.settings")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _names(rows: int) -> list[str]:
    with (EVAL / "synthetic_negatives_us.csv").open(encoding="utf-8") as fh:
        people = [r["full_name"] for r in csv.DictReader(fh)]
    listed = ["Korea Mining Development Trading Corporation", "ハルビン工業大学", "Islamic Revolutionary Guard Corps"]
    out = []
    for i, person in enumerate(people * (rows // len(people) + 1)):
        out.append(listed[i // 100 % len(listed)] if i % 100 == 0 else person)  # 1 % listed names
    return out[:rows]


def run(rows: int, owner: object, client: object) -> dict[str, float]:
    from techguard.web.screening import jobs
    from techguard.web.screening.models import Job

    upload = Path(_data) / f"names-{rows}.csv"
    with upload.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "country", "department"])
        for i, name in enumerate(_names(rows), 1):
            writer.writerow([i, name, "US" if i % 3 else "", "Physics"])
    start_rss = rss_mb()
    t = time.perf_counter()
    columns, queries = jobs.parse_upload(upload, upload.name)
    job = jobs.enqueue(owner, upload.name, queries, columns)
    parse_rss = rss_mb()
    del queries
    parse_s = time.perf_counter() - t
    stop = threading.Event()
    worker = threading.Thread(target=jobs.run_forever, kwargs={"stop": stop, "poll_seconds": 0.2}, daemon=True)
    t = time.perf_counter()
    worker.start()
    samples: list[tuple[float, int]] = []
    peak = rss_mb()
    while True:
        time.sleep(2)
        fragment = client.get(f"/screening/batches/{job.pk}/progress/").content.decode()  # type: ignore[attr-defined]
        shown = re.search(r"(\d+)/(\d+)", fragment)
        samples.append((time.perf_counter() - t, int(shown.group(1)) if shown else -1))
        peak = max(peak, rss_mb())
        if 'data-status="done"' in fragment or 'data-status="failed"' in fragment:
            break
    screen_s = time.perf_counter() - t
    screen_peak = peak
    stop.set()
    worker.join(timeout=10)
    t = time.perf_counter()
    response = client.get(f"/screening/batches/{job.pk}/results.csv")  # type: ignore[attr-defined]
    download_s = time.perf_counter() - t
    peak = max(peak, rss_mb())
    job = Job.objects.get(pk=job.pk)
    distinct_progress = len({n for _, n in samples})
    return {"rows": rows, "status": job.status == "done", "alerts": job.alerts, "parse_s": parse_s,
            "screen_s": screen_s, "rows_per_s": rows / screen_s, "download_s": download_s,
            "download_mb": len(response.content) / 1e6, "progress_updates": distinct_progress,
            "polls": len(samples), "start_rss": start_rss, "parse_rss": parse_rss, "screen_peak": screen_peak,
            "peak_rss": peak}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=5_000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from techguard.web.accounts.models import Profile
    from techguard.web.screening.services import get_screener, snapshot_store

    call_command("migrate", verbosity=0)
    snapshot_store().import_files([LISTS / "jp_meti_end_user_list_2025-09-29" / "jp.json"], "meti_eul_json")
    get_screener()  # built once at start, as the web app does
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("bench", "bench@example.org", "x")
    Profile.objects.create(user=user, role="officer")
    client = Client()
    client.force_login(user)
    print(f"load average at start: {Path('/proc/loadavg').read_text().strip()}; data dir {_data}")
    print(f"resident memory with the screener loaded: {rss_mb():.0f} MB")
    for rows in (args.small, args.rows):
        result = run(rows, user, client)
        print(f"\n{rows:,} rows: done={result['status']} alerts={result['alerts']}")
        print(f"  parse + queue: {result['parse_s']:.1f} s; screening: {result['screen_s']:.0f} s "
              f"({result['rows_per_s']:.0f} rows/s); CSV download: {result['download_s']:.1f} s, "
              f"{result['download_mb']:.1f} MB")
        print(f"  progress: {result['progress_updates']} different counts over {result['polls']} polls (every 2 s)")
        print(f"  resident memory: {result['start_rss']:.0f} MB before; {result['parse_rss']:.0f} MB right after "
              f"parsing the upload; peak {result['screen_peak']:.0f} MB while screening; "
              f"{result['peak_rss']:.0f} MB after the CSV download")
    print(f"\nload average at end: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
