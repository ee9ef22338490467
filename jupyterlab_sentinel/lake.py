"""Local workspaces: folders of log files, queried read-only by a sandboxed DuckDB.

A workspace is a folder; each table is a Parquet, CSV or JSON-lines file named after the table, or a
folder of such files (one per day, say). Each workspace gets its own in-memory DuckDB database whose
tables are views over those files. The database is locked down before any user SQL reaches it: it
may read only the workspace's folder, loads no extension, reaches no network and cannot change its
configuration; and every statement is checked to be a single SELECT, because DuckDB's settings alone
still allow `COPY ... TO` and `CREATE TABLE` inside the allowed folder.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .bookmarks import HUNTING_BOOKMARK_COLUMNS, BookmarkStore
from .crossworkspace import create_views
from .errors import (
    Cancelled,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RequestTooLarge,
    ResultTooLarge,
    SentinelError,
    TimedOut,
)
from .external import ExternalData, geoip_select
from .results import result_file, written_whole
from .sql import identifier, string_literal
from .types import from_duckdb, result_batch, result_type

if TYPE_CHECKING:
    from .sandbox import Sandbox
    from .spark import SparkWorkspaces

TABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
LEADING_COMMENTS = re.compile(r"\A(?:\s|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)
READERS = {
    ".parquet": "read_parquet",
    ".csv": "read_csv",
    ".json": "read_json",
    ".jsonl": "read_json",
}

#: Categories of the well-known Sentinel tables, as the Log Analytics schema browser groups them.
CATEGORIES = {
    "SigninLogs": "Azure Active Directory",
    "AADNonInteractiveUserSignInLogs": "Azure Active Directory",
    "AuditLogs": "Azure Active Directory",
    "SecurityEvent": "Security",
    "Syslog": "Linux",
    "CommonSecurityLog": "Network",
    "OfficeActivity": "Office 365",
    "AzureActivity": "Azure",
    "SecurityAlert": "Sentinel",
    "SecurityIncident": "Sentinel",
    "HuntingBookmark": "Sentinel",
    "ThreatIntelligenceIndicator": "Threat Intelligence",
}
DEFENDER_PREFIXES = ("Device", "Identity", "Email", "CloudApp", "Alert")


def category_of(table: str) -> str:
    """The category a table is listed under."""
    if table in CATEGORIES:
        return CATEGORIES[table]
    if table.startswith(DEFENDER_PREFIXES):
        return "Microsoft Defender XDR"
    return "Custom"


def discover_tables(folder: Path, refused: dict[str, str] | None = None) -> dict[str, str]:
    """The tables of a workspace folder: table name → the DuckDB table function that reads it.

    An entry that leads outside the folder (a symbolic link) is not a table: it is named in
    ``refused`` with the reason, and the other tables still list.
    """
    tables: dict[str, str] = {}
    root = folder.resolve()
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue  # metadata, such as the demo data set's marker file
        if not entry.resolve().is_relative_to(root):
            if refused is not None:
                refused[entry.name] = "It links to a file outside the workspace folder"
            continue
        if entry.is_dir():
            name = entry.name
            reader = _folder_reader(entry)
            if reader is None:
                continue
            function, ext = reader
            files = string_literal(str(entry / "**" / ("*" + ext)))
            source = f"{function}({files}, union_by_name = true)"
        elif entry.suffix.lower() in READERS:
            name = entry.stem
            source = f"{READERS[entry.suffix.lower()]}({string_literal(str(entry))})"
        else:
            continue
        if TABLE_NAME.match(name) and name not in tables:
            tables[name] = source
    return tables


def folder_state(folder: Path) -> tuple[object, ...]:
    """What a workspace folder's tables depend on, read without walking its table folders: the
    folder it resolves to and each entry with its modification time (a table folder's changes
    when a file is added, removed or renamed directly in it). Reading it takes one directory
    listing, where `discover_tables` lists every file of every table (tens of ms for a month of
    daily files) before each query."""
    root = folder.resolve()
    with os.scandir(root) as entries:
        return (
            root,
            tuple(
                sorted(
                    (entry.name, entry.stat(follow_symlinks=False).st_mtime_ns) for entry in entries
                )
            ),
        )


def _folder_reader(folder: Path) -> tuple[str, str] | None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in READERS:
            return READERS[path.suffix.lower()], path.suffix.lower()
    return None


@dataclass
class QueryResult:
    """A query's result: at most the requested rows, and whether the row limit cut it."""

    table: pa.Table
    kql_types: list[str]
    truncated: bool
    elapsed_ms: float

    def to_ipc(self) -> bytes:
        """The result as an Arrow IPC stream; every field carries its KQL type as metadata."""
        fields = [
            f.with_metadata({"kql_type": t})
            for f, t in zip(self.table.schema, self.kql_types, strict=True)
        ]
        table = self.table.cast(pa.schema(fields))
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        return bytes(sink.getvalue().to_pybytes())


