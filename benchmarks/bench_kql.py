"""Benchmark of the KQL compiler: corpus throughput, and compiled hunts against hand SQL and pandas.

    python benchmarks/bench_kql.py [--scale 10 30] [--runs 5] [--passes 2] [--data DIR] [--sql]
        [--plans] [--skip-corpus]

1. Parses and compiles every block of ../shared/corpus/sentinel_queries.jsonl against
   table_schemas.json in one Node process (benchmarks/kql_compile.js, over build/cli): the first
   load of the compiler, then blocks/s and the median and p99 time per block for each pass.
2. Generates the demo workspace at ``--scale`` (cached under ``--data``), then times typical hunts
   three ways: the compiler's SQL and the same question written by hand in DuckDB SQL, both run as
   the Jupyter server runs them (Lake.query over views of the daily Parquet files), and in pandas
   reading the same files. The three row counts are compared; a difference is printed, not hidden.
   The compiled SQL also runs on DuckDB alone: the difference is the server path's overhead.
   ``--plans`` prints EXPLAIN ANALYZE of the compiled and the hand SQL side by side.
3. Prints one markdown table of every scale for the README: how compiled SQL and pandas grow
   with the data.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import cast

import pandas as pd

from jupyterlab_sentinel.demo import generate, is_generated
from jupyterlab_sentinel.errors import SentinelError
from jupyterlab_sentinel.lake import Lake
from jupyterlab_sentinel.sandbox import Sandbox, WorkerSettings

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
HELPER = REPO / "benchmarks" / "kql_compile.js"
BUILD = REPO / "build" / "cli" / "kql" / "index.js"
#: A fixed end makes the data set (seed 7) and every ago() the same from one run to the next.
END = datetime(2025, 1, 31, 12, tzinfo=timezone.utc)
ADELE = "adele.vance@contoso.example"


# The hunts: one question, asked in KQL, in DuckDB SQL and in pandas


def read(data: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """A table of the workspace (a folder of daily Parquet files) as pandas reads it."""
    return pd.read_parquet(data / table, columns=columns)


def spray_pandas(data: Path, now: pd.Timestamp) -> pd.DataFrame:
    """Password spray in pandas."""
    df = read(data, "SigninLogs", ["TimeGenerated", "IPAddress", "ResultType", "UserPrincipalName"])
    df = df[
        (df.TimeGenerated > now - pd.Timedelta(days=14)) & df.ResultType.isin(["50126", "50053"])
    ]
    out = (
        df.assign(day=df.TimeGenerated.dt.floor("D"))
        .groupby(["IPAddress", "day"], dropna=False)
        .agg(
            failures=("TimeGenerated", "size"),
            accounts=("UserPrincipalName", "nunique"),
            first_seen=("TimeGenerated", "min"),
            last_seen=("TimeGenerated", "max"),
        )
        .reset_index()
    )
    return out[out.accounts >= 20].sort_values("accounts", ascending=False)


def new_country_pandas(data: Path, now: pd.Timestamp) -> pd.DataFrame:
    """The compromised account's successful sign-ins from countries new this week, in pandas."""
    columns = ["TimeGenerated", "IPAddress", "Location", "RiskLevelDuringSignIn", "AppDisplayName"]
    df = read(data, "SigninLogs", [*columns, "UserPrincipalName", "ResultType"])
    adele = df[(df.UserPrincipalName.str.lower() == ADELE) & (df.ResultType == "0")]
    week = now - pd.Timedelta(days=7)
    known = adele[adele.TimeGenerated.between(now - pd.Timedelta(days=30), week)].Location
    recent = adele[adele.TimeGenerated > week]
    return recent[~recent.Location.isin(known.unique())][columns]


