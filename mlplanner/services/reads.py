"""What the main screen's figures read from the database, as one interface with two ways in.

`SessionReads` (services/session_reads.py) asks through an ORM session, on any database;
`LeanReads` (services/lean_reads.py) asks a SQLite file through sqlite3 alone, so the
app can fill its first screen before SQLAlchemy is imported. The figures themselves (the
status line, the week, the projection) are computed once, in `dashboard` and `overview`,
from either; `tests/unit_tests/test_lean_reads.py` checks both give the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..curriculum import Curriculum
    from .days import StudyCalendar
    from .learner import LearnerPlan
    from .reviews.config import ReviewConfig
    from .week import WeekView


class OverviewReads(Protocol):
    def statuses(self) -> dict[str, str]:
        """Every touched topic's status (others are not started)."""
        ...

    def plan(self, curriculum: Curriculum) -> LearnerPlan:
        """The learner's path and picks."""
        ...

    def done_resources(self) -> set[str]:
        """Ids of the resources marked done."""
        ...

    def week(
        self, curriculum: Curriculum, first: date, calendar: StudyCalendar, target_hours: float
    ) -> WeekView:
        """The week starting on `first`: blocks expanded, hours logged per day."""
        ...

    def seconds_between(self, begin: datetime, end: datetime) -> int:
        """Seconds logged by the sessions starting in [begin, end)."""
        ...

    def first_logged(self) -> datetime | str | None:
        """The earliest session's start (as stored; None: nothing logged)."""
        ...

    def seconds_per_topic(self) -> Sequence[tuple[str | None, float]]:
        """(topic id, seconds logged) for every topic with time."""
        ...

    def study_days(self, calendar: StudyCalendar, since: datetime) -> set[date]:
        """The study days with logged time since an instant."""
        ...

    def scheduled_due(self, now: datetime, before: datetime) -> int:
        """Active cards the scheduler has seen, due before `before`."""
        ...

    def learning_due(self, now: datetime, before: datetime) -> int:
        """Active learning and relearning cards due before `before`."""
        ...

    def reviews_due(self, now: datetime, before: datetime, limit: int) -> int:
        """Active review cards due before `before`, counted up to `limit`."""
        ...

    def new_cards(self, now: datetime, topics: Sequence[str], limit: int) -> int:
        """Active new cards of `topics`, counted up to `limit`."""
        ...

    def done_today(self, config: ReviewConfig, now: datetime) -> tuple[int, int]:
        """(new cards introduced, review cards answered) so far today."""
        ...
