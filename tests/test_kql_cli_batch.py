"""``bin/kql`` on a batch (``A; B``): one result table per tabular statement, as Kusto answers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KQL = ROOT / "bin" / "kql"

pytestmark = pytest.mark.skipif(
    not (ROOT / "build" / "cli").is_dir() or shutil.which("node") is None,
    reason="the KQL compiler's command line is built by `jlpm build:cli`",
)

BATCH = (
    'let T = datatable(n:long, s:string) [1, "a", 2, "b"]; T | count; T | where n > 1 | project s'
)


def kql(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KQL), *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_run_prints_every_table_under_its_name() -> None:
    done = kql("run", BATCH)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n") == [
        "PrimaryResult:",
        "Count",
        "-----",
        "2",
        "(1 rows)",
        "",
        "Table_1:",
        "s",
        "-",
        "b",
        "(1 rows)",
        "",
    ]


def test_compile_prints_each_statement_sql_under_its_table() -> None:
    done = kql("compile", BATCH)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("-- PrimaryResult\n")
    assert "\n-- Table_1\n" in done.stdout
    assert done.stdout.count(";\n") == 2


def test_an_error_in_a_later_statement_stops_the_batch_at_its_place() -> None:
    done = kql("run", "print a = 1;\nprint b = nope")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("2:11: error KS142")
