"""jupyter-scheduler's execution manager for notebooks with KQL cells.

jupyter-scheduler makes the manager in the server's process when a job starts and runs it in a
process of its own, which starts the job's kernel. The manager takes the server's workspaces as
they are then (local folders, Spark settings and the query limits) and hands them to the kernel in
its environment (``SENTINEL_JOB``, see ``job.py``), which also tells the KQL cells' linked Python
cells that they run in a job, and so must query again. The server extension makes it the
scheduler's ``execution_manager_class`` (`serve`): a JSON file of ``jupyter_server_config.d``
only enables extensions, it sets no other class's options.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from dataclasses import asdict
from typing import Any

from jupyter_scheduler.executors import DefaultExecutionManager
from tornado.ioloop import IOLoop

from .job import JOB_ENV, JobSettings
from .lake import Lake

#: The server's lake and Spark settings, set when the server extension loads.
_served: tuple[Lake, list[dict[str, Any]]] | None = None


def serve(
    lake: Lake, spark_workspaces: list[dict[str, Any]], settings: MutableMapping[str, Any]
) -> None:
    """Makes the server's workspaces those of the jobs it starts, and jupyter-scheduler (its
    ``scheduler`` in the web app's ``settings``) start them with our manager: now, or once every
    extension has loaded when the scheduler loads after this one."""
    global _served  # one server per process, set once when it loads
    _served = (lake, spark_workspaces)
    if not adopt(settings):
        IOLoop.current().add_callback(adopt, settings)


def adopt(settings: MutableMapping[str, Any]) -> bool:
    """Makes the server's scheduler run jobs with `SentinelExecutionManager`, unless it was
    configured with a manager of its own; false when the scheduler has not loaded yet."""
    scheduler = settings.get("scheduler")
    if scheduler is None:
        return False
    if scheduler.execution_manager_class is DefaultExecutionManager:
        scheduler.execution_manager_class = SentinelExecutionManager
    return True


def job_settings(notebook: str) -> JobSettings:
    """The settings of a job running ``notebook``: the server's ready workspaces now."""
    if _served is None:
        return JobSettings(notebook=notebook)
    lake, spark = _served
    local = {ws.id: str(ws.path) for ws in lake.workspaces() if ws.status == "ready"}
    return JobSettings(
        notebook=notebook,
        local=local,
        spark=spark,
        limits=asdict(lake.limits),
        bookmarks=str(lake.bookmarks_dir) if lake.bookmarks_dir else None,
    )


class SentinelExecutionManager(DefaultExecutionManager):  # type: ignore[misc]
    """jupyter-scheduler's default manager, whose kernel gets the job's Sentinel settings."""

    def __init__(
        self, job_id: str, root_dir: str, db_url: str, staging_paths: dict[str, str]
    ) -> None:
        super().__init__(job_id, root_dir, db_url, staging_paths)
        # Made in the server's process, sent to the job's with the manager.
        self.sentinel = job_settings(staging_paths["input"]).to_env()

    def execute(self) -> None:
        # The kernel nbclient starts inherits this process's environment.
        os.environ[JOB_ENV] = self.sentinel
        super().execute()
