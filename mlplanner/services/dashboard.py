"""The figures of the status line: due cards, hours this week, streak, roadmap progress.

Computed from an `OverviewReads` (an ORM session's or the lean SQLite reader's); the
functions taking a session are the ordinary way in."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..curriculum import Curriculum
from ..vocabulary import FINISHED_STATUSES
from .days import StudyCalendar, streaks
from .reviews.config import ReviewConfig

if TYPE_CHECKING:  # the status line's first read needs no SQLAlchemy
    from sqlmodel import Session

    from .reads import OverviewReads


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


def _reads(session: Session) -> OverviewReads:
    from .session_reads import SessionReads

    return SessionReads(session)


def due_today(session: Session, now: datetime, calendar: StudyCalendar) -> int:
    """Cards in learning or review whose due time falls before the end of today."""
    return _reads(session).scheduled_due(now, calendar.day_end(calendar.today(now)))


def card_counts(
    session: Session,
    curriculum: Curriculum,
    status: dict[str, str],
    now: datetime,
    config: ReviewConfig,
    on_path: Set[str],
) -> tuple[int, int, int]:
    return counts_from(_reads(session), curriculum, status, now, config, on_path)


def counts_from(
    reads: OverviewReads,
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
    from .reviews.new_cards import new_card_topics

    day_end = config.day_end(now)
    new_done, reviews_done = reads.done_today(config, now)
    learning = reads.learning_due(now, day_end)
    review = reads.reviews_due(now, day_end, config.reviews_per_day - reviews_done)
    room = config.new_per_day - new_done
    topics = new_card_topics(curriculum, status, None, on_path) if room > 0 else []
    new = reads.new_cards(now, topics, room) if topics else 0
    return new, learning, review


def streak(session: Session, now: datetime, calendar: StudyCalendar) -> int:
    return streak_from(_reads(session), now, calendar)


def streak_from(reads: OverviewReads, now: datetime, calendar: StudyCalendar) -> int:
    """Consecutive study days with logged hours, ending today (or yesterday, if today is empty).

    Reads a short window first and widens it only while the streak reaches its edge, so a
    long history costs nothing here."""
    today = calendar.today(now)
    window = 16
    while True:
        since = calendar.day_start(today - timedelta(days=window))
        current = streaks(reads.study_days(calendar, since), today)[0]
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
    reads = _reads(session)
    if on_path is None:
        on_path = reads.plan(curriculum).topic_ids
    return dashboard_from(reads, curriculum, status, now, calendar, target_hours, config, on_path)


def dashboard_from(
    reads: OverviewReads,
    curriculum: Curriculum,
    status: dict[str, str],
    now: datetime,
    calendar: StudyCalendar,
    target_hours: float,
    config: ReviewConfig | None,
    on_path: Set[str],
) -> Dashboard:
    config = config or ReviewConfig(calendar)
    week_first_day = calendar.this_week(now)
    seconds = reads.seconds_between(
        calendar.day_start(week_first_day), calendar.day_start(week_first_day + timedelta(days=7))
    )
    on = [t for t in curriculum.topics if t.id in on_path]
    finished = [t for t in on if status.get(t.id) in FINISHED_STATUSES]
    new, learning, review = counts_from(reads, curriculum, status, now, config, on_path)
    return Dashboard(
        due_today=reads.scheduled_due(now, calendar.day_end(calendar.today(now))),
        week_hours=seconds / 3600,
        target_hours=target_hours,
        streak_days=streak_from(reads, now, calendar),
        topics_done=len(finished),
        topics_total=len(on),
        hours_done=sum(t.hours for t in finished),
        hours_total=sum(t.hours for t in on),
        new_today=new,
        learning_today=learning,
        review_today=review,
    )