def encoded_powershell_pandas(data: Path, now: pd.Timestamp) -> pd.DataFrame:
    """Encoded PowerShell command lines in pandas."""
    columns = ["TimeGenerated", "DeviceName", "AccountName", "InitiatingProcessFileName"]
    df = read(data, "DeviceProcessEvents", [*columns, "FileName", "ProcessCommandLine"])
    df = df[df.FileName.str.lower() == "powershell.exe"]
    command = df.ProcessCommandLine.fillna("")
    encoded = command.str.contains(r"(?i)-enc\b", regex=True) | command.str.contains(
        "encodedcommand", case=False, regex=False
    )
    return df[encoded][[*columns, "ProcessCommandLine"]]


def c2_traffic_pandas(data: Path, now: pd.Timestamp) -> pd.DataFrame:
    """Firewall traffic to C2 indicators, bytes summed, in pandas."""
    ti = read(data, "ThreatIntelligenceIndicator", ["ThreatType", "NetworkIP"])
    c2 = ti[(ti.ThreatType == "C2") & (ti.NetworkIP.fillna("") != "")].NetworkIP
    df = read(
        data,
        "CommonSecurityLog",
        ["SourceIP", "DestinationIP", "DestinationPort", "SentBytes", "ReceivedBytes"],
    )
    return (
        df[df.DestinationIP.isin(c2)]
        .groupby(["SourceIP", "DestinationIP", "DestinationPort"], dropna=False)
        .agg(
            connections=("SentBytes", "size"),
            sent=("SentBytes", "sum"),
            received=("ReceivedBytes", "sum"),
        )
        .reset_index()
    )


def alert_signins_pandas(data: Path, now: pd.Timestamp) -> pd.DataFrame:
    """Each user alert with that user's sign-ins in the day before it, in pandas."""
    alerts = read(data, "SecurityAlert", ["TimeGenerated", "AlertName", "CompromisedEntity"])
    alerts = alerts[alerts.CompromisedEntity.str.contains("@", regex=False, na=False)]
    alerts = alerts.rename(
        columns={"TimeGenerated": "AlertTime", "CompromisedEntity": "UserPrincipalName"}
    )
    signins = read(
        data,
        "SigninLogs",
        ["TimeGenerated", "UserPrincipalName", "ResultType", "IPAddress", "Location"],
    )
    signins = signins[signins.TimeGenerated > now - pd.Timedelta(days=14)]
    joined = alerts.merge(signins, on="UserPrincipalName")
    joined = joined[
        joined.TimeGenerated.between(joined.AlertTime - pd.Timedelta(days=1), joined.AlertTime)
    ]
    return (
        joined.assign(failed=joined.ResultType != "0")
        .groupby(["AlertName", "UserPrincipalName"], dropna=False)
        .agg(
            signins=("failed", "size"),
            failures=("failed", "sum"),
            ips=("IPAddress", "nunique"),
            countries=("Location", "unique"),
        )
        .reset_index()
    )


def latest_process_pandas(data: Path, now: pd.Timestamp) -> pd.DataFrame:
    """The latest process event of every device, all columns, in pandas."""
    df = read(data, "DeviceProcessEvents")
    return df.loc[df.groupby("DeviceName", dropna=False).TimeGenerated.idxmax()]


def failures_timechart_pandas(data: Path, now: pd.Timestamp) -> pd.DataFrame:
    """Failed sign-ins per hour and application, in pandas."""
    df = read(data, "SigninLogs", ["TimeGenerated", "AppDisplayName", "ResultType"])
    df = df[df.ResultType != "0"]
    return (
        df.groupby([df.TimeGenerated.dt.floor("h"), df.AppDisplayName], dropna=False)
        .size()
        .rename("failures")
        .reset_index()
    )


def server_logons_pandas(data: Path, now: pd.Timestamp) -> pd.DataFrame:
    """Network logons on servers from internal addresses by non-machine accounts, in pandas."""
    df = read(
        data,
        "SecurityEvent",
        ["TimeGenerated", "EventID", "LogonType", "Computer", "IpAddress", "TargetUserName"],
    )
    df = df[
        (df.EventID == 4624)
        & (df.LogonType == 3)
        & df.Computer.str.lower().str.startswith("srv-", na=False)
        & df.IpAddress.str.startswith("10.0.", na=False)
        & ~df.TargetUserName.fillna("").str.endswith("$")
    ]
    return (
        df.groupby(["Computer", "TargetUserName", "IpAddress"], dropna=False)
        .agg(logons=("TimeGenerated", "size"), first_seen=("TimeGenerated", "min"))
        .reset_index()
    )


