"""Spark workspaces: a database of a Spark cluster, queried through Spark Connect.

A Spark workspace is configured in the server's settings (``SentinelConfig.spark_workspaces``),
never in the browser: its Spark Connect URL may hold a token (``sc://host:port/;token=…``), which
stays in this process; the REST API shows the URL without it. Its tables are the tables of one
database of the cluster's catalog, or the Parquet and Delta tables of a folder the cluster reads,
registered as temporary views.

Each workspace has one Spark session, opened on first use and reused; a session the server
forgot (it restarted, or expired the session) is opened again and the call retried once. Queries
answer like a local workspace's (``lake.py``): Arrow with KQL types, Parquet files for the kernel,
a row limit (Spark sends at most one row more), a time limit and cancellation through Spark's
``interruptTag``. What runs is checked first (``sparksql.py``).

Command line: ``python -m jupyterlab_sentinel.spark load-demo --remote sc://… [--database demo]``
loads the demo data set into a database of the cluster.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pyarrow as pa
import pyarrow.parquet as pq

from .bookmarks import HUNTING_BOOKMARK_COLUMNS
from .errors import (
    Cancelled,
    Conflict,
    InvalidInput,
    NotFound,
    SentinelError,
    TimedOut,
)
from .lake import (
    CATEGORIES,
    TABLE_NAME,
    Limits,
    QueryResult,
    RunningQueries,
    RunningQuery,
    category_of,
    slug,
    too_large,
)
from .results import result_file, written_whole
from .types import TYPES, result_batch, result_type

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.connect.session import SparkSession
    from pyspark.sql.types import DataType, StructField

#: Field metadata naming a column's KQL type where Spark's type does not tell it (a ``dynamic``
#: column held as JSON text).
KQL_TYPE_KEY = "kql_type"

#: The session settings the compiler's Spark SQL is written for (ANSI mode off, UTC, string
#: literals as written…): the dialect's own list (``src/kql/sql/dialects/spark-session.json``),
#: applied here when a session opens, since a query may not run ``SET``.
SESSION_SETTINGS: dict[str, str] = json.loads(
    resources.files(__package__).joinpath("spark_session.json").read_text()
)

#: Seconds to wait for a Spark Connect server's port before calling it unreachable.
CONNECT_SECONDS = 3.0

#: Attempts of a call the server could not take (unreachable): about a second in all, not the
#: client's ten minutes, so that a cluster that is down is reported, not waited for.
RETRIES = 3

#: Suffixes of the files that are tables of their own in a folder workspace.
FOLDER_FORMATS = (".parquet",)

#: The KQL types of the bookmark log's columns, which Spark's types alone do not tell.
BOOKMARK_TYPES = {c["name"]: c["type"] for c in HUNTING_BOOKMARK_COLUMNS}

#: The table property that keeps a table's KQL name: catalogs lower-case table names, and KQL's
#: are case-sensitive (``SigninLogs``).
KQL_NAME_PROPERTY = "kql.name"

STATISTICS_ROWS = re.compile(r"\b(\d+) rows\b")
KQL_NAME = re.compile(r"(?:^\[|, )kql\.name=([A-Za-z][A-Za-z0-9_]*)(?=, |\]$)")
#: The well-known tables by their lower-case name, for tables that do not keep their KQL name.
KNOWN_TABLES = {name.lower(): name for name in CATEGORIES}


def client_missing() -> str | None:
    """Why Spark workspaces cannot run here, or None when the client (and the parser that checks
    their SQL) is installed."""
    try:
        import pyspark.sql.connect.session  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError as error:
        return (
            f"The Spark Connect client is not installed ({error.msg}): "
            "pip install 'jupyterlab_sentinel[spark]'"
        )
    return None


@dataclass(frozen=True)
class Remote:
    """A Spark Connect URL, and how it is shown: without its token."""

    #: Kept out of ``repr``: it may hold the token.
    url: str = field(repr=False)
    host: str
    port: int
    token: str | None = field(repr=False)

    @classmethod
    def parse(cls, url: str) -> Remote:
        """Reads ``sc://host[:port][/;key=value…]``; anything else is refused."""
        if not url.startswith("sc://"):
            raise InvalidInput("A Spark Connect URL starts with sc://, like sc://host:15002")
        parsed = urllib.parse.urlparse("http" + url[2:])
        params = dict(p.split("=", 1) for p in parsed.params.split(";") if p and "=" in p)
        if not parsed.hostname or parsed.path not in ("", "/"):
            raise InvalidInput("A Spark Connect URL is sc://host:port, with ;key=value options")
        try:
            port = parsed.port or 15002
        except ValueError:
            raise InvalidInput("The port of a Spark Connect URL is a number") from None
        token = params.get("token")
        return cls(url, parsed.hostname, port, urllib.parse.unquote(token) if token else None)

    @property
    def shown(self) -> str:
        """The URL as the REST API and messages show it: host and port, no parameters."""
        return f"sc://{self.host}:{self.port}"

    def redact(self, text: str) -> str:
        """``text`` with the token blanked out, for anything that leaves this process."""
        return text.replace(self.token, "***") if self.token else text


