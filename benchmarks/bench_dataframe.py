"""Benchmark: from running a KQL cell to its DataFrame in the kernel, at 10k, 100k and 1M rows.

    python benchmarks/bench_dataframe.py [--rows 10000 100000 1000000] [--runs 3]

The path is the real one of a KQL cell on a local workspace, without the browser: the KQL is
compiled by the project's compiler (``bin/kql compile``, timed apart: the browser compiles once
per run), the server's export writes the full result as Parquet, and a real IPython kernel runs
the Python the extension inserts below the cell (``resultCellSource``, read from the built
``lib/``). The result has the column types of a sign-in log: datetime, strings, a dynamic bag.
``query`` is the SQL alone on DuckDB (no Parquet): most of ``export`` at 1M rows is the query's
own strings and arithmetic. The loader keeps dynamic columns as JSON text; ``parse`` is the time
of the one-liner its comment gives, run on every dynamic column afterwards (what an analyst who
wants Python objects pays).
Prints figures, then the same as a markdown table for the README; asserts nothing. Needs
``jlpm build`` (make build).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from jupyterlab_sentinel.lake import Lake

ROOT = Path(__file__).resolve().parent.parent
#: Issue 21's target for run → DataFrame of a 1M-row result, printed beside the figure.
TARGET_S = 1.5


def query(rows: int) -> str:
    return (
        f"range i from 1 to {rows} step 1"
        " | extend TimeGenerated = datetime(2026-10-01) + i * 1s,"
        ' UserPrincipalName = strcat("user", i % 997, "@contoso.example"),'
        ' IPAddress = strcat("10.0.", i % 250, ".", i % 200),'
        ' ResultType = iff(i % 7 == 0, "50126", "0"),'
        ' DeviceDetail = bag_pack("browser", "Edge", "n", i)'
    )


def loader(variable: str, dynamic: list[str]) -> str:
    script = (
        "import { resultCellSource } from './lib/cells/metadata.js';"
        f"process.stdout.write(resultCellSource({json.dumps(variable)}, {json.dumps(dynamic)}));"
    )
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def parse(dynamic: list[str]) -> str:
    """The one-liner of the loader's comment, for every dynamic column of ``df``."""
    return "\n".join(
        f"df[{json.dumps(c)}] = df[{json.dumps(c)}].map(json.loads, na_action='ignore')"
        for c in dynamic
    )


def run_in_kernel(client: object, code: str) -> None:
    reply = client.execute_interactive(code, timeout=600, output_hook=lambda _msg: None)  # type: ignore[attr-defined]
    if reply["content"]["status"] != "ok":
        raise RuntimeError(reply["content"].get("evalue", "the kernel failed"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sentinel-bench-") as tmp:
        root = Path(tmp)
        (root / "logs").mkdir()
        (root / "logs" / "Heartbeat.csv").write_text("Computer\nweb01\n")
        lake = Lake(root_dir=root, demo_path=root / "no-demo")
        [workspace] = [w for w in lake.configure([{"name": "Logs", "path": "logs"}]) if not w.demo]
        (root / "hunt").mkdir()
        manager, client = start_new_kernel(kernel_name="python3", cwd=str(root / "hunt"))
        table = [
            "| rows | query alone s | export s | load s | run → DataFrame s | target s "
            "| parse dynamic s |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        try:
            run_in_kernel(client, "import pandas, pyarrow")
            header = (
                "rows",
                "compile",
                "query",
                "export",
                "load",
                "run→df",
                "target",
                "parse",
                "file",
            )
            print("  ".join(f"{h:>10}" if i == 0 else f"{h:>8}" for i, h in enumerate(header)))
            for rows in args.rows:
                started = time.perf_counter()
                sql = subprocess.run(
                    [str(ROOT / "bin" / "kql"), "compile", query(rows)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                compile_s = time.perf_counter() - started
                exports, loads, parses, queries = [], [], [], []
                size = 0.0
                for run in range(args.runs):
                    started = time.perf_counter()
                    cursor = lake.engine(workspace.id).connection.cursor()
                    cursor.sql(sql).to_arrow_table()
                    cursor.close()
                    queries.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    result = lake.export(
                        workspace.id, sql, "hunt/results/df.parquet", f"bench-{rows}-{run}"
                    )
                    exports.append(time.perf_counter() - started)
                    dynamic = [c["name"] for c in result["columns"] if c["type"] == "dynamic"]
                    code = loader("df", dynamic) + f"\nassert len(df) == {rows}"
                    started = time.perf_counter()
                    run_in_kernel(client, code)
                    loads.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    run_in_kernel(client, parse(dynamic))
                    parses.append(time.perf_counter() - started)
                    size = (root / "hunt" / "results" / "df.parquet").stat().st_size / 2**20
                export_s, load_s = statistics.median(exports), statistics.median(loads)
                print(
                    f"{rows:>10,}  {compile_s:>7.2f}s  {statistics.median(queries):>7.2f}s"
                    f"  {export_s:>7.2f}s  {load_s:>7.2f}s"
                    f"  {export_s + load_s:>7.2f}s  {TARGET_S:>7.2f}s"
                    f"  {statistics.median(parses):>7.2f}s  {size:>6.1f}MB"
                )
                table.append(
                    f"| {rows:,} | {statistics.median(queries):.2f} | {export_s:.2f} "
                    f"| {load_s:.2f} | {export_s + load_s:.2f} | {TARGET_S:.2f} "
                    f"| {statistics.median(parses):.2f} |"
                )
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    print(f"\nFor the README (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):\n")
    print("\n".join(table))


if __name__ == "__main__":
    main()
