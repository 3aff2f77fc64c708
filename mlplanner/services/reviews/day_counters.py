"""The per-day review counters (`review_day`): kept with every answer and undo, rebuilt
from the log when needed, so the statistics and the daily limits read a few rows."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from ...store.models import CardRecord, ReviewDay, ReviewLog
from ...store.prepared import Prepared, connection_of
from ...store.upserts import REVIEW_DAY_COUNTERS, review_day_upsert
from ...vocabulary import CardState
from .scheduling import AGAIN, ReviewConfig

COUNTERS = REVIEW_DAY_COUNTERS
_DAYS = ReviewDay.__table__  # type: ignore[attr-defined]
# Built once: an answer runs the store's upsert, an undo takes its counts back.
_ADD = Prepared(review_day_upsert)
_TAKE_BACK = Prepared(
    update(_DAYS)
    .where(_DAYS.c.day == bindparam("the_day"), _DAYS.c.topic_id == bindparam("the_topic"))
    .values({name: _DAYS.c[name] + bindparam(f"add_{name}") for name in COUNTERS})
)


def bump_day(
    session: Session | Connection, day: date, topic_id: str, sign: int, **counts: int
) -> None:
    """Add (sign 1) or take back (sign -1) one answer's counts on its day and topic.

    Adding is one insert-or-add statement, so two processes answering the first card of
    a day both count."""
    connection = connection_of(session)
    params = {
        "the_day": day,
        "the_topic": topic_id,
        **{f"add_{name}": sign * counts.get(name, 0) for name in COUNTERS},
    }
    (_ADD if sign > 0 else _TAKE_BACK).run(connection, params)


def day_counts(
    before: dict[str, Any], rating: int, duration_ms: int, starts: datetime
) -> dict[str, int]:
    """What one answer adds to its day's counters, from the card's state before it."""
    was_review = before["state"] == CardState.REVIEW
    last = before["last_review"]
    if isinstance(last, str):
        last = datetime.fromisoformat(last)
    first_today = last is None or last < starts
    return {
        "reviews": 1,
        "new_cards": int(before["state"] == CardState.NEW),
        "first_pass": int(was_review and first_today and rating != AGAIN),
        "first_fail": int(was_review and first_today and rating == AGAIN),
        "again": int(rating == AGAIN),
        "time_ms": duration_ms,
    }


def done_today(session: Session, config: ReviewConfig, now: datetime) -> tuple[int, int]:
    """(new cards introduced, review cards answered) so far today, for the daily limits."""
    row = session.exec(
        select(
            func.coalesce(func.sum(ReviewDay.new_cards), 0),
            func.coalesce(func.sum(ReviewDay.first_pass + ReviewDay.first_fail), 0),
        ).where(col(ReviewDay.day) == config.today(now))
    ).one()
    return int(row[0]), int(row[1])


def rebuild_review_days(session: Session, config: ReviewConfig) -> int:
    """Recompute the per-day counters from the review log (after an upgrade or an import of
    a history); returns the number of log rows read."""
    session.exec(delete(ReviewDay))
    rows = session.execute(  # sqlmodel's select types up to four columns
        sa_select(
            col(CardRecord.topic_id),
            col(ReviewLog.rating),
            col(ReviewLog.reviewed_at),
            col(ReviewLog.duration_ms),
            col(ReviewLog.state_before),
        ).join(CardRecord, col(CardRecord.id) == col(ReviewLog.card_id))
    )
    totals: dict[tuple[date, str], dict[str, int]] = {}
    starts_of: dict[date, datetime] = {}
    count = 0
    for topic_id, rating, reviewed_at, duration_ms, state_before in rows:
        count += 1
        day = config.today(reviewed_at)
        starts = starts_of.get(day)
        if starts is None:
            starts = starts_of[day] = config.calendar.day_start(day)
        counts = day_counts(json.loads(state_before), rating, duration_ms, starts)
        into = totals.setdefault((day, topic_id), dict.fromkeys(counts, 0))
        for name, n in counts.items():
            into[name] += n
    rows_out = [{"day": d, "topic_id": t, **c} for (d, t), c in totals.items()]
    for start in range(0, len(rows_out), 5000):
        session.exec(insert(ReviewDay), params=rows_out[start : start + 5000])
    return count


def ensure_review_days(session: Session, config: ReviewConfig) -> bool:
    """Fill the per-day counters once for a history logged before they existed."""
    has_days = session.exec(select(col(ReviewDay.day)).limit(1)).first() is not None
    if has_days or session.exec(select(col(ReviewLog.id)).limit(1)).first() is None:
        return False
    rebuild_review_days(session, config)
    return True
