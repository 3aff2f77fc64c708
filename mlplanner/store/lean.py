"""A lean way into a SQLite database for the quick commands, with sqlite3 alone.

`mlplanner timer status` may run from a shell prompt every few seconds; importing
SQLAlchemy and SQLModel alone takes several times longer than the whole answer. The
quick commands read (and `log` writes) a few rows through this module instead, under the
same conditions as the ordinary path:

- only a SQLite file that exists, is writable (as the ordinary path requires) and holds
  exactly the schema this code knows (`SCHEMA_HEAD`, one SELECT, as `prepare_database`
  checks it). Anything else — a PostgreSQL URL, a new or older database, a foreign file —
  returns None from `open_lean`, and the caller takes the ordinary path, which creates,
  upgrades or refuses it with the usual message;
- reads on a read-only connection; a write in one `BEGIN IMMEDIATE` transaction with the
  same busy timeout and pragmas as the engine, so it waits its turn like any writer;
- values stored as SQLAlchemy stores them on SQLite (instants as naive UTC text with
  microseconds, booleans as 0/1), so either path reads what the other wrote.

The rules (what may be logged, what overlaps) live in the services, shared by both paths.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, NamedTuple

from . import revisions
from .instants import instant as instant
from .instants import stored_instant as stored_instant
from .revisions import (
    SCHEMA_HEAD,
    SQLITE_MAGIC,
    StoreError,
    failure_message,
    read_only_connection,
)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (as `config.db_url_from` makes them), else None."""
    if not url.startswith("sqlite:///") or url in ("sqlite:///:memory:",):
        return None
    path = url.removeprefix("sqlite:///")
    if not path or "?" in path:
        return None
    return Path(path)


# Rows are named tuples: cheaper to define than dataclasses, and the quick commands pay
# for every class they define at each start.


class TimerRow(NamedTuple):
    topic_id: str | None
    started_at: datetime
    paused_at: datetime | None
    paused_s: int
    last_activity_at: datetime
    pomodoro: bool
    note: str


class BlockRow(NamedTuple):
    id: int
    topic_id: str | None
    start_date: date
    start_time: time
    duration_min: int
    tz: str
    rrule: str | None
    skipped_dates: str
    note: str


class SessionRow(NamedTuple):
    id: int
    topic_id: str | None
    started_at: datetime
    duration_s: int


class ProgressRow(NamedTuple):
    topic_id: str
    status: str
    started_at: datetime | None
    completed_at: datetime | None


def open_lean(url: str, write: bool = False, wait_ms: int | None = None) -> LeanStore | None:
    """The database at `url` for the quick commands, or None: take the ordinary path.

    `wait_ms`: how long a read waits for another process's write (the engine's busy
    timeout unless given)."""
    path = sqlite_file(url)
    if path is None:
        return None
    try:
        if not path.is_file() or path.stat().st_size < len(SQLITE_MAGIC):
            return None
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            return None  # the ordinary path refuses it and says why
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return None
    except OSError:
        return None
    connection: sqlite3.Connection | None = None
    if wait_ms is None:
        wait_ms = revisions.BUSY_TIMEOUT_MS  # the engine's: one setting for both ways in
    try:
        if write:
            connection = sqlite3.connect(path, timeout=wait_ms / 1000, isolation_level=None)
            # The engine's pragmas (store.engine._sqlite_pragmas), so a write is the same.
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute(f"PRAGMA busy_timeout={wait_ms}")
            connection.execute("PRAGMA synchronous=NORMAL")
        else:
            connection = read_only_connection(path, wait_ms)
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        if connection is not None:
            connection.close()
        return None
    if row is None or row[0] != SCHEMA_HEAD:
        connection.close()
        return None
    return LeanStore(connection, url, wait_ms)


