"""KQL cells in scheduled notebook jobs (jupyter-scheduler): they query again, and may save tables.

In JupyterLab a KQL cell is compiled in the browser and run by the server, which saves the result
as Parquet; the Python cell linked below it loads that file. A job runs the notebook headless,
where no browser compiles anything, so each KQL cell's last run records in the cell's metadata
(``sentinel.job``) what running it again takes: the SQL the compiler wrote per statement for a
local or Spark workspace, or the KQL for Log Analytics, with the instant it ran at and its time
range. The linked cell calls `result`, which outside a job reads the saved file, and in a job runs
the query again first, with ``now`` and a relative time range moved to the job's time.

The job's settings come from `SentinelExecutionManager` (``scheduler.py``), which jupyter-scheduler
runs: it puts them in the environment of the job's kernel (``SENTINEL_JOB``), taken from the
server's workspaces when the job starts, so a notebook holds no folder and no Spark token.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import Conflict, InvalidInput, NotFound
from .external import ExternalData
from .lake import TABLE_NAME, Lake, Limits, discover_tables
from .results import written_whole

if TYPE_CHECKING:
    import pandas as pd

    from .spark import SparkWorkspaces

#: The environment variable that holds a job's settings (JSON, see `JobSettings`).
JOB_ENV = "SENTINEL_JOB"

#: The durations a KQL cell's time range may be (the time range picker's), in hours.
DURATIONS = {
    "PT30M": 0.5,
    "PT1H": 1,
    "PT4H": 4,
    "PT12H": 12,
    "P1D": 24,
    "PT48H": 48,
    "P3D": 72,
    "P7D": 168,
    "P30D": 720,
    "P90D": 2160,
}

#: Seconds a job waits for Log Analytics to answer one query.
AZURE_TIMEOUT = 600


@dataclass
class JobSettings:
    """What a job's kernel needs to query the server's workspaces without the server."""

    #: The notebook the job runs (jupyter-scheduler's staged copy).
    notebook: str
    #: Local workspaces: id → folder.
    local: dict[str, str] = field(default_factory=dict)
    #: The server's ``SentinelConfig.spark_workspaces`` entries.
    spark: list[dict[str, Any]] = field(default_factory=list)
    #: The server's query limits (`Limits`' fields).
    limits: dict[str, Any] = field(default_factory=dict)
    #: The server's folder of bookmark logs: what ``HuntingBookmark`` reads.
    bookmarks: str | None = None

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> JobSettings | None:
        """The settings of the job this process runs in, or None outside a job."""
        text = os.environ.get(JOB_ENV)
        if not text:
            return None
        body = json.loads(text)
        return cls(
            notebook=str(body["notebook"]),
            local={str(k): str(v) for k, v in body.get("local", {}).items()},
            spark=list(body.get("spark", [])),
            limits=dict(body.get("limits", {})),
            bookmarks=body.get("bookmarks"),
        )


def running_as_job() -> bool:
    """Whether this kernel runs a notebook job of jupyter-scheduler started by our manager."""
    return JobSettings.from_env() is not None


def timestamp_literal(instant: dt.datetime) -> str:
    """An instant as the compiler's dialects write a timestamp (``src/kql/sql/dialects``):
    UTC, milliseconds, as JavaScript's ``toISOString`` gives them."""
    utc = instant.astimezone(dt.timezone.utc)
    return f"CAST('{utc:%Y-%m-%d %H:%M:%S}.{utc.microsecond // 1000:03d}' AS TIMESTAMP)"


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def moved_sql(sql: str, ran_at: str, time_range: str | None, now: dt.datetime) -> str:
    """The SQL of a run at ``ran_at`` as a run at ``now`` writes it: the compiler writes
    ``now()`` (and ``ago()``, which counts back from it) and the end of a relative time range as
    the literal of the instant the query ran at, and the range's start as that instant minus the
    range; both are moved. An absolute range (``start/end``) stays as it was."""
    before, after = _instant(ran_at), now.replace(microsecond=now.microsecond // 1000 * 1000)
    hours = DURATIONS.get(time_range or "")
    if hours is not None:
        span = dt.timedelta(hours=hours)
        sql = sql.replace(timestamp_literal(before - span), timestamp_literal(after - span))
    return sql.replace(timestamp_literal(before), timestamp_literal(after))


@dataclass(frozen=True)
class Statement:
    """One tabular statement of a KQL cell as a local or Spark workspace runs it."""

    sql: str
    external: tuple[ExternalData, ...] = ()
    geoip: bool = False


@dataclass(frozen=True)
class Rerun:
    """What a KQL cell's metadata (``sentinel.job``) says about running it again."""

    backend: str
    workspace: str
    ran_at: str
    time_range: str | None
    statements: tuple[Statement, ...] = ()
    others: tuple[str, ...] = ()
    #: Log Analytics: the query API's endpoint (without ``/v1``), its token scope, the workspace's
    #: GUID and the KQL; ``others`` are the GUIDs of a cross-workspace query's other workspaces.
    endpoint: str | None = None
    scope: str | None = None
    customer_id: str | None = None
    kql: str | None = None

    @classmethod
    def parse(cls, value: object) -> Rerun:
        if not isinstance(value, dict):
            raise InvalidInput(
                "The KQL cell does not record its last run (sentinel.job), which a job runs "
                "again: run the cell in JupyterLab, save the notebook, then schedule it again"
            )
        backend, workspace, ran_at = value.get("backend"), value.get("workspace"), value.get("now")
        if not all(isinstance(v, str) and v for v in (backend, workspace, ran_at)):
            raise InvalidInput("The KQL cell's sentinel.job needs backend, workspace and now")
        time_range = value.get("timeRange")
        statements = tuple(
            Statement(
                str(s["sql"]),
                tuple(ExternalData.parse(e) for e in s.get("externalData") or []),
                s.get("geoIp") is True,
            )
            for s in value.get("statements") or []
            if isinstance(s, dict) and isinstance(s.get("sql"), str)
        )
        return cls(
            backend=str(backend),
            workspace=str(workspace),
            ran_at=str(ran_at),
            time_range=time_range if isinstance(time_range, str) else None,
            statements=statements,
            others=tuple(str(w) for w in value.get("workspaces") or []),
            endpoint=_text(value.get("endpoint")),
            scope=_text(value.get("scope")),
            customer_id=_text(value.get("customerId")),
            kql=_text(value.get("kql")),
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def kql_cell(notebook: Path, cell_id: str) -> dict[str, Any]:
    """The ``sentinel`` metadata of the KQL cell ``cell_id`` of a notebook file."""
    body = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in body.get("cells", []):
        if cell.get("id") == cell_id:
            sentinel = cell.get("metadata", {}).get("sentinel")
            if isinstance(sentinel, dict) and sentinel.get("kql") is True:
                return sentinel
            break
    raise NotFound(f"The notebook has no KQL cell {cell_id}")


def result(
    path: str, *, cell: str, table: int = 0, dynamic: tuple[str, ...] | list[str] = ()
) -> pd.DataFrame:
    """The result of table ``table`` of the KQL cell ``cell`` as a DataFrame, read from the
    Parquet file at ``path`` (relative to the notebook's folder); in a job, after running the
    query again into that file. ``dynamic`` columns hold JSON text and are parsed."""
    import pandas as pd

    settings = JobSettings.from_env()
    if settings is not None:
        rerun = Rerun.parse(kql_cell(Path(settings.notebook), cell).get("job"))
        run_again(rerun, settings, table, Path.cwd(), path, dt.datetime.now(dt.timezone.utc))
    frame = pd.read_parquet(path)
    for column in dynamic:
        frame[column] = frame[column].map(json.loads, na_action="ignore")
    return frame


def run_again(
    rerun: Rerun,
    settings: JobSettings,
    table: int,
    root: Path,
    path: str,
    now: dt.datetime,
) -> dict[str, object]:
    """Runs table ``table`` of a KQL cell again at ``now``, writing its result at ``path``
    relative to ``root`` as the server would; answers what the server's export answers."""
    if rerun.backend == "azure":
        return _run_on_log_analytics(rerun, table, root, path)
    if rerun.backend != "local":
        raise InvalidInput(f"A job cannot run queries of the {rerun.backend} backend")
    if not 0 <= table < len(rerun.statements):
        raise InvalidInput(
            "The KQL cell's metadata has no SQL for this table: run the cell in JupyterLab once"
        )
    statement = rerun.statements[table]
    sql = moved_sql(statement.sql, rerun.ran_at, rerun.time_range, now)
    lake = _lake(settings, root, rerun.workspace, rerun.others)
    try:
        return lake.export(
            rerun.workspace,
            sql,
            path,
            uuid.uuid4().hex,
            external=statement.external,
            geoip=statement.geoip,
            workspaces=rerun.others,
        )
    finally:
        lake.close()


def _lake(settings: JobSettings, root: Path, workspace: str, others: tuple[str, ...]) -> Lake:
    """A lake of the job's workspaces in this process, writing results under ``root``: the same
    read-only, locked-down DuckDB per workspace as the server's (``lake.py``)."""
    limits = Limits(**settings.limits)
    spark = _spark_workspaces(settings, limits)
    if spark is None or workspace not in spark.ids:
        for wid in (workspace, *others):
            if wid not in settings.local:
                raise NotFound(
                    f"The server has no workspace {wid!r} now: configure it in the Sentinel "
                    "sidebar (Settings), then run the job again"
                )
    demo = settings.local.get("demo", str(root / ".no-demo"))
    configured = {wid: folder for wid, folder in settings.local.items() if wid != "demo"}
    lake = Lake(
        root_dir=root,
        demo_path=Path(demo),
        allowed_roots=[Path(folder) for folder in configured.values()],
        limits=limits,
        spark=spark,
        bookmarks_dir=Path(settings.bookmarks) if settings.bookmarks else None,
    )
    # The server's ids are slugs of names, so each is its own name's slug here.
    lake.configure([{"name": wid, "path": folder} for wid, folder in configured.items()])
    return lake


def _spark_workspaces(settings: JobSettings, limits: Limits) -> SparkWorkspaces | None:
    if not settings.spark:
        return None
    from .spark import SparkWorkspaces

    return SparkWorkspaces(settings.spark, limits, {"demo"})


def azure_credential() -> Any:
    """The credential a job reaches Log Analytics with: a service principal from the environment
    (``AZURE_TENANT_ID``, ``AZURE_CLIENT_ID``, ``AZURE_CLIENT_SECRET`` or a certificate), else the
    machine's managed identity; never a browser sign-in."""
    from azure.identity import (
        ChainedTokenCredential,
        EnvironmentCredential,
        ManagedIdentityCredential,
    )

    return ChainedTokenCredential(EnvironmentCredential(), ManagedIdentityCredential())


def _run_on_log_analytics(rerun: Rerun, table: int, root: Path, path: str) -> dict[str, object]:
    """Runs the cell's KQL on Log Analytics' query API with the job's credential, the time range
    sent as the API's ``timespan`` (a duration counts back from the job's time)."""
    from .loganalytics import export, parse_tables

    if not (rerun.endpoint and rerun.scope and rerun.customer_id and rerun.kql):
        raise InvalidInput(
            "The KQL cell's metadata lacks the Log Analytics query: run the cell in JupyterLab once"
        )
    endpoint = rerun.endpoint.rstrip("/")
    if not endpoint.startswith(("https://", "http://localhost", "http://127.0.0.1")):
        raise InvalidInput(f"Log Analytics' endpoint must be https: {endpoint}")
    token = azure_credential().get_token(rerun.scope).token
    body: dict[str, object] = {"query": rerun.kql}
    if rerun.time_range:
        body["timespan"] = rerun.time_range
    if rerun.others:
        body["workspaces"] = list(rerun.others)
    request = urllib.request.Request(  # noqa: S310 — the scheme is checked above
        f"{endpoint}/v1/workspaces/{rerun.customer_id}/query",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Prefer": "include-statistics=false",
        },
        method="POST",
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=AZURE_TIMEOUT) as response:  # noqa: S310
        text = response.read()
    tables = parse_tables(text)
    if not 0 <= table < len(tables):
        raise InvalidInput(f"Log Analytics answered {len(tables)} tables, not table {table + 1}")
    return {**export(root, path, tables[table]), "elapsedMs": (time.perf_counter() - start) * 1000}


# Saving tables


def save_as_table(
    frame: pd.DataFrame, name: str, *, workspace: str | None = None, overwrite: bool = False
) -> str:
    """Saves a DataFrame as table ``name`` of a workspace, for later KQL to query, as the data
    lake's ``save_as_table`` does: a Parquet file in a local workspace's folder (written whole,
    then renamed into place), ``saveAsTable`` on a Spark workspace. ``workspace`` is the id of a
    workspace of the server (the notebook's when not given). An existing table is refused unless
    ``overwrite``. Answers where the table was written."""
    if not TABLE_NAME.match(name):
        raise InvalidInput(
            f"{name!r} is not a table name: a letter, then letters, digits and underscores"
        )
    settings = JobSettings.from_env()
    if settings is None:
        raise Conflict(
            "save_as_table runs in scheduled notebook jobs (jupyter-scheduler), which know the "
            "server's workspaces: schedule this notebook (Create Notebook Job)"
        )
    target = workspace or _notebook_workspace(Path(settings.notebook))
    limits = Limits(**settings.limits)
    spark = _spark_workspaces(settings, limits)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if spark is not None and target in spark.ids:
        try:
            return spark.save_as_table(target, table, name, overwrite)
        finally:
            spark.close()
    folder = settings.local.get(target)
    if folder is None:
        raise NotFound(f"The server has no workspace {target!r}")
    return save_parquet_table(table, Path(folder), name, overwrite)


def save_parquet_table(table: pa.Table, folder: Path, name: str, overwrite: bool) -> str:
    """Writes ``table`` as ``<folder>/<name>.parquet``: a table of the local workspace once it is
    renamed into place. A table of that name in any form (file or folder, any case: KQL's names
    are matched so) is refused unless ``overwrite``, and then only a Parquet file is replaced."""
    if not TABLE_NAME.match(name):
        raise InvalidInput(f"{name!r} is not a table name")
    target = folder / f"{name}.parquet"
    existing = [t for t in discover_tables(folder) if t.lower() == name.lower()]
    if existing and not (overwrite and target.is_file() and existing == [name]):
        raise Conflict(
            f"The workspace already has a table {existing[0]}"
            + ("" if overwrite else ": pass overwrite=True to replace it")
        )
    with written_whole(target) as partial:
        pq.write_table(table, partial)
    return str(target)


def _notebook_workspace(notebook: Path) -> str:
    body = json.loads(notebook.read_text(encoding="utf-8"))
    workspace = body.get("metadata", {}).get("sentinel", {}).get("workspace", {})
    wid = workspace.get("id") if isinstance(workspace, dict) else None
    if not isinstance(wid, str) or not wid:
        raise InvalidInput("The notebook names no workspace: pass workspace=…")
    return wid
