"""The figures of the status line: due cards, hours this week, streak, roadmap progress."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..store.models import CardRecord, StudySession
from ..vocabulary import FINISHED_STATUSES, CardState
from .card_filters import active, scheduled
from .day_totals import streaks, study_days
from .days import StudyCalendar
from .reviews.scheduling import ReviewConfig


@dataclass(frozen=True)
class Dashboard:
    due_today: int  # learning and review cards due by the end of today (no limits applied)
    week_hours: float
    target_hours: float
    streak_days: int
    topics_done: int
    topics_total: int
    hours_done: float
    hours_total: float
    # Today's cards as Anki counts them: what a review session now would show.
    new_today: int = 0  # new cards the queue would introduce (daily limit, path)
    learning_today: int = 0  # learning and relearning cards due by the end of today
    review_today: int = 0  # review cards due today, up to the daily review limit

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


def card_counts(
    session: Session,
    curriculum: Curriculum,
    status: dict[str, str],
    now: datetime,
    config: ReviewConfig,
    on_path: Set[str],
) -> tuple[int, int, int]:
    """(new, learning, review) for today, as the review queue would build it: new cards
    from the path's topics in progress or up next within what is left of the daily new-card
    limit; learning cards due today; due reviews within what is left of the review limit.
    Each count reads at most its limit of rows."""
    from .reviews import done_today, new_card_topics

    day_end = config.day_end(now)
    new_done, reviews_done = done_today(session, config, now)

    def capped(limit: int, *where: ColumnElement[bool]) -> int:
        if limit <= 0:
            return 0
        rows = select(col(CardRecord.id)).where(*where).limit(limit).subquery()
        return int(session.exec(select(func.count()).select_from(rows)).one())

    showable = active(now)
    learning = session.exec(
        select(func.count())
        .select_from(CardRecord)
        .where(
            *showable,
            col(CardRecord.state).in_([CardState.LEARNING, CardState.RELEARNING]),
            col(CardRecord.due) < day_end,
        )
    ).one()
    review = capped(
        config.reviews_per_day - reviews_done,
        *showable,
        col(CardRecord.state) == CardState.REVIEW,
        col(CardRecord.due) < day_end,
    )
    room = config.new_per_day - new_done
    topics = new_card_topics(curriculum, status, None, on_path) if room > 0 else []
    new = (
        capped(
            room,
            *showable,
            col(CardRecord.state) == CardState.NEW,
            col(CardRecord.topic_id).in_(topics),
        )
        if topics
        else 0
    )
    return new, int(learning), review


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
    config: ReviewConfig | None = None,
    on_path: Set[str] | None = None,
) -> Dashboard:
    """The status line's figures; totals count the learner's path only (read from the
    database unless given). Without a review config the default daily limits apply."""
    from .learner import plan_topics

    if on_path is None:
        on_path = plan_topics(session, curriculum)
    config = config or ReviewConfig(calendar)
    week_first_day = calendar.this_week(now)
    begin = calendar.day_start(week_first_day)
    seconds = session.exec(
        select(func.coalesce(func.sum(StudySession.duration_s), 0)).where(
            col(StudySession.started_at) >= begin,
            col(StudySession.started_at) < calendar.day_start(week_first_day + timedelta(days=7)),
        )
    ).one()
    on = [t for t in curriculum.topics if t.id in on_path]
    finished = [t for t in on if status.get(t.id) in FINISHED_STATUSES]
    new, learning, review = card_counts(session, curriculum, status, now, config, on_path)
    return Dashboard(
        due_today=due_today(session, now, calendar),
        week_hours=seconds / 3600,
        target_hours=target_hours,
        streak_days=streak(session, now, calendar),
        topics_done=len(finished),
        topics_total=len(on),
        hours_done=sum(t.hours for t in finished),
        hours_total=sum(t.hours for t in on),
        new_today=new,
        learning_today=learning,
        review_today=review,
    )
