"""Local workspaces: folders of log files, queried read-only by a sandboxed DuckDB.

A workspace is a folder; each table is a Parquet, CSV or JSON-lines file named after the table, or a
folder of such files (one per day, say). Each workspace gets its own in-memory DuckDB database whose
tables are views over those files. The database is locked down before any user SQL reaches it: it
may read only the workspace's folder, loads no extension, reaches no network and cannot change its
configuration; and every statement is checked to be a single SELECT, because DuckDB's settings alone
still allow `COPY ... TO` and `CREATE TABLE` inside the allowed folder.
"""

from __future__ import annotations

import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .bookmarks import HUNTING_BOOKMARK, KQL_TYPES, BookmarkStore
from .errors import SentinelError
from .external import ExternalData, geoip_select
from .results import result_file, written_whole
from .sql import identifier, string_literal

BOOKMARK_TABLE = re.compile(r"\bHuntingBookmark\b", re.IGNORECASE)
TABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
LEADING_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)
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


def kql_type(duckdb_type: str) -> str:
    """The KQL type of a DuckDB column type."""
    t = duckdb_type.upper()
    if t == "VARCHAR":
        return "string"
    if t in ("INTEGER", "SMALLINT", "TINYINT", "USMALLINT", "UTINYINT"):
        return "int"
    if t in ("BIGINT", "UBIGINT", "HUGEINT", "UINTEGER"):
        return "long"
    if t in ("DOUBLE", "FLOAT"):
        return "real"
    if t == "BOOLEAN":
        return "bool"
    if t.startswith("TIMESTAMP") or t == "DATE":
        return "datetime"
    if t == "INTERVAL":
        return "timespan"
    if t == "UUID":
        return "guid"
    if t.startswith("DECIMAL"):
        return "decimal"
    return "dynamic"


def category_of(table: str) -> str:
    """The category a table is listed under."""
    if table in CATEGORIES:
        return CATEGORIES[table]
    if table.startswith(DEFENDER_PREFIXES):
        return "Microsoft Defender XDR"
    return "Custom"


