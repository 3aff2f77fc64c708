"""Everything the main screen shows, read in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ..curriculum import Curriculum
from . import progress
from .dashboard import Dashboard, dashboard
from .days import study_day, week_start
from .settings import Settings
from .stats import finish_date, logged_per_topic, recent_pace, remaining_hours
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
    remaining_hours: float
    pace_recent: float
    finish_recent: date | None
    finish_planned: date | None


def load_overview(
    session: Session,
    curriculum: Curriculum,
    now: datetime,
    settings: Settings,
    tz: ZoneInfo,
    week_first_day: date | None = None,
    first_weekday: int = 0,
) -> Overview:
    today = study_day(now, tz, settings.rollover_hour)
    this_week = week_start(today, first_weekday)
    shown = week_first_day or this_week
    status = progress.statuses(session)
    logged = logged_per_topic(session)
    remaining = remaining_hours(curriculum, status, logged)
    pace = recent_pace(session, now)

    def view(first: date) -> WeekView:
        return week_view(
            session, curriculum, first, tz, settings.rollover_hour, settings.weekly_target_hours
        )

    shown_week = view(shown)
    current_week = shown_week if shown == this_week else view(this_week)
    return Overview(
        status=status,
        next_up=tuple(progress.next_up(curriculum, status)),
        stages=tuple(progress.stage_progress(curriculum, status)),
        done_resources=frozenset(progress.done_resources(session)),
        week=shown_week,
        dashboard=dashboard(
            session,
            curriculum,
            status,
            now,
            tz,
            settings.rollover_hour,
            this_week,
            settings.weekly_target_hours,
        ),
        today=today,
        remaining_hours=remaining,
        pace_recent=pace,
        finish_recent=finish_date(today, remaining, pace),
        finish_planned=finish_date(today, remaining, current_week.planned_hours),
    )
