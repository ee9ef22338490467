"""A local Spark Connect server with the demo data set loaded, for the Galata tests (spark.spec.ts).

Started by ``playwright.config.js`` when ``SENTINEL_SPARK`` is set: it runs ``serve-local`` on
``--port`` with the token from ``SPARK_CONNECT_AUTHENTICATE_TOKEN``, loads the demo tables the
spec reads into the database ``demo`` with ``load-demo``, then answers HTTP on ``--ready-port``
so that Playwright starts JupyterLab only once the tables are there. It stops the Spark server
when stopped.
"""

from __future__ import annotations

import argparse
import http.server
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

from jupyterlab_sentinel.spark import main as load

#: The demo tables spark.spec.ts reads: loading all thirteen takes Spark minutes on two cores.
TABLES = ("SigninLogs", "SecurityEvent")


class Ready(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ready\n")

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ready-port", type=int, required=True)
    args = parser.parse_args()
    token = os.environ["SPARK_CONNECT_AUTHENTICATE_TOKEN"]
    warehouse = tempfile.mkdtemp(prefix="sentinel-galata-spark-")
    command = [sys.executable, "-m", "jupyterlab_sentinel.spark"]
    # The package's own command; its token comes from the environment, not the arguments.
    server = subprocess.Popen(  # noqa: S603
        [*command, "serve-local", "--port", str(args.port), "--warehouse", warehouse],
        stdout=subprocess.PIPE,
        text=True,
    )
    stopping = threading.Event()

    def stop(*_: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line.startswith("ready"):
            sys.exit(f"the Spark Connect server did not start: {line!r}")
        start = time.perf_counter()
        # In this process: a command line with the token would show in the process list.
        remote = f"sc://localhost:{args.port}/;token={token}"
        load(["load-demo", "--remote", remote, "--tables", *TABLES])
        print(f"demo loaded into Spark in {time.perf_counter() - start:.1f} s", flush=True)
        ready = http.server.HTTPServer(("localhost", args.ready_port), Ready)
        threading.Thread(target=ready.serve_forever, daemon=True).start()
        while not stopping.wait(1) and server.poll() is None:
            pass
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
