"""The Spark SQL dialect of the KQL compiler, run on a real local Spark: the rows of each query must
be DuckDB's for the same data (DuckDB's dialect is the one measured against Kusto's documented
output). Skipped where pyspark is absent; run alone with ``-m spark``, from a venv holding pyspark,
duckdb and pytest (see ``src/kql/ARCHITECTURE.md``, "The Spark dialect").
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed")
duckdb = pytest.importorskip("duckdb")

from pyspark.sql import SparkSession  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KQL = ROOT / "bin" / "kql"

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        not (ROOT / "build" / "cli").is_dir() or shutil.which("node") is None,
        reason="the KQL compiler's command line is built by `jlpm build:cli`",
    ),
]

COLUMNS: list[tuple[str, str]] = [
    ("TimeGenerated", "datetime"),
    ("UserPrincipalName", "string"),
    ("AppDisplayName", "string"),
    ("ResultType", "string"),
    ("IPAddress", "string"),
    ("Attempts", "long"),
    ("Score", "real"),
    ("Props", "dynamic"),
]


def _t(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 1, day, hour, minute, 0)


# Nulls, empty strings, mixed case, terms inside words, several rows per key, JSON of each kind.
ROWS: list[tuple[Any, ...]] = [
    (
        _t(1, 9),
        "alice@contoso.com",
        "Azure Portal",
        "0",
        "10.0.0.1",
        1,
        1.5,
        '{"city": "Paris", "tags": ["a", "b"], "n": 3}',
    ),
    (
        _t(1, 9, 30),
        "alice@contoso.com",
        "Azure Portal",
        "50126",
        "10.0.0.1",
        3,
        2.25,
        '{"city": "Paris", "tags": [], "n": 1}',
    ),
    (
        _t(1, 10, 15),
        "bob@contoso.com",
        "Office 365",
        "0",
        "192.168.1.7",
        2,
        None,
        '{"city": "Berlin", "tags": ["c"], "n": 2}',
    ),
    (
        _t(2, 11),
        "Bob@Contoso.com",
        "Office365 Exchange",
        "50053",
        "",
        5,
        -0.5,
        '{"city": null, "n": 7}',
    ),
    (_t(2, 23, 59), "carol@fabrikam.com", None, "0", None, None, 10.0, "[1, 2, 3]"),
    (_t(3, 0, 1), "", "Azure Portal", "", "10.0.0.2", 0, 0.0, '"just text"'),
    (_t(3, 12), "dave@fabrikam.com", "Teams", "50126", "10.0.0.3", 8, 3.75, None),
    (
        _t(3, 12),
        "dave@fabrikam.com",
        "Teams",
        "0",
        "10.0.0.3",
        8,
        3.75,
        '{"city": "Oslo", "tags": ["a"], "n": 4}',
    ),
]

QUERIES: list[str] = [
    "T | where ResultType != '0' | project UserPrincipalName, ResultType",
    "T | where UserPrincipalName has 'contoso' | count",
    "T | where AppDisplayName has 'office' | project AppDisplayName",
    "T | where AppDisplayName contains 'PORT' | project TimeGenerated",
    (
        "T | where AppDisplayName startswith 'azure' or AppDisplayName endswith 'ams'"
        " | project AppDisplayName"
    ),
    "T | where isempty(IPAddress) | project UserPrincipalName",
    "T | where isnotempty(AppDisplayName) | summarize n = count() by AppDisplayName",
    "T | summarize Attempts = sum(Attempts), Apps = dcount(AppDisplayName) by UserPrincipalName",
    "T | summarize count() by bin(TimeGenerated, 1d)",
    "T | summarize count() by bin(TimeGenerated, 6h), ResultType",
    "T | summarize arg_max(TimeGenerated, *) by UserPrincipalName",
    "T | summarize arg_max(TimeGenerated, ResultType) by tolower(UserPrincipalName)",
    (
        "T | summarize make_set(ResultType) by UserPrincipalName"
        " | extend n = array_length(set_ResultType) | project UserPrincipalName, n"
    ),
    (
        "T | extend City = tostring(Props.city), N = toint(Props.n)"
        " | project UserPrincipalName, City, N"
    ),
    "T | extend Tag = tostring(Props.tags[0]) | where isnotempty(Tag) | project Tag",
    "T | extend Kind = gettype(Props) | project Kind",
    "T | mv-expand Tag = Props.tags | extend Tag = tostring(Tag) | project UserPrincipalName, Tag",
    (
        "T | extend Hour = datetime_part('hour', TimeGenerated), Day = dayofweek(TimeGenerated)"
        " | project Hour, Day"
    ),
    "T | extend Since = TimeGenerated - datetime(2024-01-01) | project Since",
    (
        "T"
        " | where TimeGenerated between (datetime(2024-01-01 09:15) .. datetime(2024-01-02 12:00))"
        " | project UserPrincipalName"
    ),
    (
        "T | extend Start = startofday(TimeGenerated), Week = startofweek(TimeGenerated)"
        " | project Start, Week"
    ),
    "T | extend S = strcat(UserPrincipalName, '/', AppDisplayName, '/', Attempts) | project S",
    (
        "T"
        " | extend L = strlen(UserPrincipalName), U = toupper(AppDisplayName), Sub ="
        " substring(IPAddress, 0, 4)"
        " | project L, U, Sub"
    ),
    (
        "T | extend Parts = split(UserPrincipalName, '@') | extend Domain = tostring(Parts[1])"
        " | project Domain"
    ),
    (
        "T | extend C = unicode_codepoints_from_string(AppDisplayName), Chars ="
        " split(UserPrincipalName, ''), Sep = '' | extend ByColumn = split(IPAddress, Sep)"
        " | project C, Chars, ByColumn"
    ),
    "T | extend M = extract('([0-9]+)\\\\.([0-9]+)', 2, IPAddress) | project M",
    "T | where IPAddress matches regex '^10\\\\.0\\\\.0\\\\.[12]$' | project IPAddress",
    "T | extend R = replace_string(AppDisplayName, 'Azure', 'AZ') | project R",
    "T | where ResultType in ('50126', '50053') | project UserPrincipalName",
    "T | where UserPrincipalName in~ ('BOB@CONTOSO.COM') | project ResultType",
    "T | where AppDisplayName has_any ('teams', 'exchange') | project AppDisplayName",
    (
        "T"
        " | extend F = iff(Attempts > 2, 'many', 'few'), C = case(Score > 3, 'high', Score > 1,"
        " 'mid', 'low')"
        " | project F, C"
    ),
    "T | extend D = Attempts / 2, Mod = Attempts % 3, X = Score * 2 | project D, Mod, X",
    "T | extend R = round(Score, 1), F = floor(Score, 1.0) | project R, F",
    "T | summarize avg(Score), min(Score), max(Score), stdev(Score) by ResultType",
    "T | summarize countif(ResultType == '0'), dcountif(UserPrincipalName, Attempts > 1)",
    "T | top 3 by Attempts desc nulls last | project UserPrincipalName, Attempts",
    "T | sort by TimeGenerated asc | take 2 | project TimeGenerated",
    "T | distinct AppDisplayName",
    "T | summarize c = count() by UserPrincipalName | where c > 1",
    (
        "T | join kind=inner (T | where ResultType == '0'"
        " | project UserPrincipalName, Ok = TimeGenerated) on UserPrincipalName"
        " | project UserPrincipalName, Ok"
    ),
    (
        "T | join kind=innerunique (T"
        " | project UserPrincipalName, Other = ResultType) on UserPrincipalName"
        " | project UserPrincipalName, Other"
    ),
    (
        "T | join kind=leftouter (T | where ResultType != '0'"
        " | project UserPrincipalName, Failed = ResultType) on UserPrincipalName"
        " | project UserPrincipalName, Failed"
    ),
    (
        "T | join kind=leftanti (T | where ResultType == '0') on UserPrincipalName"
        " | project UserPrincipalName"
    ),
    "union (T | where ResultType == '0' | project UserPrincipalName), (T | project AppDisplayName)",
    (
        "T | extend Pair = pack('u', UserPrincipalName, 'n', Attempts)"
        " | project P = tostring(Pair.u), N = toint(Pair.n)"
    ),
    "T | extend A = pack_array(Attempts, Score) | project A0 = tolong(A[0])",
    (
        "T | summarize Users = make_list(UserPrincipalName) by ResultType"
        " | project ResultType, n = array_length(Users)"
    ),
    "T | extend P = parse_json('{\"k\": [1, 2]}') | project K = tolong(P.k[1])",
    "T | extend Ts = tostring(TimeGenerated) | project Ts",
    "T | extend Span = tostring(TimeGenerated - datetime(2024-01-01 08:00)) | project Span",
    "T | extend Ticks = tolong(TimeGenerated) | project Ticks",
    "T | where TimeGenerated > datetime(2024-01-02) | summarize max(TimeGenerated)",
    "T | parse UserPrincipalName with User '@' Domain | project User, Domain",
    "T | extend Ago = TimeGenerated > ago(3650d) | project Ago",
    "T | project-away Props | project-rename User = UserPrincipalName | project User",
    "T | where not(AppDisplayName has 'azure') | project AppDisplayName",
    "T | where UserPrincipalName !has 'fabrikam' | count",
    "T | serialize | extend Prev = prev(Attempts) | project Attempts, Prev",
    "T | extend Ip = parse_ipv4(IPAddress) | project Ip",
    "T | summarize percentile(Attempts, 50) by ResultType",
    "range i from 1 to 9 step 3 | extend j = i * 2",
    "range i from 5 to 1 step 1 | count",
    "range d from datetime(2024-01-01) to datetime(2024-01-03) step 1d | project d",
    (
        "T | where UserPrincipalName != 'dave@fabrikam.com'"
        " | summarize n = count(), arg_max(TimeGenerated, ResultType, AppDisplayName)"
        " by UserPrincipalName"
    ),
    (
        "T | make-series n = count() default = 0 on TimeGenerated"
        " from datetime(2024-01-01) to datetime(2024-01-04) step 1d by ResultType"
    ),
    (
        "let apps = T | where Attempts > 2 | project AppDisplayName;"
        " T | where AppDisplayName has_any (apps) | project UserPrincipalName"
    ),
    (
        "T | extend d = pack_array(ResultType, Attempts)"
        " | summarize s = make_set(d) | project n = array_length(s)"
    ),
    (
        "T | extend u = parse_url(strcat('https://h.example/p?user=', UserPrincipalName, '&a=1'))"
        " | project q = tostring(u.['Query Parameters'].user)"
    ),
    "T | extend b = bag_pack('n', Attempts, 's', Score) | project t = gettype(b.n)",
]


def kql(*args: str) -> str:
    done = subprocess.run(
        [str(KQL), *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def schema_file() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.json"
        path.write_text(json.dumps({"T": [[name, kind] for name, kind in COLUMNS]}))
        yield path


@pytest.fixture(scope="module")
def duck() -> Iterator[Any]:
    connection = duckdb.connect()
    connection.execute(
        'CREATE TABLE "T" ("TimeGenerated" TIMESTAMP, "UserPrincipalName" VARCHAR, '
        '"AppDisplayName" VARCHAR, "ResultType" VARCHAR, "IPAddress" VARCHAR, '
        '"Attempts" BIGINT, "Score" DOUBLE, "Props" JSON)'
    )
    connection.executemany('INSERT INTO "T" VALUES (?, ?, ?, ?, ?, ?, ?, ?)', ROWS)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    # One session for the module: starting Spark takes seconds.
    session = (
        SparkSession.builder.master("local[1]")
        .appName("kql-spark-dialect")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("OFF")
    for statement in kql("prelude", "--dialect", "spark").split(";\n"):
        if statement.strip():
            session.sql(statement)
    session.createDataFrame(
        ROWS,
        "TimeGenerated TIMESTAMP, UserPrincipalName STRING, AppDisplayName STRING, "
        "ResultType STRING, IPAddress STRING, Attempts BIGINT, Score DOUBLE, Props STRING",
    ).createOrReplaceTempView("T_text")
    # Lake tables hold dynamic columns as JSON text; the workspace reads them as VARIANT.
    session.sql(
        "CREATE OR REPLACE TEMPORARY VIEW T AS SELECT * EXCEPT (Props), "
        "try_parse_json(Props) AS Props FROM T_text"
    )
    yield session
    session.stop()


def canonical(value: Any) -> Any:
    """A value as both engines' results compare: JSON text parsed, reals rounded, instants naive."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        return json.dumps(parsed, sort_keys=True) if isinstance(parsed, (dict, list)) else value
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else round(value, 9)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def rows(values: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted((tuple(canonical(v) for v in row) for row in values), key=repr)


@pytest.fixture(scope="module")
def compiled(schema_file: Path) -> dict[str, list[str]]:
    """Each query's SQL in each dialect, compiled as one batch per dialect (one Node process)."""
    batch = ";\n".join(QUERIES)
    sql: dict[str, list[str]] = {}
    for dialect in ("duckdb", "spark"):
        text = kql("compile", "--dialect", dialect, "--schema", str(schema_file), batch)
        statements = re.split(r"^-- \w+\n", text, flags=re.MULTILINE)[1:]
        sql[dialect] = [s.rstrip().removesuffix(";") for s in statements]
        assert len(sql[dialect]) == len(QUERIES)
    return sql


@pytest.mark.parametrize("index", range(len(QUERIES)), ids=QUERIES)
def test_spark_gives_duckdbs_rows(
    index: int, compiled: dict[str, list[str]], duck: Any, spark: SparkSession
) -> None:
    expected = rows(duck.execute(compiled["duckdb"][index]).fetchall())
    actual = rows([tuple(r) for r in spark.sql(compiled["spark"][index]).collect()])
    assert actual == expected
