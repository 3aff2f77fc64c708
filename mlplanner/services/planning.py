"""Study blocks: planned time, once or by an RFC 5545 rule over local wall-clock time."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from sqlmodel import Session

from ..clock import Clock
from ..errors import BadInput
from ..store.models import StudyBlock

MAX_BLOCK_MIN = 12 * 60


class PlanError(BadInput):
    """A block that cannot be stored; the message says why."""

    title = "Study block"


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
    check_block(start_date, start_time, duration_min, rrule, tz)
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
    session.flush()  # the id is needed for occurrences and edits in the same unit of work
    return block


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def build_rrule(
    weekdays: list[int] | None = None,
    interval: int = 1,
    until: date | None = None,
    count: int | None = None,
) -> str:
    """An RFC 5545 weekly rule; weekdays are 0 (Monday) to 6."""
    if interval < 1:
        raise PlanError("repeat every 1 week or more")
    if until is not None and count is not None:
        raise PlanError("end a repetition by a date or by a count, not both")
    if count is not None and count < 1:
        raise PlanError("repeat at least once")
    parts = ["FREQ=WEEKLY"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if weekdays:
        parts.append("BYDAY=" + ",".join(WEEKDAYS[d] for d in sorted(set(weekdays))))
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    if count is not None:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def rule_parts(rule: str) -> dict[str, str]:
    """An RRULE's parts by name: `FREQ=WEEKLY;COUNT=3` -> {"FREQ": "WEEKLY", "COUNT": "3"}."""
    return dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)


def _join_parts(parts: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def rule_until(rule: str) -> date | None:
    until = rule_parts(rule).get("UNTIL")
    return datetime.strptime(until[:8], "%Y%m%d").date() if until else None


def check_block(
    start_date: date, start_time: time, duration_min: int, rrule: str | None, tz: str
) -> None:
    if not 0 < duration_min <= MAX_BLOCK_MIN:
        raise PlanError("a block lasts more than 0 minutes and at most 12 hours")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise PlanError(f"unknown time zone {tz!r}") from None
    if rrule:
        try:
            rrulestr(rrule, dtstart=datetime.combine(start_date, start_time))
        except (ValueError, TypeError) as exc:
            raise PlanError(f"not a valid repetition rule: {exc}") from None
        until = rule_until(rrule)
        if until is not None and until < start_date:
            raise PlanError("the repetition ends before the first day")


def get_block(session: Session, block_id: int) -> StudyBlock:
    block = session.get(StudyBlock, block_id)
    if block is None:
        raise PlanError(f"no study block #{block_id}")
    return block


def update_block(session: Session, block_id: int, **values) -> StudyBlock:
    """Change the whole series (or a one-off block)."""
    block = get_block(session, block_id)
    for key, value in values.items():
        setattr(block, key, value)
    check_block(block.start_date, block.start_time, block.duration_min, block.rrule, block.tz)
    session.add(block)
    return block


def delete_block(session: Session, block_id: int) -> None:
    session.delete(get_block(session, block_id))
    session.flush()


def skip_occurrence(session: Session, block_id: int, day: date) -> StudyBlock:
    """Leave one date out of a series: this occurrence only."""
    block = get_block(session, block_id)
    if not block.rrule:
        raise PlanError("a one-off block has no other occurrences: delete it instead")
    dates = {d for d in block.skipped_dates.split(",") if d}
    dates.add(day.isoformat())
    block.skipped_dates = ",".join(sorted(dates))
    session.add(block)
    return block


def edit_occurrence(
    session: Session, clock: Clock, block_id: int, day: date, **values
) -> StudyBlock:
    """This occurrence only: skip the date in the series and add a one-off block."""
    block = get_block(session, block_id)
    skip_occurrence(session, block_id, day)
    fields = {
        "start_date": day,
        "start_time": block.start_time,
        "duration_min": block.duration_min,
        "tz": block.tz,
        "topic_id": block.topic_id,
        "note": block.note,
    }
    fields.update(values)
    return add_block(session, clock, rrule=None, **fields)


def split_series(session: Session, clock: Clock, block_id: int, day: date, **values) -> StudyBlock:
    """This and following: end the series the day before and start a new one on `day`."""
    block = get_block(session, block_id)
    if not block.rrule:
        raise PlanError("a one-off block is not a series")
    if day <= block.start_date:
        return update_block(session, block_id, **values)
    parts = rule_parts(block.rrule)
    new_parts = dict(parts)
    if "COUNT" in parts:
        first = datetime.combine(block.start_date, block.start_time)
        done = len(
            rrulestr(block.rrule, dtstart=first).between(
                first, datetime.combine(day, time(0)), inc=True
            )
        )
        remaining = int(parts["COUNT"]) - done
        del parts["COUNT"]
        parts["UNTIL"] = f"{day - timedelta(days=1):%Y%m%d}T235959"
        if remaining < 1:
            block.rrule = _join_parts(parts)
            session.add(block)
            raise PlanError("the series has no occurrences from that day on")
        new_parts["COUNT"] = str(remaining)
    else:
        parts["UNTIL"] = f"{day - timedelta(days=1):%Y%m%d}T235959"
    block.rrule = _join_parts(parts)
    kept_skips = [d for d in block.skipped_dates.split(",") if d and d >= day.isoformat()]
    block.skipped_dates = ",".join(
        d for d in block.skipped_dates.split(",") if d and d < day.isoformat()
    )
    session.add(block)
    fields = {
        "start_date": day,
        "start_time": block.start_time,
        "duration_min": block.duration_min,
        "tz": block.tz,
        "topic_id": block.topic_id,
        "note": block.note,
        "rrule": _join_parts(new_parts),
    }
    fields.update(values)
    new = add_block(session, clock, **fields)
    new.skipped_dates = ",".join(kept_skips)
    return new


def end_series_before(session: Session, block_id: int, day: date) -> None:
    """Delete this and following occurrences: the series ends the day before."""
    block = get_block(session, block_id)
    if not block.rrule or day <= block.start_date:
        delete_block(session, block_id)
        return
    parts = rule_parts(block.rrule)
    parts.pop("COUNT", None)
    parts["UNTIL"] = f"{day - timedelta(days=1):%Y%m%d}T235959"
    block.rrule = _join_parts(parts)
    session.add(block)
