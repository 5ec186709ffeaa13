"""Starting ``streamlit run dashboard.py`` for the tools and tests that drive a real server
(the load test, the display soak, the browser tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import IO

from lib.data.engine import ROOT


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_dashboard(url: str, port: int | None = None, *, env: dict[str, str] | None = None,
                    log: IO[bytes] | int = subprocess.DEVNULL, wait_s: float = 60
                    ) -> tuple[subprocess.Popen, str]:
    """The dashboard on the database ``url`` (more environment: ``env``), once it answers its
    health check; returns the process and its base URL. Raises RuntimeError if it does not
    start (the process is stopped then)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.port", str(port), "--server.headless", "true",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": url, **(env or {})},
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + wait_s
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError("streamlit did not start")


def stop(proc: subprocess.Popen) -> None:
    """Stop a dashboard started by ``start_dashboard``."""
    proc.terminate()
    proc.wait(timeout=20)


__all__ = ["free_port", "start_dashboard", "stop"]
