"""Everything the main screen shows, read in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from ..curriculum import Curriculum
from . import learner, progress
from .dashboard import Dashboard, dashboard
from .days import StudyCalendar
from .learner import LearnerPlan
from .projection import Projection, project, target_date
from .reviews.scheduling import ReviewConfig
from .settings import Settings
from .stats import logged_per_topic
from .week import WeekView, week_view


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
    today = calendar.today(now)
    this_week = calendar.week_start(today)
    shown = week_first_day or this_week
    status = progress.statuses(session)
    plan = learner.plan(session, curriculum)
    on_path = plan.topic_ids

    def view(first: date) -> WeekView:
        return week_view(session, curriculum, first, calendar, settings.weekly_target_hours)

    shown_week = view(shown)
    current_week = shown_week if shown == this_week else view(this_week)
    return Overview(
        status=status,
        next_up=tuple(progress.next_up(curriculum, status, on_path)),
        stages=tuple(progress.stage_progress(curriculum, status, on_path)),
        done_resources=frozenset(progress.done_resources(session)),
        week=shown_week,
        dashboard=dashboard(
            session,
            curriculum,
            status,
            now,
            calendar,
            settings.weekly_target_hours,
            ReviewConfig.from_settings(settings, calendar),
            on_path,
        ),
        today=today,
        projection=project(
            session,
            curriculum,
            now,
            calendar,
            status,
            logged_per_topic(session),
            current_week.planned_hours,
            settings.weekly_target_hours,
            target_date(settings),
            on_path,
        ),
        plan=plan,
    )
