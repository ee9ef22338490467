"""jupyterlab-sentinel: KQL hunting in JupyterLab, on local workspaces and Microsoft Sentinel."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_data_dir
from traitlets import Dict, Float, Int, List, Unicode
from traitlets.config import Configurable

from .lake import Lake, Limits

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never installed
    __version__ = "dev"


class SentinelConfig(Configurable):
    """Server-side settings of the local workspaces."""

    demo_path = Unicode(
        str(Path(jupyter_data_dir()) / "sentinel" / "demo"),
        help="Folder of the synthetic demo workspace; generated there when missing.",
    ).tag(config=True)
    allowed_roots = List(
        Unicode(),
        default_value=[],
        help="Folders besides the Jupyter root where workspaces and template folders may live.",
    ).tag(config=True)
    default_rows = Int(10_000, help="Rows a query returns when the client asks no limit.").tag(
        config=True
    )
    max_rows = Int(1_000_000, help="Most rows any query returns.").tag(config=True)
    default_timeout = Float(60.0, help="Seconds a query may run when the client asks none.").tag(
        config=True
    )
    max_timeout = Float(600.0, help="Most seconds any query may run.").tag(config=True)
    threads = Int(2, help="DuckDB threads per workspace.").tag(config=True)
    memory_limit = Unicode(
        "2GB", help="DuckDB memory limit per workspace (its buffers; it spills past them)."
    ).tag(config=True)
    query_memory = Int(
        4 * 2**30,
        help="Most memory (address space) a query worker process may use; a query needing "
        "more fails with an out-of-memory error. 0 runs queries in the server process.",
    ).tag(config=True)
    max_result_bytes = Int(
        256 * 2**20,
        help="Most bytes of rows (Arrow buffers) a query answers; reading stops past it.",
    ).tag(config=True)
    max_export_bytes = Int(
        4 * 2**30, help="Most bytes of rows (Arrow buffers) an export writes to its Parquet file."
    ).tag(config=True)
    max_sql_bytes = Int(
        2**20,
        help="Most bytes of SQL text a query may have: parsing and planning are not interruptible.",
    ).tag(config=True)
    query_workers = Int(4, help="Queries that run at once; more wait in the queue.").tag(
        config=True
    )
    query_queue = Int(
        16, help="Queries that may wait for a free worker; more are refused with Retry-After."
    ).tag(config=True)
    spill_dir = Unicode(
        "",
        help="Folder in which the server makes its private spill folder for DuckDB (removed "
        "when the server stops); the system's temporary folder when empty.",
    ).tag(config=True)
    max_spill_size = Unicode(
        "4GB", help="Most disk each workspace's database may spill to (DuckDB's units)."
    ).tag(config=True)
    spark_workspaces = List(
        Dict(),
        default_value=[],
        help="Spark workspaces, each {name, remote: 'sc://host:port/;token=…', and database "
        "(with catalog) or path: a folder of Parquet/Delta tables the cluster reads}. Set here, "
        "in the server's configuration: the token never leaves the server.",
    ).tag(config=True)
    bookmarks_dir = Unicode(
        str(Path(jupyter_data_dir()) / "sentinel" / "bookmarks"),
        help="Folder of the local workspaces' bookmark logs (one SQLite file per workspace).",
    ).tag(config=True)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-sentinel"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .app import SentinelExtension

    return [{"module": "jupyterlab_sentinel", "app": SentinelExtension}]


def _keep_demo_current(lake: Lake, log: Any) -> None:
    from .demo import keep_current

    try:
        keep_current(lake.demo_path)
    except Exception:
        log.exception("jupyterlab_sentinel: the demo workspace could not be generated or moved")
    finally:
        lake.demo_generating = False


def _load_jupyter_server_extension(server_app: Any) -> Lake:
    """Registers the REST API; in the background, generates the demo workspace when it is missing
    or moves it forward in time when it ended over an hour ago."""
    # Imported here: a query worker process imports this package and needs none of them.
    from .handlers import setup_handlers
    from .hunts import HuntPacks
    from .pools import QueryPool
    from .sandbox import Sandbox, WorkerSettings
    from .templates import TemplateLibrary

    config = SentinelConfig(parent=server_app)
    lake = Lake(
        root_dir=Path(server_app.root_dir),
        demo_path=Path(config.demo_path),
        allowed_roots=[Path(p) for p in config.allowed_roots],
        limits=Limits(
            default_rows=config.default_rows,
            max_rows=config.max_rows,
            default_timeout=config.default_timeout,
            max_timeout=config.max_timeout,
            threads=config.threads,
            memory_limit=config.memory_limit,
            max_result_bytes=config.max_result_bytes,
            max_export_bytes=config.max_export_bytes,
            max_sql_bytes=config.max_sql_bytes,
            max_spill_size=config.max_spill_size,
        ),
        bookmarks_dir=Path(config.bookmarks_dir),
        spill_dir=Path(config.spill_dir) if config.spill_dir else None,
    )
    if config.spark_workspaces:
        from .spark import SparkWorkspaces

        lake.spark = SparkWorkspaces(config.spark_workspaces, lake.limits, {"demo"})
    if config.query_memory:
        lake.sandbox = Sandbox(WorkerSettings(lake.worker_arguments(), config.query_memory))
        lake.sandbox.start()
    from .demo import needs_rebase

    missing = not (lake.demo_path / "_generated.json").is_file()
    if missing or needs_rebase(lake.demo_path):
        # A missing data set makes the workspace wait; an old one stays readable while it moves.
        lake.demo_generating = missing
        threading.Thread(
            target=_keep_demo_current,
            args=(lake, server_app.log),
            daemon=True,
            name="sentinel-demo",
        ).start()
    templates = TemplateLibrary(
        root_dir=Path(server_app.root_dir), allowed_roots=[Path(p) for p in config.allowed_roots]
    )
    try:
        from .scheduler import serve
    except ImportError:  # jupyter-scheduler (the extra `jobs`) is not installed: no jobs
        pass
    else:
        serve(lake, list(config.spark_workspaces), server_app.web_app.settings)
    queries = QueryPool(config.query_workers, config.query_queue)
    # Workspaces, schema, bookmarks, templates and result pages: never behind a long query.
    executor = ThreadPoolExecutor(4, thread_name_prefix="sentinel")
    setup_handlers(server_app.web_app, lake, templates, queries, executor, HuntPacks())
    server_app.log.info("jupyterlab_sentinel: local workspaces at /sentinel/api/")
    return lake
