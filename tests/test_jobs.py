"""Scheduled notebook jobs: a notebook with a KQL cell runs through jupyter-scheduler's own
scheduler and our execution manager, with a real kernel; its KQL cell queries again (rows added to
the workspace since the cell ran in JupyterLab show in the job's output), and the table the job
saves is read by a following query."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import nbformat
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jupyterlab_sentinel.errors import Conflict, InvalidInput
from jupyterlab_sentinel.job import (
    JOB_ENV,
    JobSettings,
    moved_sql,
    result,
    save_parquet_table,
    timestamp_literal,
)
from jupyterlab_sentinel.lake import Lake

jupyter_scheduler = pytest.importorskip("jupyter_scheduler")

from jupyter_scheduler.environments import CondaEnvironmentManager  # noqa: E402
from jupyter_scheduler.models import CreateJob, Status  # noqa: E402
from jupyter_scheduler.orm import Job, create_session, create_tables  # noqa: E402
from jupyter_scheduler.scheduler import Scheduler  # noqa: E402

from jupyterlab_sentinel import scheduler  # noqa: E402

KQL_CELL = "kql-events"
RESULT = "results/hunt-1a2b3c/events_df.parquet"


def utc(hours_ago: float) -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=hours_ago)


def write_events(folder: Path, name: str, hosts: list[str], hours_ago: float) -> None:
    """One file of the daily-folder table Events: a row per host, ``hours_ago`` back."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utc(hours_ago).replace(tzinfo=None)
    pq.write_table(
        pa.table(
            {
                "TimeGenerated": pa.array([stamp] * len(hosts), pa.timestamp("us")),
                "Computer": hosts,
            }
        ),
        folder / f"{name}.parquet",
    )


def events_sql(ran_at: dt.datetime, dialect: str = "duckdb") -> str:
    """What the compiler writes for `Events | summarize Count = count() by Computer | order by
    Computer asc` over the last day, run at ``ran_at`` (``bin/kql compile``'s form)."""
    start = timestamp_literal(ran_at - dt.timedelta(days=1))
    end = timestamp_literal(ran_at)
    q = '"' if dialect == "duckdb" else "`"
    events, time, computer, count = (
        f"{q}{n}{q}" for n in ("Events", "TimeGenerated", "Computer", "Count")
    )
    materialized = "NOT MATERIALIZED " if dialect == "duckdb" else ""
    return (
        f"WITH {events} AS {materialized}(SELECT * FROM {events} WHERE {time} >= "
        f"{start} AND {time} < {end})\n"
        f"SELECT {computer}, CAST(count(*) AS BIGINT) AS {count} FROM {events} "
        f"GROUP BY {computer} ORDER BY {computer} ASC NULLS LAST"
    )


def hunt_notebook(
    path: Path, ran_at: dt.datetime, workspace: str = "hunts", engine: str = "duckdb"
) -> None:
    """A notebook as JupyterLab leaves it after running its KQL cell on ``workspace``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["sentinel"] = {"workspace": {"backend": "local", "id": workspace}}
    kql = nbformat.v4.new_code_cell(
        "Events\n| summarize Count = count() by Computer\n| order by Computer asc"
    )
    kql.id = KQL_CELL
    kql.metadata["tags"] = ["skip-execution"]
    kql.metadata["sentinel"] = {
        "kql": True,
        "variable": "events_df",
        "timeRange": "P1D",
        "job": {
            "backend": "local",
            "workspace": workspace,
            "engine": engine,
            "now": ran_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "timeRange": "P1D",
            "statements": [{"sql": events_sql(ran_at, engine)}],
        },
    }
    loads = nbformat.v4.new_code_cell(
        "from jupyterlab_sentinel.job import result\n"
        f'events_df = result("{RESULT}", cell="{KQL_CELL}")\n'
        "print('hosts:', ','.join(events_df['Computer']))\n"
        "events_df.head()"
    )
    loads.metadata["sentinel"] = {"resultOf": KQL_CELL}
    saves = nbformat.v4.new_code_cell(
        "from jupyterlab_sentinel.job import save_as_table\n"
        'save_as_table(events_df, "HostCounts_CL")'
    )
    nb.cells = [kql, loads, saves]
    nbformat.write(nb, path)


def run_job(lake: Lake, notebook: str, staging: Path, spark_workspaces: list | None = None) -> Path:
    """Runs the notebook as JupyterLab's "Create Job" does (its input folder packaged with it),
    with jupyter-scheduler's scheduler as its server extension makes it and ours then adopts it,
    and waits for the job's end; answers the executed notebook."""
    root = lake.root_dir
    db_url = f"sqlite:///{root.parent / 'scheduler.sqlite'}"
    create_tables(db_url)
    jobs = Scheduler(
        root_dir=str(root),
        environments_manager=CondaEnvironmentManager(),
        db_url=db_url,
        staging_path=str(staging),
        task_runner_class=None,
    )
    scheduler.serve(lake, spark_workspaces or [], {"scheduler": jobs})
    assert jobs.execution_manager_class is scheduler.SentinelExecutionManager
    job_id = jobs.create_job(
        CreateJob(
            input_uri=notebook,
            runtime_environment_name="",
            name="hunt",
            output_formats=["ipynb"],
            package_input_folder=True,
        )
    )
    session = create_session(db_url)
    deadline = time.monotonic() + 240
    while True:
        with session() as s:
            job = s.query(Job).filter(Job.job_id == job_id).one()
            status, message = job.status, job.status_message
        # A new job is STOPPED until its process starts it.
        if status in (Status.COMPLETED, Status.FAILED):
            break
        assert time.monotonic() < deadline, "the job did not end in 240 s"
        time.sleep(0.5)
    assert status == Status.COMPLETED, message
    outputs = [p for p in (staging / job_id).glob("*.ipynb") if p.name != Path(notebook).name]
    assert len(outputs) == 1, list((staging / job_id).iterdir())
    return outputs[0]


