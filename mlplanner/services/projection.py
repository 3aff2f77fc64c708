"""Pace and finish dates: one computation for the main screen, statistics and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..store.models import StudySession
from ..vocabulary import TopicStatus
from .days import StudyCalendar

PACE_WEEKS = 4


@dataclass(frozen=True)
class Projection:
    today: date
    remaining_hours: float
    pace_recent: float  # hours per week over the last four weeks of study days
    pace_planned: float  # hours planned this week
    finish_recent: date | None
    finish_planned: date | None


def remaining_hours(
    curriculum: Curriculum, status: dict[str, str], logged: dict[str, float]
) -> float:
    """Estimates of topics not finished, less what is already logged on those in progress."""
    total = 0.0
    for topic in curriculum.topics:
        state = status.get(topic.id, TopicStatus.NOT_STARTED)
        if state in (TopicStatus.DONE, TopicStatus.SKIPPED):
            continue
        spent = logged.get(topic.id, 0.0) if state == TopicStatus.IN_PROGRESS else 0.0
        total += max(0.0, topic.hours - spent)
    return total


def recent_pace(session: Session, calendar: StudyCalendar, now: datetime) -> float:
    """Hours per week logged over the last four weeks of study days, today included."""
    since = calendar.day_start(calendar.today(now) - timedelta(days=7 * PACE_WEEKS - 1))
    seconds = session.exec(
        select(func.coalesce(func.sum(StudySession.duration_s), 0)).where(
            col(StudySession.started_at) >= since,
            col(StudySession.started_at) < calendar.day_end(calendar.today(now)),
        )
    ).one()
    return seconds / 3600 / PACE_WEEKS


def finish_date(today: date, remaining: float, per_week: float) -> date | None:
    if remaining <= 0:
        return today
    if per_week <= 0:
        return None
    return today + timedelta(days=round(7 * remaining / per_week))


def project(
    session: Session,
    curriculum: Curriculum,
    now: datetime,
    calendar: StudyCalendar,
    status: dict[str, str],
    logged: dict[str, float],
    planned_this_week: float,
) -> Projection:
    today = calendar.today(now)
    remaining = remaining_hours(curriculum, status, logged)
    pace = recent_pace(session, calendar, now)
    return Projection(
        today=today,
        remaining_hours=remaining,
        pace_recent=pace,
        pace_planned=planned_this_week,
        finish_recent=finish_date(today, remaining, pace),
        finish_planned=finish_date(today, remaining, planned_this_week),
    )