@dataclass
class Limits:
    """Resource limits of every query."""

    default_rows: int = 10_000
    max_rows: int = 1_000_000
    default_timeout: float = 60.0
    max_timeout: float = 600.0
    threads: int = 2
    memory_limit: str = "4GB"
    #: Bytes of rows a query may answer (Arrow buffers, counted as they are read).
    max_result_bytes: int = 256 * 2**20
    #: Bytes of rows an export may write.
    max_export_bytes: int = 4 * 2**30
    #: Bytes of SQL text a query may have: parsing and planning are not interruptible.
    max_sql_bytes: int = 2**20
    #: What each workspace's database may spill to its temporary folder.
    max_spill_size: str = "4GB"


#: How the error of a query that ran out of memory begins.
OUT_OF_MEMORY = "The query needed more memory than the server allows a query"

#: Rows per batch read from DuckDB: one of its vectors, so that the bytes of rows are counted
#: (and a result over its limit stopped) at most one vector late.
BATCH_ROWS = 2048


class WorkspaceEngine:
    """One sandboxed, read-only DuckDB database over one workspace folder, or over the folders of
    a cross-workspace query: ``members`` maps each of its workspace ids to its folder, the first
    being ``folder`` (see ``crossworkspace.py``)."""

    def __init__(
        self,
        folder: Path,
        limits: Limits,
        spill_root: Path | None = None,
        members: Mapping[str, Path] | None = None,
    ) -> None:
        self.folder = folder.resolve()
        self.refused: dict[str, str] = {}
        self.tables = discover_tables(self.folder, self.refused)
        #: `folder_state` of its folders when the lake last found its tables unchanged.
        self.state: tuple[object, ...] = ()
        #: Each member's tables, for a cross-workspace query; empty for one workspace.
        self.members = {
            wid: discover_tables(path.resolve()) for wid, path in (members or {}).items()
        }
        folders = dict.fromkeys([self.folder, *(p.resolve() for p in (members or {}).values())])
        found = [(path.resolve(), self.members[wid]) for wid, path in (members or {}).items()] or [
            (self.folder, self.tables)
        ]
        #: Whether a folder in its folders is no table (yet): `Lake.engine` then looks again.
        self.untabled = any(
            entry.is_dir() and not entry.name.startswith(("_", ".")) and entry.name not in tables
            for path, tables in found
            for entry in path.iterdir()
        )
        # Private (mode 0700) and inside the server's own spill folder, removed with it.
        self._temp = Path(tempfile.mkdtemp(prefix="workspace-", dir=spill_root))
        self.connection = duckdb.connect(
            config={
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "threads": limits.threads,
                "memory_limit": limits.memory_limit,
            }
        )
        con = self.connection
        if self.members:
            # Each table is a union of the members' views, read by no single table function.
            self.tables = dict.fromkeys(create_views(con, self.members), "")
        else:
            for name, source in self.tables.items():
                # Names match TABLE_NAME and paths are quoted literals.
                con.execute(f"CREATE VIEW {identifier(name)} AS SELECT * FROM {source}")  # noqa: S608
        con.execute(f"SET temp_directory = {string_literal(str(self._temp))}")
        con.execute(f"SET max_temp_directory_size = {string_literal(limits.max_spill_size)}")
        allowed = ", ".join(string_literal(f"{f}/") for f in folders)
        con.execute(f"SET allowed_directories = [{allowed}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")

    def close(self) -> None:
        """Closes the database and removes its spill folder."""
        self.connection.close()
        shutil.rmtree(self._temp, ignore_errors=True)


def check_read_only(sql: str) -> None:
    """Refuses anything but exactly one SELECT statement."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise InvalidInput("The SQL could not be parsed", str(error), reason="sql-error") from None
    if len(statements) != 1:
        raise InvalidInput(
            f"Exactly one statement is allowed, not {len(statements)}", reason="read-only"
        )
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise Forbidden(
            f"Only SELECT statements run on local workspaces, not {kind.name}", reason="read-only"
        )
    # DuckDB rewrites PRAGMA and CALL into SELECTs over its internals: not a workspace query.
    keyword = LEADING_COMMENTS.sub("", sql).split(None, 1)[0].upper()
    if keyword in ("PRAGMA", "CALL"):
        raise Forbidden(
            f"Only SELECT statements run on local workspaces, not {keyword}", reason="read-only"
        )


def reads_table(sql: str, table: str) -> bool:
    """Whether a statement reads ``table``, as DuckDB's parser sees it: not a word in a string or
    a comment, nor a common table expression of that name."""
    return table.lower() in (name.lower() for name in duckdb.get_table_names(sql))


@dataclass
class Workspace:
    """A local workspace as the REST API lists it."""

    id: str
    name: str
    path: Path
    demo: bool = False
    status: str = "ready"
    message: str | None = None

    def to_json(self) -> dict[str, object]:
        """The workspace as the REST API lists it."""
        body: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "kind": "local",
            "engine": "duckdb",
            "path": str(self.path),
            "demo": self.demo,
            "status": self.status,
        }
        if self.message:
            body["message"] = self.message
        return body


def _checked(ws: Workspace) -> Workspace:
    """The workspace as its folder is now: missing once the folder is gone."""
    if ws.status == "ready" and not ws.path.is_dir():
        return replace(ws, status="missing", message=f"The folder {ws.path} no longer exists")
    return ws


def slug(name: str) -> str:
    """A workspace id from its display name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workspace"


