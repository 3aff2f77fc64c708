"""Everything the main screen shows, read in one go: through an ORM session
(`load_overview`) or any other `OverviewReads` (`read_overview`; the app's first load
reads a SQLite file with sqlite3 alone, see `lean_reads`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..curriculum import Curriculum
from . import progress
from .dashboard import Dashboard, dashboard_from
from .days import StudyCalendar
from .learner import LearnerPlan
from .projection import (
    Projection,
    hours_per_topic,
    pace_of,
    pace_window,
    project_figures,
    target_date,
    weeks_since,
)
from .reviews.config import ReviewConfig
from .settings import Settings
from .week import WeekView

if TYPE_CHECKING:
    from sqlmodel import Session

    from .reads import OverviewReads


@dataclass(frozen=True)
class Overview:
    status: dict[str, str]
    next_up: tuple[str, ...]
    stages: tuple[progress.StageProgress, ...]
    done_resources: frozenset[str]
    week: WeekView
    dashboard: Dashboard
    today: date
    projection: Projection
    plan: LearnerPlan  # the learner's path: `plan.on_path(topic_id)` for the roadmap

    @property
    def on_path(self) -> frozenset[str]:
        """Topic ids on the learner's path; the roadmap dims the others."""
        return self.plan.topic_ids


def load_overview(
    session: Session,
    curriculum: Curriculum,
    now: datetime,
    settings: Settings,
    calendar: StudyCalendar,
    week_first_day: date | None = None,
) -> Overview:
    from .session_reads import SessionReads

    return read_overview(SessionReads(session), curriculum, now, settings, calendar, week_first_day)


def read_overview(
    reads: OverviewReads,
    curriculum: Curriculum,
    now: datetime,
    settings: Settings,
    calendar: StudyCalendar,
    week_first_day: date | None = None,
) -> Overview:
    today = calendar.today(now)
    this_week = calendar.week_start(today)
    shown = week_first_day or this_week
    status = reads.statuses()
    plan = reads.plan(curriculum)
    on_path = plan.topic_ids

    def view(first: date) -> WeekView:
        return reads.week(curriculum, first, calendar, settings.weekly_target_hours)

    shown_week = view(shown)
    current_week = shown_week if shown == this_week else view(this_week)
    return Overview(
        status=status,
        next_up=tuple(progress.next_up(curriculum, status, on_path)),
        stages=tuple(progress.stage_progress(curriculum, status, on_path)),
        done_resources=frozenset(reads.done_resources()),
        week=shown_week,
        dashboard=dashboard_from(
            reads,
            curriculum,
            status,
            now,
            calendar,
            settings.weekly_target_hours,
            ReviewConfig.from_settings(settings, calendar),
            on_path,
        ),
        today=today,
        projection=project_figures(
            curriculum,
            now,
            calendar,
            status,
            hours_per_topic(reads.seconds_per_topic()),
            current_week.planned_hours,
            settings.weekly_target_hours,
            target_date(settings),
            on_path,
            pace_of(reads.seconds_between(*pace_window(calendar, now))),
            weeks_since(reads.first_logged(), calendar, now),
        ),
        plan=plan,
    )
