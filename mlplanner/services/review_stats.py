"""Review statistics: due forecast, reviews per day, true retention, cards by state."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..store.models import CardRecord, ReviewDay
from ..vocabulary import CardState
from .card_filters import in_collection, scheduled
from .day_totals import per_study_day
from .days import StudyCalendar

FORECAST_DAYS = 30
HISTORY_DAYS = 182


@dataclass(frozen=True)
class StageCards:
    id: str
    title: str
    new: int = 0
    learning: int = 0
    review: int = 0
    suspended: int = 0
    passed: int = 0  # first reviews of the day of cards in review, graded Hard/Good/Easy
    failed: int = 0  # ... graded Again

    @property
    def retention(self) -> float | None:
        total = self.passed + self.failed
        return self.passed / total if total else None


@dataclass(frozen=True)
class ReviewStats:
    today: date
    forecast: tuple[int, ...]  # cards due per day from today (overdue ones count today)
    per_day: dict[date, int]  # reviews per study day over the last six months
    reviews_today: int
    time_today_ms: int
    total_reviews: int
    passed: int
    failed: int
    stages: tuple[StageCards, ...]

    @property
    def retention(self) -> float | None:
        total = self.passed + self.failed
        return self.passed / total if total else None

    def cards(self, name: str) -> int:
        return sum(getattr(stage, name) for stage in self.stages)

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "forecast": [
                {"day": (self.today + timedelta(days=n)).isoformat(), "due": count}
                for n, count in enumerate(self.forecast)
            ],
            "reviews_per_day": {d.isoformat(): n for d, n in sorted(self.per_day.items())},
            "reviews_today": self.reviews_today,
            "time_today_ms": self.time_today_ms,
            "total_reviews": self.total_reviews,
            "true_retention": self.retention,
            "cards": {
                name: self.cards(name) for name in ("new", "learning", "review", "suspended")
            },
            "stages": [{**asdict(s), "retention": s.retention} for s in self.stages],
        }


def review_stats(
    session: Session, curriculum: Curriculum, now: datetime, calendar: StudyCalendar
) -> ReviewStats:
    today = calendar.today(now)
    today_starts = calendar.day_start(today)
    horizon = calendar.day_start(today + timedelta(days=FORECAST_DAYS))
    due_cards = scheduled(None)  # buried cards come back tomorrow: still in the forecast
    overdue = session.exec(
        select(func.count())
        .select_from(CardRecord)
        .where(*due_cards, col(CardRecord.due) < today_starts)
    ).one()
    upcoming = per_study_day(
        session, col(CardRecord.due), func.count(), due_cards, calendar, today_starts, horizon
    )
    forecast = [int(upcoming.get(today + timedelta(days=n), 0)) for n in range(FORECAST_DAYS)]
    forecast[0] += overdue

    since = today - timedelta(days=HISTORY_DAYS - 1)
    per_day = {
        day: int(n)
        for day, n in session.exec(
            select(col(ReviewDay.day), func.sum(ReviewDay.reviews))
            .where(col(ReviewDay.day) >= since)
            .group_by(col(ReviewDay.day))
        )
        if n
    }
    reviews_today, time_today = session.exec(
        select(
            func.coalesce(func.sum(ReviewDay.reviews), 0),
            func.coalesce(func.sum(ReviewDay.time_ms), 0),
        ).where(ReviewDay.day == today)
    ).one()

    stage_of = {t.id: t.stage_id for t in curriculum.topics}
    counts: dict[str, dict[str, int]] = {}

    def bucket(topic_id: str) -> dict[str, int]:
        stage_id = stage_of.get(topic_id, "")
        return counts.setdefault(stage_id, dict.fromkeys(StageCards.__annotations__, 0))

    total = 0
    for topic_id, reviews, passed, failed in session.exec(
        select(
            ReviewDay.topic_id,
            func.sum(ReviewDay.reviews),
            func.sum(ReviewDay.first_pass),
            func.sum(ReviewDay.first_fail),
        ).group_by(ReviewDay.topic_id)
    ):
        into = bucket(topic_id)
        into["passed"] += passed
        into["failed"] += failed
        total += reviews
    for topic_id, state, suspended, n in session.exec(
        select(
            col(CardRecord.topic_id), col(CardRecord.state), col(CardRecord.suspended), func.count()
        )
        .where(*in_collection())
        .group_by(col(CardRecord.topic_id), col(CardRecord.state), col(CardRecord.suspended))
    ):
        name = "suspended" if suspended else CardState(state).group
        bucket(topic_id)[name] += n

    stages = []
    known = [(s.id, s.title) for s in curriculum.stages]
    if "" in counts:
        known.append(("", "Other topics"))
    for stage_id, title in known:
        values = counts.get(stage_id, {})
        numbers = {k: v for k, v in values.items() if k not in ("id", "title")}
        stages.append(StageCards(stage_id, title, **numbers))
    passed = sum(s.passed for s in stages)
    failed = sum(s.failed for s in stages)
    return ReviewStats(
        today=today,
        forecast=tuple(forecast),
        per_day=per_day,
        reviews_today=int(reviews_today),
        time_today_ms=int(time_today),
        total_reviews=int(total),
        passed=passed,
        failed=failed,
        stages=tuple(stages),
    )
