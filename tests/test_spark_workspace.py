"""Spark workspaces through the REST API, against a real local Spark Connect server.

One server for the whole session (it takes 10-30 s to start), with a token, as a cluster would
have; the tables are the test workspace's, loaded by the `load-demo` command.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tornado.httpclient import HTTPClientError

from .conftest import write_workspace
from .test_bookmarks import bookmark

MISSING = (
    "pyspark is not installed (pip install 'jupyterlab_sentinel[spark]')"
    if importlib.util.find_spec("pyspark") is None or importlib.util.find_spec("sqlglot") is None
    else "Java is not installed (Debian: apt-get install openjdk-17-jre-headless)"
    if shutil.which("java") is None
    else None
)
pytestmark = [pytest.mark.spark, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

Api = Callable[..., Any]
TOKEN = f"t-{uuid.uuid4().hex}"
DATABASE = "sentinel_test"
#: The same tables, sent through Spark Connect (load-demo --upload) rather than read in place.
UPLOADED = "sentinel_uploaded"
#: Rows of a query that runs until it is interrupted.
ENDLESS = "SELECT count(*) AS n FROM range(0, 1000000000000) WHERE hash(id) = 42"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def spark_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local Spark Connect server that asks for a token, and its URL with the token."""
    port = free_port()
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    env = {**os.environ, "SPARK_CONNECT_AUTHENTICATE_TOKEN": TOKEN}
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "jupyterlab_sentinel.spark", "serve-local"),
            *("--port", str(port), "--warehouse", str(warehouse)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("ready"), f"the Spark Connect server did not start: {line!r}"
        yield f"sc://localhost:{port}/;token={TOKEN}"
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def spark_tables(spark_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test workspace's tables, loaded into DATABASE by the load-demo command; answers the
    folder (a Spark folder workspace reads it too)."""
    folder = write_workspace(tmp_path_factory.mktemp("spark") / "logs")
    (folder / "_generated.json").write_text("{}")
    from jupyterlab_sentinel.spark import main

    for database, how in ((DATABASE, []), (UPLOADED, ["--upload"])):
        arguments = ["--remote", spark_url, "--database", database, "--demo-path", str(folder)]
        main(["load-demo", *arguments, *how])
    return folder


@pytest.fixture
def jp_server_config(
    jp_server_config: dict[str, Any], spark_url: str, spark_tables: Path
) -> dict[str, Any]:
    """The server with Spark workspaces: a database, a folder, and three that cannot be used."""
    # A first query on a busy machine takes seconds; the time limit test asks its own.
    jp_server_config["SentinelConfig"]["default_timeout"] = 60.0
    jp_server_config["SentinelConfig"]["spark_workspaces"] = [
        {"name": "Lake", "remote": spark_url, "database": DATABASE},
        {"name": "Lake folder", "remote": spark_url, "path": str(spark_tables)},
        {"name": "Uploaded", "remote": spark_url, "database": UPLOADED},
        {"name": "Down", "remote": f"sc://localhost:{free_port()}/;token={TOKEN}", "database": "x"},
        {"name": "No database", "remote": spark_url, "database": "nowhere"},
        {"name": "Not a URL", "remote": "http://localhost:15002", "database": DATABASE},
    ]
    return jp_server_config


async def error_of(call: Any) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HTTPClientError) as info:
        await call
    assert info.value.response is not None
    body = info.value.response.body.decode()
    assert TOKEN not in body
    return info.value.code, json.loads(body)


async def query(api: Api, sql: str, workspace: str = "lake", **extra: Any) -> Any:
    body = {"sql": sql, "queryId": extra.pop("queryId", str(uuid.uuid4())), **extra}
    # A first query opens a Spark session: on a loaded machine, longer than the client's 20 s.
    return await api(
        "workspaces", workspace, "query", method="POST", body=body, request_timeout=120
    )


def arrow(response: Any) -> pa.Table:
    return pa.ipc.open_stream(response.body).read_all()


async def test_spark_workspaces_list_beside_the_local_ones(api: Api) -> None:
    response = await api("workspaces")
    assert TOKEN not in response.body.decode()
    listed = {w["id"]: w for w in json.loads(response.body)["workspaces"]}
    assert listed["demo"]["engine"] == "duckdb"
    lake = listed["lake"]
    assert lake["engine"] == "spark" and lake["status"] == "ready", lake
    assert lake["remote"].startswith("sc://localhost:") and lake["database"] == DATABASE
    assert listed["lake-folder"]["status"] == "ready"
    assert listed["down"]["status"] == "missing"
    assert "cannot be reached" in listed["down"]["message"]
    assert listed["no-database"]["status"] == "missing"
    assert "no database 'nowhere'" in listed["no-database"]["message"]
    assert listed["not-a-url"]["status"] == "missing"
    assert "sc://" in listed["not-a-url"]["message"]
    code, error = await error_of(query(api, "SELECT 1", workspace="down"))
    assert code == 409 and error["reason"] == "unreachable"


async def test_schema_comes_from_the_catalog_with_kql_types(api: Api) -> None:
    body = json.loads((await api("workspaces", "lake", "schema")).body)
    tables = {t["name"]: t for t in body["tables"]}
    assert {"SigninLogs", "SecurityEvent", "HuntingBookmark"} <= set(tables)
    signin = tables["SigninLogs"]
    types = {c["name"]: c["type"] for c in signin["columns"]}
    assert types == {
        "TimeGenerated": "datetime",
        "UserPrincipalName": "string",
        "ResultType": "string",
        "Details": "dynamic",
    }
    # Row counts from the statistics load-demo computed, not from counting rows.
    assert signin["rowCount"] == 50 and tables["SecurityEvent"]["rowCount"] == 30
    assert signin["category"] == "Azure Active Directory"
    assert {c["name"]: c["type"] for c in tables["SecurityEvent"]["columns"]}["EventID"] == "int"


async def test_load_demo_uploads_the_same_tables(api: Api) -> None:
    schemas = [
        json.loads((await api("workspaces", wid, "schema")).body)["tables"]
        for wid in ("lake", "uploaded")
    ]
    assert schemas[0] == schemas[1]


async def test_load_demo_keeps_dynamic_columns_as_variants(api: Api) -> None:
    # The Spark dialect reads a dynamic column's members from a VARIANT (Details.n).
    sql = (
        "SELECT try_variant_get(Details, '$.n', 'BIGINT') AS n, typeof(Details) AS t"
        " FROM SigninLogs ORDER BY n LIMIT 3"
    )
    for workspace in ("lake", "uploaded"):
        result = arrow(await query(api, sql, workspace))
        assert result.column("n").to_pylist() == [0, 1, 2]
        assert set(result.column("t").to_pylist()) == {"variant"}


async def test_a_folder_workspace_reads_its_tables_as_views(api: Api) -> None:
    body = json.loads((await api("workspaces", "lake-folder", "schema")).body)
    tables = {t["name"]: t for t in body["tables"]}
    assert {"SigninLogs", "SecurityEvent"} <= set(tables)
    # Views have no statistics: no count is made up.
    assert tables["SecurityEvent"]["rowCount"] is None
    result = arrow(await query(api, "SELECT count(*) AS n FROM SecurityEvent", "lake-folder"))
    assert result.column("n").to_pylist() == [30]


async def test_query_answers_arrow_with_kql_types_and_the_row_limit(api: Api) -> None:
    sql = (
        "SELECT TimeGenerated, UserPrincipalName, Details, INTERVAL '1' HOUR AS Span, "
        "array(1, 2) AS List FROM SigninLogs ORDER BY TimeGenerated"
    )
    response = await query(api, sql, maxRows=10)
    assert response.headers["X-Sentinel-Row-Count"] == "10"
    assert response.headers["X-Sentinel-Truncated"] == "true"
    table = arrow(response)
    kinds = {f.name: f.metadata[b"kql_type"].decode() for f in table.schema}
    assert kinds == {
        "TimeGenerated": "datetime",
        "UserPrincipalName": "string",
        "Details": "dynamic",
        "Span": "timespan",
        "List": "dynamic",
    }
    assert table.schema.field("TimeGenerated").type == pa.timestamp("us")
    first = table.to_pylist()[0]
    assert first["TimeGenerated"].isoformat() == "2026-10-01T00:00:00"
    assert json.loads(first["Details"]) == {"n": 0} and json.loads(first["List"]) == [1, 2]
    whole = await query(api, "SELECT * FROM SigninLogs", maxRows=50)
    assert whole.headers["X-Sentinel-Truncated"] == "false"


async def test_prelude_functions_run_before_the_query_and_again(api: Api) -> None:
    sql = (
        "CREATE TEMPORARY FUNCTION kql_fails(code STRING) RETURNS BOOLEAN "
        "RETURN code <> '0';\n"
        "SELECT count(*) AS n FROM SigninLogs WHERE kql_fails(ResultType)"
    )
    for _ in range(2):  # the session keeps the function: the second run replaces it
        assert arrow(await query(api, sql)).column("n").to_pylist() == [17]


async def test_the_session_has_the_dialects_settings(api: Api) -> None:
    # ANSI mode off (a division by zero is null), literals as written ('\d' is two characters):
    # set by the server from the dialect's list, since a query may not send SET.
    sql = r"SELECT 1 / 0 AS q, length('\d') AS n, current_timezone() AS tz"
    row = arrow(await query(api, sql)).to_pylist()[0]
    assert row == {"q": None, "n": 2, "tz": "UTC"}


@pytest.mark.parametrize(
    "sql",
    [
        f"DROP TABLE {DATABASE}.SigninLogs",
        "INSERT INTO SigninLogs SELECT * FROM SigninLogs",
        "SELECT 1; DROP TABLE SigninLogs",
        "CREATE TEMPORARY FUNCTION f AS 'org.example.F' USING JAR '/tmp/f.jar'; SELECT 1",
        "CREATE TEMPORARY VIEW v AS SELECT 1; SELECT * FROM v",
        "SELECT * FROM parquet.`/etc`",
        "SELECT * FROM default.SigninLogs",
        "SELECT reflect('java.lang.System', 'getProperty', 'user.home')",
        "SELECT * FROM IDENTIFIER('SigninLogs')",
        "SET spark.sql.ansi.enabled = false",
    ],
)
async def test_anything_but_a_query_is_refused(api: Api, sql: str) -> None:
    code, error = await error_of(query(api, sql))
    assert code == 403 and error["reason"] == "read-only", error
    assert arrow(await query(api, "SELECT count(*) AS n FROM SigninLogs")).num_rows == 1


async def test_spark_errors_are_readable_json(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    code, error = await error_of(query(api, "SELECT nosuch FROM SigninLogs"))
    assert TOKEN not in caplog.text
    assert code == 400 and error["reason"] == "sql-error"
    assert "UNRESOLVED_COLUMN" in error["detail"] and "JVM stacktrace" not in error["detail"]
    code, error = await error_of(query(api, "SELECT (1"))
    assert code == 400 and error["reason"] == "sql-error"


async def test_export_writes_the_result_for_the_kernel(api: Api, jp_root_dir: Path) -> None:
    body = {
        "sql": "SELECT TimeGenerated, Details, EventCount FROM SigninLogs "
        "LATERAL VIEW explode(array(1)) e AS EventCount ORDER BY TimeGenerated",
        "path": "results/signins.parquet",
    }
    answer = json.loads((await api("workspaces", "lake", "export", method="POST", body=body)).body)
    assert answer["rowCount"] == 50 and answer["truncated"] is False
    assert [c["type"] for c in answer["columns"]] == ["datetime", "dynamic", "int"]
    table = pq.read_table(jp_root_dir / "results" / "signins.parquet")
    assert table.schema.field("TimeGenerated").type == pa.timestamp("ns")
    page = json.loads(
        (await api("results", params={"path": "results/signins.parquet", "limit": "2"})).body
    )
    assert page["totalRows"] == 50
    assert page["rows"][0][0] == "2026-10-01T00:00:00.0000000Z"


async def test_bookmarks_of_a_spark_workspace_read_as_hunting_bookmark(api: Api) -> None:
    body = bookmark(displayName="Spark sign-in")
    await api("workspaces", "lake", "bookmarks", method="POST", body=body)
    table = arrow(await query(api, "SELECT * FROM HuntingBookmark"))
    assert table.column("BookmarkName").to_pylist() == ["Spark sign-in"]
    schema = json.loads((await api("workspaces", "lake", "schema")).body)
    log = next(t for t in schema["tables"] if t["name"] == "HuntingBookmark")
    kinds = [{"name": f.name, "type": f.metadata[b"kql_type"].decode()} for f in table.schema]
    assert kinds == log["columns"]


async def test_the_time_limit_interrupts_spark(api: Api) -> None:
    start = time.monotonic()
    code, error = await error_of(query(api, ENDLESS, timeoutSeconds=2))
    assert code == 422 and error["reason"] == "timeout"
    assert time.monotonic() - start < 30
    assert json.loads((await api("queries")).body)["queries"] == []


async def test_cancel_interrupts_spark(api: Api) -> None:
    query_id = str(uuid.uuid4())
    running = asyncio.ensure_future(query(api, ENDLESS, queryId=query_id, timeoutSeconds=120))
    for _ in range(200):
        listed = json.loads((await api("queries")).body)["queries"]
        if any(q["queryId"] == query_id for q in listed):
            break
        await asyncio.sleep(0.05)
    await api("queries", query_id, method="DELETE")
    code, error = await error_of(running)
    assert code == 400 and error["reason"] == "cancelled"


async def test_a_session_the_server_forgot_is_reopened(api: Api, jp_serverapp: Any) -> None:
    assert arrow(await query(api, "SELECT 1 AS one")).num_rows == 1
    lake = jp_serverapp.web_app.settings["sentinel_lake"]
    # As when the cluster restarts or expires the session: the server no longer knows it.
    lake.spark._engine("lake").session().client.release_session()
    assert arrow(await query(api, "SELECT count(*) AS n FROM SigninLogs")).num_rows == 1


async def test_what_spark_workspaces_do_not_provide_is_refused(api: Api) -> None:
    code, error = await error_of(query(api, "SELECT 1", workspaces=["demo"]))
    assert code == 400 and error["reason"] == "unsupported"
    folders = [{"name": "Cluster", "engine": "spark", "path": "x"}]
    code, error = await error_of(api("workspaces", method="PUT", body={"workspaces": folders}))
    assert code == 400 and "SentinelConfig.spark_workspaces" in error["message"]


@pytest.mark.slow
def test_a_job_queries_spark_again_and_saves_a_table_with_save_as_table(
    spark_url: str, tmp_path: Path
) -> None:
    """A notebook job on a Spark workspace (see test_jobs.py): its KQL cell's Spark SQL runs
    again on Spark, and save_as_table writes a table of the database that a later query reads."""
    from pyspark.sql.connect.session import SparkSession

    from jupyterlab_sentinel import scheduler
    from jupyterlab_sentinel.errors import Conflict
    from jupyterlab_sentinel.lake import Lake, Limits
    from jupyterlab_sentinel.spark import SparkWorkspaces

    from .test_jobs import RESULT, events_sql, hunt_notebook, printed, run_job, utc

    database = f"sentinel_jobs_{uuid.uuid4().hex[:8]}"
    session = SparkSession.builder.remote(spark_url).create()
    events = "TimeGenerated TIMESTAMP, Computer STRING"
    try:
        session.sql(f"CREATE DATABASE {database}")
        rows = [(utc(2).replace(tzinfo=None), "alpha"), (utc(2).replace(tzinfo=None), "beta")]
        session.createDataFrame(rows, events).write.saveAsTable(f"{database}.Events")
        entry = {"name": "Jobs lake", "remote": spark_url, "database": database}
        root = tmp_path / "root"
        root.mkdir()
        ran_at = utc(1)
        hunt_notebook(root / "hunt.ipynb", ran_at, workspace="jobs-lake", engine="spark")
        lake = Lake(
            root_dir=root,
            demo_path=tmp_path / "demo",
            spark=SparkWorkspaces([entry], Limits(), {"demo"}),
            bookmarks_dir=tmp_path / "bookmarks",
        )
        lake.export("jobs-lake", events_sql(ran_at, "spark"), RESULT, "first-run")
        assert pq.read_table(root / RESULT).column("Computer").to_pylist() == ["alpha", "beta"]

        later = [(utc(0.5).replace(tzinfo=None), "gamma")]
        session.createDataFrame(later, events).write.mode("append").saveAsTable(
            f"{database}.Events"
        )
        try:
            output = run_job(lake, "hunt.ipynb", tmp_path / "staging", [entry])
        finally:
            scheduler._served = None
        assert "hosts: alpha,beta,gamma" in printed(output)

        answer = lake.query(
            "jobs-lake", "SELECT Computer, Count FROM HostCounts_CL ORDER BY Computer", "later"
        )
        assert answer.table.to_pydict() == {
            "Computer": ["alpha", "beta", "gamma"],
            "Count": [1, 1, 1],
        }
        # The table is not replaced unless asked.
        assert lake.spark is not None
        replacement = pa.table({"Computer": ["delta"], "Count": [4]})
        with pytest.raises(Conflict, match="overwrite=True"):
            lake.spark.save_as_table("jobs-lake", replacement, "HostCounts_CL", False)
        lake.spark.save_as_table("jobs-lake", replacement, "HostCounts_CL", True)
        answer = lake.query("jobs-lake", "SELECT Computer, Count FROM HostCounts_CL", "again")
        assert answer.table.to_pydict() == {"Computer": ["delta"], "Count": [4]}
        lake.close()
    finally:
        session.sql(f"DROP DATABASE IF EXISTS {database} CASCADE")
        session.stop()


def test_the_kernel_makes_a_spark_dataframe_of_the_whole_query(
    spark_url: str, spark_tables: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyterlab_sentinel.kernel import ENVIRONMENT, SparkWorkspaceError, spark_sql

    entries = [{"name": "Kernel lake", "remote": spark_url, "database": DATABASE}]
    monkeypatch.setenv(ENVIRONMENT, json.dumps(entries))
    sql = (
        "CREATE TEMPORARY FUNCTION kql_fails(code STRING) RETURNS BOOLEAN RETURN code <> '0';\n"
        "SELECT UserPrincipalName FROM SigninLogs WHERE kql_fails(ResultType)"
    )
    df = spark_sql("kernel-lake", sql)
    assert type(df).__module__.startswith("pyspark.sql.connect")
    assert df.count() == 17
    # The session has the dialect's settings, as the server's has.
    assert spark_sql("kernel-lake", r"SELECT length('\d') AS n").collect()[0]["n"] == 2
    with pytest.raises(SparkWorkspaceError, match=r"only SQL-bodied temporary functions"):
        spark_sql("kernel-lake", "SET spark.sql.ansi.enabled = true; SELECT 1")
    with pytest.raises(SparkWorkspaceError, match="No Spark workspace 'elsewhere'"):
        spark_sql("elsewhere", "SELECT 1")


def test_load_demo_loads_only_the_tables_named(
    spark_url: str, spark_tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pyspark.sql.connect.session import SparkSession

    from jupyterlab_sentinel.spark import main

    arguments = ["--remote", spark_url, "--demo-path", str(spark_tables)]
    main(["load-demo", *arguments, "--database", "sentinel_some", "--tables", "SigninLogs"])
    session = SparkSession.builder.remote(spark_url).create()
    try:
        listed = [t.name for t in session.catalog.listTables("sentinel_some")]
    finally:
        session.stop()
    assert [name.lower() for name in listed] == ["signinlogs"]
    with pytest.raises(SystemExit):
        main(["load-demo", *arguments, "--database", "sentinel_some", "--tables", "NoSuch"])
    assert "no table NoSuch" in capsys.readouterr().err
