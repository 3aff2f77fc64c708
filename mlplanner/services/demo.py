"""A believable five weeks of a learner's history, written through the services.

The learner came knowing a little Python and the shell (ticked as known at the start),
planned three weekday evenings and a Saturday morning, and mostly kept to them: most
sessions sit inside a planned block, a few blocks were missed, a few sessions happened
outside any block (a Sunday look at an elective topic off the path). Some sessions were
timed with the focus timer, others logged afterwards, with the notes people write. A topic
is marked done only once the hours logged on it reach most of its estimate.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col

from ..clock import FixedClock
from ..curriculum import Curriculum, Topic
from ..store.models import CardRecord
from ..vocabulary import CardState, TopicStatus
from . import learner, logbook, planning, progress, reviews
from . import timer as focus_timer
from .days import StudyCalendar, study_day, week_start

WEEKS = 5
DONE_SHARE = 0.8  # a topic is marked done once this share of its estimate is logged

NOTES = {
    "manual": [
        "Worked through the chapter's exercises",
        "Watched two lectures, took notes",
        "Redid the worked examples by hand",
        "Practice problems; stuck on the last two",
        "Read the docs and tried the examples",
        "Flashcards, then a short recap",
        "",
    ],
    "timer": [
        "Deep work, phone in the other room",
        "Pomodoros on the problem set",
        "Coding along with the lecture",
        "Kata: implemented it from scratch",
        "Review of last week's notes",
    ],
}


@dataclass(frozen=True)
class _Slot:
    """A planned block of the demo's week: weekday, start, minutes, what it is for."""

    weekday: int
    start: time
    minutes: int
    role: str  # "evening" or "weekend"


