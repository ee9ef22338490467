"""The hunts of bench_kql.py on Spark local mode next to DuckDB, on the same demo Parquet data.

    python benchmarks/bench_spark.py [--scale 1 10] [--runs 3] [--data DIR] [--port 15071]
        [--memory 2g] [--sql]

Starts one local Spark Connect server (``python -m jupyterlab_sentinel.spark serve-local``: Spark
in local mode, two threads) and, for each scale, reads the demo workspace's daily Parquet files
as a Spark folder workspace (``SparkWorkspaces``, temporary views over the files: nothing is
copied). Each hunt is compiled twice, to DuckDB SQL and to Spark SQL, and runs as the Jupyter
server runs it: ``Lake.query`` on DuckDB, ``SparkWorkspaces.query`` through Spark Connect (the
prelude functions it calls, the session settings of ``spark-session.json``, the row limit, the
Arrow result). One untimed warm-up, then the median of ``--runs``; the row counts of the two
engines are compared and a difference is printed, not hidden. Prints one markdown table with the
scaling of each engine from the first scale to the last.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

import pyarrow as pa
from bench_kql import (
    HUNTS,
    Timing,
    demo_data,
    ensure_compiler_built,
    growth,
    markdown_table,
    node,
    timed,
)

from jupyterlab_sentinel.demo import is_generated
from jupyterlab_sentinel.lake import Lake, Limits
from jupyterlab_sentinel.spark import SparkWorkspaces, client_missing

#: Seconds a Spark query may run before it counts as failed (the first query of a session
#: compiles the prelude's functions and plans the scans).
SPARK_SECONDS = 600.0


#: A query whose own work is nothing: the time of a query on each engine, whatever its data.
FLOOR_QUERY = "SELECT count(*) FROM SecurityAlert"
FLOOR_NAME = "(floor) count(*) of SecurityAlert"


def no_bookmarks() -> pa.Table:
    """The bookmark log of the Spark workspace: no hunt reads it."""
    return pa.table({})


@dataclass
class EngineRow:
    """One hunt's figures at one scale on both engines."""

    name: str
    duckdb: Timing
    spark: Timing


@contextmanager
def spark_server(port: int, memory: str) -> Iterator[str]:
    """A local Spark Connect server for the benchmark's lifetime; answers its URL."""
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as warehouse:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab_sentinel.spark",
                "serve-local",
                "--port",
                str(port),
                "--warehouse",
                warehouse,
                "--memory",
                memory,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            if not line.startswith("ready "):
                raise RuntimeError(f"the Spark Connect server did not start: {line!r}")
            print(f"Spark Connect server: {line.split(' ', 2)[2].strip()}, local[2], {memory}")
            yield f"sc://localhost:{port}"
        finally:
            server.terminate()
            server.wait(timeout=60)


def demo_at(folder: Path, scale: float) -> tuple[Path, datetime]:
    """The demo workspace at this scale and the instant it ends, which every ago() of the hunts
    counts from: one already there is used whatever its end (a link to the demo of
    ``make demo``, say); else bench_kql.py's, generated once."""
    path = folder / f"demo-scale-{scale:g}"
    marker = path / "_generated.json"
    if not (is_generated(path) and json.loads(marker.read_text()).get("scale") == scale):
        path = demo_data(folder, scale)
    return path, datetime.fromisoformat(json.loads(marker.read_text())["end"])


