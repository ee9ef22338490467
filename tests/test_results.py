"""The result grid's endpoint: pages of a KQL cell's saved result, sorted and filtered."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_sentinel.results import json_value, kusto_datetime, kusto_timespan

Api = Any


async def export(api: Api, sql: str, path: str = "hunt/results/df.parquet") -> dict[str, Any]:
    body = {"sql": sql, "path": path}
    response = await api("workspaces", "demo", "export", method="POST", body=body)
    return json.loads(response.body)


async def page(api: Api, path: str = "hunt/results/df.parquet", **params: Any) -> dict[str, Any]:
    response = await api("results", params={"path": path, **params})
    return json.loads(response.body)


async def error_of(call: Any) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HTTPClientError) as info:
        await call
    assert info.value.response is not None
    return info.value.code, json.loads(info.value.response.body)


SIGNINS = "SELECT TimeGenerated, UserPrincipalName, ResultType, Details FROM SigninLogs"


async def test_pages_follow_the_result_order(api: Api) -> None:
    await export(api, SIGNINS)
    first = await page(api, offset=0, limit=20)
    second = await page(api, offset=20, limit=20)
    assert first["totalRows"] == first["rowCount"] == 50
    assert [c["name"] for c in first["columns"]] == [
        "TimeGenerated",
        "UserPrincipalName",
        "ResultType",
        "Details",
    ]
    assert first["columns"][0]["type"] == "datetime"
    assert len(first["rows"]) == len(second["rows"]) == 20
    assert first["rows"][0][0] == "2026-10-01T00:00:00.0000000Z"
    assert second["rows"][0][0] == "2026-10-01T00:20:00.0000000Z"
    # dynamic values arrive parsed, for the bookmark dialog to read.
    assert first["rows"][3][3] == {"n": 3}
    last = await page(api, offset=45, limit=20)
    assert len(last["rows"]) == 5 and last["offset"] == 45


async def test_sort_is_stable_across_pages(api: Api) -> None:
    await export(api, SIGNINS)
    pages = [
        await page(api, offset=o, limit=10, sort="UserPrincipalName", order="desc")
        for o in range(0, 50, 10)
    ]
    rows = [row for p in pages for row in p["rows"]]
    users = [row[1] for row in rows]
    assert users == sorted(users, reverse=True)
    # Ties keep the file's order, so no row is shown twice or skipped between pages.
    assert len({row[0] for row in rows}) == 50
    assert users[0] == "user4@contoso.example"


async def test_filter_matches_any_cell_ignoring_case(api: Api) -> None:
    await export(api, SIGNINS)
    result = await page(api, filter="USER3@", limit=100)
    assert result["totalRows"] == 50
    assert result["rowCount"] == 10
    assert {row[1] for row in result["rows"]} == {"user3@contoso.example"}
    by_code = await page(api, filter="50126", limit=100)
    assert by_code["rowCount"] == 17
    # The filter is text, never SQL.
    hostile = await page(api, filter="' OR 1=1 --", limit=100)
    assert hostile["rowCount"] == 0 and hostile["rows"] == []


async def test_a_missing_file_says_to_run_the_cell_again(api: Api) -> None:
    code, error = await error_of(page(api, path="hunt/results/gone.parquet"))
    assert code == 404 and error["reason"] == "result-missing"
    assert "run the KQL cell again" in error["message"]


@pytest.mark.parametrize(
    "path", ["../secret.parquet", "/etc/passwd.parquet", "hunt/results/df.csv", ""]
)
async def test_paths_outside_the_root_are_refused(api: Api, path: str) -> None:
    code, error = await error_of(page(api, path=path))
    assert code in (400, 403) and error["reason"] in ("bad-request", "forbidden")


async def test_a_symlink_out_of_the_root_is_refused(
    api: Api, jp_root_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.parquet"
    pq.write_table(pa.table({"secret": ["x"]}), outside)
    (jp_root_dir / "link.parquet").symlink_to(outside)
    code, error = await error_of(page(api, path="link.parquet"))
    assert code == 403 and error["reason"] == "forbidden"


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "100000"}, {"offset": "-1"}, {"offset": "x"}, {"order": "up"}],
)
async def test_bad_page_arguments_are_refused(api: Api, params: dict[str, str]) -> None:
    await export(api, SIGNINS)
    code, error = await error_of(page(api, **params))
    assert code == 400 and error["reason"] == "bad-request"


async def test_an_unknown_sort_column_is_named(api: Api) -> None:
    await export(api, SIGNINS)
    code, error = await error_of(page(api, sort='x" DESC; --'))
    assert code == 400 and "no column" in error["message"]


async def test_a_file_that_is_not_parquet_is_refused(api: Api, jp_root_dir: Path) -> None:
    (jp_root_dir / "fake.parquet").write_text("not parquet")
    code, error = await error_of(page(api, path="fake.parquet"))
    assert code == 400 and error["reason"] == "bad-result"


async def test_the_endpoint_needs_a_token(jp_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(
            "sentinel",
            "api",
            "results",
            params={"path": "x.parquet"},
            headers={"Authorization": ""},
        )
    assert info.value.code in (401, 403)


def test_values_are_shown_as_kusto_prints_them() -> None:
    assert kusto_timespan(dt.timedelta(hours=1)) == "01:00:00"
    assert kusto_timespan(dt.timedelta(days=2, seconds=3, microseconds=5)) == "2.00:00:03.0000050"
    assert kusto_timespan(-dt.timedelta(minutes=90)) == "-01:30:00"
    assert (
        kusto_datetime(dt.datetime(2024, 1, 2, 3, 4, 5, 123456)) == "2024-01-02T03:04:05.1234560Z"
    )
    aware = dt.datetime(2024, 1, 2, 4, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert kusto_datetime(aware) == "2024-01-02T03:04:05.0000000Z"
    assert json_value(2**53 + 1, "long") == "9007199254740993"
    assert json_value(2**53 - 1, "long") == 2**53 - 1
    assert json_value(float("nan"), "real") == "NaN"
    assert json_value(float("-inf"), "real") == "-Infinity"
    assert json_value('{"a": 1}', "dynamic") == {"a": 1}
    assert json_value('{"a": [NaN, -Infinity], "b": "NaN"}', "dynamic") == {
        "a": ["NaN", "-Infinity"],
        "b": "NaN",
    }
    assert json_value("not json", "dynamic") == "not json"
    assert json_value("<b>x</b>", "string") == "<b>x</b>"
    assert json_value(None, "string") is None
    assert json_value(True, "bool") is True
    assert json_value(3_600_000_000_000, "timespan") == "01:00:00"  # nanoseconds