def discover_tables(folder: Path) -> dict[str, str]:
    """The tables of a workspace folder: table name → the DuckDB table function that reads it."""
    tables: dict[str, str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue  # metadata, such as the demo data set's marker file
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
        return sink.getvalue().to_pybytes()


@dataclass
class Limits:
    """Resource limits of every query."""

    default_rows: int = 10_000
    max_rows: int = 1_000_000
    default_timeout: float = 60.0
    max_timeout: float = 600.0
    threads: int = 2
    memory_limit: str = "4GB"


class WorkspaceEngine:
    """One sandboxed, read-only DuckDB database over one workspace folder."""

    def __init__(self, folder: Path, limits: Limits) -> None:
        self.folder = folder.resolve()
        self.tables = discover_tables(self.folder)
        self._temp = tempfile.TemporaryDirectory(prefix="sentinel-duckdb-")
        self.connection = duckdb.connect(
            config={
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "threads": limits.threads,
                "memory_limit": limits.memory_limit,
            }
        )
        con = self.connection
        for name, source in self.tables.items():
            # Names match TABLE_NAME and paths are quoted literals.
            con.execute(f"CREATE VIEW {identifier(name)} AS SELECT * FROM {source}")  # noqa: S608
        con.execute(f"SET temp_directory = {string_literal(self._temp.name)}")
        con.execute(f"SET allowed_directories = [{string_literal(str(self.folder) + '/')}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")

    def close(self) -> None:
        """Closes the database and removes its spill folder."""
        self.connection.close()
        self._temp.cleanup()


def check_read_only(sql: str) -> None:
    """Refuses anything but exactly one SELECT statement."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise SentinelError(400, "sql-error", "The SQL could not be parsed", str(error)) from None
    if len(statements) != 1:
        raise SentinelError(
            400, "read-only", f"Exactly one statement is allowed, not {len(statements)}"
        )
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise SentinelError(
            403, "read-only", f"Only SELECT statements run on local workspaces, not {kind.name}"
        )
    # DuckDB rewrites PRAGMA and CALL into SELECTs over its internals: not a workspace query.
    keyword = LEADING_COMMENTS.sub("", sql).split(None, 1)[0].upper()
    if keyword in ("PRAGMA", "CALL"):
        raise SentinelError(
            403, "read-only", f"Only SELECT statements run on local workspaces, not {keyword}"
        )


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
            "path": str(self.path),
            "demo": self.demo,
            "status": self.status,
        }
        if self.message:
            body["message"] = self.message
        return body


def slug(name: str) -> str:
    """A workspace id from its display name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workspace"


@dataclass
class _Running:
    cursor: duckdb.DuckDBPyConnection
    cancelled: bool = False
    timed_out: bool = False


@dataclass
class Lake:
    """The local workspaces of one Jupyter server and the queries running on them."""

    root_dir: Path
    demo_path: Path
    allowed_roots: list[Path] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    demo_generating: bool = False
    bookmarks_dir: Path | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._configured: list[Workspace] = []
        self._engines: dict[str, WorkspaceEngine] = {}
        self._running: dict[str, _Running] = {}
        self._stores: dict[str, BookmarkStore] = {}

    # Workspaces

    def workspaces(self) -> list[Workspace]:
        """The demo workspace, then the user's configured folders."""
        demo = Workspace("demo", "Demo (synthetic)", self.demo_path, demo=True)
        if self.demo_generating:
            demo.status, demo.message = "generating", "The demo data set is being generated"
        elif not (self.demo_path / "_generated.json").is_file():
            demo.status, demo.message = "missing", "The demo data set has not been generated"
        with self._lock:
            return [demo, *self._configured]

    def configure(self, folders: list[dict[str, str]]) -> list[Workspace]:
        """Replaces the user's workspace folders; folders outside the allowed roots are refused."""
        configured: list[Workspace] = []
        ids = {"demo"}
        for folder in folders:
            name, raw = str(folder.get("name", "")).strip(), str(folder.get("path", "")).strip()
            if not name or not raw:
                raise SentinelError(400, "bad-request", "Each workspace needs a name and a path")
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

    def workspace(self, workspace_id: str) -> Workspace:
        """A ready workspace by id."""
        for ws in self.workspaces():
            if ws.id == workspace_id:
                if ws.status != "ready":
                    raise SentinelError(409, "conflict", ws.message or f"{ws.name} is not ready")
                return ws
        raise SentinelError(404, "not-found", f"No workspace {workspace_id!r}")

    def _engine(self, workspace_id: str) -> WorkspaceEngine:
        ws = self.workspace(workspace_id)
        with self._lock:
            engine = self._engines.get(workspace_id)
            # New or removed table files show up without a server restart.
            if engine is None or discover_tables(ws.path) != engine.tables:
                if engine is not None:
                    engine.close()
                engine = WorkspaceEngine(ws.path, self.limits)
                self._engines[workspace_id] = engine
            return engine

    def bookmarks(self, workspace_id: str) -> BookmarkStore:
        """The bookmark log of a workspace."""
        self.workspace(workspace_id)
        folder = self.bookmarks_dir or self.root_dir / ".sentinel" / "bookmarks"
        with self._lock:
            store = self._stores.get(workspace_id)
            if store is None:
                store = BookmarkStore(folder / f"{workspace_id}.sqlite")
                self._stores[workspace_id] = store
            return store

    def schema(self, workspace_id: str) -> dict[str, object]:
        """Tables with columns (KQL types), row counts and categories."""
        engine = self._engine(workspace_id)
        cursor = engine.connection.cursor()
        tables = []
        try:
            for name in engine.tables:
                described = cursor.sql(f"DESCRIBE {identifier(name)}").fetchall()
                columns = [{"name": row[0], "type": kql_type(row[1])} for row in described]
                row = cursor.sql(f"SELECT count(*) FROM {identifier(name)}").fetchone()  # noqa: S608
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
        except duckdb.Error as error:
            raise SentinelError(
                500, "sql-error", "The workspace could not be read", str(error)
            ) from None
        finally:
            cursor.close()
        if "HuntingBookmark" not in engine.tables:
            tables.append(
                {
                    "id": "HuntingBookmark",
                    "name": "HuntingBookmark",
                    "category": category_of("HuntingBookmark"),
                    "timespanColumn": "TimeGenerated",
                    "rowCount": self.bookmarks(workspace_id).table().num_rows,
                    "columns": [
                        {"name": f.name, "type": KQL_TYPES[f.type]} for f in HUNTING_BOOKMARK
                    ],
                }
            )
        return {"workspace": workspace_id, "tables": tables}

    # Queries

    def query(
        self,
        workspace_id: str,
        sql: str,
        query_id: str,
        max_rows: int | None = None,
        timeout: float | None = None,
        external: list[ExternalData] | None = None,
        geoip: bool = False,
    ) -> QueryResult:
        """Runs one read-only SELECT with a row limit and a time limit."""
        rows = min(max_rows or self.limits.default_rows, self.limits.max_rows)
        if rows < 1:
            raise SentinelError(400, "bad-request", "maxRows must be at least 1")
        start = time.perf_counter()
        batches: list[pa.RecordBatch] = []
        count = 0
        with self._run(workspace_id, sql, query_id, timeout, external, geoip) as (
            relation,
            types,
        ):
            reader = relation.to_arrow_reader(min(rows + 1, 100_000))
            schema = reader.schema
            for batch in reader:
                batches.append(batch)
                count += batch.num_rows
                if count > rows:
                    break
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
        timeout: float | None = None,
        external: list[ExternalData] | None = None,
        geoip: bool = False,
    ) -> dict[str, object]:
        """Writes the full result of a query as Parquet at ``path`` inside the Jupyter root.

        The file appears whole or not at all: batches go to a temporary file in the same folder,
        renamed when complete. This is how results reach the kernel as DataFrames.
        """
        target = result_file(self.root_dir, path)
        start = time.perf_counter()
        rows = 0
        with written_whole(target) as partial:
            with self._run(workspace_id, sql, query_id, timeout, external, geoip) as (
                relation,
                types,
            ):
                reader = _for_parquet(relation, types).to_arrow_reader(100_000)
                schema = pa.schema(
                    [
                        f.with_type(pa.duration("us") if t == "timespan" else f.type).with_metadata(
                            {"kql_type": t}
                        )
                        for f, t in zip(reader.schema, types, strict=True)
                    ]
                )
                with pq.ParquetWriter(partial, schema) as writer:
                    for batch in reader:
                        writer.write_table(pa.Table.from_batches([batch]).cast(schema))
                        rows += batch.num_rows
        return {
            "path": target.relative_to(self.root_dir.resolve()).as_posix(),
            "rowCount": rows,
            "elapsedMs": (time.perf_counter() - start) * 1000,
            "columns": [{"name": f.name, "type": t} for f, t in zip(schema, types, strict=True)],
        }

    def cancel(self, query_id: str) -> None:
        """Interrupts a running query."""
        with self._lock:
            running = self._running.get(query_id)
        if running is None:
            raise SentinelError(404, "not-found", f"No running query {query_id!r}")
        running.cancelled = True
        running.cursor.interrupt()

    def _run(
        self,
        workspace_id: str,
        sql: str,
        query_id: str,
        timeout: float | None,
        external: list[ExternalData] | None = None,
        geoip: bool = False,
    ) -> _QueryContext:
        check_read_only(sql)
        seconds = min(timeout or self.limits.default_timeout, self.limits.max_timeout)
        engine = self._engine(workspace_id)
        bookmarks = None
        if "HuntingBookmark" not in engine.tables and BOOKMARK_TABLE.search(sql):
            bookmarks = self.bookmarks(workspace_id).table()
        views = [(e.relation, e.select(e.files(engine.folder))) for e in external or []]
        if geoip:
            views.append(("__geoip", geoip_select(engine.folder)))
        return _QueryContext(self, engine, sql, query_id, seconds, bookmarks, views)


