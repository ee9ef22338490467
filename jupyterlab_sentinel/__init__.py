"""jupyterlab-sentinel: KQL hunting in JupyterLab, on local workspaces and Microsoft Sentinel."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_data_dir
from traitlets import Float, Int, List, Unicode
from traitlets.config import Configurable

from .handlers import setup_handlers
from .lake import Lake, Limits
from .templates import TemplateLibrary

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
    memory_limit = Unicode("4GB", help="DuckDB memory limit per workspace.").tag(config=True)
    bookmarks_dir = Unicode(
        str(Path(jupyter_data_dir()) / "sentinel" / "bookmarks"),
        help="Folder of the local workspaces' bookmark logs (one SQLite file per workspace).",
    ).tag(config=True)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-sentinel"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyterlab_sentinel"}]


def _generate_demo(lake: Lake, log: Any) -> None:
    from .demo import generate

    try:
        generate(lake.demo_path)
    except Exception:
        log.exception("jupyterlab_sentinel: the demo workspace could not be generated")
    finally:
        lake.demo_generating = False


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Registers the REST API and, when missing, generates the demo workspace in the background."""
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
        ),
        bookmarks_dir=Path(config.bookmarks_dir),
    )
    if not (lake.demo_path / "_generated.json").is_file():
        lake.demo_generating = True
        threading.Thread(
            target=_generate_demo, args=(lake, server_app.log), daemon=True, name="sentinel-demo"
        ).start()
    templates = TemplateLibrary(
        root_dir=Path(server_app.root_dir), allowed_roots=[Path(p) for p in config.allowed_roots]
    )
    setup_handlers(server_app.web_app, lake, templates)
    server_app.log.info("jupyterlab_sentinel: local workspaces at /sentinel/api/")
