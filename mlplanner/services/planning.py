"""Study blocks: planned time, once or by an RFC 5545 rule over local wall-clock time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from ..clock import Clock
from ..safe_text import NUL_REFUSED, has_nul
from ..store.models import StudyBlock
from .durations import EARLIEST_YEAR, LATEST_YEAR
from .recurrence import PlanError, check_rule, continued_from, ended_before, occurrences, rule_parts
from .recurrence import weekly_rule as build_rrule

__all__ = [
    "MAX_BLOCK_MIN",
    "PlanError",
    "RemovedBlock",
    "Scope",
    "add_block",
    "build_rrule",
    "change_block",
    "check_block",
    "delete_block",
    "edit_occurrence",
    "end_series_before",
    "get_block",
    "remove_block",
    "restore_block",
    "rule_parts",
    "skip_occurrence",
    "split_series",
    "update_block",
]

MAX_BLOCK_MIN = 12 * 60


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
        note=check_block_note(note),
        created_at=clock(),
    )
    session.add(block)
    session.flush()  # the id is needed for occurrences and edits in the same unit of work
    return block


def check_block(
    start_date: date, start_time: time, duration_min: int, rrule: str | None, tz: str
) -> None:
    if not 0 < duration_min <= MAX_BLOCK_MIN:
        raise PlanError("a block lasts more than 0 minutes and at most 12 hours")
    if not EARLIEST_YEAR <= start_date.year <= LATEST_YEAR:
        raise PlanError(f"a block's date must fall between {EARLIEST_YEAR} and {LATEST_YEAR}")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise PlanError(f"unknown time zone {tz!r}") from None
    if rrule:
        check_rule(rrule, start_date, start_time)


def check_block_note(note: str) -> str:
    if has_nul(note):
        raise PlanError(NUL_REFUSED)
    return note


def get_block(session: Session, block_id: int) -> StudyBlock:
    block = session.get(StudyBlock, block_id)
    if block is None:
        raise PlanError(f"no study block #{block_id}")
    return block


def update_block(session: Session, block_id: int, **values: Any) -> StudyBlock:
    """Change the whole series (or a one-off block)."""
    block = get_block(session, block_id)
    for key, value in values.items():
        setattr(block, key, value)
    check_block_note(block.note)
    check_block(block.start_date, block.start_time, block.duration_min, block.rrule, block.tz)
    session.add(block)
    return block


def delete_block(session: Session, block_id: int) -> None:
    session.delete(get_block(session, block_id))
    session.flush()


def list_blocks(session: Session) -> list[StudyBlock]:
    """Every stored block, earliest first."""
    query = select(StudyBlock).order_by(col(StudyBlock.start_date), col(StudyBlock.start_time))
    return list(session.exec(query))


def skip_occurrence(session: Session, block_id: int, day: date) -> StudyBlock:
    """Leave one date out of a series: this occurrence only."""
    block = get_block(session, block_id)
    if not block.rrule:
        raise PlanError("a one-off block has no other occurrences: delete it instead")
    if not any(start.date() == day for start, _ in occurrences(block, day, day)):
        raise PlanError(f"block #{block_id} has no occurrence on {day:%a %d %b %Y}")
    dates = {d for d in block.skipped_dates.split(",") if d}
    dates.add(day.isoformat())
    block.skipped_dates = ",".join(sorted(dates))
    session.add(block)
    return block


def edit_occurrence(
    session: Session, clock: Clock, block_id: int, day: date, **values: Any
) -> StudyBlock:
    """This occurrence only: skip the date in the series and add a one-off block."""
    block = get_block(session, block_id)
    skip_occurrence(session, block_id, day)
    fields: dict[str, Any] = {
        "start_date": day,
        "start_time": block.start_time,
        "duration_min": block.duration_min,
        "tz": block.tz,
        "topic_id": block.topic_id,
        "note": block.note,
    }
    fields.update(values)
    one_off = add_block(session, clock, rrule=None, **fields)
    # Linked to the occurrence it replaces: a calendar export writes it as an override of
    # the series (same UID, RECURRENCE-ID) rather than an unrelated event.
    one_off.series_uid = block.uid
    one_off.recurrence_date = day
    session.add(one_off)
    return one_off


def split_series(
    session: Session, clock: Clock, block_id: int, day: date, **values: Any
) -> StudyBlock:
    """This and following: end the series the day before and start a new one on `day`."""
    block = get_block(session, block_id)
    if not block.rrule:
        raise PlanError("a one-off block is not a series")
    if day <= block.start_date:
        return update_block(session, block_id, **values)
    rule = block.rrule
    block.rrule = ended_before(rule, day)
    session.add(block)
    following = continued_from(rule, datetime.combine(block.start_date, block.start_time), day)
    if following is None:
        raise PlanError("the series has no occurrences from that day on")
    kept_skips = [d for d in block.skipped_dates.split(",") if d and d >= day.isoformat()]
    block.skipped_dates = ",".join(
        d for d in block.skipped_dates.split(",") if d and d < day.isoformat()
    )
    fields: dict[str, Any] = {
        "start_date": day,
        "start_time": block.start_time,
        "duration_min": block.duration_min,
        "tz": block.tz,
        "topic_id": block.topic_id,
        "note": block.note,
        "rrule": following,
    }
    fields.update(values)
    new = add_block(session, clock, **fields)
    new.skipped_dates = ",".join(kept_skips)
    # Occurrences changed on their own from `day` on now belong to the new series.
    for moved in session.exec(
        select(StudyBlock).where(
            StudyBlock.series_uid == block.uid, col(StudyBlock.recurrence_date) >= day
        )
    ):
        moved.series_uid = new.uid
        session.add(moved)
    return new


def end_series_before(session: Session, block_id: int, day: date) -> None:
    """Delete this and following occurrences: the series ends the day before."""
    block = get_block(session, block_id)
    if not block.rrule or day <= block.start_date:
        delete_block(session, block_id)
        return
    block.rrule = ended_before(block.rrule, day)
    session.add(block)


class Scope(StrEnum):
    """Which occurrences of a repeating block a change or a deletion applies to."""

    ONE = "one"  # this occurrence
    FOLLOWING = "following"  # this and the following ones
    SERIES = "series"  # the whole series (a one-off block is a series of one)


def change_block(
    session: Session, clock: Clock, block_id: int, scope: str, day: date, **values: Any
) -> StudyBlock:
    """Change a block from the occurrence on `day`: that occurrence alone (it becomes a
    one-off block and any `rrule` given is left aside), it and the following ones (a new
    series from `day`), or the whole series. Returns the block that holds the change."""
    scope = Scope(scope)
    block = get_block(session, block_id)
    if scope is Scope.ONE and block.rrule:
        values.pop("rrule", None)
        return edit_occurrence(session, clock, block_id, day, **values)
    if scope is Scope.FOLLOWING:
        return split_series(session, clock, block_id, day, **values)
    return update_block(session, block_id, **values)


@dataclass(frozen=True)
class RemovedBlock:
    """What a deletion changed, kept to take it back: each touched row as it was before
    (the block, and the one-off changes of its occurrences)."""

    rows: tuple[dict[str, Any], ...]


def remove_block(session: Session, block_id: int, scope: str, day: date) -> RemovedBlock:
    """Delete the occurrence on `day`, it and the following ones, or the whole series;
    a one-off block is deleted whatever the scope. Returns what `restore_block` needs to
    undo it."""
    scope = Scope(scope)
    block = get_block(session, block_id)
    overrides = session.exec(select(StudyBlock).where(StudyBlock.series_uid == block.uid))
    kept = RemovedBlock(tuple(row.model_dump() for row in [block, *overrides]))
    if not block.rrule or scope is Scope.SERIES:
        delete_block(session, block_id)
    elif scope is Scope.ONE:
        skip_occurrence(session, block_id, day)
    else:
        end_series_before(session, block_id, day)
    return kept


def restore_block(session: Session, kept: RemovedBlock) -> StudyBlock:
    """Undo `remove_block`: every row it touched is put back as it was — same id and uid
    (so a calendar that imported the export updates the same event), rule, skipped dates
    and changed occurrences. Returns the block."""
    restored: list[StudyBlock] = []
    for values in kept.rows:
        row = session.get(StudyBlock, values["id"], populate_existing=True)
        if row is not None and row.uid != values["uid"]:  # the id went to a newer block
            row = StudyBlock(**{**values, "id": None})
        elif row is None:
            row = StudyBlock(**values)
        else:
            for key, value in values.items():
                setattr(row, key, value)
        session.add(row)
        restored.append(row)
    session.flush()
    return restored[0]
