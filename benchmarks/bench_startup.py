"""Benchmark: JupyterLab's start with the extension against without it, and what it loads.

    python benchmarks/bench_startup.py [--runs 7]

Three JupyterLabs run side by side over one folder: with the extension; with its front end
disabled (``jupyter labextension disable`` in a temporary configuration folder, so the
environment's own stays as it is), where JupyterLab still loads the extension's JavaScript but
activates none of its plugins; and without it on the labextensions path at all, as a JupyterLab
that never had it. The server extension loads in all three. Debian's chromium (driven by
Playwright from ``ui-tests/``) opens each once to fill its cache, then ``--runs`` times more in the
same browser, as an analyst reopens it, in a new JupyterLab workspace each time; the three take
turns, so a change in the machine's load falls on all of them alike. The time is from the
navigation's start to ``app.restored`` (the shell restored, the extensions activated). Also
printed: the extension's JavaScript loaded by then, and whether Kusto.Language (the compiler's
front end, which defines the global ``Bridge``) was loaded; it must not be before a KQL cell needs
it. Prints p50/p90 and their differences; asserts nothing. Needs ``jlpm build`` and ``ui-tests``
installed; JupyterLab serves the extension the environment links (set ``JUPYTER_PATH`` to measure
another build).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from jupyter_core.paths import jupyter_path
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
  const labs = JSON.parse(process.env.LABS);
  const runs = labs.map(() => []);
  for (let run = 0; run <= Number(process.env.RUNS); run++) {
    for (const [index, base] of labs.entries()) {
      const page = await context.newPage();
      await page.goto(`${base}/lab/workspaces/start-${run}?reset&token=${process.env.TOKEN}`);
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
      runs[index].push(await handle.jsonValue());
      await page.close();
    }
  }
  await browser.close();
  process.stdout.write(JSON.stringify(runs.map(r => r.slice(1))));
})().catch(error => { console.error(error); process.exit(1); });
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def labextensions_without(extension: str, folder: Path) -> Path:
    """A labextensions folder with links to every prebuilt extension JupyterLab would find,
    the first of each name as JupyterLab takes it, except ``extension``."""
    folder.mkdir()
    seen: set[str] = set()
    for directory in map(Path, jupyter_path("labextensions")):
        packages = [*directory.glob("[!@]*/package.json"), *directory.glob("@*/*/package.json")]
        for package in packages:
            name = json.loads(package.read_text(encoding="utf-8"))["name"]
            if name == extension or name in seen:
                continue
            seen.add(name)
            link = folder / package.parent.relative_to(directory)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(package.parent.resolve(), target_is_directory=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sentinel-startup-") as tmp, ExitStack() as labs:
        root = Path(tmp) / "root"
        root.mkdir()
        options: dict[str, list[str]] = {
            "enabled": [],
            "disabled": [],
            # One value of a list option on the command line is one item of the list.
            "absent": [
                "--LabApp.labextensions_path="
                + str(labextensions_without(EXTENSION, Path(tmp) / "labextensions"))
            ],
        }
        ports = []
        for label, extra in options.items():
            config = Path(tmp) / label
            config.mkdir()
            env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config)}
            if label == "disabled":
                # The user level is the temporary folder; other levels would change the environment.
                disable = ["labextension", "disable", "--level=user", EXTENSION]
                subprocess.run(
                    [sys.executable, "-m", "jupyter", *disable],
                    env=env,
                    capture_output=True,
                    check=True,
                )
            ports.append(
                labs.enter_context(
                    jupyter_lab(
                        root,
                        "--LabApp.expose_app_in_browser=True",
                        f"--LabApp.workspaces_dir={Path(tmp) / label / 'workspaces'}",
                        *extra,
                        env=env,
                    )
                )
            )
        variables = {
            "LABS": json.dumps([f"http://127.0.0.1:{port}" for port in ports]),
            "TOKEN": TOKEN,
            "RUNS": str(args.runs),
            "EXTENSION": EXTENSION,
        }
        with_it, without, absent = run_browser(BROWSER, variables, timeout=3600)
    if not all(r["active"] for r in with_it) or any(r["active"] for r in without + absent):
        raise SystemExit("the extension was not enabled in one start and off in the others")
    times = {
        label: [float(str(r["restored"])) for r in runs]
        for label, runs in (
            ("with the extension", with_it),
            ("disabled", without),
            ("absent", absent),
        )
    }
    on = times["with the extension"]
    print(
        f"JupyterLab start to app.restored, {args.runs} runs each after one filling the cache,"
        " the three in turn"
    )
    print(f"{'':<28}{'p50':>8}{'p90':>8}")
    for label, values in times.items():
        print(f"{label:<28}{percentile(values, 0.5):>8.0f}{percentile(values, 0.9):>8.0f} ms")
    for label in ("disabled", "absent"):
        off = times[label]
        print(
            f"{'added against ' + label:<28}{percentile(on, 0.5) - percentile(off, 0.5):>8.0f}"
            f"{percentile(on, 0.9) - percentile(off, 0.9):>8.0f} ms"
        )
    for label, runs in (("enabled", with_it), ("disabled", without), ("absent", absent)):
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
