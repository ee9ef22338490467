"""``bin/kql hunt`` and the shipped demo pack (issue 19).

The pack in ``jupyterlab_sentinel/hunts/demo`` has one Sentinel rule per stage of the attack in
``demo/STORY.md``: on the demo workspace each fires with exactly the attack's rows, and over the
weeks before the attack (only ordinary activity) none has a hit.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_sentinel.demo.generator import generate

ROOT = Path(__file__).resolve().parent.parent
KQL = ROOT / "bin" / "kql"
PACK = ROOT / "jupyterlab_sentinel" / "hunts" / "demo"
END = datetime(2024, 6, 30, 12, tzinfo=timezone.utc)

pytestmark = pytest.mark.skipif(
    not (ROOT / "build" / "cli").is_dir() or shutil.which("node") is None,
    reason="the KQL compiler's command line is built by `jlpm build` (make build)",
)

# Rows each stage's rule returns: the attack's, and nothing else (STORY.md).
STAGES = {
    "1-password-spray.yaml": 3,  # the three spray addresses
    "2-spray-then-success.yaml": 1,  # adele.vance from 203.0.113.42
    "3-new-country.yaml": 2,  # NL (the compromise) and NG (Lagos)
    "4-mailbox-forwarding.yaml": 2,  # New-InboxRule and Set-Mailbox
    "5-encoded-powershell.yaml": 1,
    "6-psexec-lateral-movement.yaml": 2,  # PsExec64 on WKS-0042, PSEXESVC on SRV-FILE01
    "7-large-upload.yaml": 1,  # 871,234,560 bytes to 203.0.113.50
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hunts") / "demo"
    generate(path, scale=0.2, end=END)
    return path


def hunt(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KQL), "hunt", *args], capture_output=True, text=True, timeout=300, check=False
    )


def hunt_json(*args: str) -> tuple[int, dict[str, Any]]:
    done = hunt("--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_every_stage_of_the_attack_fires(demo: Path) -> None:
    status, report = hunt_json("--workspace", str(demo), "--end", END.isoformat(), str(PACK))
    assert status == 1
    rules = {Path(r["file"]).name: r for r in report["rules"]}
    assert {name: (r["outcome"], r["rows"], r["fired"]) for name, r in rules.items()} == {
        name: ("hits", rows, True) for name, rows in STAGES.items()
    }
    assert report["fired"] == len(STAGES)
    assert report["invalid"] == []
    spray = rules["1-password-spray.yaml"]
    assert spray["tactics"] == ["CredentialAccess"]
    assert spray["techniques"] == ["T1110.003"]
    assert spray["trigger"] == {"operator": "gt", "threshold": 0}
    # Each rule looks back over its own queryPeriod, ending at --end.
    assert spray["window"] == {
        "start": (END - timedelta(days=7)).isoformat().replace("+00:00", ".000Z"),
        "end": END.isoformat().replace("+00:00", ".000Z"),
    }
    tactics = {t for r in report["rules"] for t in r["tactics"]}
    assert {"CredentialAccess", "InitialAccess", "Execution", "LateralMovement"} <= tactics
    assert {"Collection", "Exfiltration"} <= tactics


def test_nothing_benign_fires(demo: Path) -> None:
    """The three weeks before the attack hold only ordinary activity: travel, failed sign-ins,
    admin PowerShell, internet SSH guessing."""
    start, end = END - timedelta(days=29), END - timedelta(days=8)
    status, report = hunt_json(
        "--workspace", str(demo), "--start", start.isoformat(), "--end", end.isoformat(), str(PACK)
    )
    assert status == 0
    assert [(r["outcome"], r["rows"], r["fired"]) for r in report["rules"]] == [
        ("no-hits", 0, False)
    ] * len(STAGES)
    assert report["fired"] == 0


def test_summary_table_lists_files_that_are_not_rules(demo: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    (pack / "broken.yaml").write_text("name: broken\nquery: a: b\n")
    (pack / "notes.txt").write_text("not a rule file: not read")
    (pack / "missing.yml").write_text(
        "name: Needs a table\nkind: Scheduled\nquery: DeviceEvents | take 1\n"
    )
    done = hunt("--workspace", str(demo), "--end", END.isoformat(), str(pack))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["rule", "tactics", "outcome", "rows"]
    spray = next(line for line in lines if line.startswith("Password spray"))
    assert spray.split()[-3:] == ["hits", "(fired)", "3"]
    assert any("missing-tables: the workspace has no DeviceEvents" in line for line in lines)
    assert any("broken.yaml: it is not valid YAML: bad indentation" in line for line in lines), (
        done.stdout
    )
    assert "notes.txt" not in done.stdout
    assert lines[-1] == (
        "8 rules: 7 hits, 0 no-hits, 0 refused, 1 missing-tables, 0 error; 7 fired; "
        "1 files not rules"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((str(PACK),), "hunt needs --workspace DIR"),
        (("--workspace", "{demo}"), "hunt needs at least one pack"),
        (("--workspace", "{demo}", "no/such/pack"), "no such pack: no/such/pack"),
        (("--workspace", "{demo}", "--format", "xml", str(PACK)), "unknown format xml"),
        (("--workspace", "{demo}", "--start", "2024-06-01", str(PACK)), "--start needs --end"),
        (("--workspace", "{demo}", "--end", "yesterday", str(PACK)), "--end must be an ISO"),
        (("--workspace", "{demo}", "--timeout", "0", str(PACK)), "--timeout must be a number"),
        (("--workspace", "{demo}", "--threads", "none", str(PACK)), "--threads must be a number"),
    ],
)
def test_usage_errors_exit_2(demo: Path, args: tuple[str, ...], message: str) -> None:
    done = hunt(*(a.replace("{demo}", str(demo)) for a in args))
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""


def test_a_hunt_that_cannot_run_exits_3_not_1(tmp_path: Path) -> None:
    # 1 says a rule fired: a workspace DuckDB cannot open must not read as a finding.
    (tmp_path / "SigninLogs.parquet").write_bytes(b"not parquet")
    done = hunt("--workspace", str(tmp_path), str(PACK))
    assert done.returncode == 3
    assert "too small to be a Parquet file" in done.stderr
    assert done.stdout == ""