@dataclass(frozen=True)
class SparkSettings:
    """One configured Spark workspace: a database of the catalog, or a folder of tables."""

    id: str
    name: str
    remote: Remote | None
    catalog: str | None = None
    database: str | None = None
    path: str | None = None
    #: Why the entry cannot be used as configured, or None.
    problem: str | None = None

    @classmethod
    def parse(cls, entry: dict[str, Any], taken: set[str]) -> SparkSettings:
        """An entry of ``SentinelConfig.spark_workspaces``; a bad one is kept with its problem,
        so that it lists as missing with the reason."""
        name = str(entry.get("name") or "").strip() or "Spark"
        wid, n = slug(name), 2
        while wid in taken:
            wid, n = f"{slug(name)}-{n}", n + 1
        taken.add(wid)
        fields = {k: entry.get(k) for k in ("catalog", "database", "path")}
        text = {k: str(v).strip() for k, v in fields.items() if v is not None and str(v).strip()}
        try:
            remote = Remote.parse(str(entry.get("remote") or ""))
        except InvalidInput as error:
            return cls(wid, name, None, **text, problem=error.message)
        if ("database" in text) == ("path" in text):
            problem = "A Spark workspace names either a database or a folder (path), not both"
            return cls(wid, name, remote, **text, problem=problem)
        return cls(wid, name, remote, **text)

    @property
    def qualifiers(self) -> tuple[str, ...]:
        """What a table name may be qualified with in a query: the database, after its catalog."""
        if self.database is None:
            return ()
        return (self.catalog, self.database) if self.catalog else (self.database,)


@dataclass
class SparkWorkspace:
    """A Spark workspace as the REST API lists it."""

    settings: SparkSettings
    status: str = "ready"
    message: str | None = None

    @property
    def id(self) -> str:
        return self.settings.id

    def to_json(self) -> dict[str, object]:
        """The workspace as ``GET workspaces`` lists it: never the token."""
        s = self.settings
        body: dict[str, object] = {
            "id": s.id,
            "name": s.name,
            "kind": "local",
            "engine": "spark",
            "demo": False,
            "status": self.status,
        }
        if s.remote is not None:
            body["remote"] = s.remote.shown
        for key in ("catalog", "database", "path"):
            if getattr(s, key) is not None:
                body[key] = getattr(s, key)
        if self.message:
            body["message"] = self.message
        return body


def kql_type(spark_field: StructField) -> str:
    """The KQL type of a Spark column: its ``kql_type`` metadata, else from its Spark type; what
    has no KQL type of its own is ``dynamic``."""
    declared = (spark_field.metadata or {}).get(KQL_TYPE_KEY)
    if isinstance(declared, str) and declared in TYPES:
        return declared
    return _from_spark(spark_field.dataType)


def _from_spark(data_type: DataType) -> str:
    name = type(data_type).__name__
    simple = {
        "StringType": "string",
        "VarcharType": "string",
        "CharType": "string",
        "IntegerType": "int",
        "ShortType": "int",
        "ByteType": "int",
        "LongType": "long",
        "DoubleType": "real",
        "FloatType": "real",
        "BooleanType": "bool",
        "TimestampType": "datetime",
        "TimestampNTZType": "datetime",
        "DateType": "datetime",
        "DayTimeIntervalType": "timespan",
        "DecimalType": "decimal",
    }
    return simple.get(name, "dynamic")


