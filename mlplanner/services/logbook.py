"""Logged study sessions: the hours actually studied."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ..clock import Clock
from ..store.models import StudySession, TopicProgress
from ..vocabulary import TopicStatus
from . import progress
from .log_rules import (
    MAX_SESSION,
    LogError,
    OverlapError,
    candidates_window,
    check_note,
    check_session,
    describe,
    overlaps,
    refuse_overlap,
    starts_topic,
)

__all__ = [
    "MAX_SESSION",
    "LogError",
    "OverlapError",
    "check_note",
    "check_overlap",
    "check_session",
    "describe",
    "free_interval",
    "log_session",
    "overlapping",
]


def overlapping(
    session: Session, start: datetime, end: datetime, exclude_id: int | None = None
) -> StudySession | None:
    """The earliest logged session sharing some time with [start, end), if any."""
    found = all_overlapping(session, start, end, exclude_id)
    return found[0] if found else None


def all_overlapping(
    session: Session, start: datetime, end: datetime, exclude_id: int | None = None
) -> list[StudySession]:
    """Every logged session sharing some time with [start, end), earliest first."""
    after, before = candidates_window(start, end)
    candidates = session.exec(
        select(StudySession)
        .where(col(StudySession.started_at) < before, col(StudySession.started_at) > after)
        .order_by(col(StudySession.started_at))
    )
    return overlaps(candidates, start, exclude_id)


MIN_ADJUSTED = timedelta(minutes=1)


def _end(row: StudySession) -> datetime:
    return row.started_at + timedelta(seconds=row.duration_s)


def free_interval(
    session: Session,
    start: datetime,
    duration: timedelta,
    now: datetime | None = None,
    exclude_id: int | None = None,
) -> tuple[datetime, timedelta] | None:
    """Where a session overlapping logged time could go instead, as (start, length).

    1. Shorten: the longest part of [start, start + duration) that no logged session
       covers (the earlier part on a tie) — the time next to the session it overlaps.
    2. Move, when logged time covers all of it: the same length right after the session
       it overlaps (if that is free and not in the future), else right before it.
    A part may not start after `now`. None when neither is free, or the part left would be
    under a minute."""
    end = start + duration
    taken = all_overlapping(session, start, end, exclude_id)
    if not taken:
        return start, duration
    pieces: list[tuple[datetime, datetime]] = []
    cursor = start
    for row in taken:
        if row.started_at > cursor:
            pieces.append((cursor, min(row.started_at, end)))
        cursor = max(cursor, _end(row))
    if cursor < end:
        pieces.append((cursor, end))
    pieces = [piece for piece in pieces if now is None or piece[0] <= now]  # none may start later
    if pieces:
        first, last = max(pieces, key=lambda piece: (piece[1] - piece[0], -piece[0].timestamp()))
        if last - first >= MIN_ADJUSTED:
            return first, last - first
        return None
    existing = taken[0]
    for moved in (_end(existing), existing.started_at - duration):
        in_future = now is not None and moved + duration > now
        if not in_future and not all_overlapping(session, moved, moved + duration, exclude_id):
            return moved, duration
    return None


def check_overlap(
    session: Session,
    start: datetime,
    duration: timedelta,
    allow_overlap: bool,
    tz: ZoneInfo | None = None,
    exclude_id: int | None = None,
    topic_id: str | None = None,
    now: datetime | None = None,
) -> None:
    """Refuse time already logged — unless asked to keep both; an exact copy never. A
    refusal that is no copy carries the free time next to it (`OverlapError.adjusted`)."""
    found = all_overlapping(session, start, start + duration, exclude_id)
    try:
        refuse_overlap(found, start, duration, allow_overlap, tz, topic_id)
    except OverlapError as error:
        if not error.duplicate:
            error.adjusted = free_interval(session, start, duration, now, exclude_id)
        raise


def log_session(
    session: Session,
    clock: Clock,
    duration: timedelta,
    started_at: datetime | None = None,
    topic_id: str | None = None,
    note: str = "",
    source: str = "manual",
    allow_overlap: bool = False,
    tz: ZoneInfo | None = None,
) -> StudySession:
    """Store a session; overlapping time is refused (OverlapError) unless `allow_overlap`,
    and an exact copy of a stored session is refused always."""
    now = clock()
    start = started_at or now - duration
    check_session(duration, start, now)
    check_overlap(session, start, duration, allow_overlap, tz, topic_id=topic_id, now=now)
    row = StudySession(
        topic_id=topic_id,
        started_at=start,
        duration_s=int(duration.total_seconds()),
        note=check_note(note),
        source=source,
    )
    session.add(row)
    if topic_id:
        current = session.get(TopicProgress, topic_id)
        if starts_topic(None if current is None else current.status):
            progress.set_status(session, topic_id, TopicStatus.IN_PROGRESS, clock)
    return row


def recent(
    session: Session,
    limit: int = 200,
    topic_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[StudySession]:
    query = select(StudySession).order_by(col(StudySession.started_at).desc()).limit(limit)
    if topic_id:
        query = query.where(StudySession.topic_id == topic_id)
    if since:
        query = query.where(col(StudySession.started_at) >= since)
    if until:
        query = query.where(col(StudySession.started_at) < until)
    return list(session.exec(query).all())


def edit_session(
    session: Session,
    clock: Clock,
    session_id: int,
    duration: timedelta,
    started_at: datetime,
    topic_id: str | None,
    note: str,
    allow_overlap: bool = False,
    tz: ZoneInfo | None = None,
) -> StudySession:
    row = session.get(StudySession, session_id)
    if row is None:
        raise LogError(f"no study session #{session_id}")
    now = clock()
    check_session(duration, started_at, now)
    check_overlap(
        session,
        started_at,
        duration,
        allow_overlap,
        tz,
        exclude_id=session_id,
        topic_id=topic_id,
        now=now,
    )
    row.duration_s = int(duration.total_seconds())
    row.started_at = started_at
    row.topic_id = topic_id
    row.note = check_note(note)
    session.add(row)
    return row


def delete_session(session: Session, session_id: int) -> dict[str, Any]:
    """Delete a session; returns what is needed to put it back."""
    row = session.get(StudySession, session_id)
    if row is None:
        raise LogError(f"no study session #{session_id}")
    kept = row.model_dump()
    session.delete(row)
    return kept


def restore_session(session: Session, kept: dict[str, Any]) -> StudySession:
    row = StudySession(**kept)
    session.add(row)
    return row


EXPORT_COLUMNS = (
    "id",
    "started_at_utc",
    "ended_at_utc",
    "local_start",
    "local_end",
    "time_zone",
    "study_day",
    "seconds",
    "minutes",
    "topic_id",
    "topic",
    "source",
    "note",
)


def export_csv(
    session: Session,
    out: TextIO,
    topic_titles: dict[str, str],
    tz: ZoneInfo | None = None,
    rollover_hour: int = 4,
) -> int:
    """Every session as CSV (columns: EXPORT_COLUMNS, documented in the README): UTC and
    local start and end, the study day it counts for (after the rollover) and its length."""
    from .days import study_day

    zone = tz or ZoneInfo("UTC")
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in session.exec(select(StudySession).order_by(col(StudySession.started_at))):
        end = row.started_at + timedelta(seconds=row.duration_s)
        writer.writerow(
            [
                row.id,
                row.started_at.isoformat(timespec="seconds"),
                end.isoformat(timespec="seconds"),
                row.started_at.astimezone(zone).isoformat(timespec="seconds"),
                end.astimezone(zone).isoformat(timespec="seconds"),
                zone.key,
                study_day(row.started_at, zone, rollover_hour).isoformat(),
                row.duration_s,
                round(row.duration_s / 60, 1),
                row.topic_id or "",
                topic_titles.get(row.topic_id or "", ""),
                row.source,
                row.note,
            ]
        )
        count += 1
    return count
