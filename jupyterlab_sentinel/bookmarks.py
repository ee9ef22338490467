"""Durable hunting bookmarks of local workspaces.

Like Sentinel's own ``HuntingBookmark`` table, the store is an audit log: every create, update and
delete appends a row, and a bookmark's current state is its newest row. The log is an SQLite
database in WAL mode with ``synchronous=FULL``: a write is on disk before it is acknowledged, so an
acknowledged bookmark survives a crash of the server, and SQLite's locking lets several servers
and threads write at once without losing a row.
"""

from __future__ import annotations

import getpass
import json
import re
import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa

from .errors import InvalidInput, NotFound
from .types import TYPES

#: The HuntingBookmark table's columns and their KQL types, as Log Analytics defines them (the
#: Azure emulator reads the same file).
HUNTING_BOOKMARK_COLUMNS: list[dict[str, str]] = json.loads(
    Path(__file__).with_name("hunting_bookmark.json").read_text()
)["columns"]
#: The table as the bookmark log answers it.
HUNTING_BOOKMARK = pa.schema(
    [(c["name"], TYPES[c["type"]].stored) for c in HUNTING_BOOKMARK_COLUMNS]
)
FIELDS: dict[str, type] = {
    "displayName": str,
    "query": str,
    "queryResult": str,
    "notes": str,
    "labels": list,
    "eventTime": str,
    "queryStartTime": str,
    "queryEndTime": str,
    "incidentInfo": dict,
    "entityMappings": list,
    "tactics": list,
    "techniques": list,
    "createdBy": dict,
}
UUID = re.compile(r"^[0-9a-fA-F-]{36}$")
#: The id Jupyter gives the anonymous user it makes up for a token sign-in (``uuid4().hex``).
ANONYMOUS_ID = re.compile(r"^[0-9a-f]{32}$")


def author(user: object) -> str:
    """The name a bookmark records for the Jupyter user who saves it.

    A server signed into with its shared token knows no user: Jupyter makes up an anonymous one
    per browser ("Anonymous Io", a random id). Then the author is the account the server runs as,
    which is who the notebook server belongs to; a named user (JupyterHub, a configured identity
    provider) is recorded by name.
    """
    name = str(getattr(user, "display_name", "") or getattr(user, "name", "") or "")
    username = str(getattr(user, "username", "") or "")
    if ANONYMOUS_ID.match(username) and name.startswith("Anonymous "):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return username or "unknown"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed.astimezone(timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed


def validate(body: dict[str, Any]) -> dict[str, Any]:
    """The known bookmark fields of a request body, type-checked."""
    clean: dict[str, Any] = {}
    for name, kind in FIELDS.items():
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, kind):
            raise InvalidInput(f"{name} must be a {kind.__name__}")
        if name.endswith("Time"):
            try:
                _time(value)
            except ValueError:
                raise InvalidInput(f"{name} is not an ISO time") from None
        clean[name] = value
    if not str(clean.get("displayName", "")).strip():
        raise InvalidInput("A bookmark needs a displayName")
    clean.setdefault("labels", [])
    return clean


