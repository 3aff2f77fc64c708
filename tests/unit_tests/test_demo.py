"""The demo history looks like a learner's: kept and missed blocks, timed sessions with
their own notes, progress that matches the hours, on the path and off it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.planner import open_planner
from mlplanner.services import learner, planning, recurrence
from mlplanner.services.demo import DONE_SHARE, build_demo
from mlplanner.store.models import StudySession, TopicProgress
from tests.conftest import NOW

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    planner = open_planner(resolve_paths(db=str(folder / "demo.db")), FixedClock(NOW), BERLIN)
    build_demo(planner.session, planner.curriculum, NOW, BERLIN)
    with planner.session() as session:
        sessions = list(session.exec(select(StudySession)).all())
        blocks = planning.list_blocks(session)
        topics = {row.topic_id: row for row in session.exec(select(TopicProgress)).all()}
        on_path = learner.plan(session, planner.curriculum).topic_ids
        for row in [*sessions, *blocks, *topics.values()]:
            session.expunge(row)
    yield planner, sessions, blocks, topics, on_path
    planner.close()


def occurrences(blocks, sessions):
    first = min(s.started_at for s in sessions).astimezone(BERLIN).date() - timedelta(days=7)
    last = NOW.astimezone(BERLIN).date()
    return [
        (start, end, block)
        for block in blocks
        for start, end in recurrence.occurrences(block, first, last)
    ]


def hours_by_topic(sessions) -> dict[str, float]:
    hours: dict[str, float] = {}
    for s in sessions:
        hours[s.topic_id] = hours.get(s.topic_id, 0) + s.duration_s / 3600
    return hours


def test_most_sessions_sit_inside_a_planned_block_of_their_topic(demo):
    _planner, sessions, blocks, _topics, _on_path = demo
    planned = occurrences(blocks, sessions)
    inside = [
        s
        for s in sessions
        if any(
            start <= s.started_at
            and s.started_at + timedelta(seconds=s.duration_s) <= end
            and block.topic_id == s.topic_id
            for start, end, block in planned
        )
    ]
    assert len(sessions) >= 15
    assert len(inside) >= 0.7 * len(sessions)
    assert len(inside) < len(sessions)  # and some study happened outside any block


def test_some_blocks_were_missed(demo):
    _planner, sessions, blocks, _topics, _on_path = demo
    past = [(start, end) for start, end, _block in occurrences(blocks, sessions) if end <= NOW]
    missed = [
        (start, end)
        for start, end in past
        if not any(
            s.started_at < end and start < s.started_at + timedelta(seconds=s.duration_s)
            for s in sessions
        )
    ]
    assert 1 <= len(missed) <= 0.3 * len(past)


def test_timed_and_logged_sessions_with_varied_notes(demo):
    _planner, sessions, _blocks, _topics, _on_path = demo
    timed = [s for s in sessions if s.source == "timer"]
    assert 3 <= len(timed) < len(sessions)
    assert len({s.note for s in timed if s.note}) >= 3
    assert len({s.note for s in sessions if s.note}) >= 6
    assert len({s.duration_s for s in sessions}) >= 5  # not all the same length either


def test_progress_agrees_with_the_hours_logged(demo):
    planner, sessions, _blocks, topics, _on_path = demo
    hours = hours_by_topic(sessions)
    first_session = min(s.started_at for s in sessions)
    done_by_study = 0
    for topic_id, row in topics.items():
        estimate = planner.curriculum.find_topic(topic_id).hours
        logged = hours.get(topic_id, 0.0)
        if row.status == "done" and logged == 0:
            assert row.completed_at < first_session  # known before the start, as the setup ticks
        elif row.status == "done":
            assert logged >= DONE_SHARE * estimate, topic_id
            done_by_study += 1
        else:
            assert row.status == "in_progress" and 0 < logged < estimate, topic_id
    assert done_by_study >= 1
    assert set(hours) <= set(topics)  # no topic with hours logged is still "not started"


def test_work_on_the_path_and_off_it(demo):
    _planner, sessions, _blocks, _topics, on_path = demo
    hours = hours_by_topic(sessions)
    on = sum(h for t, h in hours.items() if t in on_path)
    off = sum(h for t, h in hours.items() if t not in on_path)
    assert off > 0 and on > 4 * off
