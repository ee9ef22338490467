"""Benchmark of the local server's limits, through its REST API on a real Jupyter server.

    python benchmarks/bench_server_limits.py

Prints, for each hostile query, what the server answered, how long it took, and the peak resident
memory (VmHWM) of the server process and of its query workers against the configured limits;
and how long listing workspaces takes while six long queries run. Asserts nothing.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

TOKEN = "bench-server-limits"
MAX_RESULT_BYTES = 256 * 2**20
QUERY_MEMORY = 4 * 2**30
MAX_SQL_BYTES = 2**20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_kib(pid: int) -> int:
    """The peak resident memory of a process (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    """The processes a process started, and theirs (the query workers are forked by a
    forkserver the server started)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    children = [int(p) for p in path.read_text().split()] if path.exists() else []
    return [found for child in children for found in (child, *descendants(child))]


def call(port: int, method: str, path: str, body: object = None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sentinel/api/{path}",
        data=data,
        method=method,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=900) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def query(port: int, sql: str, timeout: float = 120) -> tuple[int, str, float]:
    start = time.perf_counter()
    body = {"sql": sql, "queryId": str(uuid.uuid4()), "timeoutSeconds": timeout, "maxRows": 1000}
    status, answer = call(port, "POST", "workspaces/demo/query", body)
    elapsed = time.perf_counter() - start
    if status == 200:
        return status, f"{pa.ipc.open_stream(answer).read_all().num_rows} rows", elapsed
    return status, json.loads(answer).get("message", "")[:90], elapsed


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as tmp:
        root, demo = Path(tmp) / "root", Path(tmp) / "demo"
        root.mkdir()
        demo.mkdir()
        pq.write_table(pa.table({"n": list(range(1000))}), demo / "Numbers.parquet")
        (demo / "_generated.json").write_text("{}")
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                f"--port={port}",
                "--ServerApp.open_browser=False",
                f"--ServerApp.token={TOKEN}",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.allow_root=True",
                # JupyterLab itself is not needed (nor its extension manager's look-ups).
                "--ServerApp.jpserver_extensions="
                "{'jupyterlab_sentinel': True, 'jupyterlab': False, 'notebook_shim': False}",
                f"--SentinelConfig.demo_path={demo}",
                f"--SentinelConfig.bookmarks_dir={Path(tmp) / 'bookmarks'}",
                f"--SentinelConfig.max_result_bytes={MAX_RESULT_BYTES}",
                f"--SentinelConfig.query_memory={QUERY_MEMORY}",
                f"--SentinelConfig.max_sql_bytes={MAX_SQL_BYTES}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            run(port, server.pid)
        finally:
            server.terminate()
            server.wait(30)


def run(port: int, pid: int) -> None:
    for _ in range(600):
        try:
            if call(port, "GET", "workspaces")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    query(port, "SELECT 1 AS x")  # the first worker is ready
    print(
        f"limits: max_result_bytes {MAX_RESULT_BYTES / 2**20:.0f} MB, "
        f"query_memory {QUERY_MEMORY / 2**30:.0f} GB per worker, "
        f"max_sql_bytes {MAX_SQL_BYTES / 2**20:.0f} MB"
    )
    print(f"server at rest: peak RSS {peak_kib(pid) / 2**10:,.0f} MB")
    cases = {
        "100 rows of 100 MB strings": "SELECT repeat('x', 100000000) AS s FROM range(100)",
        "1,000 rows of 1 MB strings": "SELECT repeat('x', 1000000) AS s FROM range(1000)",
        "huge text (2 MB IN list)": "SELECT * FROM Numbers WHERE n IN ("
        + ",".join(str(i) for i in range(300_000))
        + ")",
        "text just under the limit": "SELECT * FROM Numbers WHERE n IN ("
        + ",".join(str(i) for i in range(150_000))
        + ")",
    }
    cases["the same, 1 s time limit"] = cases["text just under the limit"]
    for name, sql in cases.items():
        status, answer, elapsed = query(port, sql, 1 if "1 s time limit" in name else 120)
        workers = max((peak_kib(child) for child in descendants(pid)), default=0)
        print(
            f"{name:>30}: {status} {answer!r} in {elapsed:.1f} s; "
            f"peak RSS server {peak_kib(pid) / 2**10:,.0f} MB, worker {workers / 2**10:,.0f} MB"
        )

    # Starvation: how long listing workspaces takes while six long queries run or wait.
    slow = "SELECT count(*) FROM range(100000000000)"
    ids = [str(uuid.uuid4()) for _ in range(6)]
    threads = [
        threading.Thread(
            target=call,
            args=(port, "POST", "workspaces/demo/query", {"sql": slow, "queryId": i}),
        )
        for i in ids
    ]
    for thread in threads:
        thread.start()
    while json.loads(call(port, "GET", "queries")[1])["running"] < 4:
        time.sleep(0.05)
    start = time.perf_counter()
    call(port, "GET", "workspaces")
    listed = time.perf_counter() - start
    status = json.loads(call(port, "GET", "queries")[1])
    print(
        f"{'list workspaces, 6 long queries':>30}: {listed * 1000:.0f} ms "
        f"({status['running']} running, {status['queued']} queued)"
    )
    for query_id in ids:
        call(port, "DELETE", f"queries/{query_id}")
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