def _for_parquet(relation: duckdb.DuckDBPyRelation, types: list[str]) -> duckdb.DuckDBPyRelation:
    """The relation with timespans as microsecond counts: Parquet has no interval type.

    The export writes them as Arrow durations, which pandas reads as timedeltas.
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
    """Runs a statement on its own cursor, registered for cancellation, under a time limit."""

    def __init__(
        self,
        lake: Lake,
        engine: WorkspaceEngine,
        sql: str,
        query_id: str,
        seconds: float,
        bookmarks: pa.Table | None,
        views: list[tuple[str, str]],
    ) -> None:
        self._lake, self._engine, self._sql = lake, engine, sql
        self._query_id, self._seconds = query_id, seconds
        self._bookmarks, self._views = bookmarks, views

    def __enter__(self) -> tuple[duckdb.DuckDBPyRelation, list[str]]:
        lake = self._lake
        self._running = _Running(self._engine.connection.cursor())
        with lake._lock:
            if self._query_id in lake._running:
                self._running.cursor.close()
                raise SentinelError(409, "conflict", f"Query {self._query_id!r} is already running")
            lake._running[self._query_id] = self._running
        self._timer = threading.Timer(self._seconds, self._time_out)
        self._timer.start()
        try:
            if self._bookmarks is not None:
                # The bookmark log is not a file of the workspace: hand it to this cursor only.
                self._running.cursor.register("HuntingBookmark", self._bookmarks)
            for name, select in self._views:
                # externaldata and the geolocation table: visible to this cursor only.
                self._running.cursor.sql(select).create_view(name, replace=True)
            relation = self._running.cursor.sql(self._sql)
            if relation is None:
                raise SentinelError(403, "read-only", "Only queries that return rows can run")
            return relation, [kql_type(str(t)) for t in relation.types]
        except duckdb.Error as error:
            self._cleanup()
            raise self._translate(error) from None

    def _time_out(self) -> None:
        self._running.timed_out = True
        self._running.cursor.interrupt()

    def _translate(self, error: duckdb.Error) -> SentinelError:
        if self._running.timed_out:
            return SentinelError(
                408, "timeout", f"The query ran past its time limit of {self._seconds:g} s"
            )
        if self._running.cancelled:
            return SentinelError(400, "cancelled", "Query cancelled")
        if isinstance(error, duckdb.PermissionException):
            return SentinelError(
                403, "forbidden", "The query reached outside the workspace", str(error)
            )
        return SentinelError(400, "sql-error", "The query failed", str(error))

    def _cleanup(self) -> None:
        self._timer.cancel()
        with self._lake._lock:
            self._lake._running.pop(self._query_id, None)
        self._running.cursor.close()

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        self._cleanup()
        if isinstance(error, duckdb.Error):
            raise self._translate(error) from None
