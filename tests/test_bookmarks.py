"""Local bookmarks: the REST API, the HuntingBookmark table, concurrent writers and crashes."""

from __future__ import annotations

import getpass
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from jupyter_server.auth import User

from jupyterlab_sentinel.bookmarks import BookmarkStore, author
from jupyterlab_sentinel.lake import reads_table

from .conftest import write_workspace
from .test_api import error_of


def bookmark(**extra: Any) -> dict[str, Any]:
    return {
        "displayName": "Spray from 203.0.113.42",
        "query": "SigninLogs | where IPAddress == '203.0.113.42'",
        "notes": "Many accounts, one address",
        "labels": ["spray", "credential-access"],
        "eventTime": "2026-10-01T04:41:07Z",
        "queryStartTime": "2026-09-30T00:00:00Z",
        "queryEndTime": "2026-10-02T00:00:00Z",
        "entityMappings": [
            {"entityType": "Account", "fieldMappings": [{"identifier": "FullName", "value": "a@b"}]}
        ],
        "tactics": ["CredentialAccess"],
        **extra,
    }


async def test_create_get_update_list_delete(api: Any) -> None:
    created = await api("workspaces", "demo", "bookmarks", method="POST", body=bookmark())
    assert created.code == 201
    first = json.loads(created.body)
    assert first["labels"] == ["spray", "credential-access"] and first["createdBy"]["name"]
    second = json.loads(
        (
            await api(
                "workspaces", "demo", "bookmarks", method="POST", body=bookmark(displayName="Two")
            )
        ).body
    )
    listed = json.loads((await api("workspaces", "demo", "bookmarks")).body)["bookmarks"]
    assert [b["id"] for b in listed] == [second["id"], first["id"]]

    updated = json.loads(
        (
            await api(
                "workspaces",
                "demo",
                "bookmarks",
                first["id"],
                method="PUT",
                body=bookmark(notes="confirmed"),
            )
        ).body
    )
    assert updated["notes"] == "confirmed" and updated["created"] == first["created"]
    got = json.loads((await api("workspaces", "demo", "bookmarks", first["id"])).body)
    assert got["notes"] == "confirmed"

    await api("workspaces", "demo", "bookmarks", first["id"], method="DELETE")
    code, error = await error_of(api("workspaces", "demo", "bookmarks", first["id"]))
    assert code == 404 and error["reason"] == "not-found"


async def test_posting_the_same_id_twice_creates_one(api: Any) -> None:
    body = bookmark(id=str(uuid.uuid4()))
    first = await api("workspaces", "demo", "bookmarks", method="POST", body=body)
    again = await api("workspaces", "demo", "bookmarks", method="POST", body=body)
    assert (first.code, again.code) == (201, 200)
    listed = json.loads((await api("workspaces", "demo", "bookmarks")).body)["bookmarks"]
    assert [b["id"] for b in listed] == [body["id"]]


async def test_bad_bookmarks_are_refused_clearly(api: Any) -> None:
    code, error = await error_of(
        api("workspaces", "demo", "bookmarks", method="POST", body={"displayName": " "})
    )
    assert code == 400 and "displayName" in error["message"]
    code, error = await error_of(
        api("workspaces", "demo", "bookmarks", method="POST", body=bookmark(labels="x"))
    )
    assert code == 400 and "labels" in error["message"]


async def test_bookmarks_are_the_hunting_bookmark_table(api: Any) -> None:
    created = json.loads(
        (await api("workspaces", "demo", "bookmarks", method="POST", body=bookmark())).body
    )
    await api("workspaces", "demo", "bookmarks", created["id"], method="DELETE")
    schema = json.loads((await api("workspaces", "demo", "schema")).body)
    table = next(t for t in schema["tables"] if t["name"] == "HuntingBookmark")
    assert table["category"] == "Sentinel" and table["rowCount"] == 2
    assert {"name": "SoftDeleted", "type": "bool"} in table["columns"]

    body = {
        "sql": "SELECT BookmarkName, Tags, SoftDeleted, EventTime FROM HuntingBookmark "
        "ORDER BY TimeGenerated",
        "queryId": str(uuid.uuid4()),
    }
    response = await api("workspaces", "demo", "query", method="POST", body=body)
    rows = pa.ipc.open_stream(response.body).read_all().to_pylist()
    assert [r["SoftDeleted"] for r in rows] == [False, True]
    assert rows[0]["BookmarkName"] == "Spray from 203.0.113.42"
    assert json.loads(rows[0]["Tags"]) == ["spray", "credential-access"]
    assert rows[0]["EventTime"].isoformat() == "2026-10-01T04:41:07"


