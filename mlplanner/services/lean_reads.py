"""`OverviewReads` through the lean SQLite store (plain sqlite3): the main screen's first
load, before SQLAlchemy is imported.

`lean_start` says whether the database may be read this way at start-up: the ordinary
opening (`Planner.connect`) would change nothing that the screen shows. That holds when
the content's cards are synced as they are (the stored fingerprint matches) and the
per-day review counters exist for any review history; the schema is checked by
`store.lean.open_lean`. Otherwise the app opens the database the ordinary way first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..vocabulary import SCHEDULED_STATES, CardState
from .days import offset_spans
from .learner import plan_from_settings
from .week import assemble_week, block_window, logged_window

if TYPE_CHECKING:
    from ..curriculum import Curriculum
    from ..store.lean import LeanStore, TimerRow
    from .days import StudyCalendar
    from .learner import LearnerPlan
    from .reviews.config import ReviewConfig
    from .week import WeekView


class LeanReads:
    def __init__(self, store: LeanStore, raw_settings: Mapping[str, str]) -> None:
        self.store = store
        self.raw_settings = raw_settings

    def statuses(self) -> dict[str, str]:
        return self.store.topic_statuses()

    def plan(self, curriculum: Curriculum) -> LearnerPlan:
        return plan_from_settings(curriculum, self.raw_settings)

    def done_resources(self) -> set[str]:
        return self.store.done_resource_ids()

    def week(
        self, curriculum: Curriculum, first: date, calendar: StudyCalendar, target_hours: float
    ) -> WeekView:
        return assemble_week(
            self.store.week_blocks(*block_window(first)),
            self.store.logged_between(*logged_window(first, calendar)),
            curriculum,
            first,
            calendar,
            target_hours,
        )

    def seconds_between(self, begin: datetime, end: datetime) -> int:
        return self.store.seconds_between(begin, end)

    def first_logged(self) -> datetime | str | None:
        return self.store.first_logged()

    def seconds_per_topic(self) -> Sequence[tuple[str | None, float]]:
        return [(topic_id, float(seconds)) for topic_id, seconds in self.store.seconds_per_topic()]

    def study_days(self, calendar: StudyCalendar, since: datetime) -> set[date]:
        """Summed by the database as `day_totals.per_study_day` does: one query per
        stretch of time with a single UTC offset, grouped by the shifted date."""
        found = self.store.logged_range(since)
        if found is None:
            return set()
        first, last = found
        seconds: dict[date, int] = defaultdict(int)
        for begin, end, offset in offset_spans(calendar.tz, first, last + timedelta(seconds=1)):
            shift = offset - calendar.rollover_hour * 3600
            for day, total in self.store.seconds_per_shifted_date(max(begin, since), end, shift):
                seconds[day] += total
        return {day for day, total in seconds.items() if total > 0}

    def scheduled_due(self, now: datetime, before: datetime) -> int:
        return self.store.count_cards(now, tuple(SCHEDULED_STATES), due_before=before)

    def learning_due(self, now: datetime, before: datetime) -> int:
        states = (CardState.LEARNING, CardState.RELEARNING)
        return self.store.count_cards(now, states, due_before=before)

    def reviews_due(self, now: datetime, before: datetime, limit: int) -> int:
        return self.store.count_cards(now, (CardState.REVIEW,), due_before=before, limit=limit)

    def new_cards(self, now: datetime, topics: Sequence[str], limit: int) -> int:
        return self.store.count_cards(now, (CardState.NEW,), topics=tuple(topics), limit=limit)

    def done_today(self, config: ReviewConfig, now: datetime) -> tuple[int, int]:
        return self.store.review_day_totals(config.today(now))


@dataclass(frozen=True)
class LeanStart:
    """What the app needs at start-up besides the main screen's figures."""

    raw_settings: dict[str, str]
    timer: TimerRow | None
    new_learner: bool  # no path chosen, nothing logged or marked (`learner.needs_setup`)


def lean_start(store: LeanStore, curriculum: Curriculum) -> LeanStart | None:
    """The start-up's reads, or None when the database must be opened the ordinary way
    first (its content sync or review counters would change what the screen shows)."""
    from .fingerprint import FINGERPRINT_KEY, fingerprint

    raw = store.settings()
    if raw.get(FINGERPRINT_KEY) != fingerprint(curriculum):
        return None
    if not store.has_rows("review_day") and store.has_rows("review_log"):
        return None  # `ensure_review_days` fills them on opening
    chosen = plan_from_settings(curriculum, raw).chosen
    new_learner = (
        not chosen and not store.has_rows("study_session") and not store.has_rows("topic_progress")
    )
    return LeanStart(raw, store.timer(), new_learner)
