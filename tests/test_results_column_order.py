"""Results follow a table's column order as Log Analytics defines it, not the alphabet: the demo
workspace's files list their columns in Microsoft's order, and the server's schema keeps it."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from jupyterlab_sentinel.demo import generate, is_generated
from jupyterlab_sentinel.demo.generator import MARKER, SCHEMAS, VERSION
from jupyterlab_sentinel.lake import Lake

#: The first columns of SigninLogs in Log Analytics, as `SigninLogs | take 5` shows them.
SIGNIN_FIRST = [
    "TenantId",
    "SourceSystem",
    "TimeGenerated",
    "ResourceId",
    "OperationName",
    "OperationVersion",
    "Category",
    "ResultType",
    "ResultSignature",
    "ResultDescription",
    "DurationMs",
    "CorrelationId",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("order") / "demo"
    generate(path, seed=7, scale=0.01, end=datetime(2026, 10, 1, tzinfo=timezone.utc))
    return path


def test_the_demo_schema_is_in_microsofts_order() -> None:
    names = [name for name, _ in SCHEMAS["SigninLogs"]]
    assert names[: len(SIGNIN_FIRST)] == SIGNIN_FIRST
    assert names[-1] == "Type"
    assert names != sorted(names)
    # Defender XDR's tables start as its table reference lists them.
    device = [name for name, _ in SCHEMAS["DeviceProcessEvents"]]
    assert device[:4] == ["Timestamp", "DeviceId", "DeviceName", "ActionType"]
    for table, columns in SCHEMAS.items():
        names = [name for name, _ in columns]
        if table.startswith("Device"):
            continue
        assert names[0] == "TenantId", table
        assert "TimeGenerated" in names[:3], table


def test_the_demo_files_keep_that_order(demo: Path) -> None:
    for table, columns in SCHEMAS.items():
        files = sorted((demo / table).glob("*.parquet"))
        assert files, table
        assert pq.read_schema(files[0]).names == [name for name, _ in columns], table


def test_the_workspace_schema_keeps_that_order(demo: Path) -> None:
    lake = Lake(demo.parent, demo_path=demo)
    schema = lake.schema("demo")
    tables = {t["name"]: t for t in schema["tables"]}
    names = [c["name"] for c in tables["SigninLogs"]["columns"]]
    assert names[: len(SIGNIN_FIRST)] == SIGNIN_FIRST


def test_a_data_set_of_an_older_version_is_generated_again(tmp_path: Path) -> None:
    (tmp_path / MARKER).write_text(json.dumps({"version": VERSION - 1}))
    assert not is_generated(tmp_path)
    (tmp_path / MARKER).write_text(json.dumps({"version": VERSION}))
    assert is_generated(tmp_path)