@dataclass
class RunningQuery:
    """A query from its request to its end, as cancellation and its time limit see it.

    Its engine interrupts it (``interrupt``); DuckDB and Spark both forget an interrupt that
    arrives before their statement executes (while the SQL is parsed or bound, say), so the
    watchdog repeats it every ``poll`` seconds until the query has ended.
    """

    workspace_id: str
    seconds: float
    started: float = field(default_factory=time.monotonic)
    cancelled: bool = False
    timed_out: bool = False
    #: Set when the query was cancelled or has ended: wakes its watchdog.
    wake: threading.Event = field(default_factory=threading.Event)
    ended: threading.Event = field(default_factory=threading.Event)
    poll: ClassVar[float] = 0.05

    def interrupt(self) -> None:
        """Asks the engine to stop the query's statement, if one has started."""

    def stop(self) -> None:
        """Ends the query at its next step; the watchdog interrupts it until it has."""
        self.wake.set()

    def watch(self) -> None:
        """Waits for the time limit or a stop, then interrupts the query until it has ended."""
        remaining = self.seconds - (time.monotonic() - self.started)
        if not self.wake.wait(max(remaining, 0)) and not self.ended.is_set():
            self.timed_out = True
        while not self.ended.is_set():
            self.interrupt()
            self.ended.wait(self.poll)

    def to_json(self, query_id: str) -> dict[str, object]:
        """The query as ``GET queries`` lists it."""
        return {
            "queryId": query_id,
            "workspace": self.workspace_id,
            "elapsedMs": round((time.monotonic() - self.started) * 1000, 1),
            "timeoutSeconds": self.seconds,
        }


@dataclass
class _Running(RunningQuery):
    """A DuckDB query: its cursor is what the watchdog interrupts."""

    cursor: duckdb.DuckDBPyConnection | None = None

    def interrupt(self) -> None:
        if self.cursor is not None:
            self.cursor.interrupt()


class RunningQueries:
    """The queries running in this process, by id, and how many have started."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queries: dict[str, RunningQuery] = {}
        #: Queries started since the server started: a request resent by a browser shows here.
        self.started = 0

    def add(self, query_id: str, running: RunningQuery) -> None:
        """Registers a query that starts; an id that is running already is refused."""
        with self._lock:
            if query_id in self._queries:
                raise Conflict(f"Query {query_id!r} is already running")
            self._queries[query_id] = running
            self.started += 1

    def remove(self, query_id: str) -> None:
        """Forgets a query that has ended."""
        with self._lock:
            self._queries.pop(query_id, None)

    def get(self, query_id: str) -> RunningQuery:
        """A running query."""
        with self._lock:
            running = self._queries.get(query_id)
        if running is None:
            raise NotFound(f"No running query {query_id!r}")
        return running

    def to_json(self) -> list[dict[str, object]]:
        """The queries as ``GET queries`` lists them, oldest first."""
        with self._lock:
            queries = sorted(self._queries.items(), key=lambda item: item[1].started)
        return [running.to_json(query_id) for query_id, running in queries]


@dataclass(frozen=True)
class QueryRequest:
    """One query on a workspace, as a request asks for it."""

    workspace_id: str
    sql: str
    query_id: str
    #: Seconds the query may run; the server's default when None.
    timeout: float | None = None
    #: The ``externaldata`` relations the SQL reads (see ``external.py``).
    external: tuple[ExternalData, ...] = ()
    #: Whether the SQL reads the IP geolocation table.
    geoip: bool = False
    #: The other workspaces of a cross-workspace query (see ``crossworkspace.py``).
    workspaces: tuple[str, ...] = ()

    def keywords(self) -> dict[str, Any]:
        """The request as the keyword arguments of `Lake.query` and `Lake.export`."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class BatchStatement:
    """One tabular statement of a batch: its SQL, the relations it reads that the server
    provides, and the path its result is written at."""

    sql: str
    path: str
    external: tuple[ExternalData, ...] = ()
    geoip: bool = False


