"""Logging a session through the lean SQLite store (the quick `mlplanner log`).

The same steps as `logbook.log_session`, in the same order and with the same rules
(`log_rules`), in one write transaction taken before the first read, as the engine
takes it: `tests/unit_tests/test_quick_commands.py` runs both on the same database
and compares what they print and store."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ..vocabulary import TopicStatus
from .log_rules import (
    candidates_window,
    check_note,
    check_session,
    overlaps,
    refuse_overlap,
    starts_topic,
    status_times,
)

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from ..clock import Clock
    from ..store.lean import LeanStore, SessionRow


def log_session(
    store: LeanStore,
    clock: Clock,
    duration: timedelta,
    started_at: datetime | None = None,
    topic_id: str | None = None,
    note: str = "",
    source: str = "manual",
    allow_overlap: bool = False,
    tz: ZoneInfo | None = None,
) -> SessionRow:
    """Store a session as `logbook.log_session` does; returns the stored row."""
    from ..store.lean import ProgressRow, SessionRow

    now = clock()
    start = started_at or now - duration
    check_session(duration, start, now)
    seconds = int(duration.total_seconds())
    with store.transaction():
        after, before = candidates_window(start, start + duration)
        found = overlaps(store.sessions_starting(after, before), start)
        refuse_overlap(found, start, duration, allow_overlap, tz, topic_id)
        new_id = store.add_session(topic_id, start, seconds, check_note(note), source)
        if topic_id:
            current = store.progress(topic_id)
            if starts_topic(None if current is None else current.status):
                changed = clock()
                started, completed = status_times(
                    TopicStatus.IN_PROGRESS,
                    changed,
                    None if current is None else current.started_at,
                    None if current is None else current.completed_at,
                )
                row = ProgressRow(topic_id, TopicStatus.IN_PROGRESS.value, started, completed)
                store.put_progress(row, updated_at=changed)
    return SessionRow(new_id, topic_id, start, seconds)