def _as_sent(df: DataFrame) -> tuple[DataFrame, list[str]]:
    """The result with each column as the server answers it, and its KQL types: dynamic values
    (arrays, maps, structs, variants) as JSON text, dates as timestamps."""
    from pyspark.sql.connect import functions as F

    columns, types = [], []
    for i, spark_field in enumerate(df.schema.fields):
        kind = kql_type(spark_field)
        name = type(spark_field.dataType).__name__
        # By position: a result may name two columns alike.
        column = df[i]
        if name in ("ArrayType", "MapType", "StructType", "VariantType"):
            column = F.to_json(column)
        elif name == "BinaryType":
            column = F.base64(column)
        elif name == "DateType":
            column = column.cast("timestamp_ntz")
        elif kind == "dynamic" and name != "StringType":
            column = column.cast("string")
        columns.append(column.alias(spark_field.name))
        types.append(kind)
    return df.select(*columns), types


def _arrow_as_local(table: pa.Table) -> pa.Table:
    """Spark's Arrow as a local workspace's: timestamps without their zone (UTC, the session's)."""
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type) and column.type.tz is not None:
            column = column.cast(pa.timestamp(column.type.unit))
        columns.append(column)
    names = table.column_names
    return pa.table(columns, names=names) if names else table


def _message(error: BaseException, remote: Remote) -> str:
    """Spark's message of an error, without the server's stack trace or the token."""
    text = error.getMessage() if hasattr(error, "getMessage") else str(error)
    return remote.redact(text.split("\n\nJVM stacktrace:")[0].strip())


def _condition(error: BaseException) -> str:
    condition = error.getCondition() if hasattr(error, "getCondition") else None
    return condition or ""


def _session_gone(error: BaseException) -> bool:
    """Whether an error says the session is gone (the server restarted or expired it), so that
    a new session may succeed."""
    condition = _condition(error)
    return condition.startswith("INVALID_HANDLE.SESSION") or (
        "INVALID_HANDLE.SESSION" in str(error)
    )


def _unreachable(error: BaseException) -> bool:
    return type(error).__name__ == "RetriesExceeded"


@dataclass
class _Run(RunningQuery):
    """A Spark query: the watchdog interrupts the operations under its tag."""

    session: SparkSession | None = None
    tag: str = field(default_factory=lambda: f"sentinel-{uuid.uuid4().hex}")
    poll: ClassVar[float] = 0.1

    def interrupt(self) -> None:
        session = self.session
        if session is not None:
            try:
                session.interruptTag(self.tag)
            except Exception:  # noqa: S110 — the query's own call reports what went wrong
                pass