class LeanStore:
    """One connection to a database at the current schema; close it when done."""

    def __init__(self, connection: sqlite3.Connection, url: str, wait_ms: int) -> None:
        self._db = connection
        self.url = url
        self.wait_ms = wait_ms

    def close(self) -> None:
        self._db.close()

    def _rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(failure_message(self.url, str(exc), self.wait_ms)) from None

    # Reads

    def settings(self) -> dict[str, str]:
        """Every stored setting, raw (`services.settings.from_raw` reads them)."""
        return dict(self._rows("SELECT key, value FROM setting"))

    def timer(self) -> TimerRow | None:
        rows = self._rows(
            "SELECT topic_id, started_at, paused_at, paused_s, last_activity_at, pomodoro, note "
            "FROM focus_timer WHERE id = 1"
        )
        if not rows:
            return None
        topic_id, started, paused, paused_s, activity, pomodoro, note = rows[0]
        return TimerRow(
            topic_id,
            instant(started) or datetime.min.replace(tzinfo=UTC),
            instant(paused),
            paused_s,
            instant(activity) or datetime.min.replace(tzinfo=UTC),
            bool(pomodoro),
            note,
        )

    def blocks(self) -> list[BlockRow]:
        """Every stored block, earliest first (the order of `planning.list_blocks`)."""
        return self._block_rows("ORDER BY start_date, start_time")

    def week_blocks(self, first_start: date, last: date) -> list[BlockRow]:
        """Blocks that may show in a week (`services.week.block_window`), as
        `week.week_view` selects them."""
        return self._block_rows(
            "WHERE (rrule IS NOT NULL OR (start_date >= ? AND start_date <= ?)) "
            "AND start_date <= ?",
            first_start.isoformat(),
            last.isoformat(),
            last.isoformat(),
        )

    def blocks_until(self, last: date) -> list[BlockRow]:
        """Blocks starting by `last`, as the statistics' planned hours select them."""
        return self._block_rows("WHERE start_date <= ?", last.isoformat())

    def _block_rows(self, where: str, *params: object) -> list[BlockRow]:
        return [
            BlockRow(
                id_,
                topic_id,
                date.fromisoformat(day),
                time.fromisoformat(at),
                minutes,
                tz,
                rrule,
                skipped,
                note,
            )
            for id_, topic_id, day, at, minutes, tz, rrule, skipped, note in self._rows(
                "SELECT id, topic_id, start_date, start_time, duration_min, tz, rrule, "
                f"skipped_dates, note FROM study_block {where}",
                *params,
            )
        ]

    def logged_between(self, begin: datetime, finish: datetime) -> list[tuple[datetime, int]]:
        """(start, seconds) of the sessions starting in [begin, finish)."""
        return [
            (instant(started) or begin, seconds)
            for started, seconds in self._rows(
                "SELECT started_at, duration_s FROM study_session "
                "WHERE started_at >= ? AND started_at < ?",
                stored_instant(begin),
                stored_instant(finish),
            )
        ]

    def seconds_between(self, begin: datetime, finish: datetime) -> int:
        """Seconds logged by the sessions starting in [begin, finish)."""
        return int(
            self._rows(
                "SELECT coalesce(sum(duration_s), 0) FROM study_session "
                "WHERE started_at >= ? AND started_at < ?",
                stored_instant(begin),
                stored_instant(finish),
            )[0][0]
        )

    def seconds_per_topic(self) -> list[tuple[str | None, int]]:
        return self._rows("SELECT topic_id, sum(duration_s) FROM study_session GROUP BY topic_id")

    def first_logged(self) -> str | None:
        """The earliest session's start as stored (None: nothing logged)."""
        value: str | None = self._rows("SELECT min(started_at) FROM study_session")[0][0]
        return value

    def topic_statuses(self) -> dict[str, str]:
        return dict(self._rows("SELECT topic_id, status FROM topic_progress"))

    def sessions_starting(self, after: datetime, before: datetime) -> list[SessionRow]:
        """Sessions that start strictly between two instants, earliest first."""
        return [
            SessionRow(id_, topic_id, instant(started) or after, seconds)
            for id_, topic_id, started, seconds in self._rows(
                "SELECT id, topic_id, started_at, duration_s FROM study_session "
                "WHERE started_at < ? AND started_at > ? ORDER BY started_at",
                stored_instant(before),
                stored_instant(after),
            )
        ]

    def progress(self, topic_id: str) -> ProgressRow | None:
        rows = self._rows(
            "SELECT topic_id, status, started_at, completed_at FROM topic_progress "
            "WHERE topic_id = ?",
            topic_id,
        )
        if not rows:
            return None
        topic, status, started, completed = rows[0]
        return ProgressRow(topic, status, instant(started), instant(completed))

    # Writes: only inside `transaction()`

    @contextmanager
    def transaction(self) -> Iterator[LeanStore]:
        """One write transaction: the lock first (BEGIN IMMEDIATE, waiting up to the busy
        timeout like the engine's), committed on success, rolled back on any error."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(failure_message(self.url, str(exc), self.wait_ms)) from None
        try:
            yield self
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(failure_message(self.url, str(exc), self.wait_ms)) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def add_session(
        self, topic_id: str | None, started_at: datetime, duration_s: int, note: str, source: str
    ) -> int:
        """Insert a study session; returns its id."""
        cursor = self._db.execute(
            "INSERT INTO study_session (topic_id, started_at, duration_s, note, source) "
            "VALUES (?, ?, ?, ?, ?)",
            (topic_id, stored_instant(started_at), duration_s, note, source),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def put_progress(self, row: ProgressRow, updated_at: datetime) -> None:
        """Insert or replace a topic's progress row."""

        def stored(value: datetime | None) -> str | None:
            return None if value is None else stored_instant(value)

        self._db.execute(
            "INSERT INTO topic_progress (topic_id, status, started_at, completed_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic_id) DO UPDATE SET status = excluded.status, "
            "started_at = excluded.started_at, completed_at = excluded.completed_at, "
            "updated_at = excluded.updated_at",
            (
                row.topic_id,
                row.status,
                stored(row.started_at),
                stored(row.completed_at),
                stored_instant(updated_at),
            ),
        )

    # Reads of the main screen's first load (`services.lean_reads`), as the ORM's
    # queries in `services.session_reads` and `services.card_filters` ask them

    def done_resource_ids(self) -> set[str]:
        return {
            resource_id
            for (resource_id,) in self._rows(
                "SELECT resource_id FROM resource_progress WHERE done_at IS NOT NULL"
            )
        }

    def logged_range(self, since: datetime) -> tuple[datetime, datetime] | None:
        """The first and last start of the sessions starting at or after `since`."""
        first, last = self._rows(
            "SELECT min(started_at), max(started_at) FROM study_session WHERE started_at >= ?",
            stored_instant(since),
        )[0]
        if first is None or last is None:
            return None
        return instant(first) or since, instant(last) or since

    def seconds_per_shifted_date(
        self, begin: datetime, end: datetime, shift_s: int
    ) -> list[tuple[date, int]]:
        """Seconds logged by the sessions starting in [begin, end), per UTC date of their
        start moved by `shift_s` seconds (the study day, where the offset is fixed)."""
        return [
            (date.fromisoformat(day), int(seconds))
            for day, seconds in self._rows(
                "SELECT date(started_at, ?) AS day, sum(duration_s) FROM study_session "
                "WHERE started_at >= ? AND started_at < ? GROUP BY day",
                f"{shift_s:+d} seconds",
                stored_instant(begin),
                stored_instant(end),
            )
        ]

    def count_cards(
        self,
        now: datetime,
        states: tuple[int, ...],
        due_before: datetime | None = None,
        topics: tuple[str, ...] | None = None,
        limit: int | None = None,
    ) -> int:
        """Cards that may be shown at `now` (in the collection, not suspended, not buried:
        `card_filters.active`) in one of `states`, due before an instant and of some
        topics when given; counted up to `limit` when given."""
        where = [
            "removed = 0",
            "hidden = 0",
            "suspended = 0",
            "(buried_until IS NULL OR buried_until <= ?)",
            f"state IN ({', '.join('?' * len(states))})",
        ]
        params: list[object] = [stored_instant(now), *states]
        if due_before is not None:
            where.append("due < ?")
            params.append(stored_instant(due_before))
        if topics is not None:
            where.append(f"topic_id IN ({', '.join('?' * len(topics))})")
            params.extend(topics)
        sql = f"SELECT id FROM card WHERE {' AND '.join(where)}"
        if limit is not None:
            if limit <= 0:
                return 0
            sql += " LIMIT ?"
            params.append(limit)
        return int(self._rows(f"SELECT count(*) FROM ({sql})", *params)[0][0])

    def review_day_totals(self, day: date) -> tuple[int, int]:
        """(new cards introduced, first answers of review cards) on a study day."""
        new, answered = self._rows(
            "SELECT coalesce(sum(new_cards), 0), coalesce(sum(first_pass + first_fail), 0) "
            "FROM review_day WHERE day = ?",
            day.isoformat(),
        )[0]
        return int(new), int(answered)

    def has_rows(self, table: str) -> bool:
        """Whether a table of the schema holds any row."""
        if table not in _TABLES:
            raise ValueError(f"not a table of the schema: {table!r}")
        return bool(self._rows(f"SELECT 1 FROM {table} LIMIT 1"))


_TABLES = frozenset(
    {"study_session", "topic_progress", "review_log", "review_day", "card", "study_block"}
)