@dataclass(frozen=True)
class Hunt:
    """One hunting question, asked three ways."""

    name: str
    kql: str
    #: DuckDB SQL written by hand; ``{now}`` is the instant the KQL's ago() counts from.
    sql: str
    pandas: Callable[[Path, pd.Timestamp], pd.DataFrame]


HUNTS = [
    Hunt(
        "password spray (dcount by IP, day)",
        """SigninLogs
| where TimeGenerated > ago(14d)
| where ResultType in ("50126", "50053")
| summarize failures = count(), accounts = dcount(UserPrincipalName),
    first_seen = min(TimeGenerated), last_seen = max(TimeGenerated)
    by IPAddress, bin(TimeGenerated, 1d)
| where accounts >= 20
| order by accounts desc""",
        """SELECT IPAddress, date_trunc('day', TimeGenerated) AS TimeGenerated,
       count(*) AS failures, count(DISTINCT UserPrincipalName) AS accounts,
       min(TimeGenerated) AS first_seen, max(TimeGenerated) AS last_seen
FROM SigninLogs
WHERE TimeGenerated > TIMESTAMP '{now}' - INTERVAL 14 DAY AND ResultType IN ('50126', '50053')
GROUP BY ALL HAVING count(DISTINCT UserPrincipalName) >= 20
ORDER BY accounts DESC""",
        spray_pandas,
    ),
    Hunt(
        "new country for adele (!in let)",
        f"""let known = SigninLogs
    | where TimeGenerated between (ago(30d) .. ago(7d))
    | where UserPrincipalName =~ "{ADELE}" and ResultType == "0"
    | distinct Location;
SigninLogs
| where TimeGenerated > ago(7d)
| where UserPrincipalName =~ "{ADELE}" and ResultType == "0"
| where Location !in (known)
| project TimeGenerated, IPAddress, Location, RiskLevelDuringSignIn, AppDisplayName""",
        f"""WITH adele AS (
    SELECT * FROM SigninLogs
    WHERE lower(UserPrincipalName) = '{ADELE}' AND ResultType = '0')
SELECT TimeGenerated, IPAddress, Location, RiskLevelDuringSignIn, AppDisplayName FROM adele
WHERE TimeGenerated > TIMESTAMP '{{now}}' - INTERVAL 7 DAY
  AND Location NOT IN (
    SELECT Location FROM adele
    WHERE TimeGenerated BETWEEN TIMESTAMP '{{now}}' - INTERVAL 30 DAY
                            AND TIMESTAMP '{{now}}' - INTERVAL 7 DAY)""",
        new_country_pandas,
    ),
    Hunt(
        "encoded PowerShell (=~, has, contains)",
        """DeviceProcessEvents
| where FileName =~ "powershell.exe"
| where ProcessCommandLine has "-enc" or ProcessCommandLine contains "EncodedCommand"
| project TimeGenerated, DeviceName, AccountName, InitiatingProcessFileName, ProcessCommandLine""",
        r"""SELECT TimeGenerated, DeviceName, AccountName, InitiatingProcessFileName,
       ProcessCommandLine
FROM DeviceProcessEvents
WHERE lower(FileName) = 'powershell.exe'
  AND (regexp_matches(ProcessCommandLine, '(?i)-enc\b')
       OR ProcessCommandLine ILIKE '%encodedcommand%')""",
        encoded_powershell_pandas,
    ),
    Hunt(
        "C2 traffic, bytes summed (in let)",
        """let c2 = ThreatIntelligenceIndicator
    | where ThreatType == "C2" and isnotempty(NetworkIP)
    | project NetworkIP;
CommonSecurityLog
| where DestinationIP in (c2)
| summarize connections = count(), sent = sum(SentBytes), received = sum(ReceivedBytes)
    by SourceIP, DestinationIP, DestinationPort""",
        """SELECT SourceIP, DestinationIP, DestinationPort, count(*) AS connections,
       sum(SentBytes) AS sent, sum(ReceivedBytes) AS received
FROM CommonSecurityLog
WHERE DestinationIP IN (
    SELECT NetworkIP FROM ThreatIntelligenceIndicator WHERE ThreatType = 'C2' AND NetworkIP <> '')
GROUP BY ALL""",
        c2_traffic_pandas,
    ),
    Hunt(
        "alerts joined to sign-ins",
        """SecurityAlert
| where CompromisedEntity contains "@"
| project AlertTime = TimeGenerated, AlertName, UserPrincipalName = CompromisedEntity
| join kind=inner (SigninLogs | where TimeGenerated > ago(14d)) on UserPrincipalName
| where TimeGenerated between ((AlertTime - 1d) .. AlertTime)
| summarize signins = count(), failures = countif(ResultType != "0"),
    ips = dcount(IPAddress), countries = make_set(Location) by AlertName, UserPrincipalName""",
        """SELECT a.AlertName, a.CompromisedEntity AS UserPrincipalName, count(*) AS signins,
       count(*) FILTER (WHERE s.ResultType <> '0') AS failures,
       count(DISTINCT s.IPAddress) AS ips, list(DISTINCT s.Location) AS countries
FROM SecurityAlert a JOIN SigninLogs s ON s.UserPrincipalName = a.CompromisedEntity
WHERE a.CompromisedEntity LIKE '%@%'
  AND s.TimeGenerated > TIMESTAMP '{now}' - INTERVAL 14 DAY
  AND s.TimeGenerated BETWEEN a.TimeGenerated - INTERVAL 1 DAY AND a.TimeGenerated
GROUP BY ALL""",
        alert_signins_pandas,
    ),
    Hunt(
        "latest event per device (arg_max *)",
        """DeviceProcessEvents
| summarize arg_max(TimeGenerated, *) by DeviceName""",
        """SELECT * FROM DeviceProcessEvents
QUALIFY row_number() OVER (PARTITION BY DeviceName ORDER BY TimeGenerated DESC) = 1""",
        latest_process_pandas,
    ),
    Hunt(
        "failures per hour (bin timechart)",
        """SigninLogs
| where ResultType != "0"
| summarize failures = count() by bin(TimeGenerated, 1h), AppDisplayName
| render timechart""",
        """SELECT date_trunc('hour', TimeGenerated) AS TimeGenerated, AppDisplayName,
       count(*) AS failures
FROM SigninLogs WHERE ResultType <> '0' GROUP BY ALL""",
        failures_timechart_pandas,
    ),
    Hunt(
        "server network logons (startswith)",
        """SecurityEvent
| where EventID == 4624 and LogonType == 3 and Computer startswith "srv-"
| where IpAddress startswith "10.0." and TargetUserName !endswith "$"
| summarize logons = count(), first_seen = min(TimeGenerated)
    by Computer, TargetUserName, IpAddress""",
        """SELECT Computer, TargetUserName, IpAddress, count(*) AS logons,
       min(TimeGenerated) AS first_seen
FROM SecurityEvent
WHERE EventID = 4624 AND LogonType = 3 AND Computer ILIKE 'srv-%'
  AND IpAddress LIKE '10.0.%' AND NOT coalesce(TargetUserName, '') LIKE '%$'
GROUP BY ALL""",
        server_logons_pandas,
    ),
]


