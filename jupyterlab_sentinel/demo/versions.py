"""Where the demo data set lives on disk: a link to its current version, switched atomically.

``<path>`` (e.g. ``…/sentinel/demo``) is a symbolic link to a sibling folder ``<name>@<end>-<id>``
holding one complete data set. A new version (a fresh generation, or the same data moved forward
in time) is written beside it and published by replacing the link in one ``rename``: a server
resolves the link when it opens the workspace, so a query reads one version from start to end,
never a mix. The previous version is kept, because a query of another server may still be reading
it; older ones are removed once nothing can be writing them.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from datetime import datetime
from pathlib import Path

SEPARATOR = "@"
#: Seconds after its last change a version that is neither current nor previous is removed: one
#: still being written by another server changes more often than that.
STALE_SECONDS = 3600


def new_version(path: Path, end: datetime) -> Path:
    """A new, empty version folder beside ``path`` for a data set ending at ``end``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.with_name(f"{path.name}{SEPARATOR}{end:%Y%m%dT%H%MZ}-{uuid.uuid4().hex[:8]}")
    folder.mkdir()
    return folder


def publish(path: Path, folder: Path) -> None:
    """Makes ``path`` show the complete data set in ``folder`` and removes outdated versions."""
    previous = _target(path)
    link = path.with_name(f".{path.name}.{uuid.uuid4().hex}.link")
    try:
        # Relative, so that the folder and its versions can be moved together.
        link.symlink_to(folder.name, target_is_directory=True)
    except OSError:
        # No symbolic links here (Windows without the privilege): replace the folder itself.
        shutil.rmtree(path, ignore_errors=True)
        folder.rename(path)
        return
    try:
        os.replace(link, path)
    except OSError:
        # A data set from before versions is a folder, which a link cannot replace in one step.
        retired = path.with_name(f"{path.name}{SEPARATOR}retired-{uuid.uuid4().hex[:8]}")
        path.rename(retired)
        os.replace(link, path)
    _remove_outdated(path, keep={folder.name, previous})


def _target(path: Path) -> str | None:
    """The name of the version ``path`` links to, or None."""
    return os.readlink(path) if path.is_symlink() else None


def _remove_outdated(path: Path, keep: set[str | None]) -> None:
    stale = time.time() - STALE_SECONDS
    for sibling in path.parent.glob(f"{path.name}{SEPARATOR}*"):
        if sibling.name in keep or sibling.is_symlink() or not sibling.is_dir():
            continue
        if sibling.stat().st_mtime < stale:
            shutil.rmtree(sibling, ignore_errors=True)