class SparkEngine:
    """The Spark session of one workspace, opened when first needed and reopened when gone."""

    def __init__(self, settings: SparkSettings) -> None:
        assert settings.remote is not None
        self.settings = settings
        self.remote: Remote = settings.remote
        self._lock = threading.Lock()
        self._session: SparkSession | None = None
        #: The temporary views of a folder workspace, by name, as registered in the session.
        self._views: dict[str, str] = {}
        #: Prelude functions defined in the session, by name: their statements.
        self.functions: dict[str, str] = {}

    def session(self) -> SparkSession:
        """The workspace's session, opened (or reopened) when needed."""
        with self._lock:
            if self._session is None or self._session.is_stopped:
                self._session = self._open()
            return self._session

    def forget(self, session: SparkSession) -> None:
        """Drops a session that died, so that the next call opens a new one."""
        with self._lock:
            if self._session is session:
                self._session = None
                self._views, self.functions = {}, {}
        try:
            session.stop()
        except Exception:  # noqa: S110 — it is gone already
            pass

    def close(self) -> None:
        with self._lock:
            session, self._session = self._session, None
        if session is not None:
            try:
                session.stop()
            except Exception:  # noqa: S110 — the server may be gone; nothing is left to do
                pass

    def _open(self) -> SparkSession:
        from pyspark.sql.connect.client.retries import DefaultPolicy
        from pyspark.sql.connect.session import SparkSession

        self._reachable()
        builder = SparkSession.builder.remote(self.remote.url)
        for key, value in SESSION_SETTINGS.items():
            builder = builder.config(key, value)
        session = builder.create()
        session.client.set_retry_policies([DefaultPolicy(max_retries=RETRIES)])
        self._views, self.functions = {}, {}
        s = self.settings
        try:
            if s.catalog:
                session.catalog.setCurrentCatalog(s.catalog)
            if s.database:
                if not session.catalog.databaseExists(s.database):
                    raise Conflict(f"{self.remote.shown} has no database {s.database!r}")
                session.catalog.setCurrentDatabase(s.database)
        except SentinelError:
            session.stop()
            raise
        except Exception as error:
            session.stop()
            raise self.failure(error) from None
        return session

    def _reachable(self) -> None:
        try:
            with socket.create_connection((self.remote.host, self.remote.port), CONNECT_SECONDS):
                pass
        except OSError as error:
            raise Conflict(
                f"Spark Connect at {self.remote.shown} cannot be reached: "
                f"{error.strerror or error}",
                reason="unreachable",
            ) from None

    def failure(self, error: BaseException) -> SentinelError:
        """A Spark error as the REST API answers it, without the token."""
        text = _message(error, self.remote)
        if "UNAUTHENTICATED" in str(error) or "PERMISSION_DENIED" in str(error):
            return Conflict(
                f"Spark Connect at {self.remote.shown} refused the workspace's credentials",
                text,
                reason="unreachable",
            )
        if _unreachable(error):
            return Conflict(
                f"Spark Connect at {self.remote.shown} did not answer", text, reason="unreachable"
            )
        return InvalidInput("The query failed", text, reason="sql-error")

    def call(self, work: Callable[[SparkSession], Any]) -> Any:
        """Runs ``work`` on the session; once more on a new session when the server forgot it."""
        session = self.session()
        try:
            return work(session)
        except SentinelError:
            raise
        except Exception as error:
            if not _session_gone(error):
                raise
            self.forget(session)
        return work(self.session())

    def tables(self, session: SparkSession) -> list[str]:
        """The workspace's tables (a folder's registered as views first)."""
        if self.settings.path is not None:
            self.register_folder(session)
            return sorted(self._views)
        listed = session.catalog.listTables(self.settings.database)
        return sorted(t.name for t in listed if not t.isTemporary and TABLE_NAME.match(t.name))

    def has_table(self, session: SparkSession, name: str) -> bool:
        """Whether the workspace has a table of that name; Spark's names ignore case."""
        return name.lower() in (t.lower() for t in self.tables(session))

    def register_folder(self, session: SparkSession) -> None:
        """Registers the folder's tables as temporary views, anew when its tables changed."""
        assert self.settings.path is not None
        found = folder_tables(Path(self.settings.path))
        if found == self._views:
            return
        for name in set(self._views) - set(found):
            session.catalog.dropTempView(name)
        for name, source in found.items():
            # Names match TABLE_NAME; the path is the folder's own, not a user's.
            session.sql(f"CREATE OR REPLACE TEMPORARY VIEW `{name}` AS SELECT * FROM {source}")  # noqa: S608
        self._views = found


def folder_tables(folder: Path) -> dict[str, str]:
    """The tables of a folder a Spark workspace reads: name → the Spark source that reads it.
    A Delta table is a folder with a ``_delta_log``; a Parquet table a file, or a folder of
    files (one per day, say)."""
    tables: dict[str, str] = {}
    if not folder.is_dir():
        return tables
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue
        path = "`" + str(entry.resolve()).replace("`", "``") + "`"
        if entry.is_dir() and (entry / "_delta_log").is_dir():
            name, source = entry.name, f"delta.{path}"
        elif entry.is_dir() and any(entry.rglob("*.parquet")):
            name, source = entry.name, f"parquet.{path}"
        elif entry.suffix.lower() in FOLDER_FORMATS:
            name, source = entry.stem, f"parquet.{path}"
        else:
            continue
        if TABLE_NAME.match(name) and name not in tables:
            tables[name] = source
    return tables


