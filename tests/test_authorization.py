"""Jupyter's authorizer decides who may read and who may write through the extension: every
handler declares the action it takes on the ``sentinel`` resource."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.auth import Authorizer

from .test_api import arrow, error_of, query

Api = Callable[..., Any]


class ReadOnlyAuthorizer(Authorizer):
    """A deployment's read-only user: may read anything, may write nothing of the extension."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return not (resource == "sentinel" and action != "read")


class NoSentinelAuthorizer(Authorizer):
    """A user allowed the rest of Jupyter but not this extension."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != "sentinel"


def with_authorizer(config: dict[str, Any], authorizer: type[Authorizer]) -> dict[str, Any]:
    config["ServerApp"]["authorizer_class"] = authorizer
    return config


BOOKMARK = {"displayName": "Spray from 203.0.113.7", "query": "SigninLogs | take 1"}

#: Requests that write (a file, a setting, a bookmark), each with its body.
WRITES: list[tuple[str, tuple[str, ...], Any]] = [
    ("PUT", ("workspaces",), {"workspaces": [{"name": "Logs", "path": "logs"}]}),
    ("POST", ("workspaces", "demo", "export"), {"sql": "SELECT 1 AS x", "path": "out.parquet"}),
    ("POST", ("workspaces", "demo", "bookmarks"), BOOKMARK),
    ("PUT", ("workspaces", "demo", "bookmarks", str(uuid.uuid4())), BOOKMARK),
    ("DELETE", ("workspaces", "demo", "bookmarks", str(uuid.uuid4())), None),
    ("PUT", ("templates",), {"folders": []}),
    ("PUT", ("hunts",), {"github": []}),
    ("POST", ("templates", "package", "account-investigation.ipynb", "clone"), {"folder": ""}),
    ("POST", ("loganalytics", "export"), {"tables": []}),
]


class TestReadOnlyUser:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        return with_authorizer(jp_server_config, ReadOnlyAuthorizer)

    async def test_reads_and_queries(self, api: Api) -> None:
        assert json.loads((await api("workspaces")).body)["workspaces"][0]["id"] == "demo"
        assert json.loads((await api("workspaces", "demo", "schema")).body)["tables"]
        assert json.loads((await api("workspaces", "demo", "bookmarks")).body) == {"bookmarks": []}
        assert json.loads((await api("templates")).body)["sources"]
        assert arrow(await query(api, "SELECT 1 AS x")).num_rows == 1
        assert json.loads((await api("queries")).body)["queries"] == []

    @pytest.mark.parametrize(("method", "path", "body"), WRITES, ids=lambda v: str(v)[:40])
    async def test_cannot_write(
        self, api: Api, jp_root_dir: Path, method: str, path: tuple[str, ...], body: Any
    ) -> None:
        before = sorted(p.relative_to(jp_root_dir) for p in jp_root_dir.rglob("*"))
        extra = {"params": {"path": "la.parquet"}} if path[0] == "loganalytics" else {}
        code, error = await error_of(api(*path, method=method, body=body, **extra))
        assert code == 403 and error["reason"] == "forbidden"
        assert "not authorized to write" in error["message"]
        assert sorted(p.relative_to(jp_root_dir) for p in jp_root_dir.rglob("*")) == before
        assert json.loads((await api("workspaces", "demo", "bookmarks")).body) == {"bookmarks": []}


class TestUserWithoutTheExtension:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        return with_authorizer(jp_server_config, NoSentinelAuthorizer)

    @pytest.mark.parametrize(
        "path",
        [
            ("workspaces",),
            ("workspaces", "demo", "schema"),
            ("templates",),
            ("hunts",),
            ("queries",),
        ],
    )
    async def test_cannot_read(self, api: Api, path: tuple[str, ...]) -> None:
        code, error = await error_of(api(*path))
        assert code == 403 and error["reason"] == "forbidden"

    async def test_cannot_query(self, api: Api) -> None:
        code, error = await error_of(query(api, "SELECT 1 AS x"))
        assert code == 403 and "not authorized to read" in error["message"]

    async def test_the_sign_in_page_stays_open(self, jp_fetch: Any) -> None:
        # MSAL's redirect bridge holds no data and is served without login, by design.
        response = await jp_fetch("sentinel", "auth", "redirect", headers={"Authorization": ""})
        assert response.code == 200
