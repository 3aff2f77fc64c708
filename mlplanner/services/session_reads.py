"""`OverviewReads` through an ORM session: the ordinary way, on any database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from ..store.models import CardRecord, StudySession
from ..vocabulary import CardState
from . import progress
from .card_filters import active, scheduled
from .day_totals import study_days

if TYPE_CHECKING:
    from ..curriculum import Curriculum
    from .days import StudyCalendar
    from .learner import LearnerPlan
    from .reviews.config import ReviewConfig
    from .week import WeekView


class SessionReads:
    def __init__(self, session: Session) -> None:
        self.session = session

    def statuses(self) -> dict[str, str]:
        return progress.statuses(self.session)

    def plan(self, curriculum: Curriculum) -> LearnerPlan:
        from .learner import plan

        return plan(self.session, curriculum)

    def done_resources(self) -> set[str]:
        return progress.done_resources(self.session)

    def week(
        self, curriculum: Curriculum, first: date, calendar: StudyCalendar, target_hours: float
    ) -> WeekView:
        from .week import week_view

        return week_view(self.session, curriculum, first, calendar, target_hours)

    def seconds_between(self, begin: datetime, end: datetime) -> int:
        seconds = self.session.exec(
            select(func.coalesce(func.sum(StudySession.duration_s), 0)).where(
                col(StudySession.started_at) >= begin, col(StudySession.started_at) < end
            )
        ).one()
        return int(seconds)

    def first_logged(self) -> datetime | str | None:
        first: datetime | str | None = self.session.exec(
            select(func.min(StudySession.started_at))
        ).one()
        return first

    def seconds_per_topic(self) -> Sequence[tuple[str | None, float]]:
        rows = self.session.exec(
            select(StudySession.topic_id, func.sum(StudySession.duration_s)).group_by(
                StudySession.topic_id
            )
        )
        return [(topic_id, float(seconds)) for topic_id, seconds in rows]

    def study_days(self, calendar: StudyCalendar, since: datetime) -> set[date]:
        return study_days(self.session, calendar, since)

    def _count(self, *where: ColumnElement[bool], limit: int | None = None) -> int:
        if limit is not None:
            if limit <= 0:
                return 0
            rows = select(col(CardRecord.id)).where(*where).limit(limit).subquery()
            return int(self.session.exec(select(func.count()).select_from(rows)).one())
        return int(
            self.session.exec(select(func.count()).select_from(CardRecord).where(*where)).one()
        )

    def scheduled_due(self, now: datetime, before: datetime) -> int:
        return self._count(*scheduled(now), col(CardRecord.due) < before)

    def learning_due(self, now: datetime, before: datetime) -> int:
        return self._count(
            *active(now),
            col(CardRecord.state).in_([CardState.LEARNING, CardState.RELEARNING]),
            col(CardRecord.due) < before,
        )

    def reviews_due(self, now: datetime, before: datetime, limit: int) -> int:
        return self._count(
            *active(now),
            col(CardRecord.state) == CardState.REVIEW,
            col(CardRecord.due) < before,
            limit=limit,
        )

    def new_cards(self, now: datetime, topics: Sequence[str], limit: int) -> int:
        return self._count(
            *active(now),
            col(CardRecord.state) == CardState.NEW,
            col(CardRecord.topic_id).in_(topics),
            limit=limit,
        )

    def done_today(self, config: ReviewConfig, now: datetime) -> tuple[int, int]:
        from .reviews.day_counters import done_today

        return done_today(self.session, config, now)
