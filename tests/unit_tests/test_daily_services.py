"""Services behind the daily flows: where an overlapping session can go instead, exact
copies, taking back a block deletion, the timer's short runs and its texts."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlmodel import select

from mlplanner.cli import main
from mlplanner.services import logbook, planning, timer
from mlplanner.store import unit_of_work
from mlplanner.store.models import FocusTimer, StudyBlock, StudySession

MIN = timedelta(minutes=1)


def log(engine, clock, start_min_ago: float, minutes: int, topic: str | None = None):
    """A session that started `start_min_ago` minutes before the clock's now."""
    with unit_of_work(engine) as s:
        row = logbook.log_session(
            s, clock, minutes * MIN, clock() - start_min_ago * MIN, topic, allow_overlap=True
        )
        s.flush()
        return row.id


def free(engine, clock, start_min_ago: int, minutes: int):
    """free_interval as (minutes ago it starts, minutes long), or None."""
    with unit_of_work(engine) as s:
        found = logbook.free_interval(s, clock() - start_min_ago * MIN, minutes * MIN, clock())
    if found is None:
        return None
    start, length = found
    return round((clock() - start) / MIN), round(length / MIN)


# An existing session 300..210 minutes ago (19:00-20:30 if now were 00:00).
@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ((330, 60), (330, 30)),  # starts before it: shortened to end where it starts
        ((240, 60), (210, 30)),  # starts inside it: starts where it ends
        ((320, 140), (210, 30)),  # spans it: the longer free part (20 before, 30 after)
        ((310, 110), (310, 10)),  # spans it, equal parts: the earlier one
        ((290, 30), (210, 30)),  # inside it: moved, whole, to right after it
        ((300, 90), (210, 90)),  # the same time (another topic): moved after it
        ((400, 100), (400, 100)),  # no overlap at all: unchanged
    ],
)
def test_free_interval_next_to_the_overlapped_session(engine, clock, new, expected):
    log(engine, clock, 300, 90)
    assert free(engine, clock, *new) == expected


def test_free_interval_moves_before_when_after_is_taken_or_in_the_future(engine, clock):
    log(engine, clock, 60, 50)  # ends 10 minutes ago
    assert free(engine, clock, 50, 30) == (90, 30)  # after it would end in the future
    log(engine, clock, 10, 5)
    log(engine, clock, 100, 30)  # right before it is taken too
    assert free(engine, clock, 50, 30) is None


def test_free_interval_keeps_a_gap_between_two_sessions(engine, clock):
    log(engine, clock, 300, 60)  # 300..240
    log(engine, clock, 200, 60)  # 200..140
    assert free(engine, clock, 280, 120) == (240, 40)


def test_free_interval_never_starts_after_now(engine, clock):
    """A session may end after now (it started before); the part kept may not start then."""
    log(engine, clock, 30, 40)  # 30 minutes ago until 10 minutes from now
    assert free(engine, clock, 35, 70) == (35, 5)  # not the 25 minutes after it


def test_free_interval_leaves_no_scrap_under_a_minute(engine, clock):
    log(engine, clock, 300, 60)  # 300..240
    log(engine, clock, 239.5, 30)  # 239.5..209.5: half a minute free between them
    assert free(engine, clock, 241, 3) is None


def test_the_overlap_error_carries_the_adjusted_time(engine, clock):
    first = log(engine, clock, 300, 90)
    with pytest.raises(logbook.OverlapError) as raised, unit_of_work(engine) as s:
        logbook.log_session(s, clock, 60 * MIN, clock() - 240 * MIN)
    error = raised.value
    assert error.existing_id == first and not error.duplicate
    assert error.adjusted == (clock() - 210 * MIN, 30 * MIN)


def test_an_exact_copy_is_refused_behind_another_overlap_too(engine, clock):
    """Kept both on purpose: A then B overlapping it; a copy of B is still refused, though
    the first session its time meets is A."""
    log(engine, clock, 300, 90, "numpy")
    log(engine, clock, 240, 90, "pandas")
    with pytest.raises(logbook.OverlapError) as raised, unit_of_work(engine) as s:
        logbook.log_session(s, clock, 90 * MIN, clock() - 240 * MIN, "pandas", allow_overlap=True)
    assert raised.value.duplicate and "already logged" in str(raised.value)
    with unit_of_work(engine) as s:
        assert len(s.exec(select(StudySession)).all()) == 2