def printed(notebook: Path) -> str:
    nb = nbformat.read(notebook, as_version=4)
    return "".join(
        o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []) if "text" in o
    )


@pytest.mark.slow
def test_a_job_queries_again_and_saves_a_table_a_later_query_reads(tmp_path):
    root, workspace, demo = tmp_path / "root", tmp_path / "hunts", tmp_path / "demo"
    root.mkdir()
    write_events(workspace / "Events", "day1", ["alpha", "beta"], hours_ago=2)
    ran_at = utc(1)
    hunt_notebook(root / "hunt.ipynb", ran_at)
    lake = Lake(root_dir=root, demo_path=demo, allowed_roots=[workspace])
    lake.configure([{"name": "hunts", "path": str(workspace)}])
    # The cell's run in JupyterLab: the server saved its result beside the notebook.
    lake.export("hunts", events_sql(ran_at), RESULT, "first-run")
    assert pq.read_table(root / RESULT).column("Computer").to_pylist() == ["alpha", "beta"]

    # Rows arrive after the cell ran: only a query run again sees them.
    write_events(workspace / "Events", "day2", ["gamma"], hours_ago=0.5)
    try:
        output = run_job(lake, "hunt.ipynb", tmp_path / "staging")
    finally:
        scheduler._served = None

    assert "hosts: alpha,beta,gamma" in printed(output)
    # The result the job wrote is the job's, beside its copy of the notebook.
    rerun = pq.read_table(output.parent / RESULT).to_pydict()
    assert rerun == {"Computer": ["alpha", "beta", "gamma"], "Count": [1, 1, 1]}
    # The notebook's own saved result is as it was.
    assert pq.read_table(root / RESULT).column("Computer").to_pylist() == ["alpha", "beta"]

    # A following query on the workspace reads the table the job saved.
    tables = lake.schema("hunts")["tables"]
    assert "HostCounts_CL" in [t["name"] for t in tables]  # type: ignore[union-attr,index]
    answer = lake.query(
        "hunts",
        'SELECT "Computer", "Count" FROM "HostCounts_CL" ORDER BY "Computer"',
        "later",
    )
    assert answer.table.to_pydict() == {"Computer": ["alpha", "beta", "gamma"], "Count": [1, 1, 1]}
    lake.close()


def test_now_and_a_relative_range_move_to_the_jobs_time():
    ran_at = dt.datetime(2026, 11, 1, 12, 0, 0, 123000, tzinfo=dt.timezone.utc)
    later = dt.datetime(2026, 11, 8, 6, 30, 0, 456789, tzinfo=dt.timezone.utc)
    sql = events_sql(ran_at) + f" -- ago(1h): ({timestamp_literal(ran_at)} - INTERVAL 1 HOUR)"
    moved = moved_sql(sql, "2026-11-01T12:00:00.123Z", "P1D", later)
    assert moved == events_sql(later.replace(microsecond=456000)) + (
        f" -- ago(1h): ({timestamp_literal(later)} - INTERVAL 1 HOUR)"
    )
    assert "2026-11-01" not in moved


def test_an_absolute_range_stays():
    sql = (
        'SELECT * FROM "Events" WHERE "TimeGenerated" >= CAST(\'2026-10-01 00:00:00.000\' AS '
        "TIMESTAMP) AND \"TimeGenerated\" < CAST('2026-10-02 00:00:00.000' AS TIMESTAMP)"
    )
    moved = moved_sql(
        sql,
        "2026-11-01T12:00:00.000Z",
        "2026-10-01T00:00:00.000Z/2026-10-02T00:00:00.000Z",
        dt.datetime(2026, 11, 8, tzinfo=dt.timezone.utc),
    )
    assert moved == sql


