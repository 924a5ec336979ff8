"""A worker whose chunk (or list download) runs longer than the stale timeout keeps its job: the heartbeat
thread refreshes it, so a second worker never takes the job over and nothing is screened twice."""

from __future__ import annotations

from _scripts import run_scenario

SLOW_CHUNK = """
import threading, time
from techguard.web.screening import jobs
from techguard.web.screening.models import Job, JobStatus
user = get_user_model().objects.create_user("alice", "a@example.org", "x" * 20)
started = threading.Event()

def slow_screen(name, **kwargs):
    started.set()
    time.sleep(5)  # one chunk takes 2.5x the stale timeout
    return []

jobs.screen_name = slow_screen
job = jobs.enqueue(user, "slow.csv", [{"name": "Harbin Engineering University", "line": 1}])
first = jobs.claim("worker-A")
assert first is not None and first.pk == job.pk
runner = threading.Thread(target=jobs.process, args=(first, "worker-A"))
runner.start()
assert started.wait(10)
stolen = []
deadline = time.monotonic() + 4.5
while time.monotonic() < deadline:  # a second worker polls throughout the slow chunk
    other = jobs.claim("worker-B")
    if other is not None:
        stolen.append(other.pk)
    time.sleep(0.3)
runner.join(30)
job.refresh_from_db()
print("stolen", stolen, "status", job.status, "attempts", job.attempts, "worker", job.worker,
      "results", job.results.count())
"""


def test_slow_chunk_is_never_stolen(tmp_path):
    done = run_scenario(SLOW_CHUNK, tmp_path, TECHGUARD_JOB_STALE_SECONDS="2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "stolen [] status done attempts 1 worker worker-A results 1" in done.stdout


WITHOUT_HEARTBEAT = """
import time
from datetime import timedelta
from django.utils import timezone
from techguard.web.screening import jobs
from techguard.web.screening.models import Job
user = get_user_model().objects.create_user("alice", "a@example.org", "x" * 20)
job = jobs.enqueue(user, "x.csv", [{"name": "Nobody Special", "line": 1}])
assert jobs.claim("dead-worker") is not None
Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - timedelta(seconds=5))
taken = jobs.claim("worker-B")
print("taken", taken.pk == job.pk, taken.attempts)
"""


def test_dead_worker_job_is_still_resumed(tmp_path):
    """The heartbeat stops with the worker: a job whose worker died is taken over after the timeout."""
    done = run_scenario(WITHOUT_HEARTBEAT, tmp_path, TECHGUARD_JOB_STALE_SECONDS="2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "taken True 2" in done.stdout