# Taking back a block deletion ---------------------------------------------------------


def blocks_as_stored(engine) -> list[dict]:
    with unit_of_work(engine) as s:
        return [b.model_dump() for b in s.exec(select(StudyBlock).order_by(StudyBlock.id))]


def weekly_with_an_override(engine, clock) -> int:
    with unit_of_work(engine) as s:
        series = planning.add_block(
            s,
            clock,
            date(2026, 3, 2),
            time(19),
            60,
            "Europe/Berlin",
            planning.build_rrule([0, 2], count=10),
            "numpy",
            "series note",
        )
        planning.skip_occurrence(s, series.id, date(2026, 3, 4))
        planning.change_block(s, clock, series.id, "one", date(2026, 3, 9), start_time=time(20))
        return series.id


@pytest.mark.parametrize("scope", ["one", "following", "series"])
def test_a_deleted_block_is_restored_exactly(engine, clock, scope):
    block_id = weekly_with_an_override(engine, clock)
    before = blocks_as_stored(engine)
    with unit_of_work(engine) as s:
        kept = planning.remove_block(s, block_id, scope, date(2026, 3, 11))
    assert blocks_as_stored(engine) != before
    with unit_of_work(engine) as s:
        planning.restore_block(s, kept)
    assert blocks_as_stored(engine) == before


def test_a_restored_one_off_block_keeps_its_uid_when_its_id_was_taken(engine, clock):
    with unit_of_work(engine) as s:
        first = planning.add_block(s, clock, date(2026, 3, 12), time(9), 30, "Europe/Berlin")
        block_id, uid = first.id, first.uid
    with unit_of_work(engine) as s:
        kept = planning.remove_block(s, block_id, "series", date(2026, 3, 12))
    with unit_of_work(engine) as s:  # SQLite may give the freed id to the next block
        planning.add_block(s, clock, date(2026, 3, 13), time(9), 30, "Europe/Berlin")
    with unit_of_work(engine) as s:
        restored = planning.restore_block(s, kept)
        assert restored.uid == uid
    rows = blocks_as_stored(engine)
    assert len(rows) == 2 and {r["uid"] for r in rows} >= {uid}


# The focus timer ----------------------------------------------------------------------


def test_a_short_run_is_noticed_and_discarded_without_logging(engine, clock):
    rhythm = timer.Pomodoro()
    with unit_of_work(engine) as s:
        running = timer.start(s, clock, "numpy")
        clock.advance(seconds=59)
        assert timer.ran_under_a_minute(running, clock(), rhythm)
        clock.advance(seconds=1)
        assert not timer.ran_under_a_minute(running, clock(), rhythm)
    with unit_of_work(engine) as s:
        assert timer.discard(s).topic_id == "numpy"
    with unit_of_work(engine) as s:
        assert s.get(FocusTimer, timer.TIMER_ID) is None
        assert s.exec(select(StudySession)).all() == []
    with pytest.raises(timer.TimerError), unit_of_work(engine) as s:
        timer.discard(s)


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00:00"), (59.9, "0:00:59"), (3725.5, "1:02:05")]
)
def test_running_and_paused_time_are_cut_to_the_second_alike(seconds, shown):
    assert timer.clock_text(timedelta(seconds=seconds)) == shown


def test_phase_lengths_come_from_the_rhythm():
    rhythm = timer.Pomodoro(work_min=50, break_min=10, long_break_min=30)
    assert [timer.phase_length(n, rhythm) for n in ("work", "break", "long break")] == [
        50,
        10,
        30,
    ]


# The command line ---------------------------------------------------------------------


def test_export_ics_to_standard_output(tmp_path, clock, capsysbinary, monkeypatch):
    db = str(tmp_path / "cli.db")
    assert main(["block", "add", "--day", "mon", "--at", "19:00", "--for", "1h", "--db", db]) == 0
    capsysbinary.readouterr()
    monkeypatch.chdir(tmp_path)
    assert main(["export", "ics", "-o", "-", "--db", db]) == 0
    out = capsysbinary.readouterr()
    assert out.out.startswith(b"BEGIN:VCALENDAR") and b"BEGIN:VEVENT" in out.out
    assert out.err == b"" and not (tmp_path / "-").exists()
