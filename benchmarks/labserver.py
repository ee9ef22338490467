"""A JupyterLab of a benchmark's own, and a browser run against it: what the browser benchmarks
(bench_grid, bench_timeline, bench_latency, bench_startup) share. Debian's chromium is driven by
the Playwright of ``ui-tests/``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "sentinel-bench"  # the token of a local server for this run only


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def jupyter_lab(root: Path, *options: str, env: Mapping[str, str] | None = None) -> Iterator[int]:
    """A JupyterLab serving ``root`` with ``options`` added, until the block ends: its port."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            f"--ServerApp.token={TOKEN}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.allow_root=True",
            "--LabApp.extension_manager=readonly",
            *options,
        ],
        env=None if env is None else dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={TOKEN}")
                break
            except OSError:
                time.sleep(0.5)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_browser(
    script: str, variables: Mapping[str, str], timeout: float, env: Mapping[str, str] | None = None
) -> Any:
    """Runs the Node ``script`` (which requires ``process.env.PLAYWRIGHT_CORE``) with
    ``variables`` in its environment; answers the JSON it prints."""
    done = subprocess.run(
        ["node", "-e", script],
        env={
            **(os.environ if env is None else env),
            "PLAYWRIGHT_CORE": str(ROOT / "ui-tests" / "node_modules" / "playwright-core"),
            **variables,
        },
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise SystemExit(f"the browser run failed:\n{done.stderr}")
    return json.loads(done.stdout)
