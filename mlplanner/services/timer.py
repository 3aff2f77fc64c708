"""The focus timer: started, paused and stopped from any front end, stored as it runs.

Several processes share it (the TUI, `timer start` and `timer stop` in a shell), so
starting and stopping are each one statement that the database settles: an insert that
does nothing when a timer exists, a delete that returns the timer it removed. Of two
processes stopping at once only one gets the timer back and logs it; of two starting at
once only one inserts it, the other is told a timer is running."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple, Protocol

from ..clock import Clock
from ..errors import BadInput
from .durations import whole_minutes

if TYPE_CHECKING:  # the reading of a timer needs no database layer (`timer status`)
    from sqlmodel import Session

    from ..store.models import FocusTimer, StudySession

TIMER_ID = 1  # one timer at a time, shared by every process

STALE_AFTER = timedelta(hours=12)


class Pomodoro(NamedTuple):
    """The lengths of a Pomodoro rhythm, in minutes; a long break after every
    `long_every` work rounds."""

    work_min: int = 25
    break_min: int = 5
    long_break_min: int = 15
    long_every: int = 4

    def words(self) -> str:
        """`25 min of work, 5 min breaks, 15 min after every 4th round`."""
        return (
            f"{self.work_min} min of work, {self.break_min} min breaks, "
            f"{self.long_break_min} min after every {ordinal(self.long_every)} round"
        )


def ordinal(number: int) -> str:
    if number == 1:
        return "single"
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


class Phase(NamedTuple):
    """Where a Pomodoro rhythm stands."""

    name: str  # work | break | long break
    number: int  # which work round (1-based) this is or follows
    remaining: timedelta
    work: timedelta  # time spent in work phases so far


def clock_text(span: timedelta) -> str:
    """`1:02:09`: time on the timer in whole seconds, cut the same way whether it runs or
    is paused (and as the app's timer shows it)."""
    seconds = max(0, int(span.total_seconds()))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def phase_words(now: Phase, rhythm: Pomodoro) -> str:
    """`work, round 2 of 4: 12:30 left`, `short break after round 2: 3:12 left`."""
    left = max(0, math.ceil(now.remaining.total_seconds()))
    countdown = f"{left // 60}:{left % 60:02d} left"
    round_ = f"round {(now.number - 1) % rhythm.long_every + 1} of {rhythm.long_every}"
    if now.name == "work":
        return f"work, {round_}: {countdown}"
    kind = "long break" if now.name == "long break" else "short break"
    return f"{kind} after {round_}: {countdown}"


class TimerTimes(Protocol):
    """What the arithmetic reads of a timer (the table row or a lean row)."""

    @property
    def topic_id(self) -> str | None: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def paused_at(self) -> datetime | None: ...
    @property
    def paused_s(self) -> int: ...
    @property
    def pomodoro(self) -> bool: ...


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


def phase_length(name: str, rhythm: Pomodoro) -> int:
    """Minutes a phase lasts in this rhythm (the configured lengths, never a constant)."""
    if name == "work":
        return rhythm.work_min
    return rhythm.long_break_min if name == "long break" else rhythm.break_min


UNDER_A_MINUTE = timedelta(minutes=1)


def ran_under_a_minute(timer: TimerTimes, now: datetime, rhythm: Pomodoro) -> bool:
    """Stopping now would log nothing worth keeping: ask before throwing it away."""
    return studied_time(timer, now, rhythm) < UNDER_A_MINUTE


def current(session: Session) -> FocusTimer | None:
    from ..store.models import FocusTimer

    return session.get(FocusTimer, TIMER_ID)


def active_time(timer: TimerTimes, now: datetime) -> timedelta:
    """Time run so far, pauses excluded."""
    end = timer.paused_at or now
    return max(timedelta(0), end - timer.started_at - timedelta(seconds=timer.paused_s))


def studied_time(timer: TimerTimes, now: datetime, rhythm: Pomodoro) -> timedelta:
    """What stopping would log: active time, without Pomodoro breaks."""
    active = active_time(timer, now)
    return phase(active, rhythm).work if timer.pomodoro else active


def is_stale(timer: TimerTimes, now: datetime) -> bool:
    return now - timer.started_at > STALE_AFTER


def start(
    session: Session,
    clock: Clock,
    topic_id: str | None = None,
    pomodoro: bool = False,
    note: str = "",
) -> FocusTimer:
    from ..store.models import FocusTimer
    from ..store.upserts import insert_ignoring_duplicates

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
    from ..store.models import FocusTimer

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


def discard(session: Session) -> FocusTimer:
    """Stop the timer and log nothing (one delete that returns it, as `stop` does)."""
    from sqlalchemy import delete
    from sqlmodel import col

    from ..store.models import FocusTimer

    timer: FocusTimer | None = session.exec(
        delete(FocusTimer).where(col(FocusTimer.id) == TIMER_ID).returning(FocusTimer)
    ).scalar_one_or_none()
    if timer is None:
        raise TimerError("no timer is running")
    return timer


def stop(
    session: Session,
    clock: Clock,
    rhythm: Pomodoro | None = None,
    until_last_activity: bool = False,
) -> StudySession | None:
    """Log the timer as a study session, rounded to the minute; None if under a minute.

    The timer is taken with one delete that returns it: a process stopping it at the same
    time finds none and is told so, so the session is logged once."""
    from sqlalchemy import delete
    from sqlmodel import col

    from ..store.models import FocusTimer
    from . import logbook

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
