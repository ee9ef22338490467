"""Batches through the REST API: a query of several tabular statements (``A; B``) exports one
Parquet file per statement in one request, as Kusto answers one table per statement."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_sentinel.errors import Cancelled
from jupyterlab_sentinel.lake import BatchStatement, Lake

from .conftest import write_workspace

Api = Callable[..., Any]

#: A query that runs for minutes unless something stops it.
ENDLESS = "SELECT count(*) AS n FROM range(100000000000) a"


async def export_batch(api: Api, statements: list[dict[str, Any]]) -> Any:
    body = {"statements": statements, "queryId": str(uuid.uuid4())}
    return await api("workspaces", "demo", "export", method="POST", body=body)


async def error_of(call: Any) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HTTPClientError) as info:
        await call
    assert info.value.response is not None
    return info.value.code, json.loads(info.value.response.body)


async def test_a_batch_writes_one_file_per_statement(api: Api, jp_root_dir: Path) -> None:
    response = await export_batch(
        api,
        [
            {"sql": "SELECT count(*) AS Count FROM SigninLogs", "path": "results/n.parquet"},
            {
                "sql": "SELECT UserPrincipalName FROM SigninLogs ORDER BY TimeGenerated LIMIT 5",
                "path": "results/n_1.parquet",
            },
        ],
    )
    tables = json.loads(response.body)["tables"]
    assert [t["path"] for t in tables] == ["results/n.parquet", "results/n_1.parquet"]
    assert [t["rowCount"] for t in tables] == [1, 5]
    assert tables[0]["columns"] == [{"name": "Count", "type": "long"}]
    assert pd.read_parquet(jp_root_dir / "results" / "n.parquet")["Count"].tolist() == [50]
    second = pd.read_parquet(jp_root_dir / "results" / "n_1.parquet")
    assert second["UserPrincipalName"].tolist()[:2] == [
        "user0@contoso.example",
        "user1@contoso.example",
    ]


async def test_an_error_names_its_statement(api: Api) -> None:
    code, error = await error_of(
        export_batch(
            api,
            [
                {"sql": "SELECT 1 AS x", "path": "results/ok.parquet"},
                {"sql": "SELECT nope FROM SigninLogs", "path": "results/bad.parquet"},
            ],
        )
    )
    assert code == 400
    assert error["message"].startswith("Statement 2 of 2: ")


async def test_every_statement_is_read_only(api: Api, jp_root_dir: Path) -> None:
    code, error = await error_of(
        export_batch(
            api,
            [
                {"sql": "SELECT 1 AS x", "path": "results/one.parquet"},
                {"sql": "COPY (SELECT 1) TO 'x.csv'", "path": "results/two.parquet"},
            ],
        )
    )
    assert code == 403 and error["reason"] == "read-only"
    assert not (jp_root_dir / "x.csv").exists()
    assert not (jp_root_dir / "results" / "two.parquet").exists()


@pytest.mark.parametrize(
    "statements",
    [[], "SELECT 1", [{"sql": "SELECT 1"}], [{"sql": 1, "path": "a.parquet"}], ["SELECT 1"]],
)
async def test_a_malformed_batch_is_refused(api: Api, statements: Any) -> None:
    code, error = await error_of(export_batch(api, statements))
    assert code == 400 and error["reason"] == "bad-request"


class TestInQueryWorkers:
    """The same batch in the sandbox: one worker runs every statement, one cancel stops it."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        jp_server_config["SentinelConfig"]["query_memory"] = 3 * 2**29
        return jp_server_config

    async def test_a_batch_runs_in_one_worker(self, api: Api, jp_root_dir: Path) -> None:
        response = await export_batch(
            api,
            [
                {"sql": "SELECT 1 AS x", "path": "results/a.parquet"},
                {"sql": "SELECT Computer FROM Syslog", "path": "results/a_1.parquet"},
            ],
        )
        assert [t["rowCount"] for t in json.loads(response.body)["tables"]] == [1, 4]
        assert len(pd.read_parquet(jp_root_dir / "results" / "a_1.parquet")) == 4

    async def test_one_cancel_stops_the_batch(self, api: Api, jp_root_dir: Path) -> None:
        query_id = str(uuid.uuid4())
        body = {
            "queryId": query_id,
            "statements": [
                {"sql": "SELECT 1 AS x", "path": "results/c.parquet"},
                {"sql": ENDLESS, "path": "results/c_1.parquet"},
                {"sql": "SELECT 2 AS y", "path": "results/c_2.parquet"},
            ],
        }
        batch = asyncio.ensure_future(api("workspaces", "demo", "export", method="POST", body=body))
        while not (jp_root_dir / "results" / "c.parquet").exists():
            await asyncio.sleep(0.05)
        await api("queries", query_id, method="DELETE")
        code, error = await error_of(batch)
        assert code == 400 and error["reason"] == "cancelled"
        assert not (jp_root_dir / "results" / "c_2.parquet").exists()


def test_a_cancel_between_two_statements_stops_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the server process, a cancel that comes while no statement runs (the first has ended,
    the next has not started) still stops the batch."""
    demo = write_workspace(tmp_path / "demo")
    (demo / "_generated.json").write_text("{}")
    lake = Lake(root_dir=tmp_path, demo_path=demo)
    query_id = str(uuid.uuid4())
    export_statement = lake._export_statement

    def then_cancel(*args: Any) -> dict[str, object]:
        written = export_statement(*args)
        lake.cancel(query_id)
        return written

    monkeypatch.setattr(lake, "_export_statement", then_cancel)
    try:
        with pytest.raises(Cancelled):
            lake.export_batch(
                "demo",
                [
                    BatchStatement("SELECT 1 AS x", "results/a.parquet"),
                    BatchStatement("SELECT 2 AS y", "results/a_1.parquet"),
                ],
                query_id,
            )
    finally:
        lake.close()
    assert (tmp_path / "results" / "a.parquet").exists()
    assert not (tmp_path / "results" / "a_1.parquet").exists()