def test_saving_a_table_refuses_bad_names_and_existing_tables(tmp_path):
    table = pa.table({"a": [1, 2]})
    with pytest.raises(InvalidInput, match="not a table name"):
        save_parquet_table(table, tmp_path, "../Escape", overwrite=False)
    written = save_parquet_table(table, tmp_path, "Counts_CL", overwrite=False)
    assert pq.read_table(written).to_pydict() == {"a": [1, 2]}
    with pytest.raises(Conflict, match="overwrite=True"):
        save_parquet_table(pa.table({"a": [3]}), tmp_path, "counts_cl", overwrite=False)
    save_parquet_table(pa.table({"a": [3]}), tmp_path, "Counts_CL", overwrite=True)
    assert pq.read_table(written).to_pydict() == {"a": [3]}
    # No file of the write is left beside the table.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Counts_CL.parquet"]
    # A table that is a folder of files is never replaced.
    (tmp_path / "Daily").mkdir()
    pq.write_table(table, tmp_path / "Daily" / "d1.parquet")
    with pytest.raises(Conflict, match="already has a table Daily"):
        save_parquet_table(table, tmp_path, "Daily", overwrite=True)


def test_outside_a_job_the_settings_are_absent(monkeypatch):
    monkeypatch.delenv(JOB_ENV, raising=False)
    assert JobSettings.from_env() is None
    settings = JobSettings(notebook="/staging/hunt.ipynb", local={"demo": "/data/demo"})
    monkeypatch.setenv(JOB_ENV, settings.to_env())
    assert JobSettings.from_env() == settings
    # The settings of a job started by a server without Sentinel's lake hold no workspace.
    assert json.loads(scheduler.job_settings("/x.ipynb").to_env())["local"] == {}


@pytest.fixture
def jp_server_config(jp_server_config, tmp_path):
    """The server with jupyter-scheduler's extension too, its database in the test's folder."""
    extensions = {**jp_server_config["ServerApp"]["jpserver_extensions"], "jupyter_scheduler": True}
    return {
        **jp_server_config,
        "ServerApp": {**jp_server_config["ServerApp"], "jpserver_extensions": extensions},
        "SchedulerApp": {"db_url": f"sqlite:///{tmp_path / 'scheduler.sqlite'}"},
        # No task runner: no scheduled job runs here, and its loop would outlive the server.
        "Scheduler": {"task_runner_class": None},
    }


@pytest.fixture
def served(monkeypatch):
    """The server's lake that jobs get, forgotten when the server of the test stops."""
    monkeypatch.setattr(scheduler, "_served", None)


async def test_the_server_runs_jobs_with_our_manager(served, jp_serverapp):
    jobs = jp_serverapp.web_app.settings["scheduler"]
    assert jobs.execution_manager_class is scheduler.SentinelExecutionManager
    settings = scheduler.job_settings("/staging/hunt.ipynb")
    assert "demo" in settings.local


def test_a_job_names_a_kql_cell_that_never_recorded_its_run(tmp_path, monkeypatch):
    hunt_notebook(tmp_path / "hunt.ipynb", utc(1))
    nb = nbformat.read(tmp_path / "hunt.ipynb", as_version=4)
    del nb.cells[0].metadata["sentinel"]["job"]
    nbformat.write(nb, tmp_path / "hunt.ipynb")
    monkeypatch.setenv(JOB_ENV, JobSettings(notebook=str(tmp_path / "hunt.ipynb")).to_env())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidInput, match="run the cell in JupyterLab"):
        result(RESULT, cell=KQL_CELL)


@pytest.mark.skipif(shutil.which("node") is None, reason="bin/kql needs Node.js")
@pytest.mark.parametrize("dialect", ["duckdb", "spark"])
def test_the_compilers_now_is_the_literal_a_job_moves(dialect):
    """The coupling between the compiler and `moved_sql`: `now()` compiles to the literal of the
    instant the query ran at, which a job replaces; DuckDB then answers the job's time."""
    root = Path(__file__).resolve().parent.parent
    sql = subprocess.run(
        [
            str(root / "bin" / "kql"),
            "compile",
            "--dialect",
            dialect,
            "print t = now(), a = ago(1h)",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    [written] = set(re.findall(r"CAST\('([0-9: .-]+)' AS TIMESTAMP\)", sql))
    ran_at = dt.datetime.fromisoformat(written).replace(tzinfo=dt.timezone.utc)
    later = ran_at + dt.timedelta(days=3, milliseconds=250)
    moved = moved_sql(sql, ran_at.isoformat().replace("+00:00", "Z"), None, later)
    assert written not in moved and moved.count(timestamp_literal(later)) == 2
    if dialect == "duckdb":
        t, a = duckdb.sql(moved).fetchone()
        assert t == later.replace(tzinfo=None)
        assert a == later.replace(tzinfo=None) - dt.timedelta(hours=1)
