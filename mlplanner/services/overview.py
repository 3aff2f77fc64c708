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
    return Overview(
        status=status,
        next_up=tuple(progress.next_up(curriculum, status)),
        stages=tuple(progress.stage_progress(curriculum, status)),
        done_resources=frozenset(progress.done_resources(session)),
        week=week_view(
            session, curriculum, shown, tz, settings.rollover_hour, settings.weekly_target_hours
        ),
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
    )
