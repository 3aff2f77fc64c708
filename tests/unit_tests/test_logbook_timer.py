from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlmodel import select

from mlplanner.services import logbook, progress, timer
from mlplanner.store import make_engine, prepare_database, unit_of_work
from mlplanner.store.models import StudySession


def sessions(engine) -> list[StudySession]:
    with unit_of_work(engine) as s:
        return list(s.exec(select(StudySession)).all())


def test_log_session_ends_now_by_default(engine, clock):
    with unit_of_work(engine) as s:
        row = logbook.log_session(s, clock, timedelta(minutes=90), topic_id="numpy")
    assert row.started_at == clock() - timedelta(minutes=90)
    assert row.duration_s == 5400 and row.source == "manual"


@pytest.mark.parametrize(
    ("duration", "start_offset", "message"),
    [
        (timedelta(0), None, "more than zero"),
        (timedelta(minutes=-5), None, "more than zero"),
        (timedelta(hours=16, minutes=1), None, "16 hours"),
        (timedelta(minutes=30), timedelta(hours=2), "future"),
    ],
)
def test_bad_sessions_are_refused(engine, clock, duration, start_offset, message):
    start = clock() + start_offset if start_offset else None
    with pytest.raises(logbook.LogError, match=message), unit_of_work(engine) as s:
        logbook.log_session(s, clock, duration, start)
    assert sessions(engine) == []


def test_logging_moves_a_new_topic_in_progress_but_not_a_done_one(engine, clock):
    with unit_of_work(engine) as s:
        progress.set_status(s, "pandas", "done", clock)
        logbook.log_session(s, clock, timedelta(hours=1), topic_id="numpy")
        earlier = clock() - timedelta(hours=3)
        logbook.log_session(s, clock, timedelta(hours=1), earlier, topic_id="pandas")
    with unit_of_work(engine) as s:
        assert progress.statuses(s) == {"numpy": "in_progress", "pandas": "done"}


def test_edit_delete_and_restore(engine, clock):
    with unit_of_work(engine) as s:
        row = logbook.log_session(s, clock, timedelta(hours=1), topic_id="numpy", note="a")
    with unit_of_work(engine) as s:
        logbook.edit_session(
            s, clock, row.id, timedelta(minutes=45), row.started_at, "pandas", "edited"
        )
    (edited,) = sessions(engine)
    assert (edited.duration_s, edited.topic_id, edited.note) == (2700, "pandas", "edited")
    with unit_of_work(engine) as s:
        kept = logbook.delete_session(s, row.id)
    assert sessions(engine) == []
    with unit_of_work(engine) as s:
        logbook.restore_session(s, kept)
    (back,) = sessions(engine)
    assert (back.id, back.note) == (row.id, "edited")


def test_export_csv(engine, clock):
    with unit_of_work(engine) as s:
        logbook.log_session(s, clock, timedelta(minutes=30), topic_id="numpy", note="x, y")
        out = io.StringIO()
        assert logbook.export_csv(s, out, {"numpy": "NumPy"}) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id,started_at_utc,minutes")
    assert lines[1].endswith(',30.0,numpy,NumPy,manual,"x, y"')


def test_timer_survives_a_restart_and_logs_without_pauses(db_path, clock):
    engine = make_engine(f"sqlite:///{db_path}")
    prepare_database(engine)
    with unit_of_work(engine) as s:
        timer.start(s, clock, topic_id="numpy")
    engine.dispose()  # the app quits or crashes

    clock.advance(minutes=20)
    engine = make_engine(f"sqlite:///{db_path}")
    with unit_of_work(engine) as s:
        running = timer.current(s)
        assert running is not None and running.topic_id == "numpy"
        timer.pause(s, clock)
    clock.advance(minutes=10)
    with unit_of_work(engine) as s:
        timer.pause(s, clock)  # resume
    clock.advance(minutes=25, seconds=40)
    with unit_of_work(engine) as s:
        logged = timer.stop(s, clock)
    assert logged.duration_s == 46 * 60 and logged.source == "timer"
    with unit_of_work(engine) as s:
        assert timer.current(s) is None
    engine.dispose()