SLOTS = (
    _Slot(0, time(19, 0), 90, "evening"),
    _Slot(2, time(19, 0), 90, "evening"),
    _Slot(3, time(19, 0), 90, "evening"),
    _Slot(5, time(9, 30), 180, "weekend"),
)
MISSED = {(1, 2), (3, 0), (4, 3)}  # (week, slot index): blocks the learner did not keep


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A local wall-clock moment as the UTC instant the services take."""
    return datetime.combine(day, at, tz).astimezone(UTC)


def _pick_topics(
    curriculum: Curriculum, on_path: frozenset[str]
) -> tuple[list[Topic], list[Topic], Topic | None]:
    """Known at the start; studied, in order (the first on weekday evenings, the second on
    Saturdays, the third on the evenings once the first is done); one topic off the path."""
    path = [t for t in curriculum.topics if t.id in on_path] or list(curriculum.topics)
    first_stage = [t for t in path if t in curriculum.stages[0].topics]
    roots = sorted((t for t in first_stage if not t.prerequisites), key=lambda t: t.hours)
    known = roots[1:] if len(roots) > 1 else []
    rest = [t for t in path if t not in known]
    studied = roots[:1]
    studied += [t for t in rest if t not in first_stage and not t.prerequisites][:1]
    ready = [t for t in rest if t not in studied and set(t.prerequisites) <= {k.id for k in known}]
    studied += (ready or [t for t in rest if t not in studied])[:1]
    studied += [t for t in rest if t not in studied][: 3 - len(studied)]
    elective = next((t for t in curriculum.topics if t.id not in on_path), None)
    return known, studied, elective


def build_demo(
    session_factory: Callable[[], AbstractContextManager[Session]],
    curriculum: Curriculum,
    now: datetime,
    tz: ZoneInfo,
    seed: int = 7,
) -> None:
    """Five weeks in. `session_factory` opens a unit of work; each day's activity is its
    own transaction, as it would be for a real learner."""
    rng = random.Random(seed)
    calendar = StudyCalendar(tz)
    this_week = week_start(study_day(now, tz, calendar.rollover_hour))
    first_monday = this_week - timedelta(weeks=WEEKS)
    start = _at(first_monday - timedelta(days=2), time(10), tz)
    clock = FixedClock(start)

    with session_factory() as session:
        on_path = learner.plan(session, curriculum).topic_ids
        known, studied, elective = _pick_topics(curriculum, on_path)
        # The setup's "what I already know", ticked before the first week.
        progress.set_statuses(session, [t.id for t in known], TopicStatus.DONE, clock)
        current = {"evening": studied[0], "weekend": studied[min(1, len(studied) - 1)]}
        blocks: dict[int, int] = {}  # slot index -> the block holding it now
        for index, slot in enumerate(SLOTS):
            blocks[index] = (
                planning.add_block(
                    session,
                    clock,
                    first_monday + timedelta(days=slot.weekday),
                    slot.start,
                    slot.minutes,
                    tz.key,
                    f"FREQ=WEEKLY;BYDAY={['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'][slot.weekday]}",
                    topic_id=current[slot.role].id,
                ).id
                or 0
            )
        planning.add_block(
            session,
            clock,
            this_week + timedelta(days=4),
            time(18, 0),
            60,
            tz.key,
            topic_id=studied[0].id,
            note="Revise before the quiz",
        )
        for topic in known:
            for resource in topic.resources[:2]:
                progress.toggle_resource(session, resource.id, clock)

    logged: dict[str, float] = {}
    following = list(studied[2:])
    config = reviews.ReviewConfig(calendar, fuzz=False)
    reviewed = [t.id for t in known]
    for offset in range(WEEKS * 7 + 7):
        day = first_monday + timedelta(days=offset)
        if calendar.day_start(day) > now:
            break
        week, weekday = divmod(offset, 7)
        for index, slot in enumerate(SLOTS):
            if slot.weekday != weekday or (week, index) in MISSED:
                continue
            topic = current[slot.role]
            _study_in_block(session_factory, clock, rng, tz, day, slot, topic, logged, now)
            if topic.id not in reviewed:
                reviewed.append(topic.id)
            if following and logged.get(topic.id, 0) >= DONE_SHARE * topic.hours:
                # Done: marked so, and the blocks of that topic move on to the next one.
                current[slot.role] = nxt = following.pop(0)
                with session_factory() as session:
                    progress.set_status(session, topic.id, TopicStatus.DONE, clock)
                    for other, other_slot in enumerate(SLOTS):
                        if other_slot.role == slot.role:
                            ahead = (other_slot.weekday - weekday) % 7 or 7
                            moved = planning.split_series(
                                session,
                                clock,
                                blocks[other],
                                day + timedelta(days=ahead),
                                topic_id=nxt.id,
                            )
                            blocks[other] = moved.id or 0
        if weekday == 1 and week >= WEEKS - 1:
            _study_outside(
                session_factory, clock, rng, tz, day, current["evening"], logged, now, time(20, 0)
            )
        if weekday == 6 and elective is not None and week % 2 == 1:
            _study_outside(session_factory, clock, rng, tz, day, elective, logged, now)
        _review_day(session_factory, clock, rng, config, day, tz, reviewed, now)


def _study_in_block(
    session_factory: Callable[[], AbstractContextManager[Session]],
    clock: FixedClock,
    rng: random.Random,
    tz: ZoneInfo,
    day: date,
    slot: _Slot,
    topic: Topic,
    logged: dict[str, float],
    now: datetime,
) -> None:
    """A kept block: started a few minutes late, ended a little early, inside the block."""
    late = rng.choice([0, 0, 5, 10])
    minutes = slot.minutes - late - rng.choice([0, 5, 15, 20])
    begin = _at(day, slot.start, tz) + timedelta(minutes=late)
    if begin + timedelta(minutes=minutes) > now:
        return
    timed = rng.random() < 0.4
    _log(session_factory, clock, rng, begin, minutes, topic, timed)
    logged[topic.id] = logged.get(topic.id, 0) + minutes / 60


def _study_outside(
    session_factory: Callable[[], AbstractContextManager[Session]],
    clock: FixedClock,
    rng: random.Random,
    tz: ZoneInfo,
    day: date,
    topic: Topic,
    logged: dict[str, float],
    now: datetime,
    at: time | None = None,
) -> None:
    """Study in no block: a Sunday afternoon on a topic off the path, or a short evening."""
    begin = _at(day, at or time(15, rng.choice([0, 15, 30])), tz)
    minutes = rng.choice([30, 40]) if at else rng.choice([45, 60, 75])
    if begin + timedelta(minutes=minutes) > now:
        return
    _log(session_factory, clock, rng, begin, minutes, topic, timed=True)
    logged[topic.id] = logged.get(topic.id, 0) + minutes / 60


def _log(
    session_factory: Callable[[], AbstractContextManager[Session]],
    clock: FixedClock,
    rng: random.Random,
    begin: datetime,
    minutes: int,
    topic: Topic,
    timed: bool,
) -> None:
    """One session: through the focus timer, or logged by hand after it ended."""
    end = begin + timedelta(minutes=minutes)
    if timed:
        clock.now = begin
        with session_factory() as session:
            focus_timer.start(session, clock, topic.id, note=rng.choice(NOTES["timer"]))
        clock.now = end
        with session_factory() as session:
            focus_timer.stop(session, clock)
        return
    clock.now = end + timedelta(minutes=rng.choice([2, 10, 30]))
    with session_factory() as session:
        logbook.log_session(
            session,
            clock,
            timedelta(minutes=minutes),
            started_at=begin,
            topic_id=topic.id,
            note=rng.choice(NOTES["manual"]),
        )


def _review_day(
    session_factory: Callable[[], AbstractContextManager[Session]],
    clock: FixedClock,
    rng: random.Random,
    config: reviews.ReviewConfig,
    day: date,
    tz: ZoneInfo,
    topic_ids: list[str],
    now: datetime,
) -> None:
    """The day's flashcards, most days, in the late evening."""
    moment = _at(day, time(21, 30), tz)
    if moment > now or rng.random() < 0.15 or not topic_ids:
        return
    clock.now = moment
    with session_factory() as session:
        due = reviews.load_cards(
            session,
            col(CardRecord.topic_id).in_(topic_ids),
            col(CardRecord.state) != CardState.NEW,
            col(CardRecord.due) <= clock(),
            order=(CardRecord.due, CardRecord.id),
        )
        fresh = reviews.load_cards(
            session,
            col(CardRecord.topic_id).in_(topic_ids),
            col(CardRecord.state) == CardState.NEW,
            order=(CardRecord.topic_id, CardRecord.position),
            limit=6,
        )
        for card in due + fresh:
            rating = rng.choices([1, 2, 3, 4], weights=[1, 2, 12, 3])[0]
            clock.advance(seconds=rng.randint(5, 40))
            reviews.answer(
                session, card, rating, clock(), config, duration_ms=rng.randint(3000, 20000)
            )
