"""Benchmark: Shift+Enter on a KQL cell to its first rows painted, with where the time goes.

    python benchmarks/bench_latency.py [--rows 5000 10000] [--runs 7]

A JupyterLab with the extension serves a notebook whose KQL cell asks the demo workspace for
``--rows`` SigninLogs rows. Debian's chromium (driven by Playwright from ``ui-tests/``) opens it,
waits for the kernel, then presses Shift+Enter on the cell ``--runs`` times (after the page's
first run, reported apart: the code of the run loads then), each time waiting for the linked
Python cell to load the DataFrame. The User Timing measures the extension takes on the way
(``sentinel-…``, see ``src/timing.ts``) give the breakdown: compile (in the KQL language
service's worker), the export request (the server's query and Parquet write, and the server's own
figure for them), the result output added, the grid's first page read, its first rows painted,
the kernel check and the linked cell's DataFrame. Prints
p50/p90; asserts nothing. Needs ``jlpm build`` and ``ui-tests`` installed; JupyterLab serves the
extension the environment links (set ``JUPYTER_PATH`` to measure another build).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from labserver import TOKEN, jupyter_lab, run_browser

BROWSER = r"""
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(process.env.URL);
  await page.waitForFunction(
    () => window.jupyterapp?.commands.isEnabled('sentinel:run-query'),
    undefined,
    { timeout: 180000, polling: 100 }
  );
  await page.waitForSelector(
    '.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status="idle"]',
    { timeout: 180000 }
  );
  const runs = [];
  for (let run = 0; run <= Number(process.env.RUNS); run++) {
    await page.evaluate(() => {
      performance.clearMeasures();
      window.sentinelKeyAt = null;
      document.addEventListener(
        'keydown',
        event => {
          if (event.key === 'Enter' && window.sentinelKeyAt === null) {
            window.sentinelKeyAt = performance.now();
          }
        },
        { capture: true }
      );
    });
    // As the analyst does: into the KQL cell's editor, then Shift+Enter.
    await page.locator('.jp-Notebook .jp-Cell').first().locator('.cm-content').click();
    await page.keyboard.press('Shift+Enter');
    const handle = await page.waitForFunction(
      () => {
        const one = name => performance.getEntriesByName(name).at(-1);
        const paint = one('sentinel-result-first-paint');
        const frame = one('sentinel-dataframe');
        if (!paint || !frame) {
          return null;
        }
        const key = window.sentinelKeyAt;
        const took = name => one(name)?.duration ?? null;
        const query = one('sentinel-query');
        const output = one('sentinel-run-to-output');
        return {
          total: paint.startTime + paint.duration - key,
          dataframeDone: frame.startTime + frame.duration - key,
          toRun: output ? output.startTime - key : null,
          compile: took('sentinel-compile'),
          query: took('sentinel-query'),
          server: query?.detail?.serverMs ?? null,
          rows: query?.detail?.rows ?? null,
          toOutput: output ? output.duration : null,
          firstPage: took('sentinel-result-first-page'),
          paint: paint.duration,
          kernelCheck: took('sentinel-kernel-check'),
          dataframe: frame.duration,
          dataframeOk: frame.detail?.ok ?? null
        };
      },
      undefined,
      { timeout: 300000, polling: 20 }
    );
    runs.push(await handle.jsonValue());
    await page.waitForSelector(
      '.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status="idle"]',
      { timeout: 180000 }
    );
  }
  await browser.close();
  process.stdout.write(JSON.stringify(runs));
})().catch(error => { console.error(error); process.exit(1); });
"""

#: The breakdown's rows: the key of each figure, and what it is.
PARTS = [
    ("toRun", "Shift+Enter to the run starting"),
    ("compile", "compile in the browser"),
    ("query", "export request (query + Parquet write)"),
    ("server", "  of which the server's own time"),
    ("toOutput", "run start to the result output added"),
    ("firstPage", "grid: first page read"),
    ("paint", "grid: render to first rows painted"),
    ("kernelCheck", "kernel check (pandas, pyarrow)"),
    ("dataframe", "linked Python cell (DataFrame)"),
]


def notebook(query: str) -> dict[str, object]:
    """A notebook with one KQL cell on the demo workspace, never run."""
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
                "outputs": [],
                "source": query,
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "sentinel": {"workspace": {"backend": "local", "id": "demo"}},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def figure(value: object) -> str:
    return f"{value:>8.0f}" if isinstance(value, int | float) else f"{'-':>8}"


def report(rows: int, runs: list[dict[str, float]]) -> None:
    cold, warm = runs[0], runs[1:]
    totals = [r["total"] for r in warm]
    frames = [r["dataframeDone"] for r in warm]
    print(f"\n{rows:,} rows asked, {warm[0]['rows']:,} returned; {len(warm)} runs after the first")
    print(
        f"Shift+Enter → first rows painted: p50 {percentile(totals, 0.5):.0f} ms,"
        f" p90 {percentile(totals, 0.9):.0f} ms"
        f" (first run of the page: {cold['total']:.0f} ms)"
    )
    print(
        f"Shift+Enter → DataFrame loaded:   p50 {percentile(frames, 0.5):.0f} ms,"
        f" p90 {percentile(frames, 0.9):.0f} ms"
    )
    print(f"{'step (median ms)':<42}{'p50':>8}{'p90':>8}{'first':>8}")
    for key, label in PARTS:
        values = [r[key] for r in warm if isinstance(r.get(key), int | float)]
        if values:
            print(
                f"{label:<42}{figure(statistics.median(values))}"
                f"{figure(percentile(values, 0.9))}{figure(cold.get(key))}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000, 10_000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sentinel-latency-") as tmp:
        root = Path(tmp)
        for rows in args.rows:
            (root / f"latency-{rows}.ipynb").write_text(
                json.dumps(notebook(f"SigninLogs\n| take {rows}"))
            )
        # The page reads the notebook's cells through the application object.
        with jupyter_lab(
            root,
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.workspaces_dir={root / '.workspaces'}",
        ) as port:
            for rows in args.rows:
                url = (
                    f"http://127.0.0.1:{port}/lab/workspaces/latency-{rows}"
                    f"/tree/latency-{rows}.ipynb?reset&token={TOKEN}"
                )
                report(
                    rows,
                    run_browser(BROWSER, {"URL": url, "RUNS": str(args.runs)}, timeout=1800),
                )


if __name__ == "__main__":
    main()