def test_only_one_timer_runs(engine, clock):
    with unit_of_work(engine) as s:
        timer.start(s, clock)
    with pytest.raises(timer.TimerError, match="already running"), unit_of_work(engine) as s:
        timer.start(s, clock)
    with pytest.raises(timer.TimerError, match="no timer"), unit_of_work(engine) as s:
        timer.stop(s, clock)
        timer.stop(s, clock)


def test_stale_timer_is_logged_up_to_the_last_activity(engine, clock):
    with unit_of_work(engine) as s:
        timer.start(s, clock, topic_id="numpy")
    clock.advance(hours=2)
    with unit_of_work(engine) as s:
        timer.touch(s, clock)
    clock.advance(hours=20)
    with unit_of_work(engine) as s:
        running = timer.current(s)
        assert timer.is_stale(running, clock())
        logged = timer.stop(s, clock, until_last_activity=True)
    assert logged.duration_s == 2 * 3600


def test_under_a_minute_logs_nothing(engine, clock):
    with unit_of_work(engine) as s:
        timer.start(s, clock)
    clock.advance(seconds=20)
    with unit_of_work(engine) as s:
        assert timer.stop(s, clock) is None
    assert sessions(engine) == []


@pytest.mark.parametrize(
    ("minutes", "name", "number", "remaining", "worked"),
    [
        (0, "work", 1, 25, 0),
        (24, "work", 1, 1, 24),
        (26, "break", 1, 4, 25),
        (30, "work", 2, 25, 25),
        (3 * 30 + 25 + 1, "long break", 4, 14, 100),
        (3 * 30 + 40, "work", 5, 25, 100),
    ],
)
def test_pomodoro_phases(minutes, name, number, remaining, worked):
    phase = timer.phase(timedelta(minutes=minutes), timer.Pomodoro())
    assert (phase.name, phase.number) == (name, number)
    assert phase.remaining == timedelta(minutes=remaining)
    assert phase.work == timedelta(minutes=worked)


def test_pomodoro_timer_logs_work_not_breaks(engine, clock):
    with unit_of_work(engine) as s:
        timer.start(s, clock, pomodoro=True)
    clock.advance(minutes=62)  # 25 work, 5 break, 25 work, 5 break, 2 work
    with unit_of_work(engine) as s:
        assert timer.stop(s, clock).duration_s == 52 * 60


def test_overlapping_time_is_refused_naming_the_session(engine, clock):
    evening = clock() - timedelta(hours=5)
    with unit_of_work(engine) as s:
        first = logbook.log_session(s, clock, timedelta(minutes=90), evening, "numpy")
    with (
        pytest.raises(logbook.OverlapError, match=f"#{first.id}") as raised,
        unit_of_work(engine) as s,
    ):
        logbook.log_session(s, clock, timedelta(hours=1), evening + timedelta(minutes=30), "pandas")
    assert raised.value.existing_id == first.id
    with unit_of_work(engine) as s:  # touching end to start is no overlap
        logbook.log_session(s, clock, timedelta(hours=1), raised.value.existing_end)
        logbook.log_session(
            s, clock, timedelta(hours=1), evening + timedelta(minutes=30), allow_overlap=True
        )
    with pytest.raises(logbook.OverlapError, match="already logged"), unit_of_work(engine) as s:
        logbook.log_session(s, clock, timedelta(minutes=90), evening, "numpy", allow_overlap=True)
    with unit_of_work(engine) as s:
        assert len(logbook.recent(s)) == 3


def test_an_edit_may_not_move_a_session_onto_another(engine, clock):
    evening = clock() - timedelta(hours=5)
    with unit_of_work(engine) as s:
        logbook.log_session(s, clock, timedelta(hours=1), evening)
        later = logbook.log_session(s, clock, timedelta(hours=1), evening + timedelta(hours=2))
    with pytest.raises(logbook.OverlapError), unit_of_work(engine) as s:
        logbook.edit_session(s, clock, later.id, timedelta(hours=1), evening, None, "")
    with unit_of_work(engine) as s:  # moving it within its own old time is fine
        logbook.edit_session(
            s, clock, later.id, timedelta(minutes=30), later.started_at, None, "shorter"
        )
