"""The whole of a saved result as a CSV download, and the column widths the grid reads from a
sample of the whole result, through the server's REST API."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tornado.httpclient import HTTPClientError

Api = Any

PATH = "hunt/results/wide.parquet"


def write_result(root: Path, rows: int = 12_345, group_rows: int | None = None) -> None:
    """A result of `rows` rows whose longest values sit deep in the file, not in its first rows."""
    target = root / PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    numbers = list(range(rows))
    table = pa.table(
        {
            "n": pa.array(numbers, pa.int64()),
            "who": pa.array([f"user{i % 7}@contoso.example" for i in numbers]),
            "when": pa.array([i * 60_000_000 for i in numbers], pa.timestamp("us")),
            "took": pa.array([i * 1_000_000 for i in numbers], pa.duration("us")),
            "note": pa.array(['say "hi", twice' if i == 3 else None for i in numbers]),
        }
    )
    kinds = {"n": "long", "who": "string", "when": "datetime", "took": "timespan", "note": "string"}
    schema = pa.schema([f.with_metadata({"kql_type": kinds[f.name]}) for f in table.schema])
    pq.write_table(table.cast(schema), target, row_group_size=group_rows)


async def download(api: Api, **params: str) -> tuple[str, dict[str, str]]:
    response = await api("results", "csv", params={"path": PATH, **params})
    return response.body.decode(), dict(response.headers)


async def test_the_whole_result_downloads_as_csv(api: Api, jp_root_dir: Path) -> None:
    write_result(jp_root_dir)
    text, headers = await download(api)
    assert headers["Content-Type"].startswith("text/csv")
    assert 'filename="wide.csv"' in headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(text)))
    # Every row, not only a page: the header line and 12,345 rows.
    assert rows[0] == ["n", "who", "when", "took", "note"]
    assert len(rows) == 12_346
    assert rows[1][:4] == ["0", "user0@contoso.example", "1970-01-01T00:00:00.0000000Z", "00:00:00"]
    # Values are quoted as CSV quotes them; datetimes and timespans as Kusto prints them.
    assert rows[4][4] == 'say "hi", twice'
    assert rows[-1][0] == "12344"
    assert rows[-1][2] == "1970-01-09T13:44:00.0000000Z"
    assert rows[-1][3] == "03:25:44"


async def test_the_download_follows_the_grid_order_and_filter(api: Api, jp_root_dir: Path) -> None:
    write_result(jp_root_dir)
    text, _ = await download(api, sort="n", order="desc", filter="USER3@")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert rows and all(r[1] == "user3@contoso.example" for r in rows)
    numbers = [int(r[0]) for r in rows]
    assert numbers == sorted(numbers, reverse=True)
    assert len(rows) == len([i for i in range(12_345) if i % 7 == 3])


async def test_an_empty_result_downloads_its_header(api: Api, jp_root_dir: Path) -> None:
    write_result(jp_root_dir)
    text, _ = await download(api, filter="nobody has this")
    assert text.strip() == '"n","who","when","took","note"'


@pytest.mark.parametrize(
    ("path", "code", "reason"),
    [
        ("hunt/results/gone.parquet", 404, "result-missing"),
        ("../secret.parquet", 400, "bad-request"),
        ("hunt/results/wide.csv", 400, "bad-request"),
    ],
)
async def test_the_download_keeps_the_paging_rules(
    api: Api, jp_root_dir: Path, path: str, code: int, reason: str
) -> None:
    write_result(jp_root_dir)
    with pytest.raises(HTTPClientError) as info:
        await api("results", "csv", params={"path": path})
    assert info.value.code == code
    assert info.value.response is not None
    assert json.loads(info.value.response.body)["reason"] == reason


async def test_the_download_needs_a_token(jp_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(
            "sentinel",
            "api",
            "results",
            "csv",
            params={"path": PATH},
            headers={"Authorization": ""},
        )
    assert info.value.code in (401, 403)


async def test_column_widths_come_from_the_whole_result(api: Api, jp_root_dir: Path) -> None:
    write_result(jp_root_dir, rows=200_000)
    response = await api("results", params={"path": PATH, "limit": "50", "lengths": "true"})
    page = json.loads(response.body)
    # The first 50 rows hold numbers of at most 2 digits; most of the result has 6.
    assert max(len(str(row[0])) for row in page["rows"]) == 2
    lengths = page["textLengths"]
    assert len(lengths) == 5
    assert lengths[0] == 6
    assert lengths[1] == len("user0@contoso.example")
    # Not asked, not computed.
    plain = json.loads((await api("results", params={"path": PATH, "limit": "5"})).body)
    assert "textLengths" not in plain


async def test_column_widths_of_a_large_result_come_from_its_last_row_groups_too(
    api: Api, jp_root_dir: Path
) -> None:
    # Too many rows to read whole: the sample takes the first rows of row groups spread over it.
    write_result(jp_root_dir, rows=400_000, group_rows=50_000)
    response = await api("results", params={"path": PATH, "limit": "50", "lengths": "true"})
    lengths = json.loads(response.body)["textLengths"]
    assert lengths[0] == 6
    assert lengths[1] == len("user0@contoso.example")
