"""Benchmark of hunt packs: rules per second of ``bin/kql hunt`` over the demo workspace.

    python benchmarks/bench_hunts.py [--rules DIR] [--workspace DIR] [--threads N] [--timeout S]

The pack is ``--rules`` (a folder of Sentinel rule YAML, e.g. the ``Detections/`` and ``Solutions/*/
Analytic Rules/`` of a local copy of Microsoft's Azure-Sentinel repository), or by default one
scheduled rule per entry of ../shared/corpus/sentinel_queries.jsonl (1,235 real hunting and
detection queries from public Sentinel collections), written as Sentinel rule files into a
temporary folder. The workspace is the demo's (generated at scale 1 when missing). Each rule runs
over its own ``queryPeriod`` ending at the data set's end; the whole pack runs in one process, so
the compiler (Kusto.Language) loads once.

Besides the wall clock it prints the CPU time of ``kql hunt`` (meaningful on a loaded machine,
where the wall clock is not), and the compile and run times the worker threads measure: each
thread's first compilation includes Kusto.Language's warm-up.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml
from jupyter_core.paths import jupyter_data_dir

from jupyterlab_sentinel.demo import generate, is_generated

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "sentinel_queries.jsonl"


def corpus_pack(corpus: Path, folder: Path) -> int:
    """Writes one scheduled rule per corpus entry; returns how many."""
    entries = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    for i, entry in enumerate(entries):
        rule = {
            "id": f"corpus-{i:04d}",
            "name": f"{entry['source']}: {entry['path']}",
            "severity": "Medium",
            "queryFrequency": "1d",
            "queryPeriod": "14d",
            "triggerOperator": "gt",
            "triggerThreshold": 0,
            "tactics": [],
            "query": entry["query"],
            "kind": "Scheduled",
        }
        (folder / f"{i:04d}.yaml").write_text(yaml.safe_dump(rule, sort_keys=False))
    return len(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=Path, default=None)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--workspace", type=Path, default=Path(jupyter_data_dir()) / "sentinel" / "demo"
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    if not is_generated(args.workspace):
        print(f"generating the demo workspace at {args.workspace} …", file=sys.stderr)
        generate(args.workspace)
    end = json.loads((args.workspace / "_generated.json").read_text())["end"]

    with tempfile.TemporaryDirectory() as scratch:
        pack = args.rules
        if pack is None:
            pack = Path(scratch)
            n = corpus_pack(args.corpus, pack)
            print(f"pack: {n} rules from {args.corpus.name}")
        else:
            print(f"pack: {pack}")
        command = [
            str(REPO / "bin" / "kql"),
            "hunt",
            "--workspace",
            str(args.workspace),
            "--end",
            end,
            "--format",
            "json",
            "--threads",
            str(args.threads),
            "--timeout",
            str(args.timeout),
            str(pack),
        ]
        load = os.getloadavg()[0]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if done.returncode not in (0, 1):
        sys.exit(f"kql hunt failed ({done.returncode}): {done.stderr}")
    report = json.loads(done.stdout)
    rules = report["rules"]
    times = sorted(r["ms"] for r in rules)
    print(f"workspace: {args.workspace} (ends {end}), threads {args.threads}")
    print(f"{len(rules)} rules and {len(report['invalid'])} files not rules in {seconds:.1f} s")
    print(f"rules per second: {len(rules) / seconds:.1f}")
    # On a shared machine the wall clock depends on the other processes: the CPU time does not.
    print(
        f"CPU time of kql hunt: {cpu:.1f} s ({len(rules) / cpu:.1f} rules per CPU second), "
        f"{os.cpu_count()} cores, load average {load:.1f} at the start"
    )
    if times:
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"per rule, queued, compiled and run: median {statistics.median(times):.0f} ms, "
            f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms"
        )
    # The worker threads' own measures: compiling is JavaScript on one thread, running is DuckDB's.
    for part, key in (("compile", "compileMs"), ("run", "runMs")):
        parts = sorted(r[key] for r in rules if key in r)
        if parts:
            p95 = parts[int(0.95 * (len(parts) - 1))]
            total = sum(parts) / 1000
            print(
                f"{part}: {total:.1f} s in all ({total / args.threads:.1f} s a thread), "
                f"per rule median {statistics.median(parts):.1f} ms, "
                f"p95 {p95:.1f} ms, max {parts[-1]:.0f} ms"
            )
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in report["counts"].items()))
    print(f"fired: {report['fired']}")
    reasons = Counter(
        (r["outcome"], (r["reason"] or "")[:90])
        for r in rules
        if r["outcome"] in ("refused", "error")
    )
    print("top reasons (refused, error):")
    for (outcome, reason), count in reasons.most_common(12):
        print(f"  {count:5}  {outcome}: {reason}")
    print("slowest rules:")
    for r in sorted(rules, key=lambda r: -r["ms"])[:5]:
        print(f"  {r['ms']:8.0f} ms  {r['outcome']:8}  {r['name'][:90]}")
    missing = Counter(t for r in rules for t in r["missingTables"])
    print("most missing tables: " + ", ".join(f"{t} {c}" for t, c in missing.most_common(8)))


if __name__ == "__main__":
    main()
