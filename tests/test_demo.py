"""The demo data set: deterministic, Sentinel-shaped, and carrying the attack STORY.md tells."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from jupyterlab_sentinel.demo import generate, is_generated
from jupyterlab_sentinel.demo.generator import (
    C2_IP,
    FOREIGN_IP,
    SCHEMAS,
    SPRAY_IPS,
    VICTIM,
    VICTIM_HOST,
)

END = datetime(2026, 11, 1, 12)
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "guid": "VARCHAR",
    "int": "INTEGER",
    "long": "BIGINT",
    "real": "DOUBLE",
    "bool": "BOOLEAN",
    "datetime": "TIMESTAMP",
    "dynamic": "JSON",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "ws"
    generate(path, seed=7, scale=0.05, end=END)
    return path


def sql(demo: Path, query: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    for table in SCHEMAS:
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{demo}/{table}/*.parquet')"
        )
    return con.execute(query).fetchall()


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    for table in sorted(SCHEMAS):
        rows = duckdb.sql(
            f"SELECT * FROM read_parquet('{path}/{table}/*.parquet') ORDER BY ALL"
        ).fetchall()
        digest.update(repr(rows).encode())
    return digest.hexdigest()


def test_same_seed_same_data(demo: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, seed=7, scale=0.05, end=END)
    assert content_hash(again) == content_hash(demo)


def test_every_table_has_the_sentinel_columns_and_types(demo: Path) -> None:
    assert is_generated(demo)
    for table, columns in SCHEMAS.items():
        described = duckdb.sql(
            f"DESCRIBE SELECT * FROM read_parquet('{demo}/{table}/*.parquet')"
        ).fetchall()
        assert [(c[0], c[1]) for c in described] == [
            (name, DUCKDB_TYPES[kql]) for name, kql in columns
        ], table


def test_thirty_days_ending_at_the_end(demo: Path) -> None:
    first, last = sql(demo, "SELECT min(TimeGenerated), max(TimeGenerated) FROM SigninLogs")[0]
    assert (END - first).days <= 31 and last < END
    assert len(list((demo / "SigninLogs").glob("*.parquet"))) >= 30


def test_the_password_spray_and_the_compromise(demo: Path) -> None:
    spray = sql(
        demo,
        "SELECT count(*), count(DISTINCT UserPrincipalName) FROM SigninLogs "
        f"WHERE IPAddress IN {tuple(SPRAY_IPS)} AND ResultType = '50126'",
    )[0]
    assert spray[0] >= 50 and spray[1] >= 50
    success = sql(
        demo,
        "SELECT UserPrincipalName FROM SigninLogs "
        f"WHERE IPAddress IN {tuple(SPRAY_IPS)} AND ResultType = '0'",
    )
    assert success == [(VICTIM,)]


def test_the_sign_in_from_a_new_country(demo: Path) -> None:
    rows = sql(
        demo,
        "SELECT Location, LocationDetails->>'$.countryOrRegion' FROM SigninLogs "
        f"WHERE UserPrincipalName = '{VICTIM}' AND IPAddress = '{FOREIGN_IP}'",
    )
    assert rows == [("NG", "NG")]
    earlier = sql(
        demo,
        f"SELECT count(*) FROM SigninLogs WHERE UserPrincipalName = '{VICTIM}' AND Location = 'NG'",
    )
    assert earlier == [(1,)]


def test_the_mailbox_forwarding_rule(demo: Path) -> None:
    rows = sql(
        demo,
        "SELECT Operation, Parameters FROM OfficeActivity "
        f"WHERE UserId = '{VICTIM}' AND Operation IN ('New-InboxRule', 'Set-Mailbox') ORDER BY 1",
    )
    assert [r[0] for r in rows] == ["New-InboxRule", "Set-Mailbox"]
    params = {p["Name"]: p["Value"] for p in json.loads(str(rows[0][1]))}
    assert params["ForwardTo"].endswith("@mailbox-relay.example")


def test_the_encoded_powershell_decodes_to_a_download_cradle(demo: Path) -> None:
    rows = sql(
        demo,
        "SELECT ProcessCommandLine FROM DeviceProcessEvents "
        "WHERE ProcessCommandLine LIKE '%-enc %' AND DeviceName LIKE 'wks-0042%'",
    )
    assert len(rows) == 1
    payload = str(rows[0][0]).split("-enc ")[1]
    decoded = base64.b64decode(payload).decode("utf-16-le")
    assert "DownloadString" in decoded and C2_IP in decoded
    assert sql(
        demo,
        "SELECT count(*) FROM SecurityEvent WHERE EventID = 4688 AND CommandLine LIKE '%-enc %'",
    ) == [(1,)]


def test_lateral_movement_and_exfiltration(demo: Path) -> None:
    logons = sql(
        demo,
        "SELECT Computer, TargetUserName FROM SecurityEvent WHERE EventID = 4624 AND LogonType = 3 "
        "AND TargetUserName = 'adele.vance' AND Computer LIKE 'srv-file01%'",
    )
    assert len(logons) == 1
    transfer = sql(
        demo,
        "SELECT c.SentBytes FROM CommonSecurityLog c JOIN ThreatIntelligenceIndicator t "
        "ON c.DestinationIP = t.NetworkIP WHERE t.ThreatType = 'C2'",
    )
    assert transfer and transfer[0][0] > 500_000_000
    assert sql(demo, f"SELECT count(*) FROM DeviceNetworkEvents WHERE RemoteIP = '{C2_IP}'") == [
        (1,)
    ]


def test_alerts_and_the_incident_tie_together(demo: Path) -> None:
    alerts = sql(demo, "SELECT SystemAlertId FROM SecurityAlert")
    incident = sql(demo, "SELECT IncidentNumber, AlertIds, Severity FROM SecurityIncident")
    assert len(incident) == 1 and incident[0][2] == "High"
    assert sorted(json.loads(str(incident[0][1]))) == sorted(a[0] for a in alerts)
    hosts = sql(demo, "SELECT CompromisedEntity FROM SecurityAlert")
    assert any(VICTIM_HOST.lower() in str(h[0]) for h in hosts)


def test_a_partial_folder_is_not_taken_as_generated(tmp_path: Path) -> None:
    (tmp_path / "SigninLogs").mkdir()
    assert not is_generated(tmp_path)


def test_the_geolocation_table_places_the_attackers(demo: Path) -> None:
    rows = sql(
        demo,
        "SELECT network, country, city FROM read_csv('"
        + str(demo / "_geoip.csv")
        + "') WHERE network IN ('198.51.100.0/24', '203.0.113.0/24') ORDER BY network",
    )
    assert rows == [
        ("198.51.100.0/24", "Nigeria", "Lagos"),
        ("203.0.113.0/24", "Netherlands", "Amsterdam"),
    ]
    ranges = sql(demo, "SELECT count(*) FROM read_csv('" + str(demo / "_geoip.csv") + "')")
    assert ranges == [(9,)]
