"""Spark DataFrames in the kernel, for the linked cell of a KQL cell on a Spark workspace.

When a KQL cell asks for a Spark DataFrame (its query bar's DataFrame kind), the cell below it runs
``spark_sql("<workspace id>", "<compiled SQL>")`` instead of loading the saved result with pandas:
the whole result stays in Spark, past the server's row limit, until the analyst collects it.

The notebook names the workspace only. Its Spark Connect URL, which may hold a token, is read here
in the kernel: from ``SENTINEL_SPARK_WORKSPACES`` (JSON, the entries of
``SentinelConfig.spark_workspaces``) when the environment has it, which a kernel started by the
Jupyter server inherits, else from the Jupyter server's configuration files.
"""

from __future__ import annotations

import json
import os
import threading
from typing import TYPE_CHECKING, Any

from .errors import NotFound, SentinelError
from .spark import SparkEngine, SparkSettings, client_missing
from .sparksql import parse_spark_sql

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.connect.session import SparkSession

#: The environment variable that configures Spark workspaces as the server's setting does.
ENVIRONMENT = "SENTINEL_SPARK_WORKSPACES"

_engines: dict[str, SparkEngine] = {}
_lock = threading.Lock()


class SparkWorkspaceError(RuntimeError):
    """Why a Spark DataFrame cannot be made, in the words the REST API would use."""


def configured_workspaces() -> list[dict[str, Any]]:
    """The Spark workspace entries: the environment's, else the Jupyter server's configuration."""
    text = os.environ.get(ENVIRONMENT)
    if text:
        entries = json.loads(text)
    else:
        from jupyter_server.serverapp import ServerApp

        app = ServerApp()
        app.load_config_file()
        entries = app.config.get("SentinelConfig", {}).get("spark_workspaces", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SparkWorkspaceError(
            f"{ENVIRONMENT} or SentinelConfig.spark_workspaces is not a list of workspaces"
        )
    return entries


def workspace_settings(workspace_id: str) -> SparkSettings:
    """A Spark workspace's settings by the id the server lists it under."""
    # Ids are given as the server gives them: in order, after the demo workspace's.
    taken = {"demo"}
    for entry in configured_workspaces():
        settings = SparkSettings.parse(entry, taken)
        if settings.id == workspace_id:
            if settings.problem is not None:
                raise SparkWorkspaceError(settings.problem)
            return settings
    raise SparkWorkspaceError(
        f"No Spark workspace {workspace_id!r} is configured for this kernel: set {ENVIRONMENT} "
        "or SentinelConfig.spark_workspaces in the Jupyter server's configuration"
    )


def _engine(workspace_id: str) -> SparkEngine:
    missing = client_missing()
    if missing is not None:
        raise SparkWorkspaceError(missing)
    with _lock:
        engine = _engines.get(workspace_id)
        if engine is None:
            engine = _engines[workspace_id] = SparkEngine(workspace_settings(workspace_id))
        return engine


def spark_sql(workspace_id: str, sql: str) -> DataFrame:
    """The Spark DataFrame of a KQL cell's compiled SQL on a Spark workspace: checked as the server
    checks it (one query after SQL-bodied functions), run lazily on the workspace's session."""
    engine = _engine(workspace_id)
    try:
        statements = parse_spark_sql(sql, engine.settings.qualifiers)

        def frame(session: SparkSession) -> DataFrame:
            for function in statements.prelude:
                if engine.functions.get(function.name) != function.sql:
                    session.sql(function.sql)
                    engine.functions[function.name] = function.sql
            if engine.settings.path is not None:
                engine.register_folder(session)
            if "HuntingBookmark" in statements.tables and not engine.has_table(
                session, "HuntingBookmark"
            ):
                raise NotFound(
                    "The bookmark log is the Jupyter server's, not a table of the cluster: "
                    "load the result as pandas to read HuntingBookmark"
                )
            # The query passed sparksql's checks, as a query sent to the server does.
            df: DataFrame = session.sql(statements.query)
            return df

        result: DataFrame = engine.call(frame)
    except SentinelError as error:
        raise SparkWorkspaceError(
            f"{error.message}: {error.detail}" if error.detail else error.message
        ) from None
    return result
