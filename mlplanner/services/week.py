"""The week on screen: planned study blocks expanded from their rules, and logged hours."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlmodel import Session, col, or_, select

from ..curriculum import Curriculum
from ..store.models import StudyBlock, StudySession
from .days import StudyCalendar
from .recurrence import occurrences


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


def in_zone(view: WeekView, zone: tzinfo) -> WeekView:
    """The week with each block shown on the clock and the day of `zone` (the learner's
    current zone; blocks keep their own), so a change of zone is seen at once."""
    days = [d.day for d in view.days]
    per_day: dict[date, list[Occurrence]] = {d: [] for d in days}
    planned: dict[date, float] = dict.fromkeys(days, 0.0)
    seen: set[tuple[int, datetime]] = set()
    for day_view in view.days:
        for item in day_view.blocks:
            if (item.block_id, item.start) in seen:  # listed on both days it touches
                continue
            seen.add((item.block_id, item.start))
            moved = replace(item, start=item.start.astimezone(zone), end=item.end.astimezone(zone))
            for day in {moved.start.date(), (moved.end - timedelta(microseconds=1)).date()}:
                if day in per_day:
                    per_day[day].append(replace(moved, conflict=False))
            if moved.start.date() in planned:
                planned[moved.start.date()] += (moved.end - moved.start).total_seconds() / 3600
    return replace(
        view,
        days=tuple(
            DayView(d.day, mark_conflicts(per_day[d.day]), planned[d.day], d.logged_hours)
            for d in view.days
        ),
    )