def bench_scale(
    scale: float, runs: int, data_folder: Path, remote: str, show_sql: bool
) -> list[EngineRow]:
    """Times each hunt on DuckDB and on Spark at one scale and compares their row counts."""
    data, end = demo_at(data_folder, scale)
    lake = Lake(root_dir=data.parent, demo_path=data)
    tables = cast(list[dict[str, object]], lake.schema("demo")["tables"])
    total = sum(cast(int, t["rowCount"]) for t in tables)
    limits = Limits()
    workspaces = SparkWorkspaces(
        [{"name": "bench", "remote": remote, "path": str(data)}], limits, set()
    )
    workspace = workspaces.settings[0].id
    # Each dialect compiles against its own workspace's schema, as the browser does: Spark reads
    # the Parquet files' JSON columns as strings, DuckDB as JSON (dynamic).
    schemas = {"duckdb": tables, "spark": workspaces.schema(workspace)[0]}
    now = end.isoformat().replace("+00:00", "Z")
    sources = json.dumps({h.name: h.kql for h in HUNTS})
    compiled = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dialect, schema in schemas.items():
            schema_file = Path(tmp) / f"{dialect}.json"
            schema_file.write_text(json.dumps({"tables": schema}))
            compiled[dialect] = node(
                "compile", str(schema_file), now, "--dialect", dialect, stdin=sources
            )
    print(
        f"\nHunts at scale {scale:g}: {total:,} rows in {len(tables)} tables ({data}); DuckDB "
        f"with {lake.limits.threads} threads via Lake.query, Spark local[2] via "
        f"SparkWorkspaces.query; median of {runs} runs after a warm-up; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"  {'hunt':38} {'DuckDB ms':>10} {'Spark ms':>10} {'Spark/DuckDB':>12} {'rows':>15}")

    def on_duckdb(sql: str) -> Callable[[], int]:
        def run() -> int:
            result = lake.query("demo", sql, str(uuid.uuid4()), max_rows=limits.max_rows)
            if result.truncated:
                raise RuntimeError(f"more than {limits.max_rows:,} rows")
            return int(result.table.num_rows)

        return run

    def on_spark(sql: str) -> Callable[[], int]:
        def run() -> int:
            result = workspaces.query(
                workspace, sql, str(uuid.uuid4()), limits.max_rows, SPARK_SECONDS, no_bookmarks
            )
            if result.truncated:
                raise RuntimeError(f"more than {limits.max_rows:,} rows")
            return int(result.table.num_rows)

        return run

    figures: list[EngineRow] = []
    problems: list[str] = []
    try:
        # What any query costs on each engine, whatever the data: the hunts' times less this are
        # the engines' work on the data.
        floor = EngineRow(
            FLOOR_NAME, *(timed(on(FLOOR_QUERY), runs) for on in (on_duckdb, on_spark))
        )
        figures.append(floor)
        print(f"  {FLOOR_NAME:38} {floor.duckdb.cell():>10} {floor.spark.cell():>10}")
        for hunt in HUNTS:
            timings = []
            for dialect, on in (("duckdb", on_duckdb), ("spark", on_spark)):
                out = compiled[dialect]["queries"][hunt.name]
                if out["sql"] is None:
                    timings.append(Timing(error=f"compile failed: {out['error']}"))
                else:
                    timings.append(timed(on(out["sql"]), runs))
                if show_sql and out["sql"]:
                    print(f"\n--- {hunt.name}: {dialect}\n{out['sql']}\n")
            duck, spark = timings
            figures.append(EngineRow(hunt.name, duck, spark))
            ratio = f"{spark.ms / duck.ms:.1f}x" if spark.ms and duck.ms else "-"
            counts = "/".join("-" if t.rows is None else str(t.rows) for t in timings)
            differ = duck.rows is not None and spark.rows is not None and duck.rows != spark.rows
            print(
                f"  {hunt.name:38} {duck.cell():>10} {spark.cell():>10} {ratio:>12} {counts:>15}"
                + ("  <-- ROW COUNTS DIFFER" if differ else ""),
                flush=True,
            )
            for label, timing in (("DuckDB", duck), ("Spark", spark)):
                if timing.error:
                    problems.append(f"{hunt.name}: {label}: {timing.error}")
            if differ:
                problems.append(
                    f"{hunt.name}: ROW COUNTS DIFFER: DuckDB {duck.rows}, Spark {spark.rows}"
                )
    finally:
        workspaces.close()
        lake.close()
    print("  (rows: DuckDB/Spark)")
    if problems:
        print("\nPROBLEMS:")
        for problem in problems:
            print(f"  {problem}")
    return figures


def markdown(results: dict[float, list[EngineRow]]) -> str:
    """One table of every scale for the README, with each engine's growth from the first scale
    to the last."""
    scales = list(results)
    first, last = scales[0], scales[-1]
    head = ["hunt"]
    for scale in scales:
        head += [f"DuckDB ms, scale {scale:g}", f"Spark ms, scale {scale:g}", "Spark/DuckDB"]
    if len(scales) > 1:
        head += [f"DuckDB growth {first:g}→{last:g}", "Spark growth"]
    rows = []

    for i, name in enumerate(r.name for r in results[first]):
        cells = [name]
        for scale in scales:
            row = results[scale][i]
            ratio = (
                f"{row.spark.ms / row.duckdb.ms:.1f}x" if row.spark.ms and row.duckdb.ms else "-"
            )
            differ = row.duckdb.rows is not None and row.duckdb.rows != row.spark.rows
            spark = row.spark.cell() + (" (rows differ)" if differ else "")
            cells += [row.duckdb.cell(), spark, ratio]
        if len(scales) > 1:
            a, b = results[first][i], results[last][i]
            cells += [growth(a.duckdb, b.duckdb), growth(a.spark, b.spark)]
        rows.append(cells)
    return markdown_table(head, rows)


def main() -> None:
    """The hunts on both engines at each scale, then the README's table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, nargs="+", default=[1.0, 10.0], help="demo scales (1 ≈ 1M rows)"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs per hunt and engine")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    parser.add_argument(
        "--data",
        type=Path,
        default=cache / "jupyterlab-sentinel" / "bench",
        help="folder where demo workspaces are generated and kept (bench_kql.py's too)",
    )
    parser.add_argument("--port", type=int, default=15071, help="the Spark Connect server's port")
    parser.add_argument("--memory", default="2g", help="the Spark driver's memory (JVM units)")
    parser.add_argument("--sql", action="store_true", help="print each hunt's compiled SQL")
    args = parser.parse_args()
    # Spark's client logs each failed query in full; the table reports its first line.
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message=".*escapedStringLiterals", category=UserWarning)
    missing = client_missing()
    if missing is not None:
        parser.exit(1, f"{missing}\n")
    ensure_compiler_built()
    with spark_server(args.port, args.memory) as remote:
        results = {
            scale: bench_scale(scale, args.runs, args.data, remote, args.sql)
            for scale in args.scale
        }
    print(f"\nFor the README (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):\n")
    print(markdown(results))


if __name__ == "__main__":
    main()
