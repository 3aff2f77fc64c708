"""Study blocks as iCalendar, for the calendar a learner already uses: one file, or a
vdir (one file per UID, as khal and vdirsyncer read) kept in step with the blocks.

What every reader gets right: a rule's UNTIL in UTC next to a DTSTART with a TZID
(RFC 5545 3.3.10); VTIMEZONE parts written as yearly rules; an occurrence changed on its
own written as an override of its series (same UID, RECURRENCE-ID), not as an EXDATE and
an unrelated event.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..errors import BadInput, PlannerError
from ..store.models import StudyBlock
from .ical_timezones import vtimezone
from .recurrence import rule_for_calendar, skipped

PRODID = "-//mlplanner//study blocks//EN"
UID_SUFFIX = "@mlplanner"
# Only files named like this are the planner's: a vdir sync never touches any other.
_OWN_FILE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*@mlplanner\.ics$")
_DTSTAMP = re.compile(rb"^DTSTAMP:.*\r\n", re.MULTILINE)


def _zone(name: str) -> tzinfo:
    return UTC if name in ("UTC", "Etc/UTC") else ZoneInfo(name)


def block_title(block: StudyBlock, curriculum: Curriculum) -> str:
    """`Study: <topic>`; a block without a topic is named by its note's first line."""
    title = curriculum.topic_title(block.topic_id) if block.topic_id else None
    if title:
        return f"Study: {title}"
    first_line = block.note.strip().splitlines()[0].strip() if block.note.strip() else ""
    return first_line[:120] or "Study"


def _event(
    block: StudyBlock, curriculum: Curriculum, now: datetime, reminder_minutes: int
) -> Event:
    start = datetime.combine(block.start_date, block.start_time, tzinfo=_zone(block.tz))
    event = Event()
    event.add("uid", block.uid)
    event.add("summary", block_title(block, curriculum))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=block.duration_min))
    if block.note:
        event.add("description", block.note)
    if block.topic_id:
        event.add("categories", [block.topic_id])
    if reminder_minutes > 0:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", block_title(block, curriculum))
        alarm.add("trigger", timedelta(minutes=-reminder_minutes))
        event.add_component(alarm)
    return event


@dataclass
class _Entry:
    events: list[Event] = field(default_factory=list)
    zones: set[str] = field(default_factory=set)
    first: date = date.max
    last: date = date.min


def _entries(
    session: Session, curriculum: Curriculum, now: datetime, reminder_minutes: int
) -> dict[str, _Entry]:
    """Events by UID: a series with its overrides, or a one-off block."""
    blocks = list(session.exec(select(StudyBlock).order_by(col(StudyBlock.id))))
    series = {b.uid: b for b in blocks if b.rrule}
    overrides: dict[str, dict[date, StudyBlock]] = defaultdict(dict)
    for block in blocks:
        owner = series.get(block.series_uid or "")
        if (
            owner is not None
            and not block.rrule
            and block.recurrence_date is not None
            and block.recurrence_date in skipped(owner)
        ):
            overrides[owner.uid][block.recurrence_date] = block
    attached = {id(b) for days in overrides.values() for b in days.values()}
    entries: dict[str, _Entry] = {}
    for block in blocks:
        if id(block) in attached:
            continue
        entry = entries.setdefault(block.uid, _Entry())
        event = _event(block, curriculum, now, reminder_minutes)
        if block.rrule:
            event.add("rrule", rule_for_calendar(block.rrule, block.tz))
            changed = overrides.get(block.uid, {})
            gone = sorted(skipped(block) - set(changed))
            zone = _zone(block.tz)
            if gone:
                event.add(
                    "exdate", [datetime.combine(d, block.start_time, tzinfo=zone) for d in gone]
                )
        entry.events.append(event)
        members = [block, *overrides.get(block.uid, {}).values()]
        for day, one in sorted(overrides.get(block.uid, {}).items()):
            override = _event(one, curriculum, now, reminder_minutes)
            override["uid"] = block.uid
            override.add(
                "recurrence-id",
                datetime.combine(day, block.start_time, tzinfo=_zone(block.tz)),
            )
            entry.events.append(override)
        for member in members:
            entry.zones.add(member.tz)
            entry.first = min(entry.first, member.start_date)
            entry.last = max(entry.last, member.start_date, now.date())
    return entries


def _calendar(entries: list[_Entry]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Study plan")
    spans: dict[str, tuple[date, date]] = {}
    for entry in entries:
        for name in entry.zones:
            first, last = spans.get(name, (entry.first, entry.last))
            spans[name] = (min(first, entry.first), max(last, entry.last))
    for name, (first, last) in sorted(spans.items()):
        if name not in ("UTC", "Etc/UTC"):
            calendar.add_component(vtimezone(name, first, last))
    for entry in entries:
        for event in entry.events:
            calendar.add_component(event)
    return calendar


def export_ics(
    session: Session, curriculum: Curriculum, now: datetime, reminder_minutes: int = 0
) -> bytes:
    """All blocks in one calendar; UIDs are stable, so a calendar app that imports the file
    again updates the events instead of adding copies. `reminder_minutes` > 0 adds an
    alarm that long before each block."""
    entries = _entries(session, curriculum, now, reminder_minutes)
    ics: bytes = _calendar(list(entries.values())).to_ical()
    return ics


def vdir_files(
    session: Session, curriculum: Curriculum, now: datetime, reminder_minutes: int = 0
) -> dict[str, bytes]:
    """One calendar file per UID, named `<uid>.ics` (a UID that is no safe file name is
    named by its hash)."""
    entries = _entries(session, curriculum, now, reminder_minutes)
    return {_file_name(uid): _calendar([entry]).to_ical() for uid, entry in entries.items()}


def _file_name(uid: str) -> str:
    name = f"{uid}.ics"
    if _OWN_FILE.match(name):
        return name
    return f"{hashlib.sha256(uid.encode()).hexdigest()[:32]}{UID_SUFFIX}.ics"


@dataclass(frozen=True)
class VdirReport:
    written: int
    unchanged: int
    removed: int


def sync_vdir(directory: Path, files: dict[str, bytes]) -> VdirReport:
    """Write the files (each whole: a temporary file renamed into place), leave those that
    did not change but for their DTSTAMP, and remove the planner's files of blocks that are
    gone. Files the planner did not write are never touched."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        present = {p.name for p in directory.iterdir() if _OWN_FILE.match(p.name)}
    except OSError as exc:
        raise BadInput(f"{directory}: cannot use as a vdir: {exc.strerror}") from None
    written = unchanged = removed = 0
    try:
        for name, data in sorted(files.items()):
            target = directory / name
            if name in present:
                old = target.read_bytes()
                if _DTSTAMP.sub(b"", old) == _DTSTAMP.sub(b"", data):
                    unchanged += 1
                    continue
            temporary = directory / f".{name}.part"
            temporary.write_bytes(data)
            os.replace(temporary, target)
            written += 1
        for name in sorted(present - set(files)):
            (directory / name).unlink(missing_ok=True)
            removed += 1
    except OSError as exc:
        raise PlannerError(f"{directory}: writing failed: {exc.strerror}") from None
    return VdirReport(written, unchanged, removed)
