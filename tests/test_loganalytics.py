"""Log Analytics query responses → Parquet and Arrow: every digit the service sends is kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tornado.httpclient import HTTPClientError

Api = Callable[..., Any]

# The wire format of the Log Analytics query API (Learn "response-format"): dynamic values are
# JSON text, datetimes carry 7 fractional digits, longs may exceed 2^53, decimals are strings (as
# Kusto sends them; a JSON number is read too).
RESPONSE = """{
  "tables": [{
    "name": "PrimaryResult",
    "columns": [
      {"name": "TimeGenerated", "type": "datetime"},
      {"name": "Count", "type": "long"},
      {"name": "Small", "type": "int"},
      {"name": "Score", "type": "real"},
      {"name": "Ok", "type": "bool"},
      {"name": "Took", "type": "timespan"},
      {"name": "Bag", "type": "dynamic"},
      {"name": "Id", "type": "guid"},
      {"name": "Name", "type": "string"},
      {"name": "Price", "type": "decimal"}
    ],
    "rows": [
      ["2024-03-01T10:15:30.1234567Z", 9007199254740993, 7, 0.5, true, "1.02:03:04.5678901",
       "{\\"ip\\":\\"10.0.0.1\\",\\"n\\":[1,2]}", "8d3f8e54-0f57-4b4b-9a7e-4c1c9b3a8e11",
       "alice", "1.25"],
      [null, null, null, "NaN", null, "-00:00:01", null, null, "", 2.5],
      ["2024-03-01T10:15:30Z", -9223372036854775808, -1, "-Infinity", false, "00:00:00", "[]",
       null, "bob", "12345678901234567.0123456789"],
      [null, null, null, null, null, null, null, null, "", null]
    ]
  }]
}"""

PARTIAL = {
    "tables": [
        {
            "name": "PrimaryResult",
            "columns": [{"name": "n", "type": "long"}],
            "rows": [[1], [2]],
        }
    ],
    "error": {
        "code": "PartialError",
        "message": "There were some errors when processing your query.",
        "details": [
            {
                "code": "E_QUERY_RESULT_SET_TOO_LARGE",
                "message": "Query result set has exceeded the internal data size limit",
            }
        ],
    },
}


async def post(api: Api, endpoint: str, text: str, **params: str) -> Any:
    """Sends a response's text as the service sent it (not re-encoded by a JSON library)."""
    return await api("loganalytics", endpoint, method="POST", raw=text, params=params)


async def test_export_keeps_every_digit(api: Api, jp_root_dir: Path) -> None:
    response = await post(api, "export", RESPONSE, path="results/hunt.parquet")
    answer = json.loads(response.body)
    assert answer["path"] == "results/hunt.parquet"
    assert answer["rowCount"] == 4
    assert answer["partial"] is False
    assert [c["type"] for c in answer["columns"]] == [
        "datetime", "long", "int", "real", "bool", "timespan", "dynamic", "guid", "string",
        "decimal",
    ]  # fmt: skip
    frame = pd.read_parquet(jp_root_dir / "results" / "hunt.parquet")
    # UTC without a zone, as local results are.
    assert frame["TimeGenerated"][0] == pd.Timestamp("2024-03-01T10:15:30.1234567")
    assert frame["TimeGenerated"][0].nanosecond == 700
    assert pd.isna(frame["TimeGenerated"][1])
    assert frame["Count"][0] == 9007199254740993
    assert frame["Count"][2] == -9223372036854775808
    assert frame["Took"][0] == pd.Timedelta(days=1, hours=2, minutes=3, seconds=4.5678901)
    assert frame["Took"][1] == pd.Timedelta(seconds=-1)
    assert json.loads(frame["Bag"][0]) == {"ip": "10.0.0.1", "n": [1, 2]}
    assert frame["Score"].isna()[1]
    assert frame["Score"][2] == float("-inf")
    # Exact, as local results' decimals are: a float would lose the digits past the 16th.
    assert frame["Price"][0] == Decimal("1.25")
    assert frame["Price"][1] == Decimal("2.5")
    assert frame["Price"][2] == Decimal("12345678901234567.0123456789")
    assert frame["Price"][3] is None
    schema = pq.read_schema(jp_root_dir / "results" / "hunt.parquet")
    assert schema.field("Count").metadata == {b"kql_type": b"long"}
    assert schema.field("Price").type == pa.decimal128(38, 10)


