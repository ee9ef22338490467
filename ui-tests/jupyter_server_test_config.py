"""Jupyter server configuration for the Galata tests.

Never use this configuration in production: it turns off authentication and exposes JupyterLab's
JavaScript objects on the page.
"""

import json
import os
import tempfile

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 - `c` is injected by Jupyter's config loader
c.LabApp.extension_manager = "readonly"  # noqa: F821 - no registry look-ups during tests
c.ServerApp.allow_root = True  # noqa: F821 - CI machines run as root
# The bookmarks the tests create go to a store of this server's own, not the user's.
c.SentinelConfig.bookmarks_dir = tempfile.mkdtemp(prefix="sentinel-galata-bookmarks-")  # noqa: F821
# Jobs (jupyter-scheduler) of this server only: their database and staged notebooks. The
# scheduler downloads a job's files to a root-relative folder taken from the server's working
# folder: the server runs in its root folder, as `jupyter lab` started in it does.
os.chdir(c.ServerApp.root_dir)  # noqa: F821
_jobs = tempfile.mkdtemp(prefix="sentinel-galata-jobs-")
c.SchedulerApp.db_url = f"sqlite:///{_jobs}/scheduler.sqlite"  # noqa: F821
c.Scheduler.staging_path = f"{_jobs}/staging"  # noqa: F821
# The Spark workspaces of spark.spec.ts, when playwright.config.js started a Spark server for them.
if os.environ.get("SENTINEL_SPARK_WORKSPACES"):
    c.SentinelConfig.spark_workspaces = json.loads(os.environ["SENTINEL_SPARK_WORKSPACES"])  # noqa: F821
