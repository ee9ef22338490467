"""Keeps the demo data set current: the same events, moved forward so that they end this hour.

The data set is generated once (a million rows take a while); afterwards, whenever it ended more
than an hour ago, every datetime value of every table is moved by the same whole number of hours,
so queries such as ``ago(1d)`` keep finding the last day and the attack stays a few days back.
Nothing else changes: rows, strings and JSON are copied as they are (no datetime hides in them).
"""

from __future__ import annotations

import json
import logging
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .generator import MARKER, generate, is_generated
from .versions import new_version, publish

#: How old the end of the data set may be before it is moved: at most once an hour.
MAX_AGE = timedelta(hours=1)
DAY_FILE = "%Y-%m-%d"

log = logging.getLogger(__name__)


def this_hour(now: datetime | None = None) -> datetime:
    """The start of the current hour (UTC): where a current data set ends."""
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)


def data_end(path: Path) -> datetime | None:
    """Where the data set at ``path`` ends, as its marker records it (None when it does not say)."""
    try:
        end = json.loads((path / MARKER).read_text()).get("end")
        return datetime.fromisoformat(end) if isinstance(end, str) else None
    except (OSError, ValueError, AttributeError):
        return None


def needs_rebase(path: Path, now: datetime | None = None) -> bool:
    """True when the data set at ``path`` ended more than ``MAX_AGE`` before ``now``."""
    end = data_end(path)
    return end is not None and this_hour(now) - end >= MAX_AGE


def rebase(path: Path, now: datetime | None = None) -> timedelta | None:
    """Moves the data set at ``path`` to end at the start of the hour of ``now``.

    Answers the shift, or None when the data set is current (or records no end). The moved data
    set is a new version, published in one step (``versions.py``).
    """
    end = data_end(path)
    target = this_hour(now)
    if end is None or target - end < MAX_AGE:
        return None
    shift = target - end
    source = path.resolve()
    folder = new_version(path, target)
    for file in sorted(source.rglob("*")):
        relative = file.relative_to(source)
        if file.is_dir() or relative == Path(MARKER):
            continue
        destination = folder / relative.parent / _moved_name(file, shift)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if file.suffix == ".parquet":
            _move_parquet(file, destination, shift)
        else:
            shutil.copyfile(file, destination)
    marker = json.loads((source / MARKER).read_text())
    marker["end"] = target.isoformat()
    (folder / MARKER).write_text(json.dumps(marker, indent=1))
    publish(path, folder)
    return shift


def keep_current(path: Path, now: datetime | None = None) -> None:
    """Generates the data set when it is missing, else moves it when it ended over an hour ago."""
    if not is_generated(path):
        generate(path)
    elif needs_rebase(path, now):
        shift = rebase(path, now)
        log.info("jupyterlab_sentinel: the demo data set was moved forward by %s", shift)


def _moved_name(file: Path, shift: timedelta) -> str:
    """A day file's name for its moved day (``2026-11-01.parquet``); other names stay."""
    try:
        day = datetime.strptime(file.stem, DAY_FILE)
    except ValueError:
        return file.name
    return f"{day + shift:{DAY_FILE}}{file.suffix}"


def _move_parquet(source: Path, destination: Path, shift: timedelta) -> None:
    """Copies a Parquet file with every timestamp column moved by ``shift``."""
    table = pq.read_table(source)
    columns = [
        pc.add(column, pa.scalar(shift, pa.duration(column.type.unit)))
        if pa.types.is_timestamp(column.type)
        else column
        for column in table.columns
    ]
    pq.write_table(pa.Table.from_arrays(columns, schema=table.schema), destination)