class SparkWorkspaces:
    """The Spark workspaces of one Jupyter server and the queries running on them."""

    def __init__(self, entries: list[dict[str, Any]], limits: Limits, taken: set[str]) -> None:
        self.limits = limits
        self.settings = [SparkSettings.parse(entry, taken) for entry in entries]
        self._missing = client_missing() if self.settings else None
        self._engines = {
            s.id: SparkEngine(s)
            for s in self.settings
            if s.problem is None and s.remote is not None
        }
        self._runs = RunningQueries()

    @property
    def ids(self) -> set[str]:
        return {s.id for s in self.settings}

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()

    def workspaces(self) -> list[SparkWorkspace]:
        """Every Spark workspace with its status: missing, with the reason, when it cannot be
        used (its settings, the client, the cluster unreachable, its database absent)."""
        listed = []
        for s in self.settings:
            ws = SparkWorkspace(s)
            try:
                self._engine(s.id).session()
            except SentinelError as error:
                ws.status, ws.message = "missing", error.message
            listed.append(ws)
        return listed

    def _engine(self, workspace_id: str) -> SparkEngine:
        for s in self.settings:
            if s.id == workspace_id:
                if s.problem is not None:
                    raise Conflict(s.problem)
                if self._missing is not None:
                    raise Conflict(self._missing)
                return self._engines[s.id]
        raise NotFound(f"No workspace {workspace_id!r}")

    def save_as_table(self, workspace_id: str, table: pa.Table, name: str, overwrite: bool) -> str:
        """Writes ``table`` as table ``name`` of the workspace (a job's ``save_as_table``):
        ``saveAsTable`` in its database, or a folder of Parquet files in its folder. An existing
        table is refused unless ``overwrite``. Answers the table's name as Spark knows it."""
        engine = self._engine(workspace_id)
        s = engine.settings

        def write(session: SparkSession) -> str:
            if engine.has_table(session, name) and not overwrite:
                raise Conflict(
                    f"The workspace already has a table {name}: pass overwrite=True to replace it"
                )
            # Spark's default mode refuses an existing table (Connect takes no `errorifexists`).
            writer = session.createDataFrame(table).write
            if overwrite:
                writer = writer.mode("overwrite")
            if s.path is not None:
                folder = Path(s.path) / name
                writer.parquet(str(folder))
                return str(folder)
            qualified = ".".join(f"`{part}`" for part in (*s.qualifiers, name))
            writer.saveAsTable(qualified)
            return qualified

        try:
            written: str = engine.call(write)
        except SentinelError:
            raise
        except Exception as error:
            raise engine.failure(error) from None
        return written

    def schema(self, workspace_id: str) -> tuple[list[dict[str, object]], list[dict[str, str]]]:
        """The workspace's tables (columns with KQL types, row counts when Spark's statistics
        hold them) and the tables that could not be read, with the reason."""
        engine = self._engine(workspace_id)

        def read(session: SparkSession) -> tuple[list[dict[str, object]], list[dict[str, str]]]:
            tables: list[dict[str, object]] = []
            problems: list[dict[str, str]] = []
            for name in engine.tables(session):
                try:
                    schema = session.table(f"`{name}`").schema
                    rows, kql_name = _described(session, name)
                except SentinelError:
                    raise
                except Exception as error:
                    if _session_gone(error) or _unreachable(error):
                        raise
                    problems.append({"name": name, "message": _message(error, engine.remote)})
                    continue
                columns = [{"name": f.name, "type": kql_type(f)} for f in schema.fields]
                names = {c["name"] for c in columns}
                kql_name = kql_name or KNOWN_TABLES.get(name.lower(), name)
                tables.append(
                    {
                        "id": kql_name,
                        "name": kql_name,
                        "category": category_of(kql_name),
                        "timespanColumn": "TimeGenerated" if "TimeGenerated" in names else None,
                        "rowCount": rows,
                        "columns": columns,
                    }
                )
            return tables, problems

        try:
            answer: tuple[list[dict[str, object]], list[dict[str, str]]] = engine.call(read)
        except SentinelError:
            raise
        except Exception as error:
            raise engine.failure(error) from None
        return answer

    # Queries

    @property
    def started(self) -> int:
        """Queries started on Spark since the server started."""
        return self._runs.started

    def running(self) -> list[dict[str, object]]:
        return self._runs.to_json()

    def cancel(self, query_id: str) -> None:
        """Interrupts a running query."""
        run = self._runs.get(query_id)
        run.cancelled = True
        run.stop()

    def query(
        self,
        workspace_id: str,
        sql: str,
        query_id: str,
        rows: int,
        seconds: float,
        bookmarks: Callable[[], pa.Table],
    ) -> QueryResult:
        """At most ``rows`` rows of the query, and whether there were more; Spark sends at most
        one row past the limit."""
        start = time.perf_counter()
        with self._run(workspace_id, sql, query_id, seconds, bookmarks, rows + 1) as (table, types):
            if table.nbytes > self.limits.max_result_bytes:
                raise too_large("result", self.limits.max_result_bytes)
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
        seconds: float,
        bookmarks: Callable[[], pa.Table],
        root_dir: Path,
    ) -> dict[str, object]:
        """Writes the query's result as Parquet at ``path`` (as `Lake.export` does), at most the
        server's ``max_rows`` rows of it: ``truncated`` says when Spark had more."""
        target = result_file(root_dir, path)
        start = time.perf_counter()
        limit = self.limits.max_rows
        with self._run(workspace_id, sql, query_id, seconds, bookmarks, limit + 1) as (
            table,
            types,
        ):
            if table.nbytes > self.limits.max_export_bytes:
                raise too_large("export", self.limits.max_export_bytes)
        truncated = table.num_rows > limit
        table = table.slice(0, limit)
        schema = pa.schema(
            [
                pa.field(f.name, result_type(f.type, t), metadata={"kql_type": t})
                for f, t in zip(table.schema, types, strict=True)
            ]
        )
        with written_whole(target) as partial, pq.ParquetWriter(partial, schema) as writer:
            for batch in table.to_batches():
                writer.write_batch(result_batch(batch, schema))
        return {
            "path": target.relative_to(root_dir.resolve()).as_posix(),
            "rowCount": table.num_rows,
            "truncated": truncated,
            "elapsedMs": (time.perf_counter() - start) * 1000,
            "columns": [{"name": f.name, "type": t} for f, t in zip(schema, types, strict=True)],
        }

    @contextmanager
    def _run(
        self,
        workspace_id: str,
        sql: str,
        query_id: str,
        seconds: float,
        bookmarks: Callable[[], pa.Table],
        limit: int,
    ) -> Iterator[tuple[pa.Table, list[str]]]:
        """Runs a checked query under its tag, its time limit and cancellation; yields its first
        ``limit`` rows as a local workspace's Arrow, and their KQL types."""
        engine = self._engine(workspace_id)
        # Here, not at the top: without the extra `spark`, `_engine` says what to install.
        from .sparksql import parse_spark_sql

        statements = parse_spark_sql(sql, engine.settings.qualifiers)
        run = _Run(workspace_id, seconds)
        self._runs.add(query_id, run)
        watchdog = threading.Thread(
            target=run.watch, daemon=True, name=f"sentinel-spark-{query_id[:8]}"
        )
        watchdog.start()

        def execute(session: SparkSession) -> tuple[pa.Table, list[str]]:
            run.session = session
            self._check(run)
            for function in statements.prelude:
                if engine.functions.get(function.name) != function.sql:
                    session.sql(function.sql)
                    engine.functions[function.name] = function.sql
            if engine.settings.path is not None:
                engine.register_folder(session)
            if "HuntingBookmark" in statements.tables and not engine.has_table(
                session, "HuntingBookmark"
            ):
                # The bookmark log is not a table of the cluster: this server's log, as a view.
                log = _frame(session, bookmarks(), BOOKMARK_TYPES)
                log.createOrReplaceTempView("HuntingBookmark")
            session.addTag(run.tag)
            try:
                self._check(run)
                # Spark's parser sees the query as a subquery: anything but a query is an error.
                # The query passed sparksql's checks: this is what runs it.
                df = session.sql(f"SELECT * FROM (\n{statements.query}\n)").limit(limit)  # noqa: S608
                sent, types = _as_sent(df)
                table = sent.toArrow()
            finally:
                session.removeTag(run.tag)
            return _arrow_as_local(table), types

        try:
            try:
                answer: tuple[pa.Table, list[str]] = engine.call(execute)
            except SentinelError:
                raise
            except Exception as error:
                self._check(run)
                raise engine.failure(error) from None
            self._check(run)
            yield answer
        finally:
            run.ended.set()
            run.wake.set()
            watchdog.join()
            self._runs.remove(query_id)

    @staticmethod
    def _check(run: _Run) -> None:
        if run.timed_out:
            raise TimedOut(f"The query ran past its time limit of {run.seconds:g} s")
        if run.cancelled:
            raise Cancelled("Query cancelled")


