"""One projection: its basis, dates with 0, 1, 2 and 20 weeks of history, the ten-year cap,
the target date, and the same dates on the main screen and from the command line."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.curriculum import Curriculum, Stage, Topic, Track
from mlplanner.services import logbook, planning, projection
from mlplanner.services.days import StudyCalendar
from mlplanner.store import unit_of_work
from tests.conftest import NOW

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR = StudyCalendar(BERLIN)
TODAY = date(2026, 3, 11)  # NOW is Wednesday 11 March 2026, 16:30 in Berlin


def curriculum() -> Curriculum:
    topics = (
        Topic("a", "s1", "A", "s", ("o",), 10.0),
        Topic("b", "s1", "B", "s", ("o",), 20.0, prerequisites=("a",)),
        Topic("c", "s2", "C", "s", ("o",), 30.0),
    )  # 60 hours, no paths: the plan is every topic
    return Curriculum(
        Track("t", "T", "s"),
        (Stage("s1", "One", 1, "s", topics[:2]), Stage("s2", "Two", 2, "s", topics[2:])),
    )


CASES = [
    # (weeks of history, minutes logged each of those weeks, minutes planned this week,
    #  weekly target, target date, expected basis, expected finish, expected words)
    pytest.param(
        0, 0, 0, 10.0, None, "target", date(2026, 4, 22), "finish 22 Apr 2026", id="0-weeks"
    ),
    pytest.param(
        1, 120, 180, 10.0, None, "planned", date(2026, 7, 29), "(planned)", id="1-week-planned"
    ),
    pytest.param(2, 120, 0, 5.0, None, "target", date(2026, 6, 3), "(target)", id="2-weeks-target"),
    pytest.param(
        20, 120, 180, 10.0, None, "recent pace", date(2026, 10, 7), "(recent pace)", id="20-weeks"
    ),
    pytest.param(
        20, 1, 0, 10.0, None, "recent pace", None, "more than 10 years", id="20-weeks-too-slow"
    ),
    pytest.param(
        1, 60, 0, 0.05, None, "target", None, projection.NO_HISTORY_REASON, id="1-week-no-date"
    ),
]


def build(engine, clock, weeks: int, minutes: int, planned: int) -> None:
    with unit_of_work(engine) as s:
        if weeks:
            for back in range(weeks + 1):  # the first session `weeks` weeks ago
                start = datetime.combine(TODAY - timedelta(weeks=back), time(9), tzinfo=BERLIN)
                logbook.log_session(s, clock, timedelta(minutes=minutes), start)
        if planned:
            planning.add_block(s, clock, TODAY, time(19), planned, "Europe/Berlin")


def run(engine, clock, target_hours, target_date=None, planned_hours=0.0):
    with unit_of_work(engine) as s:
        return projection.project(
            s, curriculum(), clock(), CALENDAR, {}, {}, planned_hours, target_hours, target_date
        )


@pytest.mark.parametrize(
    ("weeks", "minutes", "planned", "target", "target_date", "basis", "finish", "words"), CASES
)
def test_projection_by_history(
    engine, clock, weeks, minutes, planned, target, target_date, basis, finish, words
):
    build(engine, clock, weeks, minutes, planned)
    result = run(engine, clock, target, target_date, planned / 60)
    assert result.history_weeks == weeks
    assert result.basis == basis
    assert result.finish == finish
    assert words in result.finish_words()
    assert result.remaining_hours == 60
    if finish is None:
        assert result.reason
    else:
        assert result.finish <= TODAY + timedelta(days=3653)


@pytest.mark.parametrize(
    ("target_date", "on_track", "needed", "words"),
    [
        (date(2026, 4, 8), False, 15.0, "5.0 h/week short"),  # 4 weeks for 60 h at 10 h/week
        (date(2026, 5, 6), True, 7.5, "on track"),  # 8 weeks
        (date(2026, 3, 1), False, None, "the target date has passed"),
    ],
)
def test_target_date(engine, clock, target_date, on_track, needed, words):
    result = run(engine, clock, 10.0, target_date)
    assert result.basis == "target"
    assert result.on_track is on_track
    assert result.needed_per_week == (pytest.approx(needed) if needed else None)
    assert result.target_words() == words
    assert result.to_json()["target_words"] == words


def test_no_date_is_ever_more_than_ten_years_out():
    assert projection.finish_date(TODAY, 1000, 1.0) is None  # ~19 years
    assert projection.finish_date(TODAY, 500, 1.0) == TODAY + timedelta(days=3500)
    assert projection.finish_date(TODAY, 0, 0.0) == TODAY
    assert projection.finish_date(TODAY, 10, 0.0) is None


def test_the_main_screen_and_the_command_line_give_the_same_dates(tmp_path, monkeypatch, capsys):
    import mlplanner.planner as planner_module
    from mlplanner.cli import context as cli_context
    from mlplanner.cli import main
    from mlplanner.services.demo import build_demo
    from mlplanner.services.overview import load_overview

    clock = FixedClock(NOW)
    opened = planner_module.open_planner

    def open_at_now(paths, *args, **kwargs):
        return opened(paths, clock, BERLIN)

    db = str(tmp_path / "demo.db")
    planner = opened(resolve_paths(db=db), clock, BERLIN)
    try:
        build_demo(planner.session, planner.curriculum, clock(), BERLIN)
        # The zone as a setting too: `week` reads it without opening the planner.
        planner.update_settings(target_date="2028-06-30", time_zone=BERLIN.key)
        with planner.session() as s:
            overview = load_overview(
                s, planner.curriculum, clock(), planner.settings, planner.calendar
            )
    finally:
        planner.close()
    monkeypatch.setattr(planner_module, "open_planner", open_at_now)
    monkeypatch.setattr(cli_context, "CLOCK", clock)
    assert main(["stats", "--json", "--db", db]) == 0
    from_stats = json.loads(capsys.readouterr().out)["projection"]
    assert main(["week", "--json", "--db", db]) == 0
    from_week = json.loads(capsys.readouterr().out)["projection"]
    shown = overview.projection.to_json()
    assert from_stats == shown == from_week
    assert shown["finish"] is not None and shown["basis"] in ("recent pace", "planned")
    assert shown["target_words"] in ("on track",) or "h/week short" in shown["target_words"]
