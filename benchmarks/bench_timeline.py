"""Benchmark: the timeline view's first paint for 10k and 100k events.

    python benchmarks/bench_timeline.py [--events 10000 100000] [--runs 3]

For each size, a KQL cell's result of that many events (12 tables as lanes, 30 days) is exported
as Parquet (the server's real export) and a notebook is written whose KQL cell shows it with the
timeline chosen in the cell's metadata, as the view switcher leaves it. A JupyterLab with the
extension serves it and Debian's chromium (driven by Playwright from ``ui-tests/``) opens it
``--runs`` times. The result view's User Timing measure ``sentinel-view-first-paint`` is the time
from the view starting to read its rows from the server (pages of 5,000) to the first frame with
the timeline drawn on screen. Prints figures; asserts nothing. Needs ``jlpm build`` and ``ui-tests``
installed; JupyterLab serves the extension the environment links (set ``JUPYTER_PATH`` to a
folder whose ``labextensions`` holds another build to measure that one).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

from labserver import ROOT, TOKEN, jupyter_lab, run_browser

from jupyterlab_sentinel.lake import Lake

VIEW_ROW_LIMIT = 100_000  # most rows a view reads (src/results/widget.ts)

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
      rows => {
        const entry = performance
          .getEntriesByName('sentinel-view-first-paint')
          .find(e => e.detail.rows === rows);
        return entry && { ms: entry.duration, rows, readMs: entry.detail.readMs };
      },
      Number(process.env.ROWS),
      { timeout: 300000, polling: 50 }
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


def events_query(events: int) -> str:
    """Events spread over 30 days, each of one of 12 tables (the lanes) and 300 accounts."""
    step = max(1, 30 * 24 * 3600 // events)
    return (
        f"range i from 1 to {events} step 1"
        f" | extend TimeGenerated = datetime(2026-10-01) + i * {step}s,"
        ' Type = strcat("Table", i % 12),'
        ' UserPrincipalName = strcat("user", i % 300, "@contoso.example"),'
        ' IPAddress = strcat("10.0.", i % 250, ".", i % 200)'
    )


def notebook(name: str, result: dict[str, object], query: str, rows: int) -> dict[str, object]:
    """A notebook whose KQL cell shows the exported result as a timeline."""
    output = {
        "file": f"results/{name}.parquet",
        "path": f"bench/results/{name}.parquet",
        "variable": "df",
        "columns": result["columns"],
        "rowCount": rows,
        "elapsedMs": result["elapsedMs"],
        "query": query,
        "workspace": {"backend": "local", "id": "logs", "name": "Logs"},
        "timespan": None,
        "ranAt": "2026-11-25T00:00:00.000Z",
        "render": None,
    }
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "kql",
                "metadata": {
                    "sentinel": {
                        "kql": True,
                        "variable": "df",
                        "views": {"0": {"active": "timeline", "config": {}}},
                    },
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sentinel-timeline-") as tmp:
        root = Path(tmp)
        (root / "logs").mkdir()
        (root / "logs" / "Heartbeat.csv").write_text("Computer\nweb01\n")
        (root / "bench").mkdir()
        lake = Lake(root_dir=root, demo_path=root / "no-demo")
        lake.configure([{"name": "Logs", "path": "logs"}])
        for events in args.events:
            name = f"timeline-{events}"
            query = events_query(events)
            result = lake.export(
                "logs", compile_kql(query), f"bench/results/{name}.parquet", "bench"
            )
            (root / "bench" / f"{name}.ipynb").write_text(
                json.dumps(notebook(name, result, query, events))
            )
        with jupyter_lab(root) as port:
            for events in args.events:
                runs = run_browser(
                    BROWSER,
                    {
                        "URL": (
                            # A workspace of its own, reset: only this notebook opens.
                            f"http://127.0.0.1:{port}/lab/workspaces/timeline-{events}"
                            f"/tree/bench/timeline-{events}.ipynb?reset&token={TOKEN}"
                        ),
                        "RUNS": str(args.runs),
                        "ROWS": str(min(events, VIEW_ROW_LIMIT)),
                    },
                    timeout=1800,
                )
                paints = [run["ms"] for run in runs]
                reads = [run["readMs"] for run in runs]
                print(
                    f"timeline first paint, {events:>7,} events ({runs[0]['rows']:,} drawn):"
                    f" median {statistics.median(paints):.0f} ms"
                    f" (runs: {', '.join(f'{t:.0f}' for t in paints)} ms),"
                    f" of which reading the rows {statistics.median(reads):.0f} ms"
                )


if __name__ == "__main__":
    main()
