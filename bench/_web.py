"""What the web benchmarks (web_first_check.py, web_load.py) share: a free local port and waiting for a
started `techguard web serve` to answer."""

from __future__ import annotations

import socket
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answering(base: str, seconds: float, poll: float = 0.05) -> bool:
    """Poll ``base``/login/ until it answers 200 (True) or ``seconds`` have passed (False)."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            if httpx.get(f"{base}/login/", timeout=2).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(poll)
    return False
