"""Benchmark of the local workspace: demo generation rate and typical query latency at two scales.

    python benchmarks/bench_local.py [--scales 1 10] [--runs 5]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from jupyterlab_sentinel.demo import generate
from jupyterlab_sentinel.lake import Lake

QUERIES = {
    "failed sign-ins by hour": """
        SELECT date_trunc('hour', TimeGenerated) AS hour, count(*) AS failures
        FROM SigninLogs WHERE ResultType <> '0' GROUP BY 1 ORDER BY 1""",
    "top users by failures": """
        SELECT UserPrincipalName, count(*) AS failures, count(DISTINCT IPAddress) AS ips
        FROM SigninLogs WHERE ResultType = '50126' GROUP BY 1 ORDER BY 2 DESC LIMIT 10""",
    "encoded PowerShell": """
        SELECT TimeGenerated, DeviceName, ProcessCommandLine FROM DeviceProcessEvents
        WHERE lower(FileName) = 'powershell.exe' AND ProcessCommandLine ILIKE '%-enc %'""",
    "traffic to indicators (join)": """
        SELECT c.SourceIP, c.DestinationIP, sum(c.SentBytes) AS sent
        FROM CommonSecurityLog c JOIN ThreatIntelligenceIndicator t ON c.DestinationIP = t.NetworkIP
        GROUP BY 1, 2 ORDER BY 3 DESC""",
    "last day, one user": """
        SELECT * FROM SigninLogs
        WHERE TimeGenerated > (SELECT max(TimeGenerated) FROM SigninLogs) - INTERVAL 1 DAY
          AND UserPrincipalName = 'adele.vance@contoso.example'""",
}


def main() -> None:
    """Generates the demo data at each scale, then times each query."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            path = Path(tmp) / f"demo-{scale:g}"
            report = generate(path, scale=scale)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"\nscale {scale:g}: {report.total_rows:,} rows generated "
                f"in {report.seconds:.1f} s "
                f"= {report.rows_per_second:,.0f} rows/s (peak RSS so far {peak:,.0f} MiB)"
            )
            (path / "_generated.json").touch()
            lake = Lake(root_dir=Path(tmp), demo_path=path)
            lake.schema("demo")
            print(f"  {'query':32} {'median ms':>10} {'min ms':>8} {'rows':>6}")
            for name, sql in QUERIES.items():
                times, rows = [], 0
                for _ in range(args.runs):
                    start = time.perf_counter()
                    result = lake.query("demo", sql, str(uuid.uuid4()), max_rows=10_000)
                    times.append((time.perf_counter() - start) * 1000)
                    rows = result.table.num_rows
                print(f"  {name:32} {statistics.median(times):10.1f} {min(times):8.1f} {rows:6}")


if __name__ == "__main__":
    main()
