"""Progress figures: hours per week, stage and topic, adherence, streaks, finish date."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal_column
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..store.buckets import shifted_day, utc_date, utc_hour
from ..store.models import StudyBlock, StudySession
from . import progress
from .days import StudyCalendar
from .projection import Projection, project
from .week import start_dates


@dataclass(frozen=True)
class WeekHours:
    start: date
    logged: float
    planned: float
    target: float

    @property
    def adherence(self) -> float | None:
        """Logged over planned; None when nothing was planned."""
        return self.logged / self.planned if self.planned else None


@dataclass(frozen=True)
class Share:
    id: str
    title: str
    logged: float
    estimate: float


@dataclass(frozen=True)
class StudyStats:
    today: date
    total_hours: float
    weeks: tuple[WeekHours, ...]
    stages: tuple[Share, ...]
    topics: tuple[Share, ...]
    current_streak: int
    longest_streak: int
    days: dict[date, float]  # hours per study day, for the heatmap
    projection: Projection

    def to_json(self) -> dict:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["weeks"] = [
            {**asdict(w), "start": w.start.isoformat(), "adherence": w.adherence}
            for w in self.weeks
        ]
        data["days"] = {d.isoformat(): round(h, 2) for d, h in sorted(self.days.items())}
        projection = data.pop("projection")
        del projection["today"]
        for key in ("finish_recent", "finish_planned"):
            projection[key] = projection[key].isoformat() if projection[key] else None
        return {**data, **projection}


def offset_spans(
    tz: ZoneInfo, begin: datetime, end: datetime
) -> list[tuple[datetime, datetime, int]]:
    """Split [begin, end) into stretches where the zone's UTC offset (in seconds) holds.

    Offsets change at most a few times a year, months apart, so a week-by-week walk
    finds the changes and a bisection to the second places them."""

    def offset(instant: datetime) -> int:
        return int(instant.astimezone(tz).utcoffset().total_seconds())

    def at(seconds: int) -> datetime:
        return datetime.fromtimestamp(seconds, UTC)

    spans = []
    span_start, current = begin, offset(begin)
    probe = begin
    while probe < end:
        step = min(probe + timedelta(days=7), end)
        if offset(step) != current:
            low, high = math.floor(probe.timestamp()), math.ceil(step.timestamp())
            while high - low > 1:  # offset(low) is the current one, offset(high) is not
                middle = (low + high) // 2
                low, high = (middle, high) if offset(at(middle)) == current else (low, middle)
            change = max(at(high), span_start)
            spans.append((span_start, change, current))
            span_start, current = change, offset(change)
        probe = step
    spans.append((span_start, end, current))
    return [(a, b, o) for a, b, o in spans if a < b]


def per_study_day(
    session: Session,
    instant,
    amount,
    where: tuple,
    calendar: StudyCalendar,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[date, float]:
    """An aggregate (`amount`, such as a sum or a count) of rows per study day of `instant`,
    computed by the database: one query per stretch of time with a single UTC offset, one
    row back per day (two when the day turns mid-way through a UTC date)."""
    where = list(where)
    if since is not None:
        where.append(instant >= since)
    if until is not None:
        where.append(instant < until)
    first, last = session.exec(select(func.min(instant), func.max(instant)).where(*where)).one()
    if first is None:
        return {}
    first = first.replace(tzinfo=UTC) if first.tzinfo is None else first
    last = last.replace(tzinfo=UTC) if last.tzinfo is None else last
    totals: dict[date, float] = defaultdict(float)
    for begin, end, offset in offset_spans(calendar.tz, first, last + timedelta(seconds=1)):
        within = (*where, instant >= begin, instant < end)
        shift = offset - calendar.rollover_hour * 3600
        if shift % 3600:
            bucket = shifted_day(instant, shift)
            rows = session.exec(select(bucket, amount).where(*within).group_by(bucket))
            for day, value in rows:
                totals[date.fromisoformat(str(day)[:10])] += value
            continue
        # A whole-hour shift moves an instant to the next day from a fixed UTC hour on:
        # grouping by UTC date and that split reads the stored text without parsing it.
        days, hours = divmod(shift // 3600, 24)
        late = utc_hour(instant) >= literal_column(f"'{24 - hours:02d}'")
        day = utc_date(instant)
        rows = session.exec(select(day, late, amount).where(*within).group_by(day, late))
        for utc_day, is_late, value in rows:
            moved = days + (1 if hours and is_late else 0)
            totals[date.fromisoformat(utc_day) + timedelta(days=moved)] += value
    return dict(totals)


def day_totals(
    session: Session,
    calendar: StudyCalendar,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[date, float]:
    """Hours logged per study day."""
    seconds = per_study_day(
        session,
        col(StudySession.started_at),
        func.sum(StudySession.duration_s),
        (),
        calendar,
        since,
        until,
    )
    return {day: value / 3600 for day, value in seconds.items()}


def study_days(session: Session, calendar: StudyCalendar, since: datetime) -> set[date]:
    """The study days with logged time since an instant."""
    return {d for d, hours in day_totals(session, calendar, since).items() if hours > 0}


def streaks(days: set[date], today: date) -> tuple[int, int]:
    """Current streak (ending today, or yesterday while today is still open) and longest."""
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def logged_per_topic(session: Session) -> dict[str, float]:
    rows = session.exec(
        select(StudySession.topic_id, func.sum(StudySession.duration_s)).group_by(
            StudySession.topic_id
        )
    )
    return {topic_id: seconds / 3600 for topic_id, seconds in rows if topic_id}


def study_stats(
    session: Session,
    curriculum: Curriculum,
    now: datetime,
    calendar: StudyCalendar,
    target_hours: float,
    weeks: int = 12,
) -> StudyStats:
    today = calendar.today(now)
    this_week = calendar.week_start(today)
    week_starts = [this_week - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]

    per_day = day_totals(session, calendar)
    per_topic = logged_per_topic(session)
    total = sum(per_day.values())

    planned = _planned_per_week(session, week_starts[0], this_week + timedelta(days=6), calendar)
    week_rows = tuple(
        WeekHours(
            start,
            sum(per_day.get(start + timedelta(days=i), 0.0) for i in range(7)),
            planned.get(start, 0.0),
            target_hours,
        )
        for start in week_starts
    )
    stages = tuple(
        Share(
            stage.id,
            stage.title,
            sum(per_topic.get(t.id, 0.0) for t in stage.topics),
            stage.hours,
        )
        for stage in curriculum.stages
    )
    topics = tuple(
        Share(t.id, t.title, per_topic[t.id], t.hours)
        for t in curriculum.topics
        if per_topic.get(t.id)
    )
    current, longest = streaks({d for d, h in per_day.items() if h > 0}, today)
    status = progress.statuses(session)
    projected = project(
        session, curriculum, now, calendar, status, per_topic, planned.get(this_week, 0.0)
    )
    heat_from = today - timedelta(weeks=26)
    return StudyStats(
        today=today,
        total_hours=total,
        weeks=week_rows,
        stages=stages,
        topics=topics,
        current_streak=current,
        longest_streak=longest,
        days={d: h for d, h in per_day.items() if d >= heat_from},
        projection=projected,
    )


def _planned_per_week(
    session: Session, first: date, last: date, calendar: StudyCalendar
) -> dict[date, float]:
    planned: dict[date, float] = defaultdict(float)
    blocks = session.exec(
        select(  # plain rows: start_dates reads these attributes, and rows come faster
            StudyBlock.start_date,
            StudyBlock.start_time,
            StudyBlock.duration_min,
            StudyBlock.tz,
            StudyBlock.rrule,
            StudyBlock.skipped_dates,
        ).where(col(StudyBlock.start_date) <= last)
    )
    week_of = {
        first + timedelta(days=n): calendar.week_start(first + timedelta(days=n))
        for n in range((last - first).days + 1)
    }
    for block in blocks:
        hours = block.duration_min / 60
        for day in start_dates(block, first, last):
            planned[week_of[day]] += hours
    return planned
