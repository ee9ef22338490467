"""KQL types survive the way from a query to the DataFrame a KQL cell makes.

The query is compiled by the project's compiler, the server's export writes the Parquet file, and
the DataFrame is loaded by exactly the Python the extension inserts below a KQL cell
(``resultCellSource`` in ``src/cells/metadata.ts``, run through Node from the built ``lib/``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import ssl
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jupyterlab_sentinel.lake import Lake
from jupyterlab_sentinel.loganalytics import export as export_response
from jupyterlab_sentinel.loganalytics import parse_response

from .test_azure_clients import ALL_TYPES, LA_AUDIENCE, Emulator, demo, emulator
from .test_templates_run import compile_kql

# The demo workspace and the emulator serving it, shared with the Azure clients' tests.
__all__ = ["demo", "emulator"]

ROOT = Path(__file__).resolve().parent.parent
KQL = ROOT / "bin" / "kql"
SCHEMAS = ROOT / "jupyterlab_sentinel" / "demo" / "schemas.json"

pytestmark = pytest.mark.skipif(
    not (ROOT / "build" / "cli").is_dir()
    or not (ROOT / "lib" / "cells" / "metadata.js").is_file()
    or shutil.which("node") is None,
    reason="the compiler and lib/ are built by `jlpm build` (make build)",
)

QUERY = (
    'print s="text", i=int(7), l=9007199254740993, r=1.5, b=true,'
    " d=datetime(2024-01-02 03:04:05.123456), t=1d+2h+3s+500ms,"
    ' obj=dynamic({"a":[1,2]}), arr=dynamic([1,"x"]), nothing=dynamic(null),'
    " g=guid(74be27de-1e4e-49d9-b579-fe0b331d3642), dec=decimal(1.25), absent=long(null)"
)


def loader_source(variable: str, dynamic_columns: list[str]) -> str:
    script = (
        "import { resultCellSource } from './lib/cells/metadata.js';"
        f"process.stdout.write(resultCellSource({json.dumps(variable)}, "
        f"{json.dumps(dynamic_columns)}));"
    )
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@pytest.fixture(scope="module")
def frame(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    root = tmp_path_factory.mktemp("root")
    lake = Lake(root_dir=root, demo_path=root / "demo-not-generated")
    (root / "logs").mkdir()
    (root / "logs" / "Heartbeat.csv").write_text("Computer\nweb01\n")
    [workspace] = [w for w in lake.configure([{"name": "Logs", "path": "logs"}]) if not w.demo]
    compiled = subprocess.run(
        [str(KQL), "compile", QUERY], capture_output=True, text=True, timeout=120, check=True
    )
    (root / "hunt").mkdir()
    exported = lake.export(workspace.id, compiled.stdout, "hunt/results/df.parquet", "types")
    dynamic = [c["name"] for c in exported["columns"] if c["type"] == "dynamic"]
    assert dynamic == ["obj", "arr", "nothing"]
    namespace: dict[str, Any] = {}
    # The inserted cell runs in the notebook's folder, as the kernel's working folder.
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root / "hunt")
        exec(loader_source("df", dynamic), namespace)  # the extension's own loader
    return namespace["df"]


def test_strings_and_numbers(frame: pd.DataFrame) -> None:
    row = frame.iloc[0]
    assert row["s"] == "text"
    assert frame.dtypes["i"] == "int32"
    assert frame.dtypes["l"] == "int64"
    # Beyond 2**53, where a double (and JSON in a browser) would round it.
    assert int(row["l"]) == 9007199254740993
    assert frame.dtypes["r"] == "float64"
    assert frame.dtypes["b"] == "bool"
    assert row["g"] == "74be27de-1e4e-49d9-b579-fe0b331d3642"
    assert str(row["dec"]) == "1.2500000000"


def test_datetimes_and_timespans(frame: pd.DataFrame) -> None:
    assert pd.api.types.is_datetime64_any_dtype(frame.dtypes["d"])
    assert frame.iloc[0]["d"] == pd.Timestamp("2024-01-02 03:04:05.123456")
    assert pd.api.types.is_timedelta64_dtype(frame.dtypes["t"])
    assert frame.iloc[0]["t"] == dt.timedelta(days=1, hours=2, seconds=3, milliseconds=500)


def test_dynamic_columns_are_json_text_that_the_loader_says_how_to_parse(
    frame: pd.DataFrame,
) -> None:
    row = frame.iloc[0]
    assert json.loads(row["obj"]) == {"a": [1, 2]}
    assert json.loads(row["arr"]) == [1, "x"]
    assert json.loads(row["nothing"]) is None
    # The loader's comment holds the line that parses a column into Python objects.
    [line] = [
        text[2:]
        for text in loader_source("df", ["obj", "arr"]).splitlines()
        if text.startswith("# df[")
    ]
    parsed = {"df": frame.copy(), "json": json}
    exec(line, parsed)
    assert parsed["df"].iloc[0]["obj"] == {"a": [1, 2]}


def test_nulls_stay_null(frame: pd.DataFrame) -> None:
    assert pd.isna(frame.iloc[0]["absent"])


# One result type whatever the backend: the same query on the same workspace gives a DataFrame of
# the same dtypes and values from Azure (the emulator's Log Analytics response, converted by the
# server as the Azure backend has it do) and from the local workspace.

#: Every KQL type, a datetime with a 7th fractional digit, and a table's datetimes and timespans.
SAME_TABLES = {
    "print": ALL_TYPES + ", d7=datetime(2024-01-02T03:04:05.1234567Z)",
    "SigninLogs": "SigninLogs | order by TimeGenerated asc, Id asc | take 20"
    " | extend Age = datetime(2026-11-01T12:00:00Z) - TimeGenerated"
    " | project TimeGenerated, Age, UserPrincipalName, ResultType, DeviceDetail",
}


def azure_response(emulator: Emulator, query: str) -> bytes:
    """The Log Analytics query API's answer, as the browser hands it to the server."""
    token = emulator.credential.get_token(f"{LA_AUDIENCE}/.default").token
    workspace = emulator.workspace("sentinel-demo")["customerId"]
    request = urllib.request.Request(
        f"{emulator.url}/v1/workspaces/{workspace}/query",
        data=json.dumps({"query": query}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    context = ssl.create_default_context(cafile=emulator.certificate)
    with urllib.request.urlopen(request, context=context, timeout=120) as response:
        body: bytes = response.read()
    return body


def loaded(folder: Path, columns: list[dict[str, str]]) -> pd.DataFrame:
    """The DataFrame the inserted cell loads from ``folder/results/df.parquet``."""
    dynamic = [c["name"] for c in columns if c["type"] == "dynamic"]
    namespace: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        exec(loader_source("df", dynamic), namespace)  # the extension's own loader
    frame: pd.DataFrame = namespace["df"]
    return frame


@pytest.mark.parametrize("query", SAME_TABLES.values(), ids=SAME_TABLES.keys())
def test_both_backends_give_the_same_dataframe(
    query: str, demo: Path, emulator: Emulator, tmp_path: Path
) -> None:
    response = parse_response(azure_response(emulator, query))
    azure = export_response(tmp_path, "azure/results/df.parquet", response)
    lake = Lake(root_dir=tmp_path, demo_path=demo)
    sql = compile_kql(query, SCHEMAS)
    local = lake.export("demo", sql, "local/results/df.parquet", "same-types")

    from_azure = loaded(tmp_path / "azure", azure["columns"])  # type: ignore[arg-type]
    from_local = loaded(tmp_path / "local", local["columns"])  # type: ignore[arg-type]
    assert from_local.dtypes.to_dict() == from_azure.dtypes.to_dict()
    timespan = "Age" if "Age" in from_local else "t"
    assert str(from_local.dtypes[timespan]) == "timedelta64[ns]"
    pd.testing.assert_frame_equal(from_local, from_azure)