@dataclass
class Lake:
    """The local workspaces of one Jupyter server and the queries running on them."""

    root_dir: Path
    demo_path: Path
    allowed_roots: list[Path] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    demo_generating: bool = False
    bookmarks_dir: Path | None = None
    #: Where the server's private spill folder is made; the system's temporary folder if None.
    spill_dir: Path | None = None
    #: Worker processes that run the queries (see ``sandbox.py``); None runs them in this one.
    sandbox: Sandbox | None = None
    #: The Spark workspaces (see ``spark.py``): their queries run in this process, on Spark.
    spark: SparkWorkspaces | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._configured: list[Workspace] = []
        self._engines: dict[str, WorkspaceEngine] = {}
        self._queries = RunningQueries()
        self._stores: dict[str, BookmarkStore] = {}
        #: The batches running in this process, by query id: set when one is cancelled.
        self._batches: dict[str, threading.Event] = {}
        #: DuckDB's spill files of this server only, removed when it stops (or, at the latest,
        #: when the process exits).
        self.spill_root = Path(tempfile.mkdtemp(prefix="sentinel-spill-", dir=self.spill_dir))
        self._remove_spill = weakref.finalize(self, shutil.rmtree, self.spill_root, True)

    def worker_arguments(self) -> dict[str, Any]:
        """How a query worker makes its own lake of the same workspaces, spilling inside this
        server's spill folder."""
        return {
            "root_dir": self.root_dir,
            "demo_path": self.demo_path,
            "allowed_roots": self.allowed_roots,
            "limits": self.limits,
            "bookmarks_dir": self.bookmarks_dir,
            "spill_dir": self.spill_root,
        }

    def close(self) -> None:
        """Stops the query workers, closes every workspace database and removes the server's
        spill folder."""
        if self.sandbox is not None:
            self.sandbox.close()
        if self.spark is not None:
            self.spark.close()
        with self._lock:
            for engine in self._engines.values():
                engine.close()
            self._engines.clear()
        self._remove_spill()

    # Workspaces

    def workspaces(self) -> list[Workspace]:
        """The demo workspace, then the user's configured folders."""
        demo = Workspace("demo", "Demo (synthetic)", self.demo_path, demo=True)
        if self.demo_generating:
            demo.status, demo.message = "generating", "The demo data set is being generated"
        elif not (self.demo_path / "_generated.json").is_file():
            demo.status, demo.message = "missing", "The demo data set has not been generated"
        with self._lock:
            configured = list(self._configured)
        # A folder deleted or renamed after it was configured is missing, not a server error.
        return [demo, *(_checked(ws) for ws in configured)]

    def listing(self) -> list[dict[str, object]]:
        """Every workspace as ``GET workspaces`` lists it: the local ones, then Spark's."""
        local = [ws.to_json() for ws in self.workspaces()]
        spark = self.spark.workspaces() if self.spark is not None else []
        return [*local, *(ws.to_json() for ws in spark)]

    def _on_spark(self, workspace_id: str) -> bool:
        return self.spark is not None and workspace_id in self.spark.ids

    def configure(self, folders: list[dict[str, str]]) -> list[Workspace]:
        """Replaces the user's workspace folders; folders outside the allowed roots are refused."""
        configured: list[Workspace] = []
        ids = {"demo", *(self.spark.ids if self.spark is not None else ())}
        for folder in folders:
            if folder.get("engine", "duckdb") != "duckdb":
                raise InvalidInput(
                    "Spark workspaces are set in the server's configuration "
                    "(SentinelConfig.spark_workspaces), where their credentials stay"
                )
            name, raw = str(folder.get("name", "")).strip(), str(folder.get("path", "")).strip()
            if not name or not raw:
                raise InvalidInput("Each workspace needs a name and a path")
            wid, n = slug(name), 2
            while wid in ids:
                wid, n = f"{slug(name)}-{n}", n + 1
            ids.add(wid)
            path = Path(raw) if Path(raw).is_absolute() else self.root_dir / raw
            resolved = path.resolve()
            ws = Workspace(wid, name, resolved)
            roots = [self.root_dir.resolve(), *(r.resolve() for r in self.allowed_roots)]
            if not any(resolved == r or resolved.is_relative_to(r) for r in roots):
                ws.status, ws.message = "missing", f"{raw} is outside the Jupyter root folder"
            elif not resolved.is_dir():
                ws.status, ws.message = "missing", f"No folder {raw}"
            configured.append(ws)
        with self._lock:
            self._configured = configured
            for engine in self._engines.values():
                engine.close()
            self._engines.clear()
        return self.workspaces()

    def adopt(self, workspaces: list[Workspace]) -> None:
        """Takes the server's workspaces as they are now (the lake of a query worker)."""
        configured = [ws for ws in workspaces if not ws.demo]
        self.demo_generating = any(ws.demo and ws.status == "generating" for ws in workspaces)
        with self._lock:
            if configured == self._configured:
                return
            self._configured = configured
            for engine in self._engines.values():
                engine.close()
            self._engines.clear()

    def workspace(self, workspace_id: str) -> Workspace:
        """A ready workspace by id."""
        for ws in self.workspaces():
            if ws.id == workspace_id:
                if ws.status != "ready":
                    raise Conflict(ws.message or f"{ws.name} is not ready")
                return ws
        raise NotFound(f"No workspace {workspace_id!r}")

    def engine(self, workspace_id: str, others: Sequence[str] = ()) -> WorkspaceEngine:
        """The database of a ready workspace, or of a cross-workspace query over it and
        ``others``, opened anew when its table files changed."""
        ws = self.workspace(workspace_id)
        ids = list(dict.fromkeys([workspace_id, *others]))
        members = {wid: self.workspace(wid).path for wid in ids} if len(ids) > 1 else {}
        key = "+".join(ids)
        folders = list(members.values()) if members else [ws.path]
        state = tuple(folder_state(folder) for folder in folders)
        with self._lock:
            engine = self._engines.get(key)
            # New or removed table files show up without a server restart. The engine reads the
            # resolved folder: the demo is a link to its current version (demo/versions.py).
            # Unchanged entries keep their tables, unless a folder entry is no table yet (its
            # first file may arrive deeper than its own modification time shows).
            if engine is None or (
                (state != engine.state or engine.untabled)
                and (
                    {wid: discover_tables(path.resolve()) for wid, path in members.items()}
                    != engine.members
                    if members
                    else discover_tables(ws.path.resolve()) != engine.tables
                )
            ):
                if engine is not None:
                    engine.close()
                engine = WorkspaceEngine(ws.path, self.limits, self.spill_root, members)
                self._engines[key] = engine
            engine.state = state
            return engine

    def bookmarks(self, workspace_id: str) -> BookmarkStore:
        """The bookmark log of a workspace."""
        if not self._on_spark(workspace_id):
            self.workspace(workspace_id)
        folder = self.bookmarks_dir or self.root_dir / ".sentinel" / "bookmarks"
        with self._lock:
            store = self._stores.get(workspace_id)
            if store is None:
                store = BookmarkStore(folder / f"{workspace_id}.sqlite")
                self._stores[workspace_id] = store
            return store

    def schema(self, workspace_id: str) -> dict[str, object]:
        """Tables with columns (KQL types), row counts and categories.

        A table that cannot be read, or a folder entry refused as a table, is named under
        ``problems`` with the reason; the other tables still list.
        """
        if self.spark is not None and self._on_spark(workspace_id):
            tables, problems = self.spark.schema(workspace_id)
            return self._with_bookmarks(workspace_id, tables, problems)
        engine = self.engine(workspace_id)
        cursor = engine.connection.cursor()
        tables = []
        problems = [{"name": name, "message": why} for name, why in engine.refused.items()]
        try:
            for name in engine.tables:
                try:
                    described = cursor.sql(f"DESCRIBE {identifier(name)}").fetchall()
                    row = cursor.sql(f"SELECT count(*) FROM {identifier(name)}").fetchone()  # noqa: S608
                except duckdb.Error as error:
                    problems.append({"name": name, "message": _unreadable(error)})
                    continue
                columns = [{"name": row[0], "type": from_duckdb(row[1])} for row in described]
                names = {c["name"] for c in columns}
                tables.append(
                    {
                        "id": name,
                        "name": name,
                        "category": category_of(name),
                        "timespanColumn": "TimeGenerated" if "TimeGenerated" in names else None,
                        "rowCount": int(row[0]) if row else 0,
                        "columns": columns,
                    }
                )
        finally:
            cursor.close()
        return self._with_bookmarks(workspace_id, tables, problems)

    def _with_bookmarks(
        self, workspace_id: str, tables: list[dict[str, object]], problems: list[dict[str, str]]
    ) -> dict[str, object]:
        """The schema's answer, with the bookmark log as the HuntingBookmark table unless the
        workspace has a table of that name."""
        names = [t["name"] for t in tables] + [p["name"] for p in problems]
        if "HuntingBookmark" not in names:
            tables.append(
                {
                    "id": "HuntingBookmark",
                    "name": "HuntingBookmark",
                    "category": category_of("HuntingBookmark"),
                    "timespanColumn": "TimeGenerated",
                    "rowCount": self.bookmarks(workspace_id).table().num_rows,
                    "columns": [dict(c) for c in HUNTING_BOOKMARK_COLUMNS],
                }
            )
        body: dict[str, object] = {"workspace": workspace_id, "tables": tables}
        if problems:
            body["problems"] = problems
        return body

    # Queries

    @property
    def started(self) -> int:
        """Queries started since the server started: a request resent by a browser shows here."""
        spark = self.spark.started if self.spark is not None else 0
        local = self.sandbox.started if self.sandbox is not None else self._queries.started
        return local + spark

    def running(self) -> list[dict[str, object]]:
        """The queries running now, oldest first."""
        local = self.sandbox.running() if self.sandbox is not None else self._queries.to_json()
        spark = self.spark.running() if self.spark is not None else []
        return sorted([*local, *spark], key=lambda q: -float(str(q["elapsedMs"])))

    def query(
        self,
        workspace_id: str,
        sql: str,
        query_id: str,
        *,
        max_rows: int | None = None,
        timeout: float | None = None,
        external: Sequence[ExternalData] = (),
        geoip: bool = False,
        workspaces: Sequence[str] = (),
    ) -> QueryResult:
        """Runs one read-only SELECT with a row limit, a time limit and a limit on its bytes.

        ``query_id`` names the query for cancellation; ``timeout`` is in seconds (the server's
        default when None); ``external`` and ``geoip`` are the relations the SQL reads that the
        server provides (see ``external.py``); ``workspaces`` are the other workspaces of a
        cross-workspace query (see ``crossworkspace.py``).
        """
        request = QueryRequest(
            workspace_id, sql, query_id, timeout, tuple(external), geoip, tuple(workspaces)
        )
        rows = min(max_rows or self.limits.default_rows, self.limits.max_rows)
        if rows < 1:
            raise InvalidInput("maxRows must be at least 1")
        if self.spark is not None and self._on_spark(workspace_id):
            seconds = self._spark_seconds(request)
            return self.spark.query(
                workspace_id, sql, query_id, rows, seconds, self.bookmarks(workspace_id).table
            )
        if self.sandbox is not None:
            return self._in_sandbox("query", request, max_rows=max_rows)  # type: ignore[no-any-return]
        start = time.perf_counter()
        batches: list[pa.RecordBatch] = []
        count = size = 0
        with self._run(request) as run:
            reader = run.relation.to_arrow_reader(BATCH_ROWS)
            schema = reader.schema
            for batch in reader:
                run.check()
                # One row past the limit tells whether the limit cut the result.
                kept = batch.slice(0, rows + 1 - count)
                size += kept.nbytes
                if size > self.limits.max_result_bytes:
                    raise too_large("result", self.limits.max_result_bytes)
                batches.append(kept)
                count += kept.num_rows
                if count > rows:
                    break
            types = run.types
        table = pa.Table.from_batches(batches, schema=schema)
        truncated = table.num_rows > rows
        return QueryResult(
            table.slice(0, rows), types, truncated, (time.perf_counter() - start) * 1000
        )

    def export(
        self,
        workspace_id: str,
        sql: str,
        path: str,
        query_id: str,
        *,
        timeout: float | None = None,
        external: Sequence[ExternalData] = (),
        geoip: bool = False,
        workspaces: Sequence[str] = (),
    ) -> dict[str, object]:
        """Writes the full result of a query as Parquet at ``path`` inside the Jupyter root.

        The file appears whole or not at all: batches go to a temporary file in the same folder,
        renamed when complete. This is how results reach the kernel as DataFrames. Rows are held
        in memory only until a row group's worth is written. The other arguments are `query`'s.
        """
        request = QueryRequest(
            workspace_id, sql, query_id, timeout, tuple(external), geoip, tuple(workspaces)
        )
        target = result_file(self.root_dir, path)
        if self.spark is not None and self._on_spark(workspace_id):
            seconds = self._spark_seconds(request)
            store = self.bookmarks(workspace_id)
            return self.spark.export(
                workspace_id, sql, path, query_id, seconds, store.table, self.root_dir
            )
        if self.sandbox is not None:
            return self._in_sandbox("export", request, path=path)  # type: ignore[no-any-return]
        start = time.perf_counter()
        rows = size = 0
        with written_whole(target) as partial, self._run(request) as run:
            types = run.types
            reader = _for_parquet(run.relation, types).to_arrow_reader(BATCH_ROWS)
            # The result's types, the same as the Azure backend's (see ``types.py``).
            schema = pa.schema(
                [
                    pa.field(f.name, result_type(f.type, t), metadata={"kql_type": t})
                    for f, t in zip(reader.schema, types, strict=True)
                ]
            )
            group: list[pa.RecordBatch] = []
            with pq.ParquetWriter(partial, schema) as writer:
                for batch in reader:
                    run.check()
                    size += batch.nbytes
                    if size > self.limits.max_export_bytes:
                        raise too_large("export", self.limits.max_export_bytes)
                    group.append(result_batch(batch, schema))
                    rows += batch.num_rows
                    if sum(b.num_rows for b in group) >= ROW_GROUP_ROWS:
                        writer.write_table(pa.Table.from_batches(group, schema))
                        group = []
                if group:
                    writer.write_table(pa.Table.from_batches(group, schema))
        return {
            "path": target.relative_to(self.root_dir.resolve()).as_posix(),
            "rowCount": rows,
            "elapsedMs": (time.perf_counter() - start) * 1000,
            "columns": [{"name": f.name, "type": t} for f, t in zip(schema, types, strict=True)],
        }

    def export_batch(
        self,
        workspace_id: str,
        statements: Sequence[BatchStatement],
        query_id: str,
        *,
        timeout: float | None = None,
    ) -> dict[str, object]:
        """Writes the result of each statement of a batch (``A; B``: one table per tabular
        statement, as Kusto answers) as Parquet at the statement's path, in order.

        The batch is one query: one ``query_id`` cancels it, one time limit covers all its
        statements, and in the sandbox one worker runs them on one database. An error stops the
        batch and names its statement. Answers ``{"tables": [...]}``, each as `export` answers.
        """
        if not statements:
            raise InvalidInput("statements must hold at least one statement")
        seconds = max(
            self._seconds(QueryRequest(workspace_id, s.sql, query_id, timeout)) for s in statements
        )
        if self.sandbox is not None and not self._on_spark(workspace_id):
            self.workspace(workspace_id)
            return self.sandbox.call(  # type: ignore[no-any-return]
                "export_batch",
                query_id,
                workspace_id,
                seconds,
                self.workspaces(),
                {
                    "workspace_id": workspace_id,
                    "statements": tuple(statements),
                    "query_id": query_id,
                    "timeout": timeout,
                },
            )
        deadline = time.monotonic() + seconds
        tables: list[dict[str, object]] = []
        cancelled = self._batches.setdefault(query_id, threading.Event())
        try:
            for number, statement in enumerate(statements, 1):
                left = deadline - time.monotonic()
                if cancelled.is_set():
                    raise Cancelled("Query cancelled")
                if left <= 0:
                    raise TimedOut(f"The query ran past its time limit of {seconds:g} s")
                tables.append(
                    self._export_statement(
                        workspace_id, statement, query_id, left, number, len(statements)
                    )
                )
        finally:
            del self._batches[query_id]
        return {"tables": tables}

    def _export_statement(
        self,
        workspace_id: str,
        statement: BatchStatement,
        query_id: str,
        timeout: float,
        number: int,
        count: int,
    ) -> dict[str, object]:
        """Exports one statement of a batch; an error names the statement."""
        try:
            return self.export(
                workspace_id,
                statement.sql,
                statement.path,
                query_id,
                timeout=timeout,
                external=statement.external,
                geoip=statement.geoip,
            )
        except (Cancelled, TimedOut):
            raise
        except SentinelError as error:
            error.message = f"Statement {number} of {count}: {error.message}"
            error.args = (error.message,)
            raise

    def cancel(self, query_id: str) -> None:
        """Interrupts a running query."""
        batch = self._batches.get(query_id)
        if batch is not None:
            # Between two statements no query runs under the id: the next one must not start.
            batch.set()
        if self.spark is not None:
            try:
                self.spark.cancel(query_id)
                return
            except NotFound:
                pass
        if self.sandbox is not None:
            try:
                self.sandbox.cancel(query_id)
            except NotFound:
                if batch is None:
                    raise
            return
        try:
            running = self._queries.get(query_id)
        except NotFound:
            if batch is None:
                raise
            return
        running.cancelled = True
        running.stop()

    def _in_sandbox(self, method: str, request: QueryRequest, **options: Any) -> Any:
        """Runs ``method`` (``query`` or ``export``) of the request in a query worker, after the
        checks that need no database; ``options`` are the method's own arguments."""
        seconds = self._seconds(request)
        for workspace_id in (request.workspace_id, *request.workspaces):
            self.workspace(workspace_id)
        assert self.sandbox is not None
        return self.sandbox.call(
            method,
            request.query_id,
            request.workspace_id,
            seconds,
            self.workspaces(),
            {**request.keywords(), **options},
        )

    def _spark_seconds(self, request: QueryRequest) -> float:
        """A Spark query's time limit, once what Spark workspaces do not provide is refused."""
        if request.workspaces:
            raise InvalidInput(
                "Cross-workspace queries (workspace()) do not run on Spark workspaces",
                reason="unsupported",
            )
        if request.external or request.geoip:
            feature = "externaldata" if request.external else "geo_info_from_ip_address"
            raise InvalidInput(
                f"{feature} does not run on Spark workspaces: the server provides its data to "
                "local workspaces only",
                reason="unsupported",
            )
        return self._seconds(request)

    def _seconds(self, request: QueryRequest) -> float:
        """The query's time limit, once its text and asked limit are checked."""
        sql, timeout = request.sql, request.timeout
        size = len(sql.encode())
        if size > self.limits.max_sql_bytes:
            raise RequestTooLarge(
                f"The SQL is {size:,} bytes, more than the server accepts "
                f"({self.limits.max_sql_bytes:,}): shorten the query or its lists of values",
            )
        asked = self.limits.default_timeout if timeout is None else timeout
        seconds = min(asked, self.limits.max_timeout)
        if not 0 < seconds <= self.limits.max_timeout:
            raise InvalidInput(
                f"timeoutSeconds must be a number above 0, at most {self.limits.max_timeout:g}",
            )
        return seconds

    def _run(self, request: QueryRequest) -> _QueryContext:
        return _QueryContext(self, self._queries, request, self._seconds(request))


