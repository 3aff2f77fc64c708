"""Progress figures: hours per week, stage and topic, adherence, streaks, finish date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..store.buckets import utc_hour
from ..store.models import StudyBlock, StudySession
from . import progress
from .days import study_day, week_start
from .week import occurrences


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
    remaining_hours: float
    pace_recent: float  # hours per week over the last 4 weeks
    pace_planned: float  # planned hours per week, this week
    finish_recent: date | None
    finish_planned: date | None

    def to_json(self) -> dict:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["weeks"] = [
            {**asdict(w), "start": w.start.isoformat(), "adherence": w.adherence}
            for w in self.weeks
        ]
        data["days"] = {d.isoformat(): round(h, 2) for d, h in sorted(self.days.items())}
        for key in ("finish_recent", "finish_planned"):
            data[key] = getattr(self, key).isoformat() if getattr(self, key) else None
        return data


class _HourToDay:
    """Study day of a UTC hour 'YYYY-MM-DD HH', by integer arithmetic on days with one offset.

    Converting each row with astimezone dominated the statistics; a zone's offset only
    changes on a few days a year, and those days take the exact path."""

    def __init__(self, tz: ZoneInfo, rollover_hour: int):
        self.tz, self.rollover = tz, rollover_hour
        self.offsets: dict[str, int | None] = {}

    def __call__(self, hour: str) -> date:
        day = hour[:10]
        offset = self.offsets.get(day, -1)
        if offset == -1:
            first = datetime.fromisoformat(day).replace(tzinfo=UTC)
            a = first.astimezone(self.tz).utcoffset()
            b = (first + timedelta(hours=23, minutes=59)).astimezone(self.tz).utcoffset()
            offset = int(a.total_seconds()) if a == b and a.total_seconds() % 3600 == 0 else None
            self.offsets[day] = offset
        h = int(hour[11:13])
        if offset is None:
            instant = datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=h)
            return study_day(instant, self.tz, self.rollover)
        shift = h + offset // 3600 - self.rollover
        return date.fromisoformat(day) + timedelta(days=shift // 24)


def study_days(session: Session, tz: ZoneInfo, rollover_hour: int, since: datetime) -> set[date]:
    """The study days with logged time since an instant, grouped by the database."""
    bucket = utc_hour(StudySession.started_at)
    rows = session.exec(
        select(bucket).where(col(StudySession.started_at) >= since).group_by(bucket)
    )
    to_day = _HourToDay(tz, rollover_hour)
    return {to_day(hour) for hour in rows}


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


def remaining_hours(
    curriculum: Curriculum, status: dict[str, str], logged: dict[str, float]
) -> float:
    """Estimates of topics not finished, less what is already logged on those in progress."""
    total = 0.0
    for topic in curriculum.topics:
        state = status.get(topic.id, "not_started")
        if state in ("done", "skipped"):
            continue
        spent = logged.get(topic.id, 0.0) if state == "in_progress" else 0.0
        total += max(0.0, topic.hours - spent)
    return total


def logged_per_topic(session: Session) -> dict[str, float]:
    rows = session.exec(
        select(StudySession.topic_id, func.sum(StudySession.duration_s)).group_by(
            StudySession.topic_id
        )
    )
    return {topic_id: seconds / 3600 for topic_id, seconds in rows if topic_id}


def recent_pace(session: Session, now: datetime) -> float:
    """Hours per week logged over the last four weeks."""
    seconds = session.exec(
        select(func.coalesce(func.sum(StudySession.duration_s), 0)).where(
            col(StudySession.started_at) >= now - timedelta(days=28)
        )
    ).one()
    return seconds / 3600 / 4


def finish_date(today: date, remaining: float, per_week: float) -> date | None:
    if remaining <= 0:
        return today
    if per_week <= 0:
        return None
    return today + timedelta(days=round(7 * remaining / per_week))


def study_stats(
    session: Session,
    curriculum: Curriculum,
    now: datetime,
    tz: ZoneInfo,
    rollover_hour: int,
    target_hours: float,
    first_weekday: int = 0,
    weeks: int = 12,
) -> StudyStats:
    today = study_day(now, tz, rollover_hour)
    this_week = week_start(today, first_weekday)
    week_starts = [this_week - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]

    per_day: dict[date, float] = defaultdict(float)
    per_topic: dict[str, float] = defaultdict(float)
    total = 0.0
    bucket = utc_hour(StudySession.started_at)
    rows = session.exec(
        select(bucket, StudySession.topic_id, func.sum(StudySession.duration_s)).group_by(
            bucket, StudySession.topic_id
        )
    )
    days = _HourToDay(tz, rollover_hour)
    for hour, topic_id, seconds in rows:
        hours = seconds / 3600
        per_day[days(hour)] += hours
        if topic_id:
            per_topic[topic_id] += hours
        total += hours

    planned = _planned_per_week(
        session, week_starts[0], this_week + timedelta(days=6), first_weekday
    )
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
    remaining = remaining_hours(curriculum, status, per_topic)
    recent = sum(h for d, h in per_day.items() if today - timedelta(days=28) < d <= today)
    pace_recent = recent / 4
    pace_planned = planned.get(this_week, 0.0)
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
        remaining_hours=remaining,
        pace_recent=pace_recent,
        pace_planned=pace_planned,
        finish_recent=finish_date(today, remaining, pace_recent),
        finish_planned=finish_date(today, remaining, pace_planned),
    )


def _planned_per_week(
    session: Session, first: date, last: date, first_weekday: int
) -> dict[date, float]:
    planned: dict[date, float] = defaultdict(float)
    blocks = session.exec(select(StudyBlock).where(col(StudyBlock.start_date) <= last))
    for block in blocks:
        for start, _end in occurrences(block, first, last):
            if first <= start.date() <= last:
                planned[week_start(start.date(), first_weekday)] += block.duration_min / 60
    return planned
