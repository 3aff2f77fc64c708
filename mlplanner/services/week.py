"""The week on screen: planned study blocks expanded from their rules, and logged hours."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple, Protocol

from ..curriculum import Curriculum
from .days import StudyCalendar
from .recurrence import BlockTimes, occurrences, start_dates

if TYPE_CHECKING:  # the quick `mlplanner week` reads the rows without SQLAlchemy
    from sqlmodel import Session


class WeekBlock(BlockTimes, Protocol):
    """What the week reads of a stored block (a table row or a lean row)."""

    @property
    def id(self) -> int | None: ...
    @property
    def topic_id(self) -> str | None: ...
    @property
    def note(self) -> str: ...


class Occurrence(NamedTuple):
    block_id: int
    start: datetime  # aware, in the learner's zone
    end: datetime
    topic_id: str | None
    topic_title: str
    recurring: bool
    conflict: bool = False

    def flagged(self) -> Occurrence:
        """The same occurrence marked as overlapping another (made directly: a full week
        of many blocks flags hundreds, and `_replace` costs more)."""
        return Occurrence(
            self.block_id,
            self.start,
            self.end,
            self.topic_id,
            self.topic_title,
            self.recurring,
            conflict=True,
        )


class DayView(NamedTuple):
    day: date
    blocks: tuple[Occurrence, ...]
    planned_hours: float
    logged_hours: float


class WeekView(NamedTuple):
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
    from sqlmodel import col, or_, select

    from ..store.models import StudyBlock, StudySession

    first_start, last = block_window(week_first_day)
    blocks = session.exec(
        select(StudyBlock).where(
            or_(
                col(StudyBlock.rrule).is_not(None),
                (col(StudyBlock.start_date) >= first_start) & (col(StudyBlock.start_date) <= last),
            ),
            col(StudyBlock.start_date) <= last,
        )
    ).all()
    begin, finish = logged_window(week_first_day, calendar)
    logged = session.exec(
        select(StudySession.started_at, StudySession.duration_s).where(
            col(StudySession.started_at) >= begin, col(StudySession.started_at) < finish
        )
    )
    return assemble_week(blocks, logged, curriculum, week_first_day, calendar, target_hours)


def block_window(week_first_day: date) -> tuple[date, date]:
    """Blocks that may show in the week: repeating ones starting by its last day, and
    single ones starting from the day before its first (one past midnight shows)."""
    return week_first_day - timedelta(days=1), week_first_day + timedelta(days=6)


def in_block_window(block: WeekBlock, first_start: date, last: date) -> bool:
    """Whether a block is one `block_window` selects (as `week_view`'s query does)."""
    return block.start_date <= last and (block.rrule is not None or first_start <= block.start_date)


def _by_id(block: WeekBlock) -> int:
    return block.id or 0


def logged_window(week_first_day: date, calendar: StudyCalendar) -> tuple[datetime, datetime]:
    """The instants the week's study days cover (sessions starting in them count)."""
    return calendar.day_start(week_first_day), calendar.day_end(week_first_day + timedelta(days=6))


def assemble_week(
    blocks: Iterable[WeekBlock],
    logged_rows: Iterable[tuple[datetime, int]],
    curriculum: Curriculum,
    week_first_day: date,
    calendar: StudyCalendar,
    target_hours: float,
) -> WeekView:
    """The week from the blocks and the logged (start, seconds) its windows select."""
    days = [week_first_day + timedelta(days=i) for i in range(7)]
    last = days[-1]
    per_day: dict[date, list[Occurrence]] = {d: [] for d in days}
    planned: dict[date, float] = dict.fromkeys(days, 0.0)
    for block in sorted(blocks, key=_by_id):  # hours add up alike whatever the row order
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
    logged: dict[date, float] = dict.fromkeys(days, 0.0)
    for started_at, seconds in logged_rows:
        day = calendar.study_day(started_at.replace(tzinfo=started_at.tzinfo or UTC))
        if day in logged:
            logged[day] += seconds / 3600
    return WeekView(
        start=week_first_day,
        days=tuple(DayView(d, mark_conflicts(per_day[d]), planned[d], logged[d]) for d in days),
        target_hours=target_hours,
    )


def planned_per_week(
    blocks: Iterable[BlockTimes], first: date, last: date, calendar: StudyCalendar
) -> dict[date, float]:
    """Hours planned per week (keyed by its first day) between two days, from the blocks
    starting by `last`."""
    planned: dict[date, float] = defaultdict(float)
    week_of = {
        first + timedelta(days=n): calendar.week_start(first + timedelta(days=n))
        for n in range((last - first).days + 1)
    }
    for block in blocks:
        hours = block.duration_min / 60
        for day in start_dates(block, first, last):
            planned[week_of[day]] += hours
    return planned


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
    return tuple(o.flagged() if i in clashing else o for i, o in enumerate(ordered))


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
            moved = item._replace(start=item.start.astimezone(zone), end=item.end.astimezone(zone))
            for day in {moved.start.date(), (moved.end - timedelta(microseconds=1)).date()}:
                if day in per_day:
                    per_day[day].append(moved._replace(conflict=False))
            if moved.start.date() in planned:
                planned[moved.start.date()] += (moved.end - moved.start).total_seconds() / 3600
    return view._replace(
        days=tuple(
            DayView(d.day, mark_conflicts(per_day[d.day]), planned[d.day], d.logged_hours)
            for d in view.days
        ),
    )