def _described(session: SparkSession, table: str) -> tuple[int | None, str | None]:
    """A table's row count from Spark's statistics (``ANALYZE TABLE``), when it has them (never
    a count that reads the table), and the KQL name its ``kql.name`` property keeps."""
    rows = name = None
    for key, value, *_ in session.sql(f"DESCRIBE TABLE EXTENDED `{table}`").collect():
        if key == "Statistics" and isinstance(value, str):
            counted = STATISTICS_ROWS.search(value)
            rows = int(counted.group(1)) if counted else None
        elif key == "Table Properties" and isinstance(value, str):
            kept = KQL_NAME.search(value)
            name = kept.group(1) if kept else None
    return rows, name


def _frame(
    session: SparkSession, table: pa.Table, kinds: dict[str, str] | None = None
) -> DataFrame:
    """An Arrow table of this process (the bookmark log, a demo file) as a Spark DataFrame: its
    JSON columns as ``dynamic`` variants, and the KQL types ``kinds`` names kept as metadata."""
    from pyspark.sql.connect import functions as F

    kept = dict(kinds or {})
    parsed = set()
    for index, column in enumerate(table.schema):
        if isinstance(column.type, pa.JsonType):
            kept[column.name] = "dynamic"
            parsed.add(column.name)
            text = table.column(index).cast(pa.string())
            table = table.set_column(index, column.name, text)
    df = session.createDataFrame(table)
    return df.select(
        *(
            (F.try_parse_json(F.col(f"`{name}`")) if name in parsed else F.col(f"`{name}`")).alias(
                name, metadata={KQL_TYPE_KEY: kept[name]}
            )
            if name in kept
            else F.col(f"`{name}`")
            for name in df.columns
        )
    )


