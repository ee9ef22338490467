"""Fixtures: a Jupyter server with the extension, over small workspaces built per test."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

DEMO_END = datetime(2026, 11, 1, 12)


def write_workspace(folder: Path) -> Path:
    """A workspace with every supported layout: Parquet, daily Parquet folder, CSV, JSON lines."""
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 10, 1)
    pq.write_table(
        pa.table(
            {
                "TimeGenerated": pa.array(
                    [start + timedelta(minutes=i) for i in range(50)], pa.timestamp("us")
                ),
                "UserPrincipalName": [f"user{i % 5}@contoso.example" for i in range(50)],
                "ResultType": ["0" if i % 3 else "50126" for i in range(50)],
                "Details": pa.array(
                    [json.dumps({"n": i}) for i in range(50)], pa.json_(pa.string())
                ),
            }
        ),
        folder / "SigninLogs.parquet",
    )
    daily = folder / "SecurityEvent"
    daily.mkdir(exist_ok=True)
    for d in range(3):
        pq.write_table(
            pa.table(
                {
                    "TimeGenerated": pa.array(
                        [start + timedelta(days=d, hours=h) for h in range(10)], pa.timestamp("us")
                    ),
                    "EventID": pa.array([4624] * 10, pa.int32()),
                    "Computer": [f"host{h}" for h in range(10)],
                }
            ),
            daily / f"2026-10-0{d + 1}.parquet",
        )
    (folder / "Watchlist.csv").write_text("SearchKey,Owner\nalice,secops\nbob,it\n")
    (folder / "Syslog.jsonl").write_text(
        "\n".join(json.dumps({"Computer": f"lnx{i}", "SeverityLevel": "info"}) for i in range(4))
    )
    (folder / "not a table.csv").write_text("a\n1\n")
    return folder


@pytest.fixture
def workspace_root(jp_root_dir: Path) -> Path:
    """The Jupyter root, holding one user workspace folder `logs/`."""
    write_workspace(jp_root_dir / "logs")
    return jp_root_dir


@pytest.fixture
def jp_server_config(tmp_path: Path) -> dict[str, Any]:
    """Enables the extension, with a demo folder that is already generated (a marker file)."""
    demo = write_workspace(tmp_path / "demo")
    (demo / "_generated.json").write_text("{}")
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_sentinel": True},
            "allow_unauthenticated_access": False,
        },
        "SentinelConfig": {
            "demo_path": str(demo),
            "bookmarks_dir": str(tmp_path / "bookmarks"),
            "default_timeout": 5.0,
        },
    }


@pytest.fixture
def api(jp_fetch: Callable[..., Any]) -> Callable[..., Any]:
    """Calls the extension's REST API."""

    async def call(
        *path: str, method: str = "GET", body: Any = None, raw: str | None = None, **kwargs: Any
    ) -> Any:
        if body is not None:
            kwargs["body"] = json.dumps(body)
        elif raw is not None:
            kwargs["body"] = raw
        return await jp_fetch("sentinel", "api", *path, method=method, **kwargs)

    return call
