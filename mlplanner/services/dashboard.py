"""The figures of the status line: due cards, hours this week, streak, roadmap progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..store.models import CardRecord, StudySession
from ..vocabulary import FINISHED_STATUSES
from .card_filters import scheduled
from .day_totals import streaks, study_days
from .days import StudyCalendar


@dataclass(frozen=True)
class Dashboard:
    due_today: int
    week_hours: float
    target_hours: float
    streak_days: int
    topics_done: int
    topics_total: int
    hours_done: float
    hours_total: float

    @property
    def percent(self) -> int:
        return round(100 * self.hours_done / self.hours_total) if self.hours_total else 0


def due_today(session: Session, now: datetime, calendar: StudyCalendar) -> int:
    """Cards in learning or review whose due time falls before the end of today."""
    tomorrow = calendar.day_end(calendar.today(now))
    return session.exec(
        select(func.count())
        .select_from(CardRecord)
        .where(
            *scheduled(now),
            col(CardRecord.due) < tomorrow,
        )
    ).one()


def streak(session: Session, now: datetime, calendar: StudyCalendar) -> int:
    """Consecutive study days with logged hours, ending today (or yesterday, if today is empty).

    Reads a short window first and widens it only while the streak reaches its edge, so a
    long history costs nothing here."""
    today = calendar.today(now)
    window = 16
    while True:
        since = calendar.day_start(today - timedelta(days=window))
        days = study_days(session, calendar, since)
        current = streaks(days, today)[0]
        if current < window - 1 or window > 4000:
            return current
        window = 5000  # the streak is older than the window: read the whole history once


def dashboard(
    session: Session,
    curriculum: Curriculum,
    status: dict[str, str],
    now: datetime,
    calendar: StudyCalendar,
    target_hours: float,
) -> Dashboard:
    week_first_day = calendar.this_week(now)
    begin = calendar.day_start(week_first_day)
    seconds = session.exec(
        select(func.coalesce(func.sum(StudySession.duration_s), 0)).where(
            col(StudySession.started_at) >= begin,
            col(StudySession.started_at) < calendar.day_start(week_first_day + timedelta(days=7)),
        )
    ).one()
    finished = [t for t in curriculum.topics if status.get(t.id) in FINISHED_STATUSES]
    return Dashboard(
        due_today=due_today(session, now, calendar),
        week_hours=seconds / 3600,
        target_hours=target_hours,
        streak_days=streak(session, now, calendar),
        topics_done=len(finished),
        topics_total=len(curriculum.topics),
        hours_done=sum(t.hours for t in finished),
        hours_total=sum(t.hours for t in curriculum.topics),
    )
