from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mlplanner.curriculum import Curriculum, Stage, Topic, Track
from mlplanner.services import logbook, planning, progress, stats
from mlplanner.services.days import StudyCalendar, streaks, study_day
from mlplanner.store import unit_of_work

BERLIN = ZoneInfo("Europe/Berlin")


def curriculum() -> Curriculum:
    topics = (
        Topic("a", "s1", "A", "s", ("o",), 10.0),
        Topic("b", "s1", "B", "s", ("o",), 20.0, prerequisites=("a",)),
        Topic("c", "s2", "C", "s", ("o",), 30.0),
    )
    return Curriculum(
        Track("t", "T", "s"),
        (Stage("s1", "One", 1, "s", topics[:2]), Stage("s2", "Two", 2, "s", topics[2:])),
    )


def test_study_day_respects_the_rollover_hour():
    late = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)  # 03:30 in Berlin
    assert study_day(late, BERLIN, 4) == date(2026, 3, 10)
    assert study_day(late, BERLIN, 3) == date(2026, 3, 11)


def test_streaks_current_and_longest():
    today = date(2026, 3, 11)
    days = {today - timedelta(days=i) for i in (1, 2, 3)} | {
        date(2026, 2, 1) + timedelta(days=i) for i in range(5)
    }
    assert streaks(days, today) == (3, 5)  # today still open: the streak holds
    assert streaks(days | {today}, today) == (4, 5)
    assert streaks(days - {today - timedelta(days=1)}, today) == (0, 5)


def test_streak_across_rollover_and_a_dst_change(engine, clock):
    # Berlin moved to summer time on 29 March 2026. Sessions at 01:00 local count for
    # the day before (rollover 04:00), whatever the offset is that night.
    clock.now = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    with unit_of_work(engine) as s:
        for day in (27, 28, 29, 30):
            start = datetime(2026, 3, day + 1, 1, 0, tzinfo=BERLIN)
            logbook.log_session(s, clock, timedelta(minutes=30), start)
        figures = stats.study_stats(s, curriculum(), clock(), StudyCalendar(BERLIN), 10)
    assert figures.current_streak == 4
    assert sorted(figures.days) == [date(2026, 3, d) for d in (27, 28, 29, 30)]


def test_weekly_totals_planned_and_adherence(engine, clock):
    # clock: Wednesday 11 March 2026
    with unit_of_work(engine) as s:
        planning.add_block(
            s, clock, date(2026, 2, 2), time(19), 120, "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO,WE"
        )
        logbook.log_session(s, clock, timedelta(hours=2), datetime(2026, 3, 9, 19, tzinfo=BERLIN))
        logbook.log_session(s, clock, timedelta(hours=1), datetime(2026, 3, 2, 19, tzinfo=BERLIN))
        figures = stats.study_stats(s, curriculum(), clock(), StudyCalendar(BERLIN), 10)
    assert len(figures.weeks) == 12
    this, last = figures.weeks[-1], figures.weeks[-2]
    assert this.start == date(2026, 3, 9) and this.logged == 2 and this.planned == 4
    assert last.logged == 1 and last.adherence == 0.25
    assert figures.weeks[0].start == date(2025, 12, 22) and figures.weeks[0].planned == 0


def test_remaining_hours_and_projected_finish(engine, clock):
    with unit_of_work(engine) as s:
        progress.set_status(s, "a", "done", clock)
        for week in range(4):
            when = clock() - timedelta(days=2 + 7 * week)
            logbook.log_session(s, clock, timedelta(hours=5), when, topic_id="b")
        figures = stats.study_stats(s, curriculum(), clock(), StudyCalendar(BERLIN), 10)
    # b is in progress with 20h logged of its 20h estimate; c has 30h to go.
    assert figures.projection.remaining_hours == 30
    assert figures.projection.pace_recent == 5
    assert figures.projection.finish_recent == figures.today + timedelta(weeks=6)
    assert figures.projection.finish_planned is None  # nothing planned
    stage_one = figures.stages[0]
    assert (stage_one.logged, stage_one.estimate) == (20, 30)
    assert [t.id for t in figures.topics] == ["b"]
    assert figures.to_json()["finish_recent"] == figures.projection.finish_recent.isoformat()