class BookmarkStore:
    """The bookmark log of one workspace."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                "id TEXT NOT NULL, time TEXT NOT NULL, deleted INTEGER NOT NULL, "
                "body TEXT NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS events_id ON events (id, seq)")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")
        return db

    def _current(self, db: sqlite3.Connection, bookmark_id: str) -> dict[str, Any] | None:
        row = db.execute(
            "SELECT deleted, body FROM events WHERE id = ? ORDER BY seq DESC LIMIT 1",
            (bookmark_id,),
        ).fetchone()
        if row is None or row[0]:
            return None
        body: dict[str, Any] = json.loads(row[1])
        return body

    def list(self) -> list[dict[str, Any]]:
        """Current bookmarks, newest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT body FROM events e "
                "WHERE seq = (SELECT max(seq) FROM events WHERE id = e.id) AND deleted = 0"
            ).fetchall()
        bookmarks = [json.loads(r[0]) for r in rows]
        return sorted(bookmarks, key=lambda b: b["created"], reverse=True)

    def get(self, bookmark_id: str) -> dict[str, Any]:
        """One current bookmark."""
        with self._connect() as db:
            bookmark = self._current(db, bookmark_id)
        if bookmark is None:
            raise NotFound(f"No bookmark {bookmark_id!r}")
        return bookmark

    def create(self, body: dict[str, Any], user: str) -> tuple[dict[str, Any], bool]:
        """Creates a bookmark; with a client id already used, answers the existing one instead.

        Returns the bookmark and whether it was created now.
        """
        fields = validate(body)
        bookmark_id = body.get("id") or str(uuid.uuid4())
        if not isinstance(bookmark_id, str) or not UUID.match(bookmark_id):
            raise InvalidInput("id must be a UUID")
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            existing = db.execute("SELECT 1 FROM events WHERE id = ? LIMIT 1", (bookmark_id,))
            if existing.fetchone():
                db.execute("COMMIT")
                return self.get(bookmark_id), False
            now = _now()
            bookmark = {
                **fields,
                "id": bookmark_id,
                "created": now,
                "updated": now,
                "createdBy": fields.get("createdBy") or {"name": user},
            }
            db.execute(
                "INSERT INTO events (id, time, deleted, body) VALUES (?, ?, 0, ?)",
                (bookmark_id, now, json.dumps(bookmark)),
            )
            db.execute("COMMIT")
        return bookmark, True

    def update(self, bookmark_id: str, body: dict[str, Any], user: str) -> dict[str, Any]:
        """Replaces a bookmark's fields, keeping its id and creation."""
        fields = validate(body)
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            current = self._current(db, bookmark_id)
            if current is None:
                db.execute("ROLLBACK")
                raise NotFound(f"No bookmark {bookmark_id!r}")
            now = _now()
            bookmark = {
                **fields,
                "id": bookmark_id,
                "created": current["created"],
                "createdBy": current["createdBy"],
                "updated": now,
                "updatedBy": {"name": user},
            }
            db.execute(
                "INSERT INTO events (id, time, deleted, body) VALUES (?, ?, 0, ?)",
                (bookmark_id, now, json.dumps(bookmark)),
            )
            db.execute("COMMIT")
        return bookmark

    def delete(self, bookmark_id: str, user: str) -> None:
        """Soft-deletes a bookmark, as Sentinel's audit table records it."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            current = self._current(db, bookmark_id)
            if current is None:
                db.execute("ROLLBACK")
                raise NotFound(f"No bookmark {bookmark_id!r}")
            now = _now()
            db.execute(
                "INSERT INTO events (id, time, deleted, body) VALUES (?, ?, 1, ?)",
                (
                    bookmark_id,
                    now,
                    json.dumps({**current, "updated": now, "updatedBy": {"name": user}}),
                ),
            )
            db.execute("COMMIT")

    def table(self) -> pa.Table:
        """Every logged row as the HuntingBookmark table."""
        with self._connect() as db:
            rows = db.execute("SELECT time, deleted, body FROM events ORDER BY seq").fetchall()
        records = []
        for time, deleted, text in rows:
            b = json.loads(text)
            records.append(
                {
                    "TimeGenerated": _time(time),
                    "TenantId": None,
                    "BookmarkId": b["id"],
                    "BookmarkName": b.get("displayName"),
                    "BookmarkType": None,
                    "CreatedBy": json.dumps(b.get("createdBy")),
                    "CreatedTime": _time(b["created"]),
                    "UpdatedBy": json.dumps(b.get("updatedBy") or b.get("createdBy")),
                    "LastUpdatedTime": _time(b["updated"]),
                    "EventTime": _time(b.get("eventTime")),
                    "Notes": b.get("notes"),
                    "Tags": json.dumps(b.get("labels", [])),
                    "QueryText": b.get("query"),
                    "QueryResultRow": b.get("queryResult"),
                    "QueryStartTime": _time(b.get("queryStartTime")),
                    "QueryEndTime": _time(b.get("queryEndTime")),
                    "Entities": json.dumps(b.get("entityMappings", [])),
                    "SoftDeleted": bool(deleted),
                    "SourceSystem": "Local",
                    "Type": "HuntingBookmark",
                }
            )
        return pa.Table.from_pylist(records, schema=HUNTING_BOOKMARK)
