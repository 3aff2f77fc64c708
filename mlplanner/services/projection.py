"""Pace and finish dates: one computation for the main screen, statistics and the CLI.

Every front end reads the same `Projection` and shows its `finish_words()` and
`target_words()`, so the dates and the words agree everywhere.

- With at least three weeks of logged history the pace is the hours per week logged over
  the last four weeks (basis "recent pace"); with less, the hours planned this week
  (basis "planned"), or the weekly target when nothing is planned (basis "target").
- Remaining hours count only the learner's path and electives, less topics done or
  skipped, less what is logged on topics in progress.
- No date is ever more than ten years out: `finish` is None and `reason` says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ..curriculum import Curriculum
from ..vocabulary import TopicStatus
from .days import StudyCalendar
from .durations import format_hours

if TYPE_CHECKING:  # the quick `mlplanner week` projects without SQLAlchemy
    from sqlmodel import Session

    from .settings import Settings

PACE_WEEKS = 4
HISTORY_WEEKS_FOR_PACE = 3
MAX_YEARS = 10
BASIS_RECENT = "recent pace"
BASIS_PLANNED = "planned"
BASIS_TARGET = "target"
NO_HISTORY_REASON = "log a few weeks to see a projection from your pace"


class Projection(NamedTuple):
    today: date
    remaining_hours: float
    pace_recent: float  # hours per week over the last four weeks of study days
    pace_planned: float  # hours planned this week
    finish_recent: date | None  # at the recent pace (None: never, or beyond ten years)
    finish_planned: date | None  # at the planned pace (idem)
    # The one projection to show:
    basis: str = BASIS_TARGET  # "recent pace" | "planned" | "target"
    pace: float = 0.0  # hours per week on that basis
    finish: date | None = None
    reason: str | None = None  # why there is no finish date
    history_weeks: int = 0  # whole weeks since the first logged session
    target_date: date | None = None
    needed_per_week: float | None = None  # to finish by the target date
    on_track: bool | None = None  # None without a target date

    @property
    def short_per_week(self) -> float:
        """Hours per week missing to meet the target date (0 when on track)."""
        if self.needed_per_week is None:
            return 0.0
        return max(0.0, self.needed_per_week - self.pace)

    def finish_words(self, fmt: str = "%d %b %Y") -> str:
        """E.g. "finish 12 Mar 2028 at 8.0 h/week (planned)"."""
        if self.finish is None:
            return self.reason or "no finish date"
        if self.remaining_hours <= 0:
            return "finished"
        return (
            f"finish {self.finish.strftime(fmt)} at {format_hours(self.pace)} h/week ({self.basis})"
        )

    def target_words(self) -> str | None:
        """ "on track" or "N h/week short" for the target date; None without one."""
        if self.target_date is None:
            return None
        if self.needed_per_week is None:
            return "the target date has passed" if self.remaining_hours > 0 else "on track"
        if self.on_track:
            return "on track"
        return f"{format_hours(self.short_per_week)} h/week short"

    def to_json(self) -> dict[str, object]:
        def iso(day: date | None) -> str | None:
            return day.isoformat() if day else None

        return {
            "remaining_hours": round(self.remaining_hours, 2),
            "basis": self.basis,
            "pace": round(self.pace, 2),
            "finish": iso(self.finish),
            "reason": self.reason,
            "history_weeks": self.history_weeks,
            "pace_recent": round(self.pace_recent, 2),
            "pace_planned": round(self.pace_planned, 2),
            "finish_recent": iso(self.finish_recent),
            "finish_planned": iso(self.finish_planned),
            "target_date": iso(self.target_date),
            "needed_per_week": (
                round(self.needed_per_week, 2) if self.needed_per_week is not None else None
            ),
            "on_track": self.on_track,
            "short_per_week": round(self.short_per_week, 2),
            "words": self.finish_words(),
            "target_words": self.target_words(),
        }


def remaining_hours(
    curriculum: Curriculum,
    status: dict[str, str],
    logged: dict[str, float],
    on_path: Set[str] | None = None,
) -> float:
    """Estimates of topics on the path not finished, less what is already logged on those
    in progress (every topic when `on_path` is None)."""
    total = 0.0
    for topic in curriculum.topics:
        if on_path is not None and topic.id not in on_path:
            continue
        state = status.get(topic.id, TopicStatus.NOT_STARTED)
        if state in (TopicStatus.DONE, TopicStatus.SKIPPED):
            continue
        spent = logged.get(topic.id, 0.0) if state == TopicStatus.IN_PROGRESS else 0.0
        total += max(0.0, topic.hours - spent)
    return total


def recent_pace(session: Session, calendar: StudyCalendar, now: datetime) -> float:
    """Hours per week logged over the last four weeks of study days, today included."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from ..store.models import StudySession

    since, until = pace_window(calendar, now)
    seconds = session.exec(
        select(func.coalesce(func.sum(StudySession.duration_s), 0)).where(
            col(StudySession.started_at) >= since,
            col(StudySession.started_at) < until,
        )
    ).one()
    return pace_of(seconds)


def hours_per_topic(rows: Iterable[tuple[str | None, float]]) -> dict[str, float]:
    """Hours per topic from (topic id, seconds logged) rows; time without a topic is left
    out."""
    return {topic_id: seconds / 3600 for topic_id, seconds in rows if topic_id}


