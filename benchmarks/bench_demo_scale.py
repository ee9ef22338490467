"""Benchmark of the demo generator at large scales: time, rate, peak memory and size on disk.

    python benchmarks/bench_demo_scale.py [--scales 1 10 30] [--path DIR]

Each scale runs in a fresh Python process, so the peak resident set size printed is that of the
generation alone (not of earlier scales, as an in-process measurement would be). The generated
folders are deleted afterwards unless ``--keep`` is given. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs in the child: generates one scale and reports the generator's own figures as JSON.
CHILD = """
import json, sys
from pathlib import Path
from jupyterlab_sentinel.demo import generate
report = generate(Path(sys.argv[1]), scale=float(sys.argv[2]))
print(json.dumps({"rows": report.total_rows, "seconds": report.seconds}))
"""


def folder_size(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_scale(scale: float, path: Path) -> dict[str, float]:
    """Generates one scale in a child process; wall time, figures and the child's peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(scale)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wall = time.perf_counter() - start
    # RUSAGE_CHILDREN's maximum covers every child so far; scales run in increasing size, so a
    # larger peak than before is this child's. Linux reports kilobytes.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures = json.loads(output.strip().splitlines()[-1])
    return {
        "rows": figures["rows"],
        "seconds": figures["seconds"],
        "wall": wall,
        "peak_mib": peak / 1024 if peak > before else float("nan"),
        "disk_mib": folder_size(path) / 2**20,
    }


def main() -> None:
    """Generates each scale in turn and prints one line of figures per scale."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 30.0])
    parser.add_argument("--path", type=Path, default=None, help="where to generate (a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated folders")
    args = parser.parse_args()
    base = args.path or Path(tempfile.mkdtemp(prefix="sentinel-bench-"))
    print(f"{os.cpu_count()} CPUs; generating under {base}")
    print(f"{'scale':>6} {'rows':>12} {'seconds':>8} {'rows/s':>10} {'peak RSS':>10} {'disk':>9}")
    try:
        for scale in sorted(args.scales):
            path = base / f"demo-{scale:g}"
            f = run_scale(scale, path)
            rate = f["rows"] / f["seconds"]
            print(
                f"{scale:>6g} {f['rows']:>12,} {f['wall']:>8.1f} {rate:>10,.0f} "
                f"{f['peak_mib']:>7,.0f} MiB {f['disk_mib']:>5,.0f} MiB",
                flush=True,
            )
            if not args.keep:
                shutil.rmtree(path)
    finally:
        if not args.keep and args.path is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