def _write_many(path: str, worker: int, count: int) -> None:
    store = BookmarkStore(Path(path))
    for i in range(count):
        store.create(bookmark(displayName=f"w{worker}-{i}"), f"worker{worker}")


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    BookmarkStore(path)
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_write_many, args=(str(path), w, 25)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
        assert p.exitcode == 0
    names = {b["displayName"] for b in BookmarkStore(path).list()}
    assert names == {f"w{w}-{i}" for w in range(4) for i in range(25)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    demo = tmp_path / "demo"
    if not demo.exists():
        write_workspace(demo)
        (demo / "_generated.json").write_text("{}")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=secret",
            "--ServerApp.allow_root=True",
            f"--ServerApp.root_dir={tmp_path}",
            "--ServerApp.jpserver_extensions=jupyterlab_sentinel=True",
            f"--SentinelConfig.demo_path={demo}",
            f"--SentinelConfig.bookmarks_dir={tmp_path / 'bookmarks'}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
    )


def _call(port: int, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sentinel/api/{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "token secret", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            _call(port, "workspaces")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_an_acknowledged_bookmark_survives_kill_9(tmp_path: Path) -> None:
    port = _free_port()
    server = _start_server(tmp_path, port)
    try:
        _wait_ready(port)
        created = _call(port, "workspaces/demo/bookmarks", bookmark(displayName="before the crash"))
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
        server = _start_server(tmp_path, port)
        _wait_ready(port)
        listed = _call(port, "workspaces/demo/bookmarks")["bookmarks"]
        assert [b["id"] for b in listed] == [created["id"]]
        assert listed[0]["displayName"] == "before the crash"
    finally:
        server.kill()
        server.wait(10)


async def test_the_author_is_the_jupyter_user_never_an_anonymous_name(api: Any) -> None:
    created = json.loads(
        (await api("workspaces", "demo", "bookmarks", method="POST", body=bookmark())).body
    )
    # The test server is signed into with its token: Jupyter's user is a made-up "Anonymous …".
    assert created["createdBy"] == {"name": getpass.getuser()}
    updated = json.loads(
        (
            await api(
                "workspaces", "demo", "bookmarks", created["id"], method="PUT", body=bookmark()
            )
        ).body
    )
    assert updated["updatedBy"] == {"name": getpass.getuser()}


def test_a_named_jupyter_user_is_recorded_by_name() -> None:
    hub_user = User(username="adele", name="adele", display_name="Adele Vance")
    anonymous = User(username=uuid.uuid4().hex, name="Anonymous Io", display_name="Anonymous Io")

    assert author(hub_user) == "Adele Vance"
    assert author(anonymous) == getpass.getuser()


async def test_a_linked_incident_is_kept_with_its_title(api: Any) -> None:
    incident = {"incidentId": "1042", "title": "Multi-stage attack", "severity": "High"}
    body = bookmark(incidentInfo=incident)
    created = json.loads(
        (await api("workspaces", "demo", "bookmarks", method="POST", body=body)).body
    )
    listed = json.loads((await api("workspaces", "demo", "bookmarks")).body)["bookmarks"]
    assert created["incidentInfo"] == incident
    assert [b["incidentInfo"] for b in listed if b["id"] == created["id"]] == [incident]


@pytest.mark.parametrize(
    ("sql", "reads"),
    [
        ("SELECT * FROM HuntingBookmark", True),
        ('WITH a AS (SELECT * FROM "huntingbookmark") SELECT * FROM a', True),
        ("SELECT * FROM x WHERE y IN (SELECT BookmarkId FROM main.HuntingBookmark)", True),
        ("SELECT 'HuntingBookmark' AS name", False),
        ("SELECT 1 -- HuntingBookmark", False),
        ("WITH HuntingBookmark AS (SELECT 1) SELECT * FROM HuntingBookmark", False),
    ],
)
def test_the_bookmark_log_is_read_only_by_queries_that_name_the_table(
    sql: str, reads: bool
) -> None:
    assert reads_table(sql, "HuntingBookmark") is reads
