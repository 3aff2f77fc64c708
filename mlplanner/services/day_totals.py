"""Totals per study day, computed by the database: the engine under the statistics, the
review forecast and the streak on the status line.

A study day begins at the rollover hour in the learner's zone, so grouping by it means
grouping by a UTC offset that changes twice a year: the range is cut where the offset
changes and each stretch is grouped with one fixed shift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from ..store.buckets import shifted_day, utc_date, utc_hour
from ..store.models import StudySession
from .days import StudyCalendar, offset_spans


def per_study_day(
    session: Session,
    instant: Mapped[datetime | None],
    amount: ColumnElement[Any],
    where: Sequence[ColumnElement[bool]],
    calendar: StudyCalendar,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[date, float]:
    """An aggregate (`amount`, such as a sum or a count) of rows per study day of `instant`,
    computed by the database: one query per stretch of time with a single UTC offset, one
    row back per day (two when the day turns mid-way through a UTC date)."""
    within_range = list(where)
    if since is not None:
        within_range.append(instant >= since)
    if until is not None:
        within_range.append(instant < until)
    first, last = session.exec(
        select(func.min(instant), func.max(instant)).where(*within_range)
    ).one()
    if first is None or last is None:
        return {}
    first = first.replace(tzinfo=UTC) if first.tzinfo is None else first
    last = last.replace(tzinfo=UTC) if last.tzinfo is None else last
    totals: dict[date, float] = defaultdict(float)
    for begin, end, offset in offset_spans(calendar.tz, first, last + timedelta(seconds=1)):
        within = (*within_range, instant >= begin, instant < end)
        shift = offset - calendar.rollover_hour * 3600
        if shift % 3600:
            bucket = shifted_day(instant, shift)
            rows = session.exec(select(bucket, amount).where(*within).group_by(bucket))
            for day, value in rows:
                totals[date.fromisoformat(str(day)[:10])] += value
            continue
        # A whole-hour shift moves an instant to the next day from a fixed UTC hour on:
        # grouping by UTC date and that split reads the stored text without parsing it.
        days, hours = divmod(shift // 3600, 24)
        late: ColumnElement[Any] = utc_hour(instant) >= literal_column(f"'{24 - hours:02d}'")
        utc_day_of = utc_date(instant)
        # SQLAlchemy's own select and execute: sqlmodel types three columns as two.
        grouped = sa_select(utc_day_of, late, amount).where(*within).group_by(utc_day_of, late)
        for utc_day, is_late, value in session.execute(grouped):
            moved = days + (1 if hours and is_late else 0)
            totals[date.fromisoformat(utc_day) + timedelta(days=moved)] += value
    return dict(totals)


def day_totals(
    session: Session,
    calendar: StudyCalendar,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[date, float]:
    """Hours logged per study day."""
    seconds = per_study_day(
        session,
        col(StudySession.started_at),
        func.sum(StudySession.duration_s),
        (),
        calendar,
        since,
        until,
    )
    return {day: value / 3600 for day, value in seconds.items()}


def study_days(session: Session, calendar: StudyCalendar, since: datetime) -> set[date]:
    """The study days with logged time since an instant."""
    return {d for d, hours in day_totals(session, calendar, since).items() if hours > 0}
