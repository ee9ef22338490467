"""Benchmark: the result grid's time to first paint for a 1M-row result, and its page latency.

    python benchmarks/bench_grid.py [--rows 1000000] [--runs 3]

A KQL cell's result of ``--rows`` rows is exported as Parquet (the server's real export), a
notebook whose KQL cell shows it is written, and a JupyterLab with the extension serves it.
Debian's chromium (driven by Playwright from ``ui-tests/``) opens the notebook ``--runs`` times;
the grid's own User Timing measure ``sentinel-result-first-paint`` is the time from the output
being rendered to the first rows drawn, of which ``sentinel-result-first-page`` reads the first
page. Then the ``GET results`` endpoint is timed for pages at the start, the middle and the end,
sorted and filtered. Prints figures; asserts nothing. Needs
``jlpm build`` (make build) and ``ui-tests`` installed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from labserver import ROOT, TOKEN, jupyter_lab, run_browser

from jupyterlab_sentinel.lake import Lake
from jupyterlab_sentinel.results import PageRequest, ResultPages

BROWSER = r"""
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
  });
  const times = [];
  for (let run = 0; run < Number(process.env.RUNS); run++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(process.env.URL);
    const handle = await page.waitForFunction(
      () => {
        const took = name => performance.getEntriesByName(name)[0]?.duration;
        const paint = took('sentinel-result-first-paint');
        return paint !== undefined && {
          paint,
          page: took('sentinel-result-first-page')
        };
      },
      undefined,
      { timeout: 180000, polling: 50 }
    );
    times.push(await handle.jsonValue());
    await page.close();
  }
  await browser.close();
  process.stdout.write(JSON.stringify(times));
})().catch(error => { console.error(error); process.exit(1); });
"""


def compile_kql(query: str) -> str:
    return subprocess.run(
        [str(ROOT / "bin" / "kql"), "compile", query], capture_output=True, text=True, check=True
    ).stdout


def notebook(result: dict[str, object], query: str, rows: int) -> dict[str, object]:
    """A notebook whose KQL cell shows the exported result, as the extension writes it."""
    output = {
        "file": "results/df.parquet",
        "path": "bench/results/df.parquet",
        "variable": "df",
        "columns": result["columns"],
        "rowCount": rows,
        "elapsedMs": result["elapsedMs"],
        "query": query,
        "workspace": {"backend": "local", "id": "logs", "name": "Logs"},
        "timespan": None,
        "ranAt": "2026-11-25T00:00:00.000Z",
        "render": None,
        "textLengths": result["textLengths"],
    }
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "kql",
                "metadata": {
                    "sentinel": {"kql": True, "variable": "df"},
                    "tags": ["skip-execution"],
                },
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {
                            "application/vnd.jupyterlab-sentinel.result+json": output,
                            "text/plain": f"{rows} rows",
                        },
                        "metadata": {},
                    }
                ],
                "source": query,
            }
        ],
        "metadata": {"sentinel": {"workspace": {"backend": "local", "id": "logs"}}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def page_latency(port: int, params: str, runs: int) -> float:
    url = f"http://127.0.0.1:{port}/sentinel/api/results?path=bench/results/df.parquet&{params}"
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    query = (
        f"range i from 1 to {args.rows} step 1"
        " | extend TimeGenerated = datetime(2026-10-01) + i * 1s,"
        ' UserPrincipalName = strcat("user", i % 997, "@contoso.example"),'
        ' IPAddress = strcat("10.0.", i % 250, ".", i % 200),'
        ' ResultType = iff(i % 7 == 0, "50126", "0"),'
        ' DeviceDetail = bag_pack("browser", "Edge", "n", i)'
    )
    with tempfile.TemporaryDirectory(prefix="sentinel-grid-") as tmp:
        root = Path(tmp)
        (root / "logs").mkdir()
        (root / "logs" / "Heartbeat.csv").write_text("Computer\nweb01\n")
        (root / "bench").mkdir()
        lake = Lake(root_dir=root, demo_path=root / "no-demo")
        lake.configure([{"name": "Logs", "path": "logs"}])
        result = lake.export("logs", compile_kql(query), "bench/results/df.parquet", "bench")
        # The export's first page measures the columns' text, which the cell's output keeps.
        first = ResultPages(root).page(result["path"], PageRequest(limit=200, text_lengths=True))
        result["textLengths"] = first["textLengths"]
        (root / "bench" / "grid.ipynb").write_text(json.dumps(notebook(result, query, args.rows)))
        with jupyter_lab(root) as port:
            runs = run_browser(
                BROWSER,
                {
                    "URL": f"http://127.0.0.1:{port}/lab/tree/bench/grid.ipynb?token={TOKEN}",
                    "RUNS": str(args.runs),
                },
                timeout=900,
            )
            paints = [run["paint"] for run in runs]
            print(f"result: {args.rows:,} rows, {len(result['columns'])} columns")
            print(
                f"grid first paint: median {statistics.median(paints):.0f} ms"
                f" (runs: {', '.join(f'{t:.0f}' for t in paints)} ms), of which reading the first"
                f" page {statistics.median(run['page'] for run in runs):.0f} ms"
            )
            middle, last = args.rows // 2, max(0, args.rows - 200)
            for label, params in [
                ("first page (200 rows)", "offset=0&limit=200"),
                ("middle page", f"offset={middle}&limit=200"),
                ("last page", f"offset={last}&limit=200"),
                ("sorted, middle page", f"offset={middle}&limit=200&sort=UserPrincipalName"),
                ("filtered, first page", "offset=0&limit=200&filter=user42%40"),
            ]:
                print(f"{label:<24} {page_latency(port, params, 5):>8.0f} ms (median of 5)")


if __name__ == "__main__":
    main()
