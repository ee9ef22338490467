"""Command line: ``python -m jupyterlab_sentinel.demo [--path DIR] [--seed N] [--scale X]``."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir

from .generator import generate, is_generated


def main() -> None:
    """Generates the demo workspace and prints rows per table and the rate."""
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_sentinel.demo", description=__doc__)
    parser.add_argument("--path", type=Path, default=Path(jupyter_data_dir()) / "sentinel" / "demo")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0, help="1 ≈ one million rows")
    parser.add_argument("--end", type=datetime.fromisoformat, default=None, help="ISO time (UTC)")
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing when the data set is already there"
    )
    args = parser.parse_args()
    if args.if_missing and is_generated(args.path):
        print(f"The demo workspace is already at {args.path}")
        return
    report = generate(args.path, seed=args.seed, scale=args.scale, end=args.end)
    for table, rows in report.rows.items():
        print(f"{table:32} {rows:>12,}")
    print(
        f"{report.total_rows:,} rows in {report.seconds:.1f} s "
        f"({report.rows_per_second:,.0f} rows/s) at {args.path}"
    )


if __name__ == "__main__":
    main()
