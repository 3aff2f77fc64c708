"""The focus timer: started, paused and stopped from any front end, stored as it runs.

Several processes share it (the TUI, `timer start` and `timer stop` in a shell), so
starting and stopping are each one statement that the database settles: an insert that
does nothing when a timer exists, a delete that returns the timer it removed. Of two
processes stopping at once only one gets the timer back and logs it; of two starting at
once only one inserts it, the other is told a timer is running."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col

from ..clock import Clock
from ..errors import BadInput
from ..store.models import FocusTimer, StudySession
from ..store.upserts import insert_ignoring_duplicates
from . import logbook
from .durations import whole_minutes

TIMER_ID = 1  # one timer at a time, shared by every process

STALE_AFTER = timedelta(hours=12)


@dataclass(frozen=True)
class Pomodoro:
    work_min: int = 25
    break_min: int = 5
    long_break_min: int = 15
    long_every: int = 4


@dataclass(frozen=True)
class Phase:
    name: str  # work | break | long break
    number: int  # which work round (1-based) this is or follows
    remaining: timedelta
    work: timedelta  # time spent in work phases so far


class TimerError(BadInput):
    title = "Timer"
    pass


def phase(active: timedelta, rhythm: Pomodoro) -> Phase:
    """Where a Pomodoro rhythm stands after `active` unpaused time."""
    work = timedelta(minutes=rhythm.work_min)
    short, long = timedelta(minutes=rhythm.break_min), timedelta(minutes=rhythm.long_break_min)
    elapsed, worked, number = timedelta(0), timedelta(0), 1
    while True:
        if active < elapsed + work:
            return Phase("work", number, elapsed + work - active, worked + active - elapsed)
        elapsed += work
        worked += work
        pause = long if number % rhythm.long_every == 0 else short
        if active < elapsed + pause:
            name = "long break" if pause == long and long != short else "break"
            return Phase(name, number, elapsed + pause - active, worked)
        elapsed += pause
        number += 1


def current(session: Session) -> FocusTimer | None:
    return session.get(FocusTimer, TIMER_ID)


def active_time(timer: FocusTimer, now: datetime) -> timedelta:
    """Time run so far, pauses excluded."""
    end = timer.paused_at or now
    return max(timedelta(0), end - timer.started_at - timedelta(seconds=timer.paused_s))


def studied_time(timer: FocusTimer, now: datetime, rhythm: Pomodoro) -> timedelta:
    """What stopping would log: active time, without Pomodoro breaks."""
    active = active_time(timer, now)
    return phase(active, rhythm).work if timer.pomodoro else active


def is_stale(timer: FocusTimer, now: datetime) -> bool:
    return now - timer.started_at > STALE_AFTER


def start(
    session: Session,
    clock: Clock,
    topic_id: str | None = None,
    pomodoro: bool = False,
    note: str = "",
) -> FocusTimer:
    now = clock()
    table = FocusTimer.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    statement = insert_ignoring_duplicates(connection.dialect.name, table, ["id"])
    inserted = connection.execute(
        statement.returning(table.c.id),
        {
            "id": TIMER_ID,
            "topic_id": topic_id,
            "started_at": now,
            "paused_at": None,
            "paused_s": 0,
            "last_activity_at": now,
            "pomodoro": pomodoro,
            "note": note,
        },
    ).first()
    running = session.get(FocusTimer, TIMER_ID, populate_existing=True)
    if inserted is None or running is None:
        since = (
            f" (since {running.started_at.isoformat(timespec='minutes')})"
            if running is not None
            else ""
        )
        raise TimerError(f"a timer is already running{since}; stop it first")
    return running


def _running(session: Session) -> FocusTimer:
    # Locked until the transaction ends (PostgreSQL; SQLite's writers take turns anyway),
    # so a pause read and written here cannot cross another's.
    timer = session.get(FocusTimer, TIMER_ID, with_for_update=True, populate_existing=True)
    if timer is None:
        raise TimerError("no timer is running")
    return timer


def pause(session: Session, clock: Clock) -> FocusTimer:
    timer = _running(session)
    now = clock()
    if timer.paused_at is None:
        timer.paused_at = now
    else:
        timer.paused_s += int((now - timer.paused_at).total_seconds())
        timer.paused_at = None
    timer.last_activity_at = now
    session.add(timer)
    return timer


def touch(session: Session, clock: Clock) -> None:
    """Record that the learner is still there; a stale timer is logged up to this point."""
    timer = current(session)
    if timer is not None:
        timer.last_activity_at = clock()
        session.add(timer)


def stop(
    session: Session,
    clock: Clock,
    rhythm: Pomodoro | None = None,
    until_last_activity: bool = False,
) -> StudySession | None:
    """Log the timer as a study session, rounded to the minute; None if under a minute.

    The timer is taken with one delete that returns it: a process stopping it at the same
    time finds none and is told so, so the session is logged once."""
    timer = session.exec(
        delete(FocusTimer).where(col(FocusTimer.id) == TIMER_ID).returning(FocusTimer)
    ).scalar_one_or_none()
    if timer is None:
        raise TimerError("no timer is running")
    end = timer.last_activity_at if until_last_activity else clock()
    studied = studied_time(timer, end, rhythm or Pomodoro())
    minutes = whole_minutes(studied)
    if minutes < 1:
        return None
    studied = timedelta(minutes=min(minutes, 16 * 60))
    return logbook.log_session(
        session,
        clock,
        studied,
        started_at=timer.started_at,
        topic_id=timer.topic_id,
        note=timer.note,
        source="timer",
        allow_overlap=True,  # time on the clock was studied; a clash is the log's to sort out
    )
