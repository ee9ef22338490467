"""Microsoft's own Python clients against the Azure emulator, as the referee of its answers.

``azure-monitor-query`` (``LogsQueryClient``), ``azure-mgmt-loganalytics`` and
``azure-mgmt-securityinsight`` talk to the emulator (``testing/azure-emulator``, over HTTPS with
its self-signed certificate) with tokens ``azure-identity`` gets from the emulator's Entra token
endpoint. Every response has to deserialize in their models, and every query value has to equal
what ``bin/kql run`` answers for the same query on the same workspace folder.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.identity import ClientSecretCredential
from azure.mgmt.loganalytics import LogAnalyticsManagementClient
from azure.mgmt.securityinsight import SecurityInsights
from azure.mgmt.securityinsight.models import Bookmark, Relation
from azure.monitor.query import (
    LogsBatchQuery,
    LogsQueryClient,
    LogsQueryError,
    LogsQueryPartialResult,
    LogsQueryResult,
    LogsQueryStatus,
    LogsTable,
)

from jupyterlab_sentinel.demo import generate

ROOT = Path(__file__).resolve().parent.parent
EMULATOR = ROOT / "build" / "emulator" / "testing" / "azure-emulator" / "main.js"
KQL = ROOT / "bin" / "kql"
DEMO_END = datetime(2026, 11, 1, 12)
#: Rows a query returns before the emulator answers a partial result.
MAX_ROWS = 1000

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None, reason="the Azure emulator and bin/kql need Node.js"
)

LA_AUDIENCE = "https://api.loganalytics.io"
ARM_SCOPE = "https://management.azure.com/.default"

#: Every KQL type, with a long past 2^53 and datetimes past the millisecond.
ALL_TYPES = (
    'print s="a", e="", i=int(7), l=9007199254740993, r=1.5, b=true,'
    " d=datetime(2024-01-02T03:04:05.123456Z), t=1d+2h+3s+400ms, t2=-90m,"
    " g=guid(6f2b1c3a-0000-4000-8000-000000000001),"
    ' dyn=dynamic({"k":[1,2.5,"x"]}), dec=decimal(1.25),'
    " n=real(nan), inf=real(+inf), ln=long(null), bn=bool(null), dn=datetime(null)"
)
#: Digits `bin/kql run --format json` cannot print (it writes JavaScript numbers): checked against
#: the query's own literals instead.
EXACT = (
    "print l=9007199254740993, dec=decimal(12345678901234567.125),"
    ' dyn=dynamic({"big":9007199254740993})'
)
SIGNINS = (
    "SigninLogs | summarize n = count(), latest = max(TimeGenerated) by ResultType"
    " | order by ResultType asc"
)
PARTIAL = f"range x from 1 to {MAX_ROWS + 5} step 1"
RENDER = (
    "SigninLogs | summarize n = count() by ResultType | order by ResultType asc"
    ' | render columnchart with (xcolumn=ResultType, ycolumns=n, title="Sign-ins", ytitle="Count")'
)
COUNT = "SigninLogs | count"
#: Two tabular statements sharing a let: two result tables.
BATCH = (
    "let failed = SigninLogs | where ResultType != '0'; failed | count;\n"
    "failed | summarize n = count() by ResultType | order by ResultType asc"
)
QUERIES = [ALL_TYPES, SIGNINS, PARTIAL, RENDER, COUNT]


@dataclass
class Emulator:
    """A running emulator and what a client needs to reach it."""

    url: str
    port: int
    certificate: str
    fixture: dict[str, Any]
    credential: ClientSecretCredential

    def workspace(self, name: str) -> dict[str, Any]:
        return next(w for w in self.fixture["workspaces"] if w["name"] == name)

    def logs(self) -> LogsQueryClient:
        return LogsQueryClient(
            self.credential,
            endpoint=f"{self.url}/v1",
            audience=LA_AUDIENCE,
            connection_verify=self.certificate,
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def unverified_json(url: str) -> Any:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(url, context=context, timeout=5) as response:
        return json.loads(response.read())


def ensure_built() -> None:
    """bin/kql and the emulator are compiled by `jlpm build:cli` and `jlpm build:emulator`; built
    here when missing."""
    if EMULATOR.is_file() and (ROOT / "build" / "cli" / "kql" / "node" / "cli.js").is_file():
        return
    jlpm = shutil.which("jlpm")
    if jlpm is None:
        pytest.fail(
            "build/cli or build/emulator is missing and jlpm is not on PATH to build them "
            "(jlpm build:cli && jlpm build:emulator)"
        )
    for script in ("build:cli", "build:emulator"):
        subprocess.run([jlpm, script], cwd=ROOT, check=True, timeout=600)


def kql_run(folder: Path, queries: list[str]) -> dict[str, dict[str, Any]]:
    """The first table `bin/kql run --format json` prints for each query."""
    return {q: answer["tables"][0] for q, answer in kql_answers(folder, queries).items()}


def kql_answers(folder: Path, queries: list[str]) -> dict[str, dict[str, Any]]:
    """`bin/kql run --format json` of each query (run side by side: each loads Kusto.Language)."""
    running = {
        q: subprocess.Popen(
            [str(KQL), "run", "--workspace", str(folder), "--format", "json", q],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for q in queries
    }
    answers = {}
    for query, process in running.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        answers[query] = json.loads(out)
    return answers


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("azure-clients") / "demo"
    generate(path, seed=7, scale=0.05, end=DEMO_END)
    return path


@pytest.fixture(scope="module")
def expected(demo: Path) -> dict[str, dict[str, Any]]:
    ensure_built()
    return kql_run(demo, QUERIES)


@pytest.fixture(scope="module")
def emulator(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    ensure_built()
    port = free_port()
    process = subprocess.Popen(
        [
            *("node", str(EMULATOR), "--https", "--port", str(port)),
            *("--workspace", str(demo), "--max-rows", str(MAX_ROWS)),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fixture = unverified_json(f"{url}/__emulator/fixture")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the emulator did not start: {process.stderr.read()}")  # type: ignore[union-attr]
                time.sleep(0.2)
        # Trust the emulator's self-signed certificate, as a client trusts a private CA.
        certificate = tmp_path_factory.mktemp("emulator-cert") / "emulator.pem"
        certificate.write_text(ssl.get_server_certificate(("127.0.0.1", port)))
        credential = ClientSecretCredential(
            fixture["tenantId"],
            "pytest-client",
            "pytest-secret",
            authority=f"127.0.0.1:{port}",
            disable_instance_discovery=True,
            connection_verify=str(certificate),
        )
        yield Emulator(url, port, str(certificate), fixture, credential)
    finally:
        process.terminate()
        process.wait(timeout=30)


# Values as the Python client hands them over, and as `bin/kql run` prints them, made comparable.

_TIMESPAN = re.compile(
    r"^(?P<sign>-)?(?:(?P<days>\d+)\.)?(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})(?:\.(?P<f>\d+))?$"
)


def timespan(text: str) -> timedelta:
    match = _TIMESPAN.match(text)
    assert match, text
    value = timedelta(
        days=int(match["days"] or 0),
        hours=int(match["h"]),
        minutes=int(match["m"]),
        seconds=int(match["s"]),
        microseconds=int((match["f"] or "0").ljust(6, "0")[:6]),
    )
    return -value if match["sign"] else value


def normal(value: Any, kind: str) -> Any:
    """One value, whichever side it came from, as a Python value of its KQL type."""
    if value is None:
        return None
    if kind in ("int", "long"):
        return int(value)
    if kind == "real":
        number = (
            float(value) if not isinstance(value, str) else float(value.replace("Infinity", "inf"))
        )
        return "NaN" if math.isnan(number) else number
    if kind == "decimal":
        return Decimal(str(value))
    if kind == "datetime":
        if isinstance(value, datetime):
            return value.astimezone(timezone.utc)
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    if kind == "timespan":
        return timespan(value) if isinstance(value, str) else value
    if kind == "dynamic":
        return json.loads(value) if isinstance(value, str) else value
    return value


def assert_same_table(table: LogsTable, expected: dict[str, Any], rows: int | None = None) -> None:
    columns = [(c["name"], c["type"]) for c in expected["columns"]]
    assert list(zip(table.columns, table.columns_types, strict=True)) == columns
    kinds = [kind for _, kind in columns]
    want = expected["rows"][:rows] if rows is not None else expected["rows"]
    got = [[normal(v, k) for v, k in zip(row, kinds, strict=True)] for row in table.rows]
    assert got == [[normal(v, k) for v, k in zip(row, kinds, strict=True)] for row in want]


def only_table(result: LogsQueryResult | LogsQueryPartialResult) -> LogsTable:
    """The only table of a successful answer."""
    assert isinstance(result, LogsQueryResult), result
    [only] = result.tables
    return only


def test_query_workspace_answers_what_kql_run_answers(
    emulator: Emulator, expected: dict[str, dict[str, Any]]
) -> None:
    client = emulator.logs()
    sentinel = emulator.workspace("sentinel-demo")
    for query in (ALL_TYPES, SIGNINS):
        result = client.query_workspace(sentinel["customerId"], query, timespan=None)
        assert isinstance(result, LogsQueryResult)
        assert result.status == LogsQueryStatus.SUCCESS
        [table] = result.tables
        assert table.name == "PrimaryResult"
        assert_same_table(table, expected[query])
    # Every digit is on the wire: the long as a JSON number, the decimal as Kusto's string.
    [row] = only_table(client.query_workspace(sentinel["customerId"], EXACT, timespan=None)).rows
    assert row[0] == 9007199254740993
    assert row[1] == "12345678901234567.125"
    assert json.loads(row[2]) == {"big": 9007199254740993}


def test_a_batch_answers_one_table_per_statement(emulator: Emulator, demo: Path) -> None:
    """`A; B` returns one table per tabular statement, named as the service names them, with the
    values `bin/kql run` prints for each."""
    [expected] = kql_answers(demo, [BATCH]).values()
    assert [t["name"] for t in expected["tables"]] == ["PrimaryResult", "Table_1"]
    client = emulator.logs()
    sentinel = emulator.workspace("sentinel-demo")["customerId"]
    result = client.query_workspace(sentinel, BATCH, timespan=None)
    assert isinstance(result, LogsQueryResult)
    assert [t.name for t in result.tables] == ["PrimaryResult", "Table_1"]
    for table, want in zip(result.tables, expected["tables"], strict=True):
        assert_same_table(table, want)
    assert len(result.tables[1].rows) > 1


def test_timespans_restrict_the_query(emulator: Emulator) -> None:
    client = emulator.logs()
    sentinel = emulator.workspace("sentinel-demo")["customerId"]
    end = DEMO_END.replace(tzinfo=timezone.utc)

    def count(span: Any) -> int:
        return int(only_table(client.query_workspace(sentinel, COUNT, timespan=span)).rows[0][0])

    whole = count(None)
    day = count((end - timedelta(days=1), end))
    assert 0 < day < whole
    assert count((end - timedelta(days=1), timedelta(days=1))) == day
    assert count((end - timedelta(days=2), end)) > day


def test_errors_are_the_service_errors(emulator: Emulator) -> None:
    client = emulator.logs()
    sentinel = emulator.workspace("sentinel-demo")["customerId"]
    with pytest.raises(HttpResponseError) as syntax:
        client.query_workspace(sentinel, "SigninLogs\n| where", timespan=None)
    assert syntax.value.status_code == 400
    assert syntax.value.error is not None
    assert syntax.value.error.code == "BadArgumentError"
    inner = syntax.value.error.innererror
    assert inner["code"] == "SyntaxError"
    assert inner["innererror"]["code"] == "SYN0002"
    assert (inner["innererror"]["line"], inner["innererror"]["pos"]) == (2, 7)
    with pytest.raises(HttpResponseError) as missing:
        client.query_workspace(str(uuid.uuid4()), "print 1", timespan=None)
    assert missing.value.status_code == 404
    assert missing.value.error is not None
    assert missing.value.error.code == "PathNotFoundError"


def test_a_partial_result_keeps_its_rows(
    emulator: Emulator, expected: dict[str, dict[str, Any]]
) -> None:
    client = emulator.logs()
    sentinel = emulator.workspace("sentinel-demo")["customerId"]
    result = client.query_workspace(sentinel, PARTIAL, timespan=None)
    assert isinstance(result, LogsQueryPartialResult)
    assert result.status == LogsQueryStatus.PARTIAL
    assert result.partial_error is not None
    assert result.partial_error.code == "PartialError"
    assert_same_table(result.partial_data[0], expected[PARTIAL], rows=MAX_ROWS)


def test_visualization_is_in_the_service_spelling(
    emulator: Emulator, expected: dict[str, dict[str, Any]]
) -> None:
    result = emulator.logs().query_workspace(
        emulator.workspace("sentinel-demo")["customerId"],
        RENDER,
        timespan=None,
        include_visualization=True,
        include_statistics=True,
    )
    assert isinstance(result, LogsQueryResult)
    assert_same_table(result.tables[0], expected[RENDER])
    assert result.visualization is not None
    assert result.visualization["visualization"] == "columnchart"
    assert result.visualization["xColumn"] == "ResultType"
    assert result.visualization["yColumns"] == "n"
    assert result.visualization["yTitle"] == "Count"
    assert result.visualization["xTitle"] is None
    assert result.statistics is not None
    assert result.statistics["query"]["executionTime"] >= 0


def test_query_batch(emulator: Emulator, expected: dict[str, dict[str, Any]]) -> None:
    sentinel = emulator.workspace("sentinel-demo")["customerId"]
    results = emulator.logs().query_batch(
        [
            LogsBatchQuery(sentinel, SIGNINS, timespan=None),
            LogsBatchQuery(sentinel, "SigninLogs | where", timespan=None),
            LogsBatchQuery(sentinel, PARTIAL, timespan=None),
            LogsBatchQuery(sentinel, ALL_TYPES, timespan=None, include_statistics=True),
        ]
    )
    ok, bad, partial, types = results
    assert isinstance(ok, LogsQueryResult)
    assert_same_table(ok.tables[0], expected[SIGNINS])
    assert isinstance(bad, LogsQueryError)
    assert bad.code == "BadArgumentError"
    assert isinstance(partial, LogsQueryPartialResult)
    assert_same_table(partial.partial_data[0], expected[PARTIAL], rows=MAX_ROWS)
    assert isinstance(types, LogsQueryResult)
    assert_same_table(types.tables[0], expected[ALL_TYPES])
    assert types.statistics is not None


def test_query_resource_and_additional_workspaces(
    emulator: Emulator, expected: dict[str, dict[str, Any]]
) -> None:
    client = emulator.logs()
    sentinel = emulator.workspace("sentinel-demo")
    plain = emulator.workspace("plain-logs")
    resource_id = (
        f"/subscriptions/{sentinel['subscriptionId']}/resourceGroups/{sentinel['resourceGroup']}"
        f"/providers/Microsoft.OperationalInsights/workspaces/{sentinel['name']}"
    )
    result = client.query_resource(resource_id, SIGNINS, timespan=None)
    assert isinstance(result, LogsQueryResult)
    assert_same_table(result.tables[0], expected[SIGNINS])
    # Both workspaces read the demo folder: the union counts every row twice.
    [[alone]] = expected[COUNT]["rows"]
    for other in (plain["customerId"], plain["name"]):
        union = client.query_workspace(
            sentinel["customerId"], COUNT, timespan=None, additional_workspaces=[other]
        )
        assert only_table(union).rows[0][0] == 2 * int(alone)
    union = client.query_resource(
        resource_id, COUNT, timespan=None, additional_workspaces=[plain["customerId"]]
    )
    assert only_table(union).rows[0][0] == 2 * int(alone)


def test_workspaces_are_listed_per_subscription(emulator: Emulator) -> None:
    listed = {}
    for subscription in {w["subscriptionId"] for w in emulator.fixture["workspaces"]}:
        client = LogAnalyticsManagementClient(
            emulator.credential,
            subscription,
            base_url=emulator.url,
            credential_scopes=[ARM_SCOPE],
            connection_verify=emulator.certificate,
        )
        for workspace in client.workspaces.list():
            listed[workspace.name] = workspace
    assert set(listed) == {w["name"] for w in emulator.fixture["workspaces"]}
    for fixture in emulator.fixture["workspaces"]:
        workspace = listed[fixture["name"]]
        assert workspace.customer_id == fixture["customerId"]
        assert workspace.location == fixture["location"]
        assert workspace.provisioning_state == "Succeeded"


def test_an_api_version_the_provider_lacks_is_refused(emulator: Emulator) -> None:
    subscription = emulator.fixture["workspaces"][0]["subscriptionId"]
    client = LogAnalyticsManagementClient(
        emulator.credential,
        subscription,
        base_url=emulator.url,
        credential_scopes=[ARM_SCOPE],
        connection_verify=emulator.certificate,
        api_version="1999-01-01",
    )
    with pytest.raises(HttpResponseError) as refused:
        list(client.workspaces.list())
    assert refused.value.status_code == 400
    assert refused.value.error is not None
    assert refused.value.error.code == "NoRegisteredProviderFound"


def test_bookmarks_and_incident_relations(emulator: Emulator) -> None:
    sentinel = emulator.workspace("sentinel-demo")
    group, name = sentinel["resourceGroup"], sentinel["name"]
    client = SecurityInsights(
        emulator.credential,
        sentinel["subscriptionId"],
        base_url=emulator.url,
        credential_scopes=[ARM_SCOPE],
        connection_verify=emulator.certificate,
    )
    bookmark_id = str(uuid.uuid4())
    created = client.bookmarks.create_or_update(
        group,
        name,
        bookmark_id,
        Bookmark(
            display_name="Password spray from 203.0.113.7",
            query="SigninLogs | where ResultType == '50126'",
            query_result=json.dumps({"IPAddress": "203.0.113.7"}),
            notes="Forty accounts in ten minutes",
            labels=["spray", "triage"],
            event_time=DEMO_END.replace(tzinfo=timezone.utc),
        ),
    )
    assert isinstance(created, Bookmark)
    assert created.name == bookmark_id
    assert created.labels == ["spray", "triage"]
    assert created.created_by is not None and created.created_by.object_id
    updated = client.bookmarks.create_or_update(
        group,
        name,
        bookmark_id,
        Bookmark(display_name=created.display_name, query=created.query, notes="Confirmed"),
    )
    assert updated.notes == "Confirmed"
    assert updated.created == created.created
    # The SDK annotates its pagers with the page model; they yield the items.
    listed = [b.name for b in client.bookmarks.list(group, name)]  # type: ignore[attr-defined]
    assert bookmark_id in listed

    incident = str(next(iter(client.incidents.list(group, name))).name)  # type: ignore[attr-defined]
    relation = client.incident_relations.create_or_update(
        group, name, incident, "spray-bookmark", Relation(related_resource_id=created.id)
    )
    assert isinstance(relation, Relation)
    assert relation.related_resource_name == bookmark_id
    assert [r.name for r in client.incident_relations.list(group, name, incident)] == [
        "spray-bookmark"
    ]
    linked = client.bookmarks.get(group, name, bookmark_id)
    assert linked.incident_info is not None
    assert linked.incident_info.incident_id == incident

    client.bookmarks.delete(group, name, bookmark_id)
    with pytest.raises(ResourceNotFoundError):
        client.bookmarks.get(group, name, bookmark_id)

    # Each write is an audit row of HuntingBookmark, which the query API reads.
    audit = emulator.logs().query_workspace(
        sentinel["customerId"],
        f"HuntingBookmark | where BookmarkId == '{bookmark_id}' | order by TimeGenerated asc"
        " | project Notes, SoftDeleted",
        timespan=None,
    )
    assert [list(r) for r in only_table(audit).rows] == [
        ["Forty accounts in ten minutes", False],
        ["Confirmed", False],
        ["Confirmed", True],
    ]


def test_a_token_from_the_emulator_is_accepted_only_for_its_audience(emulator: Emulator) -> None:
    token: AccessToken = emulator.credential.get_token(ARM_SCOPE)
    request = urllib.request.Request(
        f"{emulator.url}/v1/workspaces/{emulator.workspace('sentinel-demo')['customerId']}/query",
        data=json.dumps({"query": "print 1"}).encode(),
        headers={"Authorization": f"Bearer {token.token}", "Content-Type": "application/json"},
        method="POST",
    )
    context = ssl.create_default_context(cafile=emulator.certificate)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, context=context, timeout=10)
    assert refused.value.code == 403
    assert json.loads(refused.value.read())["error"]["code"] == "InvalidAuthenticationTokenAudience"


def test_a_job_runs_the_kql_again_with_its_own_credential(
    emulator: Emulator, expected: dict[str, dict[str, Any]], tmp_path: Path, monkeypatch: Any
) -> None:
    """What a scheduled notebook job does for a KQL cell of an Azure workspace
    (``jupyterlab_sentinel/job.py``): the cell's KQL to the query API with a service principal's
    token (the emulator's token endpoint here, as ``azure_credential`` gets one from Entra), the
    answer converted as in JupyterLab."""
    from jupyterlab_sentinel import job

    monkeypatch.setattr(job, "azure_credential", lambda: emulator.credential)
    # The query API's certificate: the emulator's, trusted as a private CA.
    monkeypatch.setenv("SSL_CERT_FILE", emulator.certificate)
    rerun = job.Rerun.parse(
        {
            "backend": "azure",
            "workspace": "sentinel-demo",
            "now": "2026-11-01T12:00:00.000Z",
            "endpoint": emulator.url,
            "scope": f"{LA_AUDIENCE}/.default",
            "customerId": emulator.workspace("sentinel-demo")["customerId"],
            "kql": SIGNINS,
        }
    )
    settings = job.JobSettings(notebook=str(tmp_path / "hunt.ipynb"))
    now = datetime.now(timezone.utc)
    answer = job.run_again(rerun, settings, 0, tmp_path, "results/signins.parquet", now)
    table = pq.read_table(tmp_path / "results" / "signins.parquet")
    assert answer["rowCount"] == table.num_rows == len(expected[SIGNINS]["rows"])
    assert table.column("ResultType").to_pylist() == [r[0] for r in expected[SIGNINS]["rows"]]


def test_a_job_signs_in_as_a_service_principal_or_managed_identity_only() -> None:
    from azure.identity import (
        ChainedTokenCredential,
        EnvironmentCredential,
        ManagedIdentityCredential,
    )

    from jupyterlab_sentinel.job import azure_credential

    credential = azure_credential()
    assert isinstance(credential, ChainedTokenCredential)
    assert [type(c) for c in credential.credentials] == [
        EnvironmentCredential,
        ManagedIdentityCredential,
    ]
