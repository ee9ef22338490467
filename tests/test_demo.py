"""The demo data set: deterministic, Sentinel-shaped, and carrying the attack STORY.md tells."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from jupyterlab_sentinel.demo import generate, is_generated, needs_rebase, rebase, versions
from jupyterlab_sentinel.demo.generator import (
    C2_IP,
    FOREIGN_IP,
    SCHEMAS,
    SPRAY_IPS,
    VICTIM,
    VICTIM_HOST,
)
from jupyterlab_sentinel.lake import Lake

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


DATETIME_COLUMNS = {
    table: [name for name, kql in columns if kql == "datetime"]
    for table, columns in SCHEMAS.items()
}


def moved_back(path: Path, table: str, shift: timedelta) -> list[tuple[object, ...]]:
    """A table of the data set at ``path`` with every datetime moved back by ``shift``."""
    hours = int(shift.total_seconds() // 3600)
    moved = ", ".join(
        f"{name} - INTERVAL {hours} HOUR AS {name}" for name in DATETIME_COLUMNS[table]
    )
    return duckdb.sql(
        f"SELECT * REPLACE ({moved}) FROM read_parquet('{path}/{table}/*.parquet') ORDER BY ALL"
    ).fetchall()


def test_a_week_old_data_set_is_moved_to_end_this_hour(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo"
    generate(path, seed=7, scale=0.05, end=END)
    now = END.replace(tzinfo=timezone.utc) + timedelta(days=7, hours=5, minutes=20)
    assert needs_rebase(path, now)

    shift = rebase(path, now)

    assert shift == timedelta(days=7, hours=5)
    this_hour = datetime(2026, 11, 8, 17)
    assert json.loads((path / "_generated.json").read_text())["end"] == "2026-11-08T17:00:00+00:00"
    latest = max(
        sql(path, f"SELECT max(TimeGenerated) FROM {table}")[0][0]
        for table in SCHEMAS
        if table != "ThreatIntelligenceIndicator"
    )
    assert this_hour - timedelta(hours=1) <= latest < this_hour
    # The same events, only later: every table, row for row, once moved back.
    for table in SCHEMAS:
        assert moved_back(path, table, shift) == moved_back(demo, table, timedelta(0)), table
    assert (path / "_geoip.csv").read_text() == (demo / "_geoip.csv").read_text()
    assert not needs_rebase(path, now) and rebase(path, now) is None


def test_the_starter_query_finds_the_last_day_after_a_week(tmp_path: Path) -> None:
    path = tmp_path / "demo"
    generate(path, seed=7, scale=0.05, end=END)
    now = END.replace(tzinfo=timezone.utc) + timedelta(days=7, minutes=5)
    last_day = "TimeGenerated > TIMESTAMP '2026-11-07 12:05:00'"
    assert sql(path, f"SELECT count(*) FROM SigninLogs WHERE {last_day}") == [(0,)]

    rebase(path, now)

    assert sql(path, f"SELECT count(*) FROM SigninLogs WHERE {last_day}")[0][0] > 0


def test_a_move_never_changes_the_files_a_running_query_reads(tmp_path: Path) -> None:
    path = tmp_path / "demo"
    generate(path, seed=7, scale=0.02, end=END)
    reading = path.resolve()
    before = sql(reading, "SELECT min(TimeGenerated), count(*) FROM SigninLogs")

    rebase(path, END + timedelta(days=2))

    # The version a query resolved is still whole; the path shows the new one.
    assert sql(reading, "SELECT min(TimeGenerated), count(*) FROM SigninLogs") == before
    assert path.resolve() != reading and is_generated(path)
    moved = sql(path, "SELECT min(TimeGenerated), count(*) FROM SigninLogs")[0]
    assert moved == (before[0][0] + timedelta(days=2), before[0][1])


def test_versions_older_than_the_previous_one_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(versions, "STALE_SECONDS", 0)
    path = tmp_path / "demo"
    generate(path, seed=7, scale=0.02, end=END)
    first = path.resolve()
    rebase(path, END + timedelta(days=1))
    second = path.resolve()
    rebase(path, END + timedelta(days=2))

    assert not first.exists() and second.exists() and is_generated(path)
    assert sorted(p.name.split("@")[0] for p in tmp_path.iterdir()) == ["demo", "demo", "demo"]


def test_a_data_set_from_before_versions_is_moved_too(tmp_path: Path) -> None:
    generated = tmp_path / "generated"
    generate(generated, seed=7, scale=0.02, end=END)
    path = tmp_path / "demo"
    shutil.copytree(generated.resolve(), path)  # a plain folder, as older versions wrote it

    rebase(path, END + timedelta(days=1))

    assert path.is_symlink() and is_generated(path)
    assert sql(path, "SELECT max(TimeGenerated) FROM SigninLogs")[0][0] >= END


def test_the_server_reads_the_current_version_with_one_database(tmp_path: Path) -> None:
    path = tmp_path / "demo"
    generate(path, seed=7, scale=0.02, end=END)
    lake = Lake(root_dir=tmp_path, demo_path=path)
    first = lake.engine("demo")
    assert lake.engine("demo") is first  # not a new database for each query

    rebase(path, END + timedelta(days=1))

    moved = lake.engine("demo")
    assert moved is not first and moved.folder == path.resolve()
