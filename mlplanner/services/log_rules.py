"""What may be logged: the rules every way of logging a session shares.

`logbook` applies them through a database session, the quick `mlplanner log` through the
lean SQLite store; both call these, so a rule has one place to change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from ..errors import BadInput
from ..safe_text import NUL_REFUSED, has_nul
from ..vocabulary import TopicStatus
from .durations import EARLIEST_YEAR

MAX_SESSION = timedelta(hours=16)


class LoggedSession(Protocol):
    """What the rules read of a stored session (a table row or a lean row)."""

    @property
    def id(self) -> int | None: ...
    @property
    def topic_id(self) -> str | None: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def duration_s(self) -> int: ...


class LogError(BadInput):
    """A session that cannot be stored; the message says why."""

    title = "Logbook"


def check_session(duration: timedelta, start: datetime, now: datetime) -> None:
    """Raise LogError when a session of this length starting then cannot be stored."""
    if duration <= timedelta(0):
        raise LogError("the duration must be more than zero")
    if duration > MAX_SESSION:
        raise LogError("a session cannot be longer than 16 hours")
    if start.tzinfo is None:
        raise LogError("the start time needs a time zone")
    if start > now:
        raise LogError("the session cannot start in the future")
    if start.year < EARLIEST_YEAR:
        raise LogError(f"the session cannot start before {EARLIEST_YEAR}")


def check_note(note: str) -> str:
    """A note is any text but NUL, which no one types and PostgreSQL cannot store."""
    if has_nul(note):
        raise LogError(NUL_REFUSED)
    return note


class OverlapError(LogError):
    """The session overlaps one already logged: its id, start and end travel with it (plain
    values: the error outlives the unit of work that found it).

    `duplicate`: it is an exact copy of a stored session, refused even when overlaps are
    allowed. `adjusted`: the free time next to the overlapped session the new one could
    take instead (start, length), when the logbook found some (`logbook.free_interval`)."""

    title = "Overlapping session"

    def __init__(self, message: str, existing: LoggedSession, duplicate: bool = False) -> None:
        super().__init__(message)
        self.existing_id = existing.id
        self.existing_start = existing.started_at
        self.existing_end = existing.started_at + timedelta(seconds=existing.duration_s)
        self.duplicate = duplicate
        self.adjusted: tuple[datetime, timedelta] | None = None


def candidates_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """Sessions that may share time with [start, end) start strictly inside this window
    (none is longer than MAX_SESSION): the query both paths make, earliest first."""
    return start - MAX_SESSION, end


Row = TypeVar("Row", bound=LoggedSession)


def overlaps(
    candidates: Iterable[Row], start: datetime, exclude_id: int | None = None
) -> list[Row]:
    """Of the candidates (earliest first), those that run past `start`."""
    return [
        row
        for row in candidates
        if row.id != exclude_id and row.started_at + timedelta(seconds=row.duration_s) > start
    ]


def describe(row: LoggedSession, tz: ZoneInfo | None = None) -> str:
    """`#12, Tue 10 Mar 19:00-20:30` — how a session is named in messages."""
    begin = row.started_at.astimezone(tz) if tz else row.started_at
    end = begin + timedelta(seconds=row.duration_s)
    return f"#{row.id}, {begin:%a %d %b %H:%M}-{end:%H:%M}"


def refuse_overlap(
    overlapping: Sequence[LoggedSession],
    start: datetime,
    duration: timedelta,
    allow_overlap: bool,
    tz: ZoneInfo | None = None,
    topic_id: str | None = None,
) -> None:
    """Refuse time already logged (`overlapping`, earliest first) — unless asked to keep
    both; an exact copy of any of them never."""
    seconds = int(duration.total_seconds())
    for existing in overlapping:
        if (
            existing.started_at == start
            and existing.duration_s == seconds
            and existing.topic_id == topic_id
        ):
            raise OverlapError(
                f"this session is already logged ({describe(existing, tz)})",
                existing,
                duplicate=True,
            )
    if overlapping and not allow_overlap:
        raise OverlapError(
            f"it overlaps the session logged {describe(overlapping[0], tz)}; "
            "change the time, or keep both on purpose",
            overlapping[0],
        )


def starts_topic(status: str | None) -> bool:
    """Whether logging time on a topic with this status (None: never touched) marks it
    in progress."""
    return status is None or status == TopicStatus.NOT_STARTED


def status_times(
    status: TopicStatus, now: datetime, started_at: datetime | None, completed_at: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """A topic's (started_at, completed_at) once its status becomes `status` at `now`."""
    if status is TopicStatus.IN_PROGRESS and started_at is None:
        started_at = now
    if status is TopicStatus.DONE:
        return started_at or now, now
    return started_at, None
