"""A workspace's database is kept from one query to the next while its folder's tables are the
same, and opened anew when a table file or folder appears or goes."""

from __future__ import annotations

import uuid
from pathlib import Path

from jupyterlab_sentinel.lake import Lake


def lake_over(root: Path) -> tuple[Lake, str]:
    (root / "logs").mkdir()
    (root / "logs" / "Heartbeat.csv").write_text("Computer\nweb01\n")
    lake = Lake(root_dir=root, demo_path=root / "no-demo")
    [workspace] = [w for w in lake.configure([{"name": "Logs", "path": "logs"}]) if not w.demo]
    return lake, workspace.id


def count(lake: Lake, workspace: str, table: str) -> int:
    result = lake.query(workspace, f"SELECT count(*) AS n FROM {table}", str(uuid.uuid4()))
    return int(result.table.column("n")[0].as_py())


def test_the_database_is_kept_while_the_tables_are_the_same(tmp_path: Path) -> None:
    lake, workspace = lake_over(tmp_path)
    engine = lake.engine(workspace)
    assert count(lake, workspace, "Heartbeat") == 1
    (tmp_path / "logs" / "Heartbeat.csv").write_text("Computer\nweb01\nweb02\n")
    assert lake.engine(workspace) is engine
    assert count(lake, workspace, "Heartbeat") == 2


def test_a_new_table_folder_and_a_removed_table_show_up(tmp_path: Path) -> None:
    lake, workspace = lake_over(tmp_path)
    engine = lake.engine(workspace)
    (tmp_path / "logs" / "Syslog").mkdir()
    (tmp_path / "logs" / "Syslog" / "2025-01-01.csv").write_text("Computer\nweb01\n")
    assert lake.engine(workspace) is not engine
    assert count(lake, workspace, "Syslog") == 1
    (tmp_path / "logs" / "Heartbeat.csv").unlink()
    assert "Heartbeat" not in lake.engine(workspace).tables


def test_a_folder_whose_first_file_arrives_deeper_becomes_a_table(tmp_path: Path) -> None:
    lake, workspace = lake_over(tmp_path)
    day = tmp_path / "logs" / "Syslog" / "2025" / "01"
    day.mkdir(parents=True)
    assert "Syslog" not in lake.engine(workspace).tables
    # Neither the workspace folder's time nor Syslog's own changes: only 2025/01's does.
    (day / "01.csv").write_text("Computer\nweb01\n")
    assert count(lake, workspace, "Syslog") == 1
