"""Plan my week: fill free study windows with the next topics, up to the weekly target."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from ..curriculum import Curriculum
from ..errors import BadInput
from ..store.models import StudySession
from ..vocabulary import TopicStatus
from . import busy_time, learner, progress
from .week import WeekView

DAY_NAMES = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
MIN_SESSION = timedelta(minutes=45)  # no block is proposed shorter than this


class WindowError(BadInput):
    title = "Availability"
    pass


@dataclass(frozen=True)
class Window:
    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Proposal:
    day: date
    start: time
    duration_min: int
    topic_id: str
    topic_title: str


def parse_windows(text: str) -> list[Window]:
    """`mon-fri 19:00-21:00; sat 09:00-13:00` into windows, one per weekday."""
    windows: list[Window] = []
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text))):
        found = re.fullmatch(
            r"(?P<d1>[a-z]{3})[a-z]*(?:\s*-\s*(?P<d2>[a-z]{3})[a-z]*)?\s+"
            r"(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*-\s*(?P<h2>\d{1,2}):(?P<m2>\d{2})",
            part.lower(),
        )
        if (
            not found
            or found["d1"] not in DAY_NAMES
            or (found["d2"] and found["d2"] not in DAY_NAMES)
        ):
            raise WindowError(
                f"cannot read '{part}'; write e.g. 'mon-fri 19:00-21:00; sat 09:00-13:00'"
            )
        try:
            start = time(int(found["h1"]), int(found["m1"]))
            end = time(int(found["h2"]), int(found["m2"]))
        except ValueError:
            raise WindowError(f"'{part}': hours are 00-23 and minutes 00-59") from None
        if end <= start:
            raise WindowError(f"'{part}': the window ends before it starts")
        first = DAY_NAMES[found["d1"]]
        last = DAY_NAMES[found["d2"]] if found["d2"] else first
        days = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        windows += [Window(d, start, end) for d in days]
    return windows


def _free_spans(
    day: date,
    window: Window,
    busy: list[tuple[datetime, datetime]],
    tz: ZoneInfo,
    not_before: datetime,
) -> list[tuple[datetime, datetime]]:
    start = datetime.combine(day, window.start, tzinfo=tz)
    end = datetime.combine(day, window.end, tzinfo=tz)
    start = max(start, not_before)
    spans = []
    for b_start, b_end in sorted(busy):
        if b_end <= start or b_start >= end:
            continue
        if b_start > start:
            spans.append((start, b_start))
        start = max(start, b_end)
    if start < end:
        spans.append((start, end))
    return spans


def topics_to_plan(session: Session, curriculum: Curriculum) -> list[tuple[str, float]]:
    """Topics in progress first, then those next up, each in roadmap order, with their
    hours still to do: finishing what was started comes before starting more."""
    status = progress.statuses(session)
    on_path = learner.plan_topics(session, curriculum)
    ready = set(progress.next_up(curriculum, status, on_path))
    logged = dict(
        session.exec(
            select(StudySession.topic_id, func.sum(StudySession.duration_s)).group_by(
                StudySession.topic_id
            )
        ).all()
    )
    started, waiting = [], []
    for topic in curriculum.topics:
        left = max(topic.hours - (logged.get(topic.id) or 0) / 3600, 1.0)
        if status.get(topic.id) == TopicStatus.IN_PROGRESS and topic.id in on_path:
            started.append((topic.id, left))
        elif topic.id in ready:
            waiting.append((topic.id, left))
    return started + waiting


def propose(
    week: WeekView,
    windows: list[Window],
    topics: list[tuple[str, float]],
    titles: dict[str, str],
    tz: ZoneInfo,
    now: datetime,
    session_min: int = 90,
    *,
    session: Session,
) -> list[Proposal]:
    """Blocks for free time in the windows, never over existing blocks, over busy time
    imported from other calendars (read here from `session`) or in the past."""
    wanted = timedelta(hours=max(0.0, week.target_hours - week.planned_hours))
    length = timedelta(minutes=session_min)
    queue = [(topic_id, timedelta(hours=hours)) for topic_id, hours in topics]
    proposals: list[Proposal] = []
    local_now = now.astimezone(tz)
    elsewhere = []
    if week.days:
        first = datetime.combine(week.days[0].day, time(0), tzinfo=tz)
        last = datetime.combine(week.days[-1].day + timedelta(days=1), time(0), tzinfo=tz)
        elsewhere = busy_time.busy_between(session, first, last)
    for day_view in week.days:
        # In the planner's zone: a free span starts where a busy one ends, on its clock.
        busy = [
            (start.astimezone(tz), end.astimezone(tz))
            for start, end in [(o.start, o.end) for o in day_view.blocks] + elsewhere
        ]
        for window in sorted(
            (w for w in windows if w.weekday == day_view.day.weekday()), key=lambda w: w.start
        ):
            for span_start, span_end in _free_spans(day_view.day, window, busy, tz, local_now):
                cursor = span_start
                while queue and wanted >= MIN_SESSION and span_end - cursor >= MIN_SESSION:
                    piece = min(length, span_end - cursor, wanted, max(queue[0][1], MIN_SESSION))
                    leftover = span_end - cursor - piece
                    if timedelta(0) < leftover < MIN_SESSION:
                        piece += leftover  # too short for a block of its own: merged
                    topic_id = queue[0][0]
                    minutes = int(piece.total_seconds() // 60)
                    proposals.append(
                        Proposal(day_view.day, cursor.time(), minutes, topic_id, titles[topic_id])
                    )
                    cursor += piece
                    wanted -= piece
                    queue[0] = (topic_id, queue[0][1] - piece)
                    if queue[0][1] <= timedelta(0):
                        queue.pop(0)
    return proposals
