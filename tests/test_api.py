"""The REST API of local workspaces, through a real Jupyter server."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from tornado.httpclient import HTTPClientError

Api = Callable[..., Any]


def arrow(response: Any) -> pa.Table:
    return pa.ipc.open_stream(response.body).read_all()


async def error_of(call: Any) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HTTPClientError) as info:
        await call
    assert info.value.response is not None
    return info.value.code, json.loads(info.value.response.body)


async def query(api: Api, sql: str, workspace: str = "demo", **extra: Any) -> Any:
    body = {"sql": sql, "queryId": str(uuid.uuid4()), **extra}
    return await api("workspaces", workspace, "query", method="POST", body=body)


async def test_no_token_is_refused(jp_fetch: Any, jp_serverapp: Any) -> None:
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("sentinel", "api", "workspaces", headers={"Authorization": ""})
    assert info.value.code in (401, 403)


async def test_lists_the_demo_workspace(api: Api) -> None:
    body = json.loads((await api("workspaces")).body)
    demo = body["workspaces"][0]
    assert demo["id"] == "demo" and demo["demo"] is True and demo["status"] == "ready"


async def test_configures_folders_inside_the_root_only(api: Api, workspace_root: Path) -> None:
    folders = [
        {"name": "My logs", "path": "logs"},
        {"name": "Escape", "path": "../.."},
        {"name": "Gone", "path": "nowhere"},
    ]
    body = json.loads((await api("workspaces", method="PUT", body={"workspaces": folders})).body)
    by_id = {w["id"]: w for w in body["workspaces"]}
    assert by_id["my-logs"]["status"] == "ready"
    assert by_id["escape"]["status"] == "missing"
    assert "outside" in by_id["escape"]["message"]
    assert by_id["gone"]["status"] == "missing"
    code, error = await error_of(query(api, "SELECT 1", workspace="escape"))
    assert code == 409 and error["reason"] == "conflict"


async def test_a_folder_deleted_after_it_was_configured_is_missing(
    api: Api, workspace_root: Path
) -> None:
    await api("workspaces", method="PUT", body={"workspaces": [{"name": "Logs", "path": "logs"}]})
    await api("workspaces", "logs", "schema")
    shutil.rmtree(workspace_root / "logs")
    body = json.loads((await api("workspaces")).body)
    logs = {w["id"]: w for w in body["workspaces"]}["logs"]
    assert logs["status"] == "missing" and "no longer exists" in logs["message"]
    code, error = await error_of(api("workspaces", "logs", "schema"))
    assert code == 409 and "no longer exists" in error["message"]


async def test_schema_has_kql_types_row_counts_and_categories(api: Api) -> None:
    body = json.loads((await api("workspaces", "demo", "schema")).body)
    tables = {t["name"]: t for t in body["tables"]}
    assert set(tables) == {"SigninLogs", "SecurityEvent", "Watchlist", "Syslog", "HuntingBookmark"}
    signins = tables["SigninLogs"]
    assert signins["rowCount"] == 50
    assert signins["category"] == "Azure Active Directory"
    assert signins["timespanColumn"] == "TimeGenerated"
    assert signins["columns"] == [
        {"name": "TimeGenerated", "type": "datetime"},
        {"name": "UserPrincipalName", "type": "string"},
        {"name": "ResultType", "type": "string"},
        {"name": "Details", "type": "dynamic"},
    ]
    assert tables["SecurityEvent"]["rowCount"] == 30
    assert {"name": "EventID", "type": "int"} in tables["SecurityEvent"]["columns"]
    assert tables["Watchlist"]["category"] == "Custom"


async def test_unknown_workspace_is_a_json_404(api: Api) -> None:
    code, error = await error_of(api("workspaces", "nope", "schema"))
    assert code == 404
    assert error == {"message": "No workspace 'nope'", "reason": "not-found"}


async def test_query_answers_arrow_with_kql_types(api: Api) -> None:
    response = await query(
        api,
        "SELECT UserPrincipalName, count(*) AS n, max(TimeGenerated) AS last, "
        "any_value(Details) AS d FROM SigninLogs WHERE ResultType = '50126' GROUP BY 1 ORDER BY 1",
    )
    assert response.headers["Content-Type"] == "application/vnd.apache.arrow.stream"
    table = arrow(response)
    assert table.num_rows == 5
    assert response.headers["X-Sentinel-Row-Count"] == "5"
    assert response.headers["X-Sentinel-Truncated"] == "false"
    assert float(response.headers["X-Sentinel-Elapsed-Ms"]) >= 0
    kinds = {f.name: f.metadata[b"kql_type"].decode() for f in table.schema}
    assert kinds == {"UserPrincipalName": "string", "n": "long", "last": "datetime", "d": "dynamic"}
    assert table.column("n").to_pylist() == [4, 3, 3, 4, 3]


async def test_row_limit_cuts_and_says_so(api: Api) -> None:
    response = await query(api, "SELECT * FROM SigninLogs", maxRows=7)
    assert arrow(response).num_rows == 7
    assert response.headers["X-Sentinel-Truncated"] == "true"
    exact = await query(api, "SELECT * FROM SigninLogs", maxRows=50)
    assert exact.headers["X-Sentinel-Truncated"] == "false"


async def test_reads_every_layout(api: Api) -> None:
    for table, rows in (("SecurityEvent", 30), ("Watchlist", 2), ("Syslog", 4)):
        response = await query(api, f'SELECT count(*) AS n FROM "{table}"')
        assert arrow(response).column("n").to_pylist() == [rows]


async def test_sql_errors_carry_the_engine_message(api: Api) -> None:
    code, error = await error_of(query(api, "SELECT nope FROM SigninLogs"))
    assert code == 400
    assert error["reason"] == "sql-error"
    assert "nope" in error["detail"]


@pytest.mark.parametrize(
    "sql",
    [
        "COPY (SELECT 1) TO 'out.csv'",
        "CREATE TABLE t AS SELECT 1",
        "ATTACH ':memory:' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET threads = 1",
        "PRAGMA database_list",
        "SELECT 1; SELECT 2",
        "EXPORT DATABASE 'x'",
        "-- a comment first\n/* and another */ PRAGMA database_list",
    ],
)
async def test_only_a_single_select_runs(api: Api, sql: str) -> None:
    code, error = await error_of(query(api, sql))
    assert code in (400, 403)
    assert error["reason"] in ("read-only", "sql-error")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_parquet('{demo}/../outside.parquet')",
        "SELECT * FROM read_parquet('{demo}/link.parquet')",
        "SELECT * FROM read_csv('http://127.0.0.1:1/x.csv')",
        "SELECT getenv('HOME')",
    ],
)
async def test_nothing_outside_the_workspace_is_read(
    api: Api, sql: str, jp_server_config: dict[str, Any]
) -> None:
    demo = Path(jp_server_config["SentinelConfig"]["demo_path"])
    outside = demo.parent / "outside.parquet"
    pa.parquet.write_table(pa.table({"secret": [1]}), outside)
    link = demo / "link.parquet"
    if not link.exists():
        os.symlink(outside, link)
    code, error = await error_of(query(api, sql.format(demo=demo)))
    assert code in (400, 403)
    assert error["reason"] in ("forbidden", "sql-error")
    assert "secret" not in json.dumps(error) or error["reason"] == "forbidden"


async def test_a_query_past_its_time_limit_stops_clearly(api: Api) -> None:
    slow = "SELECT count(*) FROM range(100000000000) a"
    code, error = await error_of(query(api, slow, timeoutSeconds=0.5))
    assert code == 422  # never 408: browsers resend a request answered 408
    assert error["reason"] == "timeout"
    assert "0.5 s" in error["message"]


async def test_a_running_query_can_be_cancelled(api: Api) -> None:
    query_id = str(uuid.uuid4())
    # A time limit far beyond the test's, so that on a loaded machine the cancel, not the limit,
    # ends the query.
    body = {
        "sql": "SELECT count(*) FROM range(100000000000)",
        "queryId": query_id,
        "timeoutSeconds": 300,
    }
    running = asyncio.ensure_future(api("workspaces", "demo", "query", method="POST", body=body))
    for _ in range(600):
        await asyncio.sleep(0.05)
        try:
            await api("queries", query_id, method="DELETE")
            break
        except HTTPClientError as error:
            assert error.code == 404
    code, error = await error_of(running)
    assert code == 400 and error == {"message": "Query cancelled", "reason": "cancelled"}


async def test_cancelling_an_unknown_query_is_404(api: Api) -> None:
    code, error = await error_of(api("queries", "nope", method="DELETE"))
    assert code == 404 and error["reason"] == "not-found"


async def test_concurrent_queries(api: Api) -> None:
    sqls = [f"SELECT count(*) + {i} AS n FROM SigninLogs" for i in range(8)]
    responses = await asyncio.gather(*(query(api, sql) for sql in sqls))
    assert [arrow(r).column("n").to_pylist() for r in responses] == [[50 + i] for i in range(8)]


async def test_a_new_table_file_shows_up(api: Api, jp_server_config: dict[str, Any]) -> None:
    demo = Path(jp_server_config["SentinelConfig"]["demo_path"])
    await api("workspaces", "demo", "schema")
    (demo / "Heartbeat.csv").write_text("Computer\nhost1\n")
    body = json.loads((await api("workspaces", "demo", "schema")).body)
    assert "Heartbeat" in {t["name"] for t in body["tables"]}


async def test_bad_bodies_are_json_errors(api: Api) -> None:
    code, error = await error_of(api("workspaces", "demo", "query", method="POST", body={"sql": 1}))
    assert code == 400 and error["reason"] == "bad-request"
    code, error = await error_of(
        api("workspaces", "demo", "query", method="POST", body=None, allow_nonstandard_methods=True)
    )
    assert code == 400


async def test_export_writes_the_full_result_as_parquet(api: Api, jp_root_dir: Path) -> None:
    import pandas as pd

    body = {
        "sql": "SELECT TimeGenerated, UserPrincipalName, ResultType FROM SigninLogs",
        "path": "results/signins.parquet",
    }
    response = await api("workspaces", "demo", "export", method="POST", body=body)
    answer = json.loads(response.body)
    assert answer["path"] == "results/signins.parquet"
    assert answer["rowCount"] == 50
    assert answer["columns"][0] == {"name": "TimeGenerated", "type": "datetime"}
    frame = pd.read_parquet(jp_root_dir / "results" / "signins.parquet")
    assert len(frame) == 50
    assert str(frame["TimeGenerated"].dtype).startswith("datetime64")
    assert [p.name for p in (jp_root_dir / "results").iterdir()] == ["signins.parquet"]


async def test_export_answers_the_first_page_when_asked(api: Api) -> None:
    body = {
        "sql": "SELECT UserPrincipalName, ResultType FROM SigninLogs ORDER BY UserPrincipalName",
        "path": "results/first.parquet",
        "firstPageRows": 20,
    }
    answer = json.loads((await api("workspaces", "demo", "export", method="POST", body=body)).body)
    page = answer["firstPage"]
    # The page the grid would ask for next: the same as reading it from the file.
    asked = await api(
        "results", params={"path": "results/first.parquet", "limit": "20", "lengths": "true"}
    )
    assert page == json.loads(asked.body)
    assert len(page["rows"]) == 20 and page["totalRows"] == 50
    assert len(page["textLengths"]) == 2
    plain = {**body, "path": "results/plain.parquet"}
    del plain["firstPageRows"]
    answer = json.loads((await api("workspaces", "demo", "export", method="POST", body=plain)).body)
    assert "firstPage" not in answer
    bad = {**body, "firstPageRows": 0}
    code, error = await error_of(api("workspaces", "demo", "export", method="POST", body=bad))
    assert code == 400 and "firstPageRows" in error["message"]


async def test_export_writes_datetimes_and_timespans_in_nanoseconds(
    api: Api, jp_root_dir: Path
) -> None:
    import pandas as pd

    # SQL as a REST client may send it, not only as the compiler writes it: a zone, a date, an
    # interval, and instants 64-bit nanoseconds cannot hold (Windows' zero time, KQL's last day).
    sql = (
        "SELECT TIMESTAMPTZ '2024-01-02 03:04:05.123456+00' AS zoned, DATE '2024-01-02' AS day,"
        " TIMESTAMP '1601-01-01' AS windows_zero, TIMESTAMP '9999-12-31' AS last,"
        " INTERVAL 90 MINUTE AS took, TIMESTAMP '2024-01-02 03:04:05' AS plain"
    )
    body = {"sql": sql, "path": "results/times.parquet"}
    await api("workspaces", "demo", "export", method="POST", body=body)
    frame = pd.read_parquet(jp_root_dir / "results" / "times.parquet")
    assert {str(t) for t in frame.dtypes} == {"datetime64[ns]", "timedelta64[ns]"}
    row = frame.iloc[0]
    assert row["zoned"] == pd.Timestamp("2024-01-02 03:04:05.123456")
    assert row["day"] == pd.Timestamp("2024-01-02")
    assert pd.isna(row["windows_zero"]) and pd.isna(row["last"])
    assert row["took"] == pd.Timedelta(minutes=90)
    assert row["plain"] == pd.Timestamp("2024-01-02 03:04:05")


@pytest.mark.parametrize("path", ["../out.parquet", "/tmp/out.parquet", "out.csv"])
async def test_export_stays_inside_the_root(api: Api, path: str) -> None:
    body = {"sql": "SELECT 1 AS x", "path": path}
    code, error = await error_of(api("workspaces", "demo", "export", method="POST", body=body))
    assert code in (400, 403)
    assert error["reason"] in ("bad-request", "forbidden")


async def test_export_refuses_what_query_refuses(api: Api, jp_root_dir: Path) -> None:
    body = {"sql": "COPY (SELECT 1) TO 'x.csv'", "path": "x.parquet"}
    code, error = await error_of(api("workspaces", "demo", "export", method="POST", body=body))
    assert code == 403 and error["reason"] == "read-only"
    assert not (jp_root_dir / "x.parquet").exists()


@pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is not None,
    reason="pyspark is installed: tests/test_spark_workspace.py runs Spark workspaces",
)
class TestSparkWithoutItsClient:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        remote = "sc://localhost:15002/;token=secret-token"
        jp_server_config["SentinelConfig"]["spark_workspaces"] = [
            {"name": "Lake", "remote": remote, "database": "sentinel"}
        ]
        return jp_server_config

    async def test_a_spark_workspace_lists_as_missing_with_the_install_command(
        self, api: Api
    ) -> None:
        response = await api("workspaces")
        assert b"secret-token" not in response.body
        lake = {w["id"]: w for w in json.loads(response.body)["workspaces"]}["lake"]
        assert lake["engine"] == "spark" and lake["status"] == "missing"
        assert "jupyterlab_sentinel[spark]" in lake["message"]
        code, error = await error_of(query(api, "SELECT 1", workspace="lake"))
        assert code == 409 and "jupyterlab_sentinel[spark]" in error["message"]
