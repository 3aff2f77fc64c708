"""What both ways into the database agree on, importable without SQLAlchemy: the schema
revisions this code knows, how long a connection waits for another's write, and how a
SQLite file is opened for reading only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import PlannerError

# The newest schema this code knows, and every revision it can upgrade from.
# tests/unit_tests/test_migrations.py checks these against the Alembic scripts.
SCHEMA_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def read_only_connection(path: Path, timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """Open for reading only, waiting like any reader for another process's write.

    Only a WAL database in a folder nobody may write to (where SQLite cannot make its
    shared-memory file) is read as `immutable`: nothing else can be changing it then."""
    uri = path.resolve().as_uri()
    timeout = timeout_ms / 1000
    if not os.access(path.parent, os.W_OK):
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout)
    connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout)
    connection.execute("SELECT 1 FROM sqlite_master LIMIT 1")
    return connection


class StoreError(PlannerError):
    """The database cannot be used; the message says which and why."""

    title = "Database"


def is_busy(error: str) -> bool:
    lowered = error.lower()
    return "locked" in lowered or "busy" in lowered


def failure_message(where: str, error: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> str:
    """What a failed write tells the user, whichever way it went to the database."""
    lowered = error.lower()
    if is_busy(error):
        return (
            f"{where}: the database stayed busy for {busy_timeout_ms // 1000} s (another "
            "mlplanner is writing to it); nothing was saved — try again."
        )
    if "readonly" in lowered or "read-only" in lowered:
        return f"{where}: the database is read-only; nothing was saved."
    if "disk is full" in lowered or "no space" in lowered:
        return f"{where}: the disk is full; nothing was saved."
    return f"{where}: the database failed: {error}"
