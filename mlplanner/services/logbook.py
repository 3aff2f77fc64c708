"""Logged study sessions: the hours actually studied."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from ..clock import Clock
from ..store.models import StudySession, TopicProgress
from . import progress

MAX_SESSION = timedelta(hours=16)


class LogError(ValueError):
    """A session that cannot be stored; the message says why."""


def log_session(
    session: Session,
    clock: Clock,
    duration: timedelta,
    started_at: datetime | None = None,
    topic_id: str | None = None,
    note: str = "",
    source: str = "manual",
) -> StudySession:
    now = clock()
    if duration <= timedelta(0):
        raise LogError("the duration must be more than zero")
    if duration > MAX_SESSION:
        raise LogError("a session cannot be longer than 16 hours")
    start = started_at or now - duration
    if start.tzinfo is None:
        raise LogError("the start time needs a time zone")
    if start > now:
        raise LogError("the session cannot start in the future")
    row = StudySession(
        topic_id=topic_id,
        started_at=start,
        duration_s=int(duration.total_seconds()),
        note=note,
        source=source,
    )
    session.add(row)
    if topic_id:
        current = session.get(TopicProgress, topic_id)
        if current is None or current.status == "not_started":
            progress.set_status(session, topic_id, "in_progress", clock)
    return row
