"""gunicorn settings of the production stack, one source for ``techguard web serve``, the systemd unit and the
container image: ``gunicorn -c python:techguard.web.gunicorn_conf techguard.web.wsgi:application``.

- ``gthread`` workers with ``TECHGUARD_GUNICORN_THREADS`` threads each (default 4): a request waiting on
  PostgreSQL, the disk or a slow client no longer holds a whole process, and HTTP keep-alive works (a sync worker
  closes every connection). Database connections stay bounded: one persistent connection per thread, so at most
  workers × threads (+ 1 per background worker) — ``docs/admin-guide.md``.
- ``preload_app``: the app, the screening index, every view module, template and translation catalogue is loaded
  once in the master (``techguard.web.wsgi``) and shared copy-on-write by the forked workers.
- ``gc.freeze()`` before each fork: the preloaded objects leave the collector's generations, so a worker's
  collections neither walk them nor write to their pages (which would copy them into every worker).
- Workers are recycled after ``max_requests`` (jittered so they do not restart together).
- Each worker watches the active list snapshots (``services.start_index_watch``) and loads a new index in the
  background after a list import or update, so that no check waits for it.

``--workers`` and ``--bind`` are given on the command line; any setting here can be overridden there.
"""

from __future__ import annotations

import gc
import os


def _threads() -> int:
    raw = os.environ.get("TECHGUARD_GUNICORN_THREADS", "4").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 32:
        raise ValueError(f"TECHGUARD_GUNICORN_THREADS must be a whole number from 1 to 32, got {raw!r}")
    return int(raw)


worker_class = "gthread"
threads = _threads()
preload_app = True
timeout = 120
graceful_timeout = 30
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
control_socket_disable = True  # no gunicorn control socket in the data directory; signals manage the server


def pre_fork(server: object, worker: object) -> None:
    gc.freeze()


def post_fork(server: object, worker: object) -> None:
    # each worker notices list imports and updates made by other processes and loads the new index itself,
    # before a user's check would have to
    from techguard.web.screening.services import start_index_watch

    start_index_watch()