# Command line


def load_demo(
    remote: str,
    database: str,
    demo_path: Path,
    upload: bool,
    only: frozenset[str] | None = None,
) -> dict[str, int]:
    """Loads the demo data set's tables into ``database`` (replacing them), with the statistics
    that give the schema its row counts; answers rows per table. ``only`` names the tables to
    load, when not all of them.

    The cluster reads the demo's files where they are (it runs on this machine, or shares the
    folder); with ``upload``, their rows are sent through Spark Connect instead, for a cluster
    that cannot see them.
    """
    from pyspark.sql.connect.session import SparkSession

    from .lake import discover_tables

    if not (demo_path / "_generated.json").is_file():
        raise NotFound(
            f"No demo data set at {demo_path}: generate it with python -m jupyterlab_sentinel.demo"
        )
    folder = demo_path.resolve()
    names = list(discover_tables(folder))
    unknown = sorted((only or frozenset()) - set(names))
    if unknown:
        raise NotFound(f"The demo data set has no table {', '.join(unknown)}")
    session = (
        SparkSession.builder.remote(remote).config("spark.sql.session.timeZone", "UTC").create()
    )
    quoted = f"`{database}`"
    session.sql(f"CREATE DATABASE IF NOT EXISTS {quoted}")
    loaded = {}
    try:
        for name in names:
            if only is not None and name not in only:
                continue
            files = _parquet_files(folder / name, folder / f"{name}.parquet")
            if not files:
                continue
            target = f"{quoted}.`{name}`"
            if upload:
                mode, rows = "overwrite", 0
                for chunk in _chunks(files):
                    _frame(session, chunk).write.mode(mode).saveAsTable(target)
                    mode, rows = "append", rows + chunk.num_rows
            else:
                _read(session, files).write.mode("overwrite").saveAsTable(target)
                rows = sum(pq.read_metadata(f).num_rows for f in files)
            kept = f"'{KQL_NAME_PROPERTY}' = '{name}'"
            session.sql(f"ALTER TABLE {target} SET TBLPROPERTIES ({kept})")
            session.sql(f"ANALYZE TABLE {target} COMPUTE STATISTICS")
            loaded[name] = rows
    finally:
        session.stop()
    return loaded


#: Rows sent to Spark in one write by ``load-demo --upload``: a write per daily file is slow (a
#: job each); a whole table at once overran a local server's 2 GB driver.
UPLOAD_ROWS = 50_000


