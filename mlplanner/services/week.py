"""The week on screen: planned study blocks expanded from their rules, and logged hours."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlmodel import Session, col, or_, select

from ..curriculum import Curriculum
from ..store.models import StudyBlock, StudySession
from .days import StudyCalendar
from .planning import rule_parts


@dataclass(frozen=True)
class Occurrence:
    block_id: int
    start: datetime  # aware, in the learner's zone
    end: datetime
    topic_id: str | None
    topic_title: str
    recurring: bool
    conflict: bool = False


@dataclass(frozen=True)
class DayView:
    day: date
    blocks: tuple[Occurrence, ...]
    planned_hours: float
    logged_hours: float


@dataclass(frozen=True)
class WeekView:
    start: date
    days: tuple[DayView, ...]
    target_hours: float

    @property
    def planned_hours(self) -> float:
        return sum(d.planned_hours for d in self.days)

    @property
    def logged_hours(self) -> float:
        return sum(d.logged_hours for d in self.days)


@lru_cache(maxsize=4096)
def _rule(rule: str, dtstart: datetime):
    """Parsing a rule costs more than expanding a week of it; blocks repeat on every screen."""
    return rrulestr(rule, dtstart=dtstart)


def _fast_forward(rule: str, start: datetime, window_start: datetime) -> datetime:
    """A later start for a weekly rule without COUNT that yields the same occurrences in the
    window: whole multiples of the interval, ending at least a week before the window.

    Without it, expanding a block planned a year ago walks a year of occurrences."""
    parts = rule_parts(rule)
    if parts.get("FREQ") != "WEEKLY" or "COUNT" in parts:
        return start
    step = 7 * int(parts.get("INTERVAL", "1"))
    days = (window_start - start).days - 7
    if days < step:
        return start
    return start + timedelta(days=days // step * step)


def skipped(block: StudyBlock) -> set[date]:
    return {date.fromisoformat(s) for s in block.skipped_dates.split(",") if s}


def occurrences(block: StudyBlock, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """Start and end of each occurrence touching [first, last], as aware local times.

    The rule runs over wall-clock time in the block's own zone, so 19:00 stays 19:00
    across daylight-saving changes.
    """
    zone = ZoneInfo(block.tz)
    duration = timedelta(minutes=block.duration_min)
    start = datetime.combine(block.start_date, block.start_time)
    window_start = datetime.combine(first, datetime.min.time()) - duration
    window_end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    if block.rrule:
        starts = _rule(block.rrule, _fast_forward(block.rrule, start, window_start)).between(
            window_start, window_end, inc=True
        )
    else:
        starts = [start] if window_start <= start < window_end else []
    gone = skipped(block)
    week_begins = datetime.combine(first, datetime.min.time())
    result = []
    for local in starts:
        if local.date() in gone or local + duration <= week_begins:
            continue
        aware = local.replace(tzinfo=zone)
        result.append((aware, aware + duration))
    return result


_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PLAIN_WEEKLY = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "WKST"}


def _plain_weekly(rule: str, start: date) -> tuple[list[int], int, int, datetime | None] | None:
    """Weekdays, interval, week start and end of a WEEKLY rule with only those parts;
    None for any other rule."""
    return _plain_weekly_rule(rule, start.weekday())


@lru_cache(maxsize=4096)
def _plain_weekly_rule(
    rule: str, start_weekday: int
) -> tuple[list[int], int, int, datetime | None] | None:
    parts = rule_parts(rule)
    if parts.get("FREQ") != "WEEKLY" or not set(parts) <= _PLAIN_WEEKLY:
        return None
    codes = parts.get("BYDAY", _WEEKDAY_CODES[start_weekday]).split(",")
    if not set(codes) <= set(_WEEKDAY_CODES) or parts.get("WKST", "MO") not in _WEEKDAY_CODES:
        return None
    until = parts.get("UNTIL")
    try:
        interval = int(parts.get("INTERVAL", "1"))
        if until is not None:
            if until.endswith("Z"):
                return None
            until = datetime.strptime(until, "%Y%m%dT%H%M%S" if "T" in until else "%Y%m%d")
    except ValueError:
        return None
    if interval < 1:
        return None
    weekdays = sorted({_WEEKDAY_CODES.index(c) for c in codes})
    return weekdays, interval, _WEEKDAY_CODES.index(parts.get("WKST", "MO")), until


def start_dates(block: StudyBlock, first: date, last: date) -> list[date]:
    """Local dates on which the block's occurrences start, within [first, last].

    Plain weekly rules (the ones the block form writes) are counted by date arithmetic,
    which the statistics need for many weeks of many blocks at once; any other rule
    is expanded by dateutil."""
    plain = _plain_weekly(block.rrule, block.start_date) if block.rrule else None
    if plain is None:
        return [s.date() for s, _ in occurrences(block, first, last) if first <= s.date() <= last]
    weekdays, interval, wkst, until = plain
    begins, at = block.start_date, block.start_time
    if until is not None:
        last = min(last, until.date() if at <= until.time() else until.date() - timedelta(days=1))
    lower = max(first, begins)
    gone = skipped(block) if block.skipped_dates else ()
    offsets = sorted(timedelta(days=(weekday - wkst) % 7) for weekday in weekdays)
    anchor = begins - timedelta(days=(begins.weekday() - wkst) % 7)
    week = lower - timedelta(days=(lower.weekday() - wkst) % 7)
    lag = (week - anchor).days // 7 % interval
    if lag:
        week += timedelta(weeks=interval - lag)
    step = timedelta(weeks=interval)
    result = []
    while week <= last:
        for offset in offsets:
            day = week + offset
            if lower <= day <= last and day not in gone:
                result.append(day)
        week += step
    return result


def week_view(
    session: Session,
    curriculum: Curriculum,
    week_first_day: date,
    calendar: StudyCalendar,
    target_hours: float,
) -> WeekView:
    days = [week_first_day + timedelta(days=i) for i in range(7)]
    last = days[-1]
    blocks = session.exec(
        select(StudyBlock).where(
            or_(
                col(StudyBlock.rrule).is_not(None),
                (col(StudyBlock.start_date) >= week_first_day - timedelta(days=1))
                & (col(StudyBlock.start_date) <= last),
            ),
            col(StudyBlock.start_date) <= last,
        )
    ).all()
    per_day: dict[date, list[Occurrence]] = {d: [] for d in days}
    planned: dict[date, float] = dict.fromkeys(days, 0.0)
    for block in blocks:
        title = curriculum.topic_title(block.topic_id) or (block.note or "Study")
        for start, end in occurrences(block, week_first_day, last):
            occurrence = Occurrence(
                block.id or 0, start, end, block.topic_id, title, bool(block.rrule)
            )
            # A block past midnight shows on both days it touches.
            for day in {start.date(), (end - timedelta(microseconds=1)).date()}:
                if day in per_day:
                    per_day[day].append(occurrence)
            if start.date() in planned:
                planned[start.date()] += block.duration_min / 60
    begin = calendar.day_start(week_first_day)
    finish = calendar.day_end(last)
    logged: dict[date, float] = dict.fromkeys(days, 0.0)
    for started_at, seconds in session.exec(
        select(StudySession.started_at, StudySession.duration_s).where(
            col(StudySession.started_at) >= begin, col(StudySession.started_at) < finish
        )
    ):
        day = calendar.study_day(started_at.replace(tzinfo=started_at.tzinfo or UTC))
        if day in logged:
            logged[day] += seconds / 3600
    return WeekView(
        start=week_first_day,
        days=tuple(DayView(d, mark_conflicts(per_day[d]), planned[d], logged[d]) for d in days),
        target_hours=target_hours,
    )


def mark_conflicts(items: list[Occurrence]) -> tuple[Occurrence, ...]:
    """Sorted by start; blocks that overlap another are flagged (overlaps are allowed)."""
    ordered = sorted(items, key=lambda o: (o.start, o.block_id))
    clashing: set[int] = set()
    latest_end, latest_index = None, -1
    for index, item in enumerate(ordered):
        if latest_end is not None and item.start < latest_end:
            clashing.update((index, latest_index))
        if latest_end is None or item.end > latest_end:
            latest_end, latest_index = item.end, index
    return tuple(replace(o, conflict=True) if i in clashing else o for i, o in enumerate(ordered))