# Running the compiler in Node


def ensure_compiler_built() -> None:
    """Builds build/cli when it is missing or older than a source file of the compiler."""
    sources = [p.stat().st_mtime for p in (REPO / "src" / "kql").rglob("*.ts")]
    if BUILD.is_file() and BUILD.stat().st_mtime >= max(sources, default=0):
        return
    jlpm = shutil.which("jlpm") or str(Path(sys.executable).parent / "jlpm")
    print("building the compiler (jlpm build:cli) ...", flush=True)
    subprocess.run([jlpm, "build:cli"], cwd=REPO, check=True)


def node(*args: str, stdin: str | None = None) -> dict:
    """Runs the Node half of the benchmark and returns its JSON output."""
    done = subprocess.run(
        ["node", str(HELPER), *args], input=stdin, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"kql_compile.js {args[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of some values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def bench_corpus(passes: int) -> None:
    """Parse+compile throughput over the Sentinel corpus."""
    corpus, schema = CORPUS / "sentinel_queries.jsonl", CORPUS / "table_schemas.json"
    entries = sum(1 for line in corpus.read_text().splitlines() if line.strip())
    result = node("corpus", str(corpus), str(schema), "--passes", str(passes))
    blocks = result["blocks"]
    print(
        f"KQL compiler over {corpus.name}: {blocks:,} blocks in {entries:,} entries "
        f"({result['chars'] / 1e6:.2f} M characters), schema {schema.name}"
    )
    print(
        f"  first load of the compiler (Kusto.Language + stages): {result['loadMs']:,.0f} ms; "
        f"schema of the corpus' tables: {result['schemaMs']:,.0f} ms"
    )
    print(
        f"  {'pass':8} {'blocks/s':>9} {'total s':>8} {'median ms':>10} {'p99 ms':>8} {'max ms':>8}"
    )
    for i, times in enumerate(result["passes"], 1):
        label = f"{i} (cold)" if i == 1 else str(i)
        print(
            f"  {label:8} {blocks / (sum(times) / 1000):9.1f} {sum(times) / 1000:8.1f} "
            f"{statistics.median(times):10.1f} {percentile(times, 99):8.1f} {max(times):8.1f}"
        )
    last = result["passes"][-1]
    slowest = sorted(range(blocks), key=lambda i: -last[i])[:3]
    print(
        "  slowest blocks (last pass): "
        + "; ".join(f"{result['labels'][i]} {last[i]:,.0f} ms" for i in slowest)
    )
    print(
        f"  SQL produced for {result['compiled']:,}/{blocks:,} blocks, "
        f"{result['syntaxErrors']} with syntax errors "
        "(whether DuckDB accepts the SQL is `bin/kql check`'s measure, not timed here)"
    )


# The hunts on the demo workspace


def demo_data(folder: Path, scale: float) -> Path:
    """The demo workspace at this scale, generated once and then reused."""
    path = folder / f"demo-scale-{scale:g}"
    marker = path / "_generated.json"
    if is_generated(path):
        meta = json.loads(marker.read_text())
        if meta.get("scale") == scale and meta.get("end") == END.isoformat():
            return path
    print(f"generating the demo workspace at scale {scale:g} into {path} ...", flush=True)
    report = generate(path, scale=scale, end=END)
    print(f"  {report.total_rows:,} rows in {report.seconds:.0f} s")
    return path


@dataclass
class Timing:
    """The median time of one implementation of a hunt, and how many rows it returned."""

    ms: float | None = None
    rows: int | None = None
    error: str | None = None

    def cell(self) -> str:
        """The median as a table cell."""
        return "failed" if self.ms is None else f"{self.ms:,.1f}"


def timed(run: Callable[[], int], runs: int) -> Timing:
    """One untimed warm-up run (it also counts the rows), then the median of ``runs`` runs."""
    try:
        rows = run()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
    except Exception as error:  # reported in the table, never hidden
        text = error.detail if isinstance(error, SentinelError) and error.detail else str(error)
        return Timing(error=f"{type(error).__name__}: {text}".splitlines()[0][:300])
    return Timing(statistics.median(times), rows)


#: Issue 21's target for compiled KQL against hand SQL, printed beside each ratio.
TARGET_RATIO = 1.1
#: Issue 21's target for the server path's overhead over DuckDB alone, in milliseconds.
TARGET_OVERHEAD_MS = 10.0


@dataclass
class HuntRow:
    """One hunt's figures at one scale."""

    name: str
    kql: Timing
    hand: Timing
    duckdb: Timing
    pandas: Timing


def side_by_side(left: str, right: str, titles: tuple[str, str]) -> str:
    """Two plans in two columns, without the SQL text DuckDB echoes in each."""
    a, b = (
        [line for line in text.splitlines() if not line.startswith("EXPLAIN")]
        for text in (left, right)
    )
    width = max((len(line) for line in a), default=0) + 2
    lines = [f"{titles[0]:{width}}{titles[1]}"]
    for i in range(max(len(a), len(b))):
        lines.append(f"{a[i] if i < len(a) else '':{width}}{b[i] if i < len(b) else ''}")
    return "\n".join(lines)


def bench_hunts(
    scale: float, runs: int, data_folder: Path, show_sql: bool, plans: bool
) -> list[HuntRow]:
    """Times each hunt as compiled KQL, hand SQL and pandas, and compares their row counts.

    The compiled SQL also runs on DuckDB alone (the workspace's own connection, no checks, no
    watchdog, no row counting): the difference from Lake.query is the server path's overhead.
    """
    data = demo_data(data_folder, scale)
    lake = Lake(root_dir=data.parent, demo_path=data)
    tables = cast(list[dict[str, object]], lake.schema("demo")["tables"])
    total = sum(int(t["rowCount"]) for t in tables)
    biggest = ", ".join(
        f"{t['name']} {int(t['rowCount']):,}"
        for t in sorted(tables, key=lambda t: -int(t["rowCount"]))[:4]
    )
    print(
        f"\nHunts on the demo workspace at scale {scale:g}: {total:,} rows in {len(tables)} tables "
        f"({biggest}, ...); DuckDB with {lake.limits.threads} threads via Lake.query, "
        f"pandas {pd.__version__} reading the same Parquet; median of {runs} runs after a warm-up; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory() as tmp:
        schema_file = Path(tmp) / "schema.json"
        schema_file.write_text(json.dumps({"tables": tables}))
        compiled = node(
            "compile",
            str(schema_file),
            END.isoformat().replace("+00:00", "Z"),
            stdin=json.dumps({h.name: h.kql for h in HUNTS}),
        )
    now_sql = END.strftime("%Y-%m-%d %H:%M:%S")
    now_pandas = pd.Timestamp(END.replace(tzinfo=None))
    connection = lake.engine("demo").connection

    def on_lake(sql: str) -> Callable[[], int]:
        def run() -> int:
            result = lake.query("demo", sql, str(uuid.uuid4()), max_rows=lake.limits.max_rows)
            if result.truncated:
                raise RuntimeError(f"more than {lake.limits.max_rows:,} rows")
            return result.table.num_rows

        return run

    def on_duckdb(sql: str) -> Callable[[], int]:
        def run() -> int:
            cursor = connection.cursor()
            try:
                return int(cursor.sql(sql).to_arrow_table().num_rows)
            finally:
                cursor.close()

        return run

    header = (
        f"  {'hunt':38} {'compile ms':>10} {'KQL→SQL ms':>11} {'hand SQL ms':>11} "
        f"{'pandas ms':>10} {'KQL/hand':>8} {'target':>6} {'DuckDB ms':>9} {'overhead':>8} "
        f"{'rows':>17}"
    )
    print(header)
    problems: list[str] = []
    figures: list[HuntRow] = []
    for hunt in HUNTS:
        out = compiled["queries"][hunt.name]
        hand_sql = hunt.sql.format(now=now_sql)
        if out["sql"] is None:
            kql = alone = Timing(error=f"compile failed: {out['error']}")
        else:
            kql = timed(on_lake(out["sql"]), runs)
            alone = timed(on_duckdb(out["sql"]), runs)
        hand = timed(on_lake(hand_sql), runs)
        pandas = timed(lambda h=hunt: len(h.pandas(data, now_pandas)), runs)
        figures.append(HuntRow(hunt.name, kql, hand, alone, pandas))
        counts = [t.rows for t in (kql, hand, pandas)]
        ratio = f"{kql.ms / hand.ms:.2f}" if kql.ms and hand.ms else "-"
        overhead = f"{kql.ms - alone.ms:.1f}" if kql.ms and alone.ms else "-"
        rows = "/".join("-" if c is None else str(c) for c in counts)
        mismatch = len({c for c in counts if c is not None}) > 1
        flag = "  <-- ROW COUNTS DIFFER" if mismatch else ""
        print(
            f"  {hunt.name:38} {out['ms']:10.1f} {kql.cell():>11} {hand.cell():>11} "
            f"{pandas.cell():>10} {ratio:>8} {TARGET_RATIO:>6.2f} {alone.cell():>9} "
            f"{overhead:>8} {rows:>17}{flag}",
            flush=True,
        )
        for label, timing in (("compiled KQL", kql), ("hand SQL", hand), ("pandas", pandas)):
            if timing.error:
                problems.append(f"{hunt.name}: {label}: {timing.error}")
        if mismatch:
            problems.append(
                f"{hunt.name}: ROW COUNTS DIFFER: compiled KQL {counts[0]}, hand SQL {counts[1]}, "
                f"pandas {counts[2]}"
            )
        if show_sql and out["sql"]:
            print(f"\n--- {hunt.name}: compiled SQL\n{out['sql']}\n")
        if plans and out["sql"]:
            kql_plan, hand_plan = (
                str(connection.sql(f"EXPLAIN ANALYZE {sql}").fetchall()[0][1])
                for sql in (out["sql"], hand_sql)
            )
            print(f"\n--- {hunt.name}: EXPLAIN ANALYZE")
            print(side_by_side(kql_plan, hand_plan, ("compiled KQL", "hand SQL")) + "\n")
    print(
        f"  (rows: compiled KQL/hand SQL/pandas; compiler loaded in {compiled['loadMs']:,.0f} ms)"
    )
    print(
        "  compile ms: the second compilation of the hunt in one Node process (warm); "
        f"DuckDB ms: the compiled SQL on the workspace's connection alone; overhead: Lake.query "
        f"less that (target under {TARGET_OVERHEAD_MS:g} ms)"
    )
    if problems:
        print("\nPROBLEMS:")
        for problem in problems:
            print(f"  {problem}")
    lake.close()
    return figures


#: Queries whose own work is small, so that the time around them shows.
OVERHEAD_QUERIES = {
    "count of a small table": "SELECT count(*) FROM SecurityAlert",
    "1,000 sign-ins": "SELECT * FROM SigninLogs LIMIT 1000",
}


def bench_overhead(scale: float, runs: int, data_folder: Path) -> None:
    """The server path's time around a query: DuckDB alone on the workspace's connection,
    Lake.query in this process (checks, watchdog, cancellation registry, Arrow batches), and
    Lake.query through a query worker as the Jupyter server runs it (the worker hop, pickled
    Arrow)."""
    data = demo_data(data_folder, scale)
    lake = Lake(root_dir=data.parent, demo_path=data)
    sandboxed = Lake(root_dir=data.parent, demo_path=data)
    sandboxed.sandbox = Sandbox(WorkerSettings(sandboxed.worker_arguments(), 4 * 2**30))
    sandboxed.sandbox.start()
    connection = lake.engine("demo").connection
    runs = max(runs, 21)
    print(
        f"\nPer-query overhead at scale {scale:g} (median of {runs} runs; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; target under "
        f"{TARGET_OVERHEAD_MS:g} ms)"
    )
    print(
        f"  {'query':26} {'DuckDB ms':>9} {'Lake.query ms':>13} {'overhead':>8} "
        f"{'in a worker ms':>14} {'overhead':>8}"
    )

    def duckdb_alone(sql: str) -> int:
        cursor = connection.cursor()
        try:
            return int(cursor.sql(sql).to_arrow_table().num_rows)
        finally:
            cursor.close()

    def rows_of(on: Lake, sql: str) -> int:
        return int(on.query("demo", sql, str(uuid.uuid4())).table.num_rows)

    try:
        for name, sql in OVERHEAD_QUERIES.items():
            alone = timed(partial(duckdb_alone, sql), runs)
            local = timed(partial(rows_of, lake, sql), runs)
            worker = timed(partial(rows_of, sandboxed, sql), runs)
            if alone.ms is None or local.ms is None or worker.ms is None:
                print(f"  {name:26} failed: {alone.error or local.error or worker.error}")
                continue
            print(
                f"  {name:26} {alone.ms:9.1f} {local.ms:13.1f} {local.ms - alone.ms:8.1f} "
                f"{worker.ms:14.1f} {worker.ms - alone.ms:8.1f}"
            )
    finally:
        sandboxed.close()
        lake.close()


def growth(a: Timing, b: Timing) -> str:
    """How many times longer ``b`` took than ``a``, for the README's tables."""
    return f"{b.ms / a.ms:.1f}x" if a.ms and b.ms else "-"


def markdown_table(head: list[str], rows: list[list[str]]) -> str:
    """A markdown table, to paste into the README."""
    return "\n".join(
        "| " + " | ".join(cells) + " |" for cells in [head, ["---"] * len(head), *rows]
    )


def markdown(results: dict[float, list[HuntRow]]) -> str:
    """One table of every scale, to paste into the README's performance section; the last
    columns say how each engine's time grew from the first scale to the last."""
    scales = list(results)
    first, last = scales[0], scales[-1]
    head = ["hunt"]
    for scale in scales:
        head += [
            f"KQL→SQL ms, scale {scale:g}",
            f"hand SQL ms, scale {scale:g}",
            "KQL/hand",
            f"pandas ms, scale {scale:g}",
        ]
    if len(scales) > 1:
        head += [f"KQL→SQL growth {first:g}→{last:g}", "pandas growth"]
    rows = []

    for i, hunt in enumerate(HUNTS):
        cells = [hunt.name]
        for scale in scales:
            row = results[scale][i]
            ratio = f"{row.kql.ms / row.hand.ms:.2f}" if row.kql.ms and row.hand.ms else "-"
            cells += [row.kql.cell(), row.hand.cell(), ratio, row.pandas.cell()]
        if len(scales) > 1:
            a, b = results[first][i], results[last][i]
            cells += [growth(a.kql, b.kql), growth(a.pandas, b.pandas)]
        rows.append(cells)
    return markdown_table(head, rows)


def main() -> None:
    """Corpus throughput, then the hunts on the demo data at each scale."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale",
        type=float,
        nargs="+",
        default=[10.0, 30.0],
        help="demo scales (1 ≈ 1M rows; the demo is generated at 1)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per hunt and engine")
    parser.add_argument("--passes", type=int, default=2, help="passes over the corpus")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    parser.add_argument(
        "--data",
        type=Path,
        default=cache / "jupyterlab-sentinel" / "bench",
        help="folder where demo workspaces are generated and kept",
    )
    parser.add_argument("--sql", action="store_true", help="print each hunt's compiled SQL")
    parser.add_argument(
        "--plans",
        action="store_true",
        help="print EXPLAIN ANALYZE of each hunt's compiled and hand SQL side by side",
    )
    parser.add_argument("--skip-corpus", action="store_true", help="only time the hunts")
    args = parser.parse_args()
    ensure_compiler_built()
    if not args.skip_corpus:
        bench_corpus(args.passes)
    bench_overhead(args.scale[0], args.runs, args.data)
    results = {
        scale: bench_hunts(scale, args.runs, args.data, args.sql, args.plans)
        for scale in args.scale
    }
    print(f"\nFor the README (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):\n")
    print(markdown(results))


if __name__ == "__main__":
    main()
