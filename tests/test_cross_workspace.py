"""Cross-workspace queries on local workspaces, through a real Jupyter server: one database
reads the folders of the query's workspaces, and no other."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tornado.httpclient import HTTPClientError

from .conftest import write_workspace

Api = Callable[..., Any]


async def configure(api: Api, jp_root_dir: Path) -> Path:
    """Three local workspaces: `hunt-a` and `hunt-b` (same tables), `private` (its own)."""
    write_workspace(jp_root_dir / "a")
    write_workspace(jp_root_dir / "b")
    (jp_root_dir / "b" / "OnlyB.csv").write_text("TenantId,Note\nfrom-the-file,kept\n")
    private = jp_root_dir / "private"
    private.mkdir()
    pq.write_table(pa.table({"secret": ["do not read"]}), private / "Secrets.parquet")
    folders = [
        {"name": "Hunt A", "path": "a"},
        {"name": "Hunt B", "path": "b"},
        {"name": "Private", "path": "private"},
    ]
    await api("workspaces", method="PUT", body={"workspaces": folders})
    return private


async def query(api: Api, sql: str, workspaces: Any, workspace: str = "hunt-a") -> pa.Table:
    body = {"sql": sql, "queryId": str(uuid.uuid4()), "workspaces": workspaces}
    response = await api("workspaces", workspace, "query", method="POST", body=body)
    return pa.ipc.open_stream(response.body).read_all()


async def error_of(call: Any) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HTTPClientError) as info:
        await call
    assert info.value.response is not None
    return info.value.code, json.loads(info.value.response.body)


async def test_a_table_is_the_union_of_the_workspaces_with_tenant_id_naming_each(
    api: Api, jp_root_dir: Path
) -> None:
    await configure(api, jp_root_dir)
    table = await query(
        api,
        'SELECT "TenantId", count(*) AS n FROM "SigninLogs" GROUP BY 1 ORDER BY 1',
        ["hunt-b"],
    )
    assert table.to_pylist() == [{"TenantId": "hunt-a", "n": 50}, {"TenantId": "hunt-b", "n": 50}]


async def test_one_workspace_s_table_is_its_own_view(api: Api, jp_root_dir: Path) -> None:
    await configure(api, jp_root_dir)
    # A table only one workspace has is still the union's, and its TenantId is the workspace's
    # id, in place of the file's (as Log Analytics fills it).
    table = await query(
        api,
        'SELECT (SELECT count(*) FROM "hunt-b.SecurityEvent") AS b, '
        '(SELECT count(*) FROM "hunt-a.SecurityEvent") AS a, '
        '(SELECT "TenantId" || \'/\' || "Note" FROM "OnlyB") AS only_b',
        ["hunt-b"],
    )
    assert table.to_pylist() == [{"b": 30, "a": 30, "only_b": "hunt-b/kept"}]


async def test_a_query_on_one_workspace_is_unchanged(api: Api, jp_root_dir: Path) -> None:
    await configure(api, jp_root_dir)
    table = await query(api, 'SELECT "TenantId", "Note" FROM "OnlyB"', [], workspace="hunt-b")
    assert table.to_pylist() == [{"TenantId": "from-the-file", "Note": "kept"}]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_parquet('{private}/Secrets.parquet')",
        "SELECT * FROM read_parquet('{private}/*.parquet')",
    ],
)
async def test_a_third_workspace_s_folder_is_not_readable(
    api: Api, jp_root_dir: Path, sql: str
) -> None:
    private = await configure(api, jp_root_dir)
    code, error = await error_of(query(api, sql.format(private=private), ["hunt-b"]))
    assert code == 403
    assert error["reason"] == "forbidden"
    assert "do not read" not in json.dumps(error)


async def test_a_third_workspace_s_tables_are_not_views(api: Api, jp_root_dir: Path) -> None:
    await configure(api, jp_root_dir)
    code, error = await error_of(query(api, 'SELECT * FROM "private.Secrets"', ["hunt-b"]))
    assert code == 400
    assert error["reason"] == "sql-error"


async def test_an_unknown_workspace_is_a_json_404(api: Api, jp_root_dir: Path) -> None:
    await configure(api, jp_root_dir)
    code, error = await error_of(query(api, "SELECT 1", ["hunt-b", "nope"]))
    assert (code, error) == (404, {"message": "No workspace 'nope'", "reason": "not-found"})


@pytest.mark.parametrize("workspaces", ["hunt-b", [1], [""]])
async def test_workspaces_must_be_a_list_of_ids(
    api: Api, jp_root_dir: Path, workspaces: Any
) -> None:
    await configure(api, jp_root_dir)
    code, error = await error_of(query(api, "SELECT 1", workspaces))
    assert code == 400
    assert error["message"] == "workspaces must be a list of workspace ids"


async def test_export_writes_the_rows_of_every_workspace(api: Api, jp_root_dir: Path) -> None:
    await configure(api, jp_root_dir)
    body = {
        "sql": 'SELECT "TenantId", "SearchKey" FROM "Watchlist" ORDER BY 1, 2',
        "path": "results/both.parquet",
        "workspaces": ["hunt-b"],
    }
    await api("workspaces", "hunt-a", "export", method="POST", body=body)
    rows = pq.read_table(jp_root_dir / "results" / "both.parquet").to_pylist()
    assert rows == [
        {"TenantId": "hunt-a", "SearchKey": "alice"},
        {"TenantId": "hunt-a", "SearchKey": "bob"},
        {"TenantId": "hunt-b", "SearchKey": "alice"},
        {"TenantId": "hunt-b", "SearchKey": "bob"},
    ]


class TestInQueryWorkers:
    """The same queries in the sandbox's worker processes, which run them on their own lake."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        jp_server_config["SentinelConfig"]["query_memory"] = 3 * 2**29
        return jp_server_config

    async def test_one_worker_reads_both_workspaces(self, api: Api, jp_root_dir: Path) -> None:
        await configure(api, jp_root_dir)
        table = await query(
            api, 'SELECT DISTINCT "TenantId" FROM "Watchlist" ORDER BY 1', ["hunt-b"]
        )
        assert table.column("TenantId").to_pylist() == ["hunt-a", "hunt-b"]

    async def test_nor_does_a_worker_read_a_third_folder(self, api: Api, jp_root_dir: Path) -> None:
        private = await configure(api, jp_root_dir)
        sql = f"SELECT * FROM read_parquet('{private}/Secrets.parquet')"
        code, error = await error_of(query(api, sql, ["hunt-b"]))
        assert (code, error["reason"]) == (403, "forbidden")
