"""Study blocks: planned time, once or by an RFC 5545 rule over local wall-clock time."""

from __future__ import annotations

import uuid
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from sqlmodel import Session

from ..clock import Clock
from ..store.models import StudyBlock

MAX_BLOCK_MIN = 12 * 60


class PlanError(ValueError):
    """A block that cannot be stored; the message says why."""


def add_block(
    session: Session,
    clock: Clock,
    start_date: date,
    start_time: time,
    duration_min: int,
    tz: str,
    rrule: str | None = None,
    topic_id: str | None = None,
    note: str = "",
) -> StudyBlock:
    if not 0 < duration_min <= MAX_BLOCK_MIN:
        raise PlanError("a block lasts more than 0 minutes and at most 12 hours")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise PlanError(f"unknown time zone {tz!r}") from None
    if rrule:
        try:
            rrulestr(rrule)
        except (ValueError, TypeError) as exc:
            raise PlanError(f"not a valid repetition rule: {exc}") from None
    block = StudyBlock(
        uid=f"{uuid.uuid4()}@mlplanner",
        topic_id=topic_id,
        start_date=start_date,
        start_time=start_time,
        duration_min=duration_min,
        tz=tz,
        rrule=rrule or None,
        note=note,
        created_at=clock(),
    )
    session.add(block)
    return block
