"""KQL externaldata in a local workspace: local copies only, never the network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_api import Api, arrow, error_of, query

SOURCE = {
    "relation": "__externaldata_1",
    "uris": ["https://raw.example.com/lists/bad_ips.txt"],
    "format": "txt",
    "ignoreFirstRecord": True,
    "columns": [{"name": "ip", "type": "string"}],
}


def save_copy(tmp_path: Path, name: str, text: str) -> None:
    folder = tmp_path / "demo" / "_externaldata"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)


async def test_reads_the_local_copy_of_a_url(api: Api, tmp_path: Path) -> None:
    save_copy(tmp_path, "bad_ips.txt", "ip\n198.51.100.23\n203.0.113.50\n")
    response = await query(
        api,
        'SELECT "ip" FROM "__externaldata_1" WHERE "ip" LIKE \'203.%\'',
        externalData=[SOURCE],
    )
    assert arrow(response).column("ip").to_pylist() == ["203.0.113.50"]


async def test_csv_with_typed_columns(api: Api, tmp_path: Path) -> None:
    save_copy(tmp_path, "hosts.csv", "host,score\nWKS-0042,7\nSRV-FILE01,9\n")
    source = {
        **SOURCE,
        "uris": ["https://raw.example.com/hosts.csv"],
        "format": "csv",
        "columns": [{"name": "host", "type": "string"}, {"name": "score", "type": "long"}],
    }
    response = await query(
        api, 'SELECT * FROM "__externaldata_1" ORDER BY score DESC', externalData=[source]
    )
    table = arrow(response)
    assert table.to_pylist() == [
        {"host": "SRV-FILE01", "score": 9},
        {"host": "WKS-0042", "score": 7},
    ]


async def test_without_a_copy_says_where_to_put_it(api: Api) -> None:
    code, body = await error_of(
        query(api, 'SELECT * FROM "__externaldata_1"', externalData=[SOURCE])
    )
    assert code == 404
    assert body["reason"] == "externaldata-offline"
    assert "_externaldata/bad_ips.txt" in body["message"]


async def test_paths_in_the_url_cannot_leave_the_folder(api: Api, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("x\n")
    source: dict[str, Any] = {**SOURCE, "uris": ["https://x.example/../../secret.txt"]}
    code, body = await error_of(
        query(api, 'SELECT * FROM "__externaldata_1"', externalData=[source])
    )
    assert code == 404 and body["reason"] == "externaldata-offline"


async def test_bad_descriptions_are_refused(api: Api) -> None:
    for bad in (
        {**SOURCE, "relation": "SigninLogs"},
        {**SOURCE, "format": "parquet"},
        {**SOURCE, "columns": [{"name": "ip", "type": "varchar); DROP"}]},
    ):
        code, _ = await error_of(query(api, "SELECT 1", externalData=[bad]))
        assert code == 400


async def test_geoip_reads_the_workspace_table(api: Api, tmp_path: Path) -> None:
    (tmp_path / "demo" / "_geoip.csv").write_text(
        "first,last,network,country,state,city,latitude,longitude\n"
        "3405803776,3405804031,203.0.113.0/24,Netherlands,North Holland,Amsterdam,52.37,4.9\n"
    )
    sql = 'SELECT city FROM "__geoip" WHERE 3405803793 BETWEEN first AND last'
    response = await query(api, sql, geoIp=True)
    assert arrow(response).column("city").to_pylist() == ["Amsterdam"]


async def test_geoip_without_a_table_is_refused(api: Api) -> None:
    code, body = await error_of(query(api, 'SELECT * FROM "__geoip"', geoIp=True))
    assert code == 404 and body["reason"] == "geoip-missing"
    assert "_geoip.csv" in body["message"]
