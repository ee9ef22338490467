"""The local server under hostile and heavy use, through its real REST API: results bounded in
bytes, SQL bounded in size, time limits that always hold and cannot be switched off, queries that
never starve the sidebar's endpoints, a query cancelled when its client goes away, and a private
spill folder."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import resource
import stat
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from tornado.httpclient import HTTPClientError

from .test_api import arrow, error_of, query

Api = Callable[..., Any]

#: A query that runs for minutes unless something stops it.
ENDLESS = "SELECT count(*) AS n FROM range(100000000000) a"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """Small limits, so that going past them is cheap to test."""
    spill = tmp_path / "spill"
    spill.mkdir()
    jp_server_config["SentinelConfig"].update(
        {
            "max_result_bytes": 8 * 2**20,
            "max_export_bytes": 8 * 2**20,
            "max_sql_bytes": 64 * 2**10,
            "max_timeout": 300.0,
            "spill_dir": str(spill),
            "max_spill_size": "100MB",
            "query_memory": 3 * 2**29,
        }
    )
    return jp_server_config


async def running(api: Api) -> dict[str, Any]:
    return json.loads((await api("queries")).body)


async def until_running(api: Api, query_ids: set[str]) -> None:
    """Waits until each query has started in the server."""
    while not query_ids <= {q["queryId"] for q in (await running(api))["queries"]}:
        await asyncio.sleep(0.05)


def start(api: Api, sql: str, query_id: str, **extra: Any) -> asyncio.Future[Any]:
    body = {"sql": sql, "queryId": query_id, **extra}
    return asyncio.ensure_future(api("workspaces", "demo", "query", method="POST", body=body))


# Memory


async def test_a_result_larger_than_its_byte_limit_is_refused(api: Api) -> None:
    # 64 rows of 1 MB: few rows, many bytes.
    code, error = await error_of(
        query(api, "SELECT repeat('x', 1048576) AS s FROM range(64)", maxRows=100)
    )
    assert code == 422 and error["reason"] == "too-large"
    assert "8 MB" in error["message"] and "max_result_bytes" in error["message"]
    # The limit is on bytes: the same rows, small, are answered.
    small = arrow(await query(api, "SELECT 'x' AS s FROM range(64)", maxRows=100))
    assert small.num_rows == 64


async def test_a_hundred_rows_of_100_mb_never_reach_the_server(api: Api) -> None:
    # DuckDB builds these strings in one of its vectors, beyond its memory_limit: the worker
    # process's own limit stops the query, and the server never holds them.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    code, error = await error_of(
        query(
            api,
            "SELECT repeat('x', 100000000) AS s FROM range(100)",
            maxRows=100,
            timeoutSeconds=300,
        )
    )
    assert code == 422 and error["reason"] == "too-large"
    assert "memory" in error["message"]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 256 * 2**10
    # The next query runs (on a fresh worker: the exhausted one ended).
    assert arrow(await query(api, "SELECT 1 AS x")).num_rows == 1


async def test_the_byte_limit_counts_only_the_rows_answered(api: Api) -> None:
    # A large result cut by its row limit to a few rows is answered.
    response = await query(api, "SELECT repeat('x', 1048576) AS s FROM range(64)", maxRows=2)
    assert arrow(response).num_rows == 2
    assert response.headers["X-Sentinel-Truncated"] == "true"


async def test_an_export_larger_than_its_byte_limit_writes_nothing(
    api: Api, jp_root_dir: Path
) -> None:
    body = {"sql": "SELECT repeat('x', 1048576) AS s FROM range(64)", "path": "big.parquet"}
    code, error = await error_of(api("workspaces", "demo", "export", method="POST", body=body))
    assert code == 422 and error["reason"] == "too-large"
    assert "max_export_bytes" in error["message"]
    assert not list(jp_root_dir.glob("*big.parquet*"))


async def test_sql_text_beyond_its_limit_is_refused_before_parsing(api: Api) -> None:
    values = ",".join(str(i) for i in range(20_000))  # about 110 KB
    code, error = await error_of(
        query(api, f"SELECT * FROM SigninLogs WHERE ResultType IN ({values})")
    )
    assert code == 413 and error["reason"] == "too-large"
    assert "65,536" in error["message"]


# Time limits


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('"timeoutSeconds": -5', "timeoutSeconds"),
        ('"timeoutSeconds": -0.5', "timeoutSeconds"),
        ('"timeoutSeconds": 0', "timeoutSeconds"),
        ('"timeoutSeconds": NaN', "timeoutSeconds"),
        ('"timeoutSeconds": Infinity', "timeoutSeconds"),
        ('"timeoutSeconds": 1e308', "timeoutSeconds"),
        ('"timeoutSeconds": 301', "timeoutSeconds"),
        ('"timeoutSeconds": "10"', "timeoutSeconds"),
        ('"timeoutSeconds": true', "timeoutSeconds"),
        ('"maxRows": 0', "maxRows"),
        ('"maxRows": -1', "maxRows"),
        ('"maxRows": 1.5', "maxRows"),
        ('"maxRows": NaN', "maxRows"),
        ('"maxRows": 1e300', "maxRows"),
        ('"maxRows": "10"', "maxRows"),
        ('"maxRows": true', "maxRows"),
    ],
)
@pytest.mark.parametrize("endpoint", ["query", "export"])
async def test_every_number_of_a_query_is_checked(
    api: Api, raw: str, field: str, endpoint: str
) -> None:
    if endpoint == "export" and field == "maxRows":
        return  # an export has no row limit
    text = f'{{"sql": "{ENDLESS}", "queryId": "{uuid.uuid4()}", "path": "x.parquet", {raw}}}'
    code, error = await error_of(api("workspaces", "demo", endpoint, method="POST", raw=text))
    assert code == 400 and error["reason"] == "bad-request"
    assert error["message"].startswith(field)
    assert (await running(api))["queries"] == []


@pytest.mark.parametrize(
    ("path", "arguments"),
    [
        (("results",), {"path": "r.parquet", "offset": "-1"}),
        (("results",), {"path": "r.parquet", "offset": "1e3"}),
        (("results",), {"path": "r.parquet", "offset": "99999999999999999999999"}),
        (("results",), {"path": "r.parquet", "offset": "1_000"}),
        (("results",), {"path": "r.parquet", "limit": "0"}),
        (("results",), {"path": "r.parquet", "limit": "NaN"}),
        (("loganalytics", "arrow"), {"maxRows": "NaN"}),
        (("loganalytics", "arrow"), {"maxRows": "-3"}),
        (("loganalytics", "arrow"), {"maxRows": "1e9999"}),
    ],
)
async def test_every_number_of_a_query_argument_is_checked(
    api: Api, path: tuple[str, ...], arguments: dict[str, str], jp_root_dir: Path
) -> None:
    await api(
        "workspaces",
        "demo",
        "export",
        method="POST",
        body={"sql": "SELECT 1 AS x", "path": "r.parquet"},
    )
    method = "POST" if path[0] == "loganalytics" else "GET"
    body = {"raw": "{}"} if method == "POST" else {}
    code, error = await error_of(api(*path, method=method, params=arguments, **body))
    assert code == 400 and error["reason"] == "bad-request"
    assert error["message"].startswith(next(iter(k for k in arguments if k != "path")))


@pytest.mark.parametrize("seconds", [0.001, 0.01, 0.2])
async def test_no_time_limit_is_too_short_to_hold(api: Api, seconds: float) -> None:
    # The limit can pass before DuckDB has started the statement: its interrupt must not be lost.
    code, error = await asyncio.wait_for(
        error_of(query(api, ENDLESS, timeoutSeconds=seconds)), timeout=60
    )
    assert code == 422 and error["reason"] == "timeout"
    assert (await running(api))["queries"] == []


async def test_the_time_limit_covers_planning(api: Api) -> None:
    # Just under the text limit, a long IN list takes a while to bind, which no interrupt stops:
    # the query still ends with its time limit, not with a result.
    values = ",".join(f"'{i}'" for i in range(7_000))
    sql = f"SELECT count(*) FROM range(100000000000) a WHERE a::VARCHAR IN ({values})"
    code, error = await asyncio.wait_for(error_of(query(api, sql, timeoutSeconds=0.05)), timeout=60)
    assert code == 422 and error["reason"] == "timeout"


async def test_a_timed_out_query_is_not_answered_with_a_status_browsers_resend(api: Api) -> None:
    started = (await running(api))["started"]
    code, error = await error_of(query(api, ENDLESS, timeoutSeconds=0.3))
    # Chromium resends a request answered 408 on a reused connection; proxies resend 502-504.
    assert code not in (408, 502, 503, 504) and 400 <= code < 500
    assert error == {"message": "The query ran past its time limit of 0.3 s", "reason": "timeout"}
    assert (await running(api))["started"] == started + 1


# Starvation


async def test_long_queries_never_keep_the_sidebar_waiting(api: Api) -> None:
    ids = [str(uuid.uuid4()) for _ in range(6)]
    queries = [start(api, ENDLESS, query_id, timeoutSeconds=300) for query_id in ids]
    try:
        # Four run (the default number of query workers) and two wait, visibly.
        while len((await running(api))["queries"]) < 4:
            await asyncio.sleep(0.05)
        status = await running(api)
        assert (status["workers"], status["running"], status["queued"]) == (4, 4, 2)
        listed = await api("workspaces")
        schema = await api("workspaces", "demo", "schema")
        bookmarks = await api("workspaces", "demo", "bookmarks")
        templates = await api("templates")
        assert all(r.code == 200 for r in (listed, schema, bookmarks, templates))
        # Everything above answered while all six queries were still running or waiting.
        assert not any(q.done() for q in queries)
    finally:
        for query_id in ids:
            await api("queries", query_id, method="DELETE")
    for future in queries:
        code, error = await error_of(future)
        assert code == 400 and error["reason"] == "cancelled"


async def test_a_query_that_waited_says_so(api: Api) -> None:
    response = await query(api, "SELECT 1 AS x")
    assert float(response.headers["X-Sentinel-Queued-Ms"]) >= 0


class TestBeyondCapacity:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        jp_server_config["SentinelConfig"].update({"query_workers": 1, "query_queue": 1})
        return jp_server_config

    async def test_queries_beyond_capacity_are_refused_with_a_retry_hint(self, api: Api) -> None:
        first, second = str(uuid.uuid4()), str(uuid.uuid4())
        queries = [start(api, ENDLESS, first, timeoutSeconds=300)]
        await until_running(api, {first})
        queries.append(start(api, ENDLESS, second, timeoutSeconds=300))
        while (await running(api))["queued"] < 1:
            await asyncio.sleep(0.05)
        with pytest.raises(HTTPClientError) as info:
            await query(api, "SELECT 1 AS x")
        assert info.value.code == 503 and info.value.response is not None
        assert info.value.response.headers["Retry-After"] == "5"
        assert json.loads(info.value.response.body)["reason"] == "busy"
        # The waiting query can be cancelled before it starts; then the running one.
        await api("queries", second, method="DELETE")
        await api("queries", first, method="DELETE")
        for future in queries:
            code, error = await error_of(future)
            assert code == 400 and error["reason"] == "cancelled"
        assert arrow(await query(api, "SELECT 1 AS x")).num_rows == 1


# The client goes away


async def test_a_query_whose_client_goes_away_is_cancelled(
    api: Api, jp_base_url: str, jp_http_port: int, jp_auth_header: dict[str, str]
) -> None:
    query_id = str(uuid.uuid4())
    body = json.dumps({"sql": ENDLESS, "queryId": query_id, "timeoutSeconds": 300}).encode()
    path = urlsplit(f"{jp_base_url}sentinel/api/workspaces/demo/query").path
    headers = "".join(f"{k}: {v}\r\n" for k, v in jp_auth_header.items())
    _reader, writer = await asyncio.open_connection("127.0.0.1", jp_http_port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    await until_running(api, {query_id})
    writer.close()  # the tab is closed
    await writer.wait_closed()

    async def gone() -> None:
        while query_id in {q["queryId"] for q in (await running(api))["queries"]}:
            await asyncio.sleep(0.05)

    # Long before its limit of 300 s.
    await asyncio.wait_for(gone(), timeout=60)


# The spill folder


async def test_each_server_spills_to_a_private_capped_folder(
    api: Api, jp_server_config: dict[str, Any]
) -> None:
    spill = Path(jp_server_config["SentinelConfig"]["spill_dir"])
    table = arrow(
        await query(
            api,
            "SELECT current_setting('temp_directory') AS folder, "
            "current_setting('max_temp_directory_size') AS size",
        )
    )
    folder = Path(table.column("folder")[0].as_py())
    # The server's folder, the query worker's inside it, the workspace's inside that.
    parts = folder.relative_to(spill).parts
    assert parts[0].startswith("sentinel-spill-") and len(parts) == 3
    for depth in range(1, 4):
        assert stat.S_IMODE((spill / Path(*parts[:depth])).stat().st_mode) == 0o700
    assert table.column("size")[0].as_py() in ("95.3 MiB", "100.0 MB")


async def test_the_server_stopping_removes_its_spill_folder_and_workers(
    api: Api, jp_server_config: dict[str, Any], jp_serverapp: Any
) -> None:
    spill = Path(jp_server_config["SentinelConfig"]["spill_dir"])
    await query(api, "SELECT 1 AS x")
    assert [p.name[:15] for p in spill.iterdir()] == ["sentinel-spill-"]
    assert any(p.name == "sentinel-query-worker" for p in multiprocessing.active_children())
    await jp_serverapp.cleanup_extensions()  # what the server does when it stops
    assert list(spill.iterdir()) == []
    assert not any(p.name == "sentinel-query-worker" for p in multiprocessing.active_children())