#: Rows of one row group of an exported Parquet file.
ROW_GROUP_ROWS = 100_000


def too_large(what: str, limit: int) -> ResultTooLarge:
    """The error of a query whose result outgrew the server's limit, ``what`` being ``result``
    (rows answered) or ``export`` (rows written)."""
    setting = "max_result_bytes" if what == "result" else "max_export_bytes"
    return ResultTooLarge(
        f"The {what} is larger than the server's limit of {limit / 2**20:,.0f} MB "
        f"(SentinelConfig.{setting}): select fewer columns or rows (project, take, summarize)",
    )


def _unreadable(error: duckdb.Error) -> str:
    """Why a table of a workspace cannot be read, for the schema's ``problems``."""
    if isinstance(error, duckdb.PermissionException):
        return "It reaches outside the workspace folder"
    return f"It cannot be read: {error}"


def _for_parquet(relation: duckdb.DuckDBPyRelation, types: list[str]) -> duckdb.DuckDBPyRelation:
    """The relation with timespans as microsecond counts: Parquet has no interval type.

    The export writes them as Arrow durations (``types.py``), which pandas reads as timedeltas.
    """
    if "timespan" not in types:
        return relation
    return relation.project(
        ", ".join(
            f"epoch_us({identifier(column)}) AS {identifier(column)}"
            if kind == "timespan"
            else identifier(column)
            for column, kind in zip(relation.columns, types, strict=True)
        )
    )


