"""Malformed requests answer 400 with a message, never 500; a workspace or template folder
holding a link to a file outside lists everything else and names the refused entry."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from .test_api import error_of
from .test_templates import SPRAY, markdown, notebook

Api = Callable[..., Any]

BOOKMARK = "00000000-0000-4000-8000-000000000001"
NESTED = "[" * 100_000 + "]" * 100_000

#: Every endpoint that reads a JSON body: method and path.
ENDPOINTS = [
    ("PUT", ("workspaces",)),
    ("POST", ("workspaces", "demo", "query")),
    ("POST", ("workspaces", "demo", "export")),
    ("POST", ("workspaces", "demo", "bookmarks")),
    ("PUT", ("workspaces", "demo", "bookmarks", BOOKMARK)),
    ("PUT", ("templates",)),
    ("POST", ("templates", "package", "account-investigation.ipynb", "clone")),
]

#: Bodies no endpoint accepts: not JSON, not an object, or nested beyond reason.
MALFORMED = [
    NESTED,
    '{"a": ' * 50_000 + "1" + "}" * 50_000,
    '{"sql": ',
    "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"),
    "[]",
    "null",
    '"text"',
    "1e999",
]

#: Objects with fields of the wrong type or shape, per endpoint.
WRONG_FIELDS: dict[tuple[str, ...], list[dict[str, Any]]] = {
    ("workspaces",): [
        {"workspaces": "logs"},
        {"workspaces": [["logs"]]},
        {"workspaces": [{"name": {"a": 1}, "path": ["x"]}]},
        {"workspaces": [{"name": "", "path": ""}]},
    ],
    ("workspaces", "demo", "query"): [
        {"sql": ["SELECT 1"], "queryId": "q"},
        {"sql": "SELECT 1", "queryId": {"id": 1}},
        {"sql": "SELECT 1", "queryId": "q", "externalData": "x"},
        {"sql": "SELECT 1", "queryId": "q", "externalData": [1]},
        {"sql": "SELECT 1", "queryId": "q", "externalData": [{"relation": []}]},
        {
            "sql": "SELECT 1",
            "queryId": "q",
            "externalData": [
                {
                    "relation": "__externaldata_1",
                    "uris": ["https://example.com/a.csv"],
                    "format": "csv",
                    "columns": [{"name": "a", "type": {"t": 1}}],
                }
            ],
        },
        {
            "sql": "SELECT 1",
            "queryId": "q",
            "externalData": [
                {
                    "relation": "__externaldata_1",
                    "uris": ["https://example.com/a.csv"],
                    "format": ["csv"],
                    "columns": [],
                }
            ],
        },
    ],
    ("workspaces", "demo", "export"): [
        {"sql": "SELECT 1", "path": 5},
        {"sql": "SELECT 1", "path": "x.parquet", "queryId": 7},
        {"sql": "SELECT 1", "path": ["x.parquet"]},
        {"sql": "SELECT 1", "path": "x.parquet\u0000.parquet"},
    ],
    ("workspaces", "demo", "bookmarks"): [
        {"displayName": {"a": 1}},
        {"displayName": "b", "labels": "x"},
        {"displayName": "b", "labels": [{"a": 1}]},
        {"displayName": "b", "eventTime": 5},
        {"displayName": "b", "eventTime": "yesterday"},
        {"displayName": "b", "entityMappings": "x"},
        {"displayName": "b", "entityMappings": [1]},
        {"displayName": "b", "entityMappings": [{"fieldMappings": "x"}]},
        {"displayName": "b", "id": 5},
        {"displayName": "b", "incidentInfo": 5},
        {"displayName": "b", "tactics": [1, [2]]},
    ],
    ("workspaces", "demo", "bookmarks", BOOKMARK): [{"displayName": ["b"]}],
    ("templates",): [
        {"folders": "x"},
        {"folders": [{"name": [], "path": {}}]},
        {"github": [{"owner": ["a"], "repo": 1}]},
        {"github": "x"},
    ],
    ("templates", "package", "account-investigation.ipynb", "clone"): [
        {"folder": 5},
        {"folder": "", "name": ["a"]},
        {"folder": "", "overwrite": "yes"},
        {"folder": "\u0000"},
        {"folder": "", "name": "a/../../b.ipynb"},
    ],
}


async def answer_of(call: Any) -> tuple[int, Any]:
    try:
        response = await call
    except HTTPClientError as error:
        assert error.response is not None
        return error.code, json.loads(error.response.body)
    return response.code, json.loads(response.body or b"null")


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("raw", MALFORMED, ids=range(len(MALFORMED)))
async def test_a_malformed_body_is_a_400_with_a_message(
    api: Api, method: str, path: tuple[str, ...], raw: str
) -> None:
    code, error = await error_of(api(*path, method=method, raw=raw))
    assert code in (400, 413)
    assert error["reason"] in ("bad-request", "too-large")
    assert error["message"]


@pytest.mark.parametrize(
    ("path", "body"),
    [(path, body) for path, bodies in WRONG_FIELDS.items() for body in bodies],
    ids=lambda value: json.dumps(value)[:60] if isinstance(value, dict) else "/".join(value),
)
async def test_fields_of_the_wrong_type_are_a_4xx_with_a_message(
    api: Api, path: tuple[str, ...], body: dict[str, Any]
) -> None:
    method = dict((p, m) for m, p in ENDPOINTS)[path]
    if "queryId" in body and body["queryId"] == "q":
        body = {**body, "queryId": str(uuid.uuid4())}
    code, answer = await answer_of(api(*path, method=method, body=body))
    if code < 300:
        return  # taken as something sensible (a name made text), never a crash
    assert 400 <= code < 500, answer
    assert answer["message"] and answer["reason"] != "internal"


async def test_a_link_out_of_a_workspace_leaves_its_other_tables_listed(
    api: Api, jp_server_config: dict[str, Any]
) -> None:
    demo = Path(jp_server_config["SentinelConfig"]["demo_path"])
    outside = demo.parent / "Secret.csv"
    outside.write_text("password\nhunter2\n")
    os.symlink(outside, demo / "Secret.csv")
    body = json.loads((await api("workspaces", "demo", "schema")).body)
    names = {t["name"] for t in body["tables"]}
    assert {"SigninLogs", "SecurityEvent", "Watchlist", "Syslog"} <= names
    assert "Secret" not in names
    assert body["problems"] == [
        {"name": "Secret.csv", "message": "It links to a file outside the workspace folder"}
    ]
    code, error = await error_of(
        api(
            "workspaces",
            "demo",
            "query",
            method="POST",
            body={"sql": 'SELECT * FROM "Secret"', "queryId": str(uuid.uuid4())},
        )
    )
    assert code == 400 and "hunter2" not in json.dumps(error)


async def test_a_link_out_of_a_template_folder_is_not_read_when_listing(
    api: Api, jp_root_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "private.ipynb").write_text(
        notebook([markdown("# Private")], {**SPRAY, "title": "Private case notes"})
    )
    folder = jp_root_dir / "hunts"
    folder.mkdir()
    (folder / "spray.ipynb").write_text(notebook([markdown("# Spray")], SPRAY))
    os.symlink(outside / "private.ipynb", folder / "private.ipynb")
    body = json.loads(
        (
            await api(
                "templates", method="PUT", body={"folders": [{"name": "Hunts", "path": "hunts"}]}
            )
        ).body
    )
    source = next(s for s in body["sources"] if s["id"] == "hunts")
    assert [t["id"] for t in source["templates"]] == ["spray.ipynb"]
    assert "Private case notes" not in json.dumps(body)
    assert source["problems"] == [
        {"id": "private.ipynb", "message": "It links outside the template folder"}
    ]
