"""Benchmark: JupyterLab's start with the extension against without it, and what it loads.

    python benchmarks/bench_startup.py [--runs 7]

JupyterLab starts twice: with the extension, then with its front end disabled (``jupyter
labextension disable`` in a temporary configuration folder, so the environment's own stays as it
is; the server extension loads both times). Each time Debian's chromium (driven by Playwright from
``ui-tests/``) opens it once to fill its cache, then ``--runs`` times more in the same browser, as
an analyst reopens it, in a new JupyterLab workspace each time. The time is from the navigation's
start to ``app.restored`` (the shell restored, the extensions activated). Also printed for the
extension: its JavaScript loaded by then, and whether Kusto.Language (the compiler's front end,
which defines the global ``Bridge``) was loaded; it must not be before a KQL cell needs it. Prints
p50/p90 and their difference; asserts nothing. Needs ``jlpm build`` and ``ui-tests`` installed;
JupyterLab serves the extension the environment links (set ``JUPYTER_PATH`` to measure another
build).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from labserver import TOKEN, jupyter_lab, run_browser

EXTENSION = "jupyterlab-sentinel"

BROWSER = r"""
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // JupyterLab hands its application to `window.jupyterapp` before it starts: note when it is
  // restored, whenever that is.
  await context.addInitScript(() => {
    let app;
    Object.defineProperty(window, 'jupyterapp', {
      configurable: true,
      get: () => app,
      set: value => {
        app = value;
        value.restored.then(() => {
          window.sentinelRestoredAt = performance.now();
        });
      }
    });
  });
  const runs = [];
  for (let run = 0; run <= Number(process.env.RUNS); run++) {
    const page = await context.newPage();
    const { URL: base, TOKEN: token } = process.env;
    await page.goto(`${base}/lab/workspaces/start-${run}?reset&token=${token}`);
    const handle = await page.waitForFunction(
      extension => {
        if (window.sentinelRestoredAt === undefined) {
          return null;
        }
        const ours = performance
          .getEntriesByType('resource')
          .filter(e => e.name.includes(`/lab/extensions/${extension}/static/`))
          .filter(e => e.name.split('?')[0].endsWith('.js'))
          .filter(e => e.startTime <= window.sentinelRestoredAt);
        return {
          restored: window.sentinelRestoredAt,
          chunks: ours.map(e => ({
            name: e.name.split('/').pop().split('?')[0],
            kb: e.decodedBodySize / 1024
          })),
          kusto: typeof window.Bridge !== 'undefined',
          active: window.jupyterapp.commands.hasCommand('sentinel:run-query')
        };
      },
      process.env.EXTENSION,
      { timeout: 180000, polling: 50 }
    );
    runs.push(await handle.jsonValue());
    await page.close();
  }
  await browser.close();
  process.stdout.write(JSON.stringify(runs.slice(1)));
})().catch(error => { console.error(error); process.exit(1); });
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(root: Path, config_dir: Path, runs: int) -> list[dict[str, object]]:
    """Starts JupyterLab with ``config_dir`` as its configuration folder and opens it."""
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config_dir)}
    with jupyter_lab(
        root,
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={root / '.workspaces'}",
        env=env,
    ) as port:
        variables = {
            "URL": f"http://127.0.0.1:{port}",
            "TOKEN": TOKEN,
            "RUNS": str(runs),
            "EXTENSION": EXTENSION,
        }
        return list(run_browser(BROWSER, variables, timeout=1800, env=env))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sentinel-startup-") as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        enabled, disabled = Path(tmp) / "enabled", Path(tmp) / "disabled"
        enabled.mkdir()
        disabled.mkdir()
        subprocess.run(
            # The user level is the temporary folder; other levels would change the environment.
            [sys.executable, "-m", "jupyter", "labextension", "disable", "--level=user", EXTENSION],
            env={**os.environ, "JUPYTER_CONFIG_DIR": str(disabled)},
            capture_output=True,
            check=True,
        )
        with_it = measure(root, enabled, args.runs)
        without = measure(root, disabled, args.runs)
    if not all(r["active"] for r in with_it) or any(r["active"] for r in without):
        raise SystemExit("the extension was not enabled in one start and disabled in the other")
    on = [float(str(r["restored"])) for r in with_it]
    off = [float(str(r["restored"])) for r in without]
    print(f"JupyterLab start to app.restored, {args.runs} runs each after one filling the cache")
    print(f"{'':<24}{'p50':>8}{'p90':>8}")
    print(f"{'with the extension':<24}{percentile(on, 0.5):>8.0f}{percentile(on, 0.9):>8.0f} ms")
    print(f"{'without it':<24}{percentile(off, 0.5):>8.0f}{percentile(off, 0.9):>8.0f} ms")
    print(
        f"{'added':<24}{percentile(on, 0.5) - percentile(off, 0.5):>8.0f}"
        f"{percentile(on, 0.9) - percentile(off, 0.9):>8.0f} ms"
    )
    for label, runs in (("enabled", with_it), ("disabled", without)):
        chunks = runs[-1]["chunks"]
        assert isinstance(chunks, list)
        total = sum(float(c["kb"]) for c in chunks)
        print(
            f"the extension's JavaScript loaded by then, {label}:"
            f" {len(chunks)} files, {total:,.0f} KB"
        )
        for chunk in sorted(chunks, key=lambda c: -float(c["kb"])):
            print(f"  {float(chunk['kb']):>8,.0f} KB  {chunk['name']}")
    kusto = any(r["kusto"] for r in with_it)
    print(f"Kusto.Language loaded before the first KQL cell: {'yes' if kusto else 'no'}")


if __name__ == "__main__":
    main()