def _read(session: SparkSession, files: list[Path]) -> DataFrame:
    """A table's Parquet files as the cluster reads them, its JSON columns as ``dynamic``
    variants."""
    from pyspark.sql.connect import functions as F

    dynamic = {f.name for f in pq.read_schema(files[0]) if isinstance(f.type, pa.JsonType)}
    df = session.read.parquet(*(str(f) for f in files))
    return df.select(
        *(
            # Spark may read Parquet's JSON as bytes: the text parses into the VARIANT that the
            # Spark dialect reads dynamic values from.
            F.try_parse_json(F.col(f"`{name}`").cast("string")).alias(
                name, metadata={KQL_TYPE_KEY: "dynamic"}
            )
            if name in dynamic
            else F.col(f"`{name}`")
            for name in df.columns
        )
    )


def _chunks(files: list[Path]) -> Iterator[pa.Table]:
    """The rows of a table's files, in tables of about `UPLOAD_ROWS` rows."""
    pending: list[pa.Table] = []
    for file in files:
        pending.append(pq.read_table(file))
        if sum(t.num_rows for t in pending) >= UPLOAD_ROWS:
            yield pa.concat_tables(pending, promote_options="default")
            pending = []
    if pending:
        yield pa.concat_tables(pending, promote_options="default")


def _parquet_files(folder: Path, file: Path) -> list[Path]:
    if folder.is_dir():
        return sorted(folder.rglob("*.parquet"))
    return [file] if file.is_file() else []


def serve_local(port: int, warehouse: Path, memory: str) -> None:
    """Runs a local Spark Connect server (Spark in local mode, two threads) on ``port`` until
    SIGTERM or Ctrl+C; its token is ``SPARK_CONNECT_AUTHENTICATE_TOKEN`` from the environment
    (never an argument, which any user of the machine can read)."""
    import signal

    from pyspark.sql import SparkSession

    # The way pyspark's remote("local") starts one, on a port of our choosing.
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.plugins", "org.apache.spark.sql.connect.SparkConnectPlugin")
        .config("spark.connect.grpc.binding.port", str(port))
        .config("spark.sql.warehouse.dir", str(warehouse.resolve()))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", memory)
        .getOrCreate()
    )
    stops = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    print(f"ready sc://localhost:{port} Spark {spark.version}", flush=True)
    signal.sigwait(stops)
    spark.stop()


def main(argv: list[str] | None = None) -> None:
    """``python -m jupyterlab_sentinel.spark load-demo --remote sc://… [--database demo]``, or
    ``serve-local --port N``."""
    from jupyter_core.paths import jupyter_data_dir

    parser = argparse.ArgumentParser(prog="python -m jupyterlab_sentinel.spark")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser(
        "load-demo", help="load the demo data set into a database of a Spark cluster"
    )
    load.add_argument("--remote", required=True, help="Spark Connect URL, sc://host:port")
    load.add_argument("--database", default="demo", help="database to (re)create tables in")
    load.add_argument(
        "--upload",
        action="store_true",
        help="send the rows through Spark Connect, for a cluster that cannot read the demo folder",
    )
    load.add_argument(
        "--demo-path",
        type=Path,
        default=Path(jupyter_data_dir()) / "sentinel" / "demo",
        help="the demo data set (python -m jupyterlab_sentinel.demo writes it)",
    )
    load.add_argument(
        "--tables",
        nargs="+",
        metavar="TABLE",
        help="load only these tables of the demo (all of them by default)",
    )
    serve = commands.add_parser(
        "serve-local",
        help="run a local Spark Connect server until stopped (for tests and trials)",
    )
    serve.add_argument("--port", type=int, default=15002)
    serve.add_argument("--warehouse", type=Path, default=Path("spark-warehouse"))
    serve.add_argument("--memory", default="2g", help="the Spark driver's memory (JVM units)")
    args = parser.parse_args(argv)
    missing = client_missing()
    if missing is not None:
        parser.exit(1, f"{missing}\n")
    if args.command == "serve-local":
        serve_local(args.port, args.warehouse, args.memory)
        return
    remote = Remote.parse(args.remote)
    if not TABLE_NAME.match(args.database):
        parser.error("--database is a plain name: letters, digits and _")
    start = time.perf_counter()
    try:
        only = frozenset(args.tables) if args.tables else None
        loaded = load_demo(remote.url, args.database, args.demo_path, args.upload, only)
    except SentinelError as error:
        parser.exit(1, f"{error.message}\n")
    for name, rows in loaded.items():
        print(f"{name:32} {rows:>12,}")
    print(
        f"{sum(loaded.values()):,} rows in {len(loaded)} tables of {args.database} at "
        f"{remote.shown} in {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
