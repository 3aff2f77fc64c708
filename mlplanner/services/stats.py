"""Progress figures: hours per week, stage and topic, adherence, streaks, finish date."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..store.models import StudyBlock, StudySession
from . import learner, progress
from . import settings as settings_service
from .day_totals import day_totals
from .days import StudyCalendar, streaks
from .projection import Projection, hours_per_topic, project, target_date
from .week import planned_per_week


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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["weeks"] = [
            {**asdict(w), "start": w.start.isoformat(), "adherence": w.adherence}
            for w in self.weeks
        ]
        data["days"] = {d.isoformat(): round(h, 2) for d, h in sorted(self.days.items())}
        del data["projection"]
        return {**data, **self.projection.to_json(), "projection": self.projection.to_json()}


def logged_per_topic(session: Session) -> dict[str, float]:
    rows = session.exec(
        select(StudySession.topic_id, func.sum(StudySession.duration_s)).group_by(
            StudySession.topic_id
        )
    )
    return hours_per_topic(rows)


def study_stats(
    session: Session,
    curriculum: Curriculum,
    now: datetime,
    calendar: StudyCalendar,
    target_hours: float,
    weeks: int = 12,
) -> StudyStats:
    """Hours per week, stage and topic; stage estimates and the projection count the
    learner's path only, and the projection reads the stored target date."""
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
    on_path = learner.plan_topics(session, curriculum)
    stages = tuple(
        Share(
            stage.id,
            stage.title,
            sum(per_topic.get(t.id, 0.0) for t in stage.topics),
            sum(t.hours for t in stage.topics if t.id in on_path),
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
        session,
        curriculum,
        now,
        calendar,
        status,
        per_topic,
        planned.get(this_week, 0.0),
        target_hours,
        target_date(settings_service.load(session)),
        on_path,
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
    # Plain rows: start_dates reads these attributes, and rows come faster. (sqlmodel's
    # select types up to four columns: SQLAlchemy's own select and execute here.)
    blocks = session.execute(
        sa_select(
            col(StudyBlock.start_date),
            col(StudyBlock.start_time),
            col(StudyBlock.duration_min),
            col(StudyBlock.tz),
            col(StudyBlock.rrule),
            col(StudyBlock.skipped_dates),
        )
        .where(col(StudyBlock.start_date) <= last)
        .order_by(col(StudyBlock.id))  # hours add up in one order, as the quick `week`'s
    )
    return planned_per_week(blocks, first, last, calendar)
