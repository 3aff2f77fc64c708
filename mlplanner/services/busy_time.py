"""Busy time from other calendars (work, family): an `.ics` file read as intervals that
"plan my week" keeps clear of. Recurring events are expanded by `recurring-ical-events`,
which honours EXDATE, RDATE and RECURRENCE-ID overrides; importing the same file again
replaces what it brought before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import delete
from sqlmodel import Session, col, select

from ..errors import BadInput
from ..safe_text import printable
from ..store.models import BusyTime

# Expanded from a little before today to this far ahead; import again to look further.
LOOK_BACK = timedelta(days=7)
LOOK_AHEAD = timedelta(days=400)


class CalendarFileError(BadInput):
    title = "Calendar import"


@dataclass(frozen=True)
class BusyReport:
    source: str
    events: int  # events (and occurrences) read in the window
    intervals: int  # busy intervals stored
    replaced: int  # intervals from the previous import of the same file
    free: int  # events marked free (TRANSP:TRANSPARENT) or cancelled, left out


def _instant(value: date | datetime, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        local = value if value.tzinfo is not None else value.replace(tzinfo=tz)
        return local.astimezone(UTC)
    # An all-day event: the whole local day.
    return datetime.combine(value, time(0), tzinfo=tz).astimezone(UTC)


def read_busy(
    data: bytes, tz: ZoneInfo, start: datetime, end: datetime
) -> tuple[list[tuple[datetime, datetime, str]], int, int]:
    """Busy intervals (UTC start, end, summary) touching [start, end), the number of events
    read and of those left out as free or cancelled."""
    import recurring_ical_events  # type: ignore[import-untyped]

    try:
        calendar = Calendar.from_ical(data)
        occurrences = list(recurring_ical_events.of(calendar).between(start, end))
    except Exception as exc:  # the parser and the expander raise many kinds for bad files
        raise CalendarFileError(f"not a calendar file that can be read: {exc}") from None
    busy = []
    free = 0
    for event in occurrences:
        transparent = str(event.get("transp", "OPAQUE")).upper() == "TRANSPARENT"
        if transparent or str(event.get("status", "")).upper() == "CANCELLED":
            free += 1
            continue
        begins = event.get("dtstart")
        if begins is None:
            continue
        first = _instant(begins.dt, tz)
        if event.get("dtend") is not None:
            last = _instant(event["dtend"].dt, tz)
        elif event.get("duration") is not None:
            last = first + event["duration"].dt
        elif isinstance(begins.dt, datetime):
            last = first
        else:
            last = _instant(begins.dt + timedelta(days=1), tz)
        if last <= first:
            continue
        summary = printable(str(event.get("summary", "")), one_line=True, limit=200)
        busy.append((first, last, summary))
    busy.sort()
    return busy, len(occurrences), free


def import_calendar(
    session: Session, path: Path, tz: ZoneInfo, now: datetime, source: str | None = None
) -> BusyReport:
    """Store the file's busy intervals from a week ago to about a year ahead, replacing
    those of an earlier import of the same file (named by its absolute path)."""
    name = source or str(path.resolve())
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CalendarFileError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        busy, events, free = read_busy(data, tz, now - LOOK_BACK, now + LOOK_AHEAD)
    except CalendarFileError as exc:
        raise CalendarFileError(f"{path}: {exc}") from None
    old = session.exec(select(BusyTime.id).where(BusyTime.source == name)).all()
    session.exec(delete(BusyTime).where(col(BusyTime.source) == name))
    for first, last, summary in busy:
        session.add(BusyTime(source=name, start=first, end=last, summary=summary))
    session.flush()
    return BusyReport(name, events, len(busy), len(old), free)


def busy_between(
    session: Session, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Imported busy intervals touching [start, end), earliest first."""
    rows = session.exec(
        select(BusyTime.start, BusyTime.end)
        .where(col(BusyTime.start) < end, col(BusyTime.end) > start)
        .order_by(col(BusyTime.start))
    ).all()
    return [(s, e) for s, e in rows]