class _QueryContext:
    """Runs a statement on its own cursor, registered for cancellation, under a time limit that
    covers its whole life: the checks, the database's setup, parsing, planning and reading."""

    def __init__(
        self, lake: Lake, queries: RunningQueries, request: QueryRequest, seconds: float
    ) -> None:
        self._lake, self._queries, self._request = lake, queries, request
        self._running = _Running(request.workspace_id, seconds)
        self._seconds = seconds
        self.relation: duckdb.DuckDBPyRelation
        self.types: list[str] = []

    def __enter__(self) -> _QueryContext:
        query_id, running = self._request.query_id, self._running
        self._queries.add(query_id, running)
        self._watchdog = threading.Thread(
            target=running.watch, daemon=True, name=f"sentinel-query-{query_id[:8]}"
        )
        self._watchdog.start()
        try:
            self._prepare()
        except BaseException as error:
            self._cleanup()
            if isinstance(error, duckdb.Error):
                raise self._translate(error) from None
            raise
        return self

    def _prepare(self) -> None:
        lake, running, request = self._lake, self._running, self._request
        check_read_only(request.sql)
        engine = lake.engine(running.workspace_id, request.workspaces)
        self.check()
        running.cursor = cursor = engine.connection.cursor()
        if "HuntingBookmark" not in engine.tables and reads_table(request.sql, "HuntingBookmark"):
            # The bookmark log is not a file of the workspace: hand it to this cursor only.
            cursor.register("HuntingBookmark", lake.bookmarks(running.workspace_id).table())
        views = [(e.relation, e.select(e.files(engine.folder))) for e in request.external]
        if request.geoip:
            views.append(("__geoip", geoip_select(engine.folder)))
        for name, select in views:
            # externaldata and the geolocation table: visible to this cursor only.
            cursor.sql(select).create_view(name, replace=True)
        self.check()
        relation = cursor.sql(request.sql)
        # Binding is not interruptible: a query whose planning ran past the limit stops here.
        self.check()
        if relation is None:
            raise Forbidden("Only queries that return rows can run", reason="read-only")
        self.relation = relation
        self.types = [from_duckdb(str(t)) for t in relation.types]

    def check(self) -> None:
        """Raises the query's end when it was cancelled or ran past its time limit."""
        if self._running.timed_out or self._running.cancelled:
            raise self._translate(None)

    def _translate(self, error: duckdb.Error | None) -> SentinelError:
        if self._running.timed_out:
            return TimedOut(f"The query ran past its time limit of {self._seconds:g} s")
        if self._running.cancelled:
            return Cancelled("Query cancelled")
        if isinstance(error, duckdb.PermissionException):
            return Forbidden("The query reached outside the workspace", str(error))
        if isinstance(error, duckdb.OutOfMemoryException):
            return ResultTooLarge(
                f"{OUT_OF_MEMORY}: select fewer or smaller columns or rows",
                str(error),
            )
        return InvalidInput("The query failed", str(error), reason="sql-error")

    def _cleanup(self) -> None:
        running = self._running
        running.ended.set()
        running.stop()
        self._watchdog.join()
        self._queries.remove(self._request.query_id)
        if running.cursor is not None:
            running.cursor.close()

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        self._cleanup()
        if isinstance(error, duckdb.Error):
            raise self._translate(error) from None
