"""A realistic few weeks of a learner's history, written through the services."""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col

from ..clock import FixedClock
from ..curriculum import Curriculum
from ..store.models import CardRecord
from ..vocabulary import CardState, TopicStatus
from . import logbook, planning, progress, reviews
from .days import StudyCalendar, study_day, week_start


def build_demo(
    session_factory: Callable[[], AbstractContextManager[Session]],
    curriculum: Curriculum,
    now: datetime,
    tz: ZoneInfo,
    seed: int = 7,
) -> None:
    """Five weeks in: foundations done, math under way, a weekly plan, reviews every day.

    `session_factory` opens a unit of work; each day's activity is its own transaction,
    as it would be for a real learner.
    """
    rng = random.Random(seed)
    topics = curriculum.topics
    start = now - timedelta(days=35)
    clock = FixedClock(start)

    finished = min(5, len(topics) // 3)
    done = [t.id for t in topics[:finished]]
    doing = [t.id for t in topics[finished : finished + 2]]
    with session_factory() as session:
        for topic_id in done + doing:
            progress.set_status(session, topic_id, TopicStatus.IN_PROGRESS, clock)
        this_week = week_start(study_day(now, tz, 4))
        first_monday = this_week - timedelta(weeks=5)
        planning.add_block(
            session,
            clock,
            first_monday,
            time(19, 0),
            90,
            tz.key,
            "FREQ=WEEKLY;BYDAY=MO,WE,TH",
            topic_id=doing[0] if doing else None,
        )
        planning.add_block(
            session,
            clock,
            first_monday + timedelta(days=5),
            time(9, 30),
            180,
            tz.key,
            "FREQ=WEEKLY;BYDAY=SA",
            topic_id=doing[-1] if doing else None,
        )
        planning.add_block(
            session,
            clock,
            this_week + timedelta(days=4),
            time(18, 0),
            60,
            tz.key,
            topic_id=done[-1] if done else None,
            note="Revise before the quiz",
        )
        for resource in [r for t in topics[:5] for r in t.resources][:9]:
            progress.toggle_resource(session, resource.id, clock)

    config = reviews.ReviewConfig(StudyCalendar(tz), fuzz=False)
    studied = done + doing
    for day in range(35):
        evening = start.replace(hour=18, minute=0) + timedelta(days=day)
        clock.now = evening
        if rng.random() < 0.8:
            with session_factory() as session:
                topic_id = studied[min(day // 6, len(studied) - 1)]
                minutes = rng.choice([45, 60, 75, 90, 120])
                logbook.log_session(
                    session,
                    clock,
                    timedelta(minutes=minutes),
                    topic_id=topic_id,
                    note=rng.choice(["", "", "Exercises", "Read a chapter", "Worked examples"]),
                )
        if day == 24:
            with session_factory() as session:
                for topic_id in done:
                    progress.set_status(session, topic_id, TopicStatus.DONE, clock)
        with session_factory() as session:
            topics_now = studied[: 1 + day // 5]
            due = reviews.load_cards(
                session,
                col(CardRecord.topic_id).in_(topics_now),
                col(CardRecord.state) != CardState.NEW,
                col(CardRecord.due) <= clock(),
                order=(CardRecord.due, CardRecord.id),
            )
            fresh = reviews.load_cards(
                session,
                col(CardRecord.topic_id).in_(topics_now),
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
