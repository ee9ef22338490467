"""Benchmark: a Log Analytics query response → the Parquet file a KQL cell's DataFrame reads.

    python benchmarks/bench_loganalytics.py [--rows 10000 100000 500000] [--runs 3]

This is the server's half of an Azure query (``jupyterlab_sentinel/loganalytics.py``): the
browser hands over the response's text as the service sent it, and the server parses it and
writes Parquet, keeping every digit. The response has the columns of a sign-in log in the wire
format of the query API: datetimes with 7 fractional digits, longs beyond 2^53, dynamic values as
JSON text, timespans. 500,000 rows is the API's own row limit. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from jupyterlab_sentinel.loganalytics import export, parse_response

COLUMNS = [
    {"name": "TimeGenerated", "type": "datetime"},
    {"name": "UserPrincipalName", "type": "string"},
    {"name": "IPAddress", "type": "string"},
    {"name": "ResultType", "type": "string"},
    {"name": "SessionId", "type": "long"},
    {"name": "Duration", "type": "timespan"},
    {"name": "DeviceDetail", "type": "dynamic"},
]


def response(rows: int) -> str:
    """A query response of ``rows`` rows, as the service writes it."""
    body = {
        "tables": [
            {
                "name": "PrimaryResult",
                "columns": COLUMNS,
                "rows": [
                    [
                        f"2026-10-01T{i // 3600 % 24:02}:{i // 60 % 60:02}:{i % 60:02}"
                        f".{i % 10**7:07}Z",
                        f"user{i % 997}@contoso.example",
                        f"10.0.{i % 250}.{i % 200}",
                        "50126" if i % 7 == 0 else "0",
                        2**60 + i,
                        f"00:00:{i % 60:02}.{i % 10**7:07}",
                        json.dumps({"browser": "Edge", "operatingSystem": "Windows", "n": i}),
                    ]
                    for i in range(rows)
                ],
            }
        ]
    }
    return json.dumps(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 500_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'rows':>9} {'response':>10} {'parse':>8} {'write':>8} {'total':>8} {'peak heap':>9}")
    with tempfile.TemporaryDirectory() as root:
        for rows in args.rows:
            text = response(rows)
            parse_times, write_times = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                parsed = parse_response(text)
                parsed_at = time.perf_counter()
                export(Path(root), "result.parquet", parsed)
                parse_times.append(parsed_at - start)
                write_times.append(time.perf_counter() - parsed_at)
            # Memory in a run of its own: tracing allocations slows Python down several times.
            tracemalloc.start()
            export(Path(root), "result.parquet", parse_response(text))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            parse, write = statistics.median(parse_times), statistics.median(write_times)
            print(
                f"{rows:>9,} {len(text) / 2**20:>8.1f}MB {parse:>7.2f}s {write:>7.2f}s"
                f" {parse + write:>7.2f}s {peak / 2**20:>7.0f}MB"
            )


if __name__ == "__main__":
    main()
