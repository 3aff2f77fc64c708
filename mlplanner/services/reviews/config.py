"""The settings of a review: daily limits, desired retention and the learner's days.

Import-light (no SQLAlchemy, no fsrs) so the status line's first read can use it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..days import StudyCalendar

if TYPE_CHECKING:
    from fsrs import Scheduler

    from ..settings import Settings


@dataclass(frozen=True)
class ReviewConfig:
    calendar: StudyCalendar
    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    fuzz: bool = True

    @classmethod
    def from_settings(
        cls, settings: Settings, calendar: StudyCalendar, fuzz: bool = True
    ) -> ReviewConfig:
        return cls(
            calendar=calendar,
            new_per_day=settings.new_cards_per_day,
            reviews_per_day=settings.reviews_per_day,
            desired_retention=settings.desired_retention,
            fuzz=fuzz,
        )

    def scheduler(self) -> Scheduler:
        from .scheduling import scheduler

        return scheduler(self.desired_retention, self.fuzz)

    def today(self, now: datetime) -> date:
        return self.calendar.today(now)

    def day_end(self, now: datetime) -> datetime:
        return self.calendar.day_end(self.today(now))
