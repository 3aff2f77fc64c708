"""Study blocks as an iCalendar file, for the calendar a learner already uses."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..store.models import StudyBlock
from .recurrence import skipped


def export_ics(session: Session, curriculum: Curriculum, now: datetime) -> bytes:
    """One VEVENT per block with its RRULE and EXDATEs; UIDs are stable, so a calendar
    app that imports the file again updates the events instead of adding copies."""
    calendar = Calendar()
    calendar.add("prodid", "-//mlplanner//study blocks//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Study plan")
    for block in session.exec(select(StudyBlock).order_by(col(StudyBlock.id))):
        zone = ZoneInfo(block.tz)
        start = datetime.combine(block.start_date, block.start_time, tzinfo=zone)
        title = curriculum.topic_title(block.topic_id) or "Study"
        event = Event()
        event.add("uid", block.uid)
        event.add("summary", f"Study: {title}")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=block.duration_min))
        if block.note:
            event.add("description", block.note)
        if block.topic_id:
            event.add("categories", [block.topic_id])
        if block.rrule:
            event.add("rrule", vRecur.from_ical(block.rrule))
            gone = sorted(skipped(block))
            if gone:
                event.add(
                    "exdate",
                    [datetime.combine(d, block.start_time, tzinfo=zone) for d in gone],
                )
        calendar.add_component(event)
    calendar.add_missing_timezones()
    ics: bytes = calendar.to_ical()
    return ics