async def test_values_nanoseconds_cannot_hold_are_null_not_wrapped_round(
    api: Api, jp_root_dir: Path
) -> None:
    # Windows' zero time (seen in directory data), KQL's last day, and a span of 300 years.
    last = '["9999-12-31T23:59:59.9999999Z", null, null, null, null, "109575.00:00:00",'
    far = RESPONSE.replace('"2024-03-01T10:15:30Z"', '"1601-01-01T00:00:00Z"').replace(
        "[null, null, null, null, null, null,", last
    )
    await post(api, "export", far, path="far.parquet")
    frame = pd.read_parquet(jp_root_dir / "far.parquet")
    assert frame["TimeGenerated"][0] == pd.Timestamp("2024-03-01T10:15:30.1234567")
    assert pd.isna(frame["TimeGenerated"][2]) and pd.isna(frame["TimeGenerated"][3])
    assert pd.isna(frame["Took"][3])
    assert frame["Took"][1] == pd.Timedelta(seconds=-1)


async def test_the_grid_reads_an_azure_result(api: Api) -> None:
    await post(api, "export", RESPONSE, path="r.parquet")
    page = json.loads((await api("results", params={"path": "r.parquet"})).body)
    first = dict(zip([c["name"] for c in page["columns"]], page["rows"][0], strict=True))
    assert first["Count"] == "9007199254740993"
    assert first["Took"] == "1.02:03:04.5678901"
    assert first["TimeGenerated"] == "2024-03-01T10:15:30.1234567Z"
    assert first["Bag"] == {"ip": "10.0.0.1", "n": [1, 2]}
    assert first["Price"] == "1.2500000000"


async def test_a_partial_result_is_flagged_with_the_service_message(api: Api) -> None:
    response = await post(api, "export", json.dumps(PARTIAL), path="p.parquet")
    answer = json.loads(response.body)
    assert answer["partial"] is True
    assert answer["rowCount"] == 2
    assert "exceeded the internal data size limit" in answer["partialMessage"]


async def test_arrow_answers_the_first_rows(api: Api) -> None:
    response = await post(api, "arrow", RESPONSE, maxRows="2")
    assert response.headers["X-Sentinel-Truncated"] == "true"
    assert response.headers["X-Sentinel-Partial"] == "false"
    table = pa.ipc.open_stream(response.body).read_all()
    assert table.num_rows == 2
    assert table.column("Count")[0].as_py() == 9007199254740993
    assert table.schema.field("Took").metadata == {b"kql_type": b"timespan"}


@pytest.mark.parametrize(
    ("body", "params"),
    [
        ("not json", {"path": "x.parquet"}),
        ('{"tables": []}', {"path": "x.parquet"}),
        (RESPONSE.replace('"1.02:03:04.5678901"', '"soon"'), {"path": "x.parquet"}),
        (RESPONSE.replace('"alice", "1.25"]', '"alice"]'), {"path": "x.parquet"}),
        (RESPONSE.replace('"alice", "1.25"]', '"alice", "cheap"]'), {"path": "x.parquet"}),
        (RESPONSE, {"path": "../x.parquet"}),
        (RESPONSE, {"path": "x.csv"}),
    ],
)
async def test_bad_input_is_refused_with_a_message(
    api: Api, body: str, params: dict[str, str]
) -> None:
    with pytest.raises(HTTPClientError) as caught:
        await post(api, "export", body, **params)
    assert caught.value.code == 400
    assert json.loads(caught.value.response.body)["message"]


async def test_the_endpoints_need_a_token(jp_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(
            "sentinel", "api", "loganalytics", "export", method="POST", body=RESPONSE,
            params={"path": "x.parquet"}, headers={"Authorization": ""},
        )  # fmt: skip
    assert caught.value.code in (401, 403)


async def test_a_batch_writes_each_table(api: Api, jp_root_dir: Path) -> None:
    """``tables=all``: a response of several tables (a batch ``A; B``) is written table by table,
    the first at the path, table ``i`` beside it with ``_table_i``."""
    batch = {
        "tables": [
            {
                "name": "PrimaryResult",
                "columns": [{"name": "Count", "type": "long"}],
                "rows": [[7]],
            },
            {
                "name": "Table_1",
                "columns": [{"name": "Name", "type": "string"}],
                "rows": [["alice"], ["bob"]],
            },
        ]
    }
    response = await post(api, "export", json.dumps(batch), path="results/n.parquet", tables="all")
    answer = json.loads(response.body)
    assert answer["path"] == "results/n.parquet"
    assert [(t["path"], t["rowCount"]) for t in answer["tables"]] == [
        ("results/n.parquet", 1),
        ("results/n_table_1.parquet", 2),
    ]
    assert pd.read_parquet(jp_root_dir / "results" / "n.parquet")["Count"].tolist() == [7]
    second = pd.read_parquet(jp_root_dir / "results" / "n_table_1.parquet")
    assert second["Name"].tolist() == ["alice", "bob"]
    # Without it, the primary table only, as before.
    await post(api, "export", json.dumps(batch), path="results/m.parquet")
    assert not (jp_root_dir / "results" / "m_table_1.parquet").exists()