def pace_window(calendar: StudyCalendar, now: datetime) -> tuple[datetime, datetime]:
    """The instants of the last four weeks of study days, today included."""
    today = calendar.today(now)
    return calendar.day_start(today - timedelta(days=7 * PACE_WEEKS - 1)), calendar.day_end(today)


def pace_of(seconds: float) -> float:
    """Hours per week from the seconds logged in the `pace_window`."""
    return float(seconds) / 3600 / PACE_WEEKS


def history_weeks(session: Session, calendar: StudyCalendar, now: datetime) -> int:
    """Whole weeks from the first logged session's study day to today (0: none logged)."""
    from sqlalchemy import func
    from sqlmodel import select

    from ..store.models import StudySession

    return weeks_since(session.exec(select(func.min(StudySession.started_at))).one(), calendar, now)


def weeks_since(first: datetime | str | None, calendar: StudyCalendar, now: datetime) -> int:
    """Whole weeks from the study day of `first` (the earliest logged start) to today."""
    if first is None:
        return 0
    if isinstance(first, str):  # SQLite without the column type on an aggregate
        first = datetime.fromisoformat(first)
    first_day = calendar.study_day(first if first.tzinfo else first.replace(tzinfo=UTC))
    return max(0, (calendar.today(now) - first_day).days // 7)


def finish_date(today: date, remaining: float, per_week: float) -> date | None:
    """When `remaining` hours are done at `per_week`; None when never or beyond ten years."""
    if remaining <= 0:
        return today
    if per_week <= 0:
        return None
    days = 7 * remaining / per_week
    if days > 365.25 * MAX_YEARS:
        return None
    return today + timedelta(days=round(days))


def choose(
    today: date,
    remaining: float,
    pace_recent: float,
    pace_planned: float,
    target_hours: float,
    weeks_of_history: int,
    target_date: date | None = None,
) -> Projection:
    """The projection from its figures alone (no database): the rule in one place."""
    if weeks_of_history >= HISTORY_WEEKS_FOR_PACE:
        basis, pace = BASIS_RECENT, pace_recent
    elif pace_planned > 0:
        basis, pace = BASIS_PLANNED, pace_planned
    else:
        basis, pace = BASIS_TARGET, max(0.0, target_hours)
    finish = finish_date(today, remaining, pace)
    reason = None
    if finish is None:
        if basis == BASIS_RECENT:
            reason = (
                f"at your recent pace ({format_hours(pace)} h/week) the plan takes more than "
                f"{MAX_YEARS} years"
                if pace > 0
                else "no hours logged in the last four weeks"
            )
        else:
            reason = NO_HISTORY_REASON
    needed = on_track = None
    if target_date is not None:
        needed = hours_per_week_needed(remaining, today, target_date)
        on_track = needed is not None and pace >= needed - 1e-9
    return Projection(
        today=today,
        remaining_hours=remaining,
        pace_recent=pace_recent,
        pace_planned=pace_planned,
        finish_recent=finish_date(today, remaining, pace_recent),
        finish_planned=finish_date(today, remaining, pace_planned),
        basis=basis,
        pace=pace,
        finish=finish,
        reason=reason,
        history_weeks=weeks_of_history,
        target_date=target_date,
        needed_per_week=needed,
        on_track=on_track,
    )


def hours_per_week_needed(remaining: float, today: date, target: date) -> float | None:
    """Hours a week to finish `remaining` hours by `target` (None when it is not after
    today): what a setup screen shows as the learner types a target date."""
    weeks_left = (target - today).days / 7
    if remaining <= 0:
        return 0.0
    return remaining / weeks_left if weeks_left > 0 else None


def parse_target_date(value: str) -> date | None:
    """The `target_date` setting: an ISO date, or empty for none."""
    value = value.strip()
    return date.fromisoformat(value) if value else None


def target_date(settings: Settings) -> date | None:
    """The learner's target date, or None (empty or unusable)."""
    try:
        return parse_target_date(settings.target_date)
    except ValueError:
        return None


def project(
    session: Session,
    curriculum: Curriculum,
    now: datetime,
    calendar: StudyCalendar,
    status: dict[str, str],
    logged: dict[str, float],
    planned_this_week: float,
    target_hours: float = 0.0,
    target_date: date | None = None,
    on_path: Set[str] | None = None,
) -> Projection:
    """The projection for the learner's plan (read from the database unless given)."""
    if on_path is None:
        from .learner import plan_topics

        on_path = plan_topics(session, curriculum)
    return project_figures(
        curriculum,
        now,
        calendar,
        status,
        logged,
        planned_this_week,
        target_hours,
        target_date,
        on_path,
        recent_pace(session, calendar, now),
        history_weeks(session, calendar, now),
    )


def project_figures(
    curriculum: Curriculum,
    now: datetime,
    calendar: StudyCalendar,
    status: dict[str, str],
    logged: dict[str, float],
    planned_this_week: float,
    target_hours: float,
    target_date: date | None,
    on_path: Set[str],
    pace_recent: float,
    weeks_of_history: int,
) -> Projection:
    """The projection from what `project` reads (the quick `week` reads it without a
    session)."""
    return choose(
        calendar.today(now),
        remaining_hours(curriculum, status, logged, on_path),
        pace_recent,
        planned_this_week,
        target_hours,
        weeks_of_history,
        target_date,
    )
