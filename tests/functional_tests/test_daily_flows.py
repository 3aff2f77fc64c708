"""Daily flows in the app: an overlapping session, the focus timer, the block form, taking
back a block deletion and writing the .ics file — each checked on screen and in the
database."""

from __future__ import annotations

import asyncio
import os
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, Static

from mlplanner.clock import FixedClock
from mlplanner.config import UserConfig, resolve_paths
from mlplanner.planner import open_planner
from mlplanner.services import logbook, planning
from mlplanner.store.models import FocusTimer, StudyBlock, StudySession
from mlplanner.tui.app import PlannerApp
from mlplanner.tui.components.status_line import StatusLine
from mlplanner.tui.screens.block_form import BlockForm, DayBox
from mlplanner.tui.screens.confirm import Confirm
from mlplanner.tui.screens.export_form import ExportForm, default_target
from mlplanner.tui.screens.log_form import LogForm
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.overlap_question import OverlapQuestion
from mlplanner.tui.themes import THEME_NAMES
from tests.conftest import NOW

from .conftest import BERLIN, settle
from .test_block_form import highlight_block


def sessions(planner) -> list[tuple[str, int, str | None]]:
    """(local start, seconds, topic) of every stored session, in order."""
    with planner.session() as session:
        rows = session.exec(select(StudySession).order_by(StudySession.started_at)).all()
        return [
            (f"{r.started_at.astimezone(BERLIN):%d %H:%M}", r.duration_s, r.topic_id) for r in rows
        ]


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def set_input(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).value = text
    await pilot.pause()


# An overlapping session ---------------------------------------------------------------


@pytest.fixture
def evening_logged(empty_planner):
    """Yesterday 19:00-20:30 (Berlin) on the topic the log form starts with."""
    topic = empty_planner.curriculum.topics[0]
    with empty_planner.session() as session:
        logbook.log_session(
            session,
            empty_planner.clock,
            timedelta(minutes=90),
            NOW.replace(hour=18, minute=0) - timedelta(days=1),  # 19:00 in Berlin
            topic.id,
        )
    return empty_planner


async def log_over_the_evening(pilot, duration: str, when: str) -> None:
    await settle(pilot)
    await pilot.press("l")
    await pilot.pause()
    await set_input(pilot, "#log-topic", pilot.app.planner.curriculum.topics[0].id)
    await set_input(pilot, "#log-duration", duration)
    await set_input(pilot, "#log-when", when)
    await pilot.press("ctrl+s")
    await pilot.pause()


EVENING = ("10 19:00", 5400)


async def test_overlap_adjust_stores_the_free_time_shown(evening_logged, make_app):
    topic = evening_logged.curriculum.topics[0].id
    app = make_app(evening_logged)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_over_the_evening(pilot, "1h", "yesterday 20:00")
        assert isinstance(app.screen, OverlapQuestion)
        shown = str(app.screen.query_one("#overlap-text", Static).content)
        assert "Tue 10 Mar 20:00–21:00 (1h)" in shown and "19:00–20:30" in shown
        assert "Adjust to Tue 10 Mar 20:30–21:00 (30m)" in shown
        assert sessions(evening_logged) == [(*EVENING, topic)]  # nothing stored yet
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Logged 30m" in notices(app)
    assert sessions(evening_logged) == [(*EVENING, topic), ("10 20:30", 1800, topic)]


@pytest.mark.slow
async def test_overlap_keep_both_stores_it_as_typed(evening_logged, make_app):
    topic = evening_logged.curriculum.topics[0].id
    app = make_app(evening_logged)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_over_the_evening(pilot, "1h", "yesterday 20:00")
        assert isinstance(app.screen, OverlapQuestion)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert sessions(evening_logged) == [(*EVENING, topic), ("10 20:00", 3600, topic)]


@pytest.mark.slow
async def test_overlap_cancel_keeps_the_form_open_with_its_values(evening_logged, make_app):
    app = make_app(evening_logged)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_over_the_evening(pilot, "1h", "yesterday 20:00")
        assert isinstance(app.screen, OverlapQuestion)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LogForm)
        assert app.screen.query_one("#log-duration", Input).value == "1h"
        assert app.screen.query_one("#log-when", Input).value == "yesterday 20:00"
        assert "overlaps the session logged" in str(
            app.screen.query_one("#log-error", Static).content
        )
        assert len(sessions(evening_logged)) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert len(sessions(evening_logged)) == 1


@pytest.mark.slow
async def test_an_exact_copy_is_never_stored_twice(evening_logged, make_app):
    app = make_app(evening_logged)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_over_the_evening(pilot, "1h30", "yesterday 19:00")
        assert isinstance(app.screen, LogForm)  # no question: keeping both is not offered
        assert "already logged" in str(app.screen.query_one("#log-error", Static).content)
    assert len(sessions(evening_logged)) == 1


@pytest.mark.slow
async def test_an_edit_onto_logged_time_is_asked_about_too(evening_logged, make_app):
    """The logbook's edit form: the session being edited does not count as in the way."""
    topic = evening_logged.curriculum.topics[0].id
    with evening_logged.session() as session:
        later = NOW.replace(hour=20, minute=0) - timedelta(days=1)  # 21:00 in Berlin
        logbook.log_session(session, evening_logged.clock, timedelta(hours=1), later, topic)
    app = make_app(evening_logged)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("e")  # the newest first: 21:00-22:00
        await pilot.pause()
        assert isinstance(app.screen, LogForm)
        await set_input(pilot, "#log-when", "2026-03-10 20:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OverlapQuestion)
        assert "Adjust to Tue 10 Mar 20:30–21:00 (30m)" in str(
            app.screen.query_one("#overlap-text", Static).content
        )
        await pilot.press("a")
        await settle(pilot)
    assert sessions(evening_logged) == [(*EVENING, topic), ("10 20:30", 1800, topic)]


# The focus timer ----------------------------------------------------------------------


def timer_segment(app):
    """The status line's timer part: its text and style."""
    line = app.screen.query_one(StatusLine).content
    text = str(line)
    start = text.index(app.timer.text())
    spans = [s for s in line.spans if s.start <= start < s.end]
    return app.timer.text(), " ".join(str(s.style) for s in spans)


async def test_a_paused_timer_looks_paused_and_keeps_its_time(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        empty_planner.clock.advance(minutes=5, seconds=59.7)
        app.timer.tick()
        await pilot.pause()
        text, style = timer_segment(app)
        assert text.startswith("⏱ 0:05:59") and "reverse" in style
        await pilot.press("p")
        await pilot.pause()
        assert "Timer paused at 0:05:59" in notices(app)
        empty_planner.clock.advance(minutes=10)
        app.timer.tick()
        await pilot.pause()
        text, style = timer_segment(app)
        assert text.startswith("⏸ paused 0:05:59") and "dim" in style and "reverse" not in style
        await pilot.press("p")
        await pilot.pause()
        assert "Timer resumed at 0:05:59" in notices(app)
        assert timer_segment(app)[0].startswith("⏱ 0:05:59")


@pytest.mark.slow
async def test_the_pomodoro_counts_down_the_configured_phases(empty_planner, make_app):
    empty_planner.update_settings(pomodoro_work_min=50, pomodoro_break_min=10)
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert "Pomodoro started: 50 minutes of work, then a 10-minute break" in notices(app)
        empty_planner.clock.advance(minutes=20)
        app.timer.tick()
        assert app.timer.text().startswith("⏱ work, round 1 of 4: 30:00 left · 0:20:00")
        empty_planner.clock.advance(minutes=31)
        app.timer.tick()
        await pilot.pause()
        assert app.timer.text().startswith("⏱ short break after round 1 of 4: 9:00 left · 0:51:00")
        assert "Take a 10-minute break" in notices(app)
        await pilot.press("p")
        await pilot.pause()
        assert timer_segment(app)[0].startswith(
            "⏸ paused short break after round 1 of 4: 9:00 left"
        )


@pytest.mark.slow
async def test_stopping_under_a_minute_asks_keep_timing_or_discard(empty_planner, make_app):
    def running() -> bool:
        with empty_planner.session() as session:
            return session.get(FocusTimer, 1) is not None

    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        empty_planner.clock.advance(seconds=40)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "Keep timing" in str(app.screen.query_one("#no").label)
        await pilot.press("n")  # keep timing
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and running()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and not running()
        assert "Timer discarded; nothing logged" in notices(app)
        assert app.screen.query_one(StatusLine).timer_text == ""
    assert sessions(empty_planner) == []


# The block form -----------------------------------------------------------------------


def stored_blocks(planner) -> list[dict]:
    with planner.session() as session:
        rows = session.exec(select(StudyBlock).order_by(StudyBlock.id)).all()
        return [row.model_dump() for row in rows]


@pytest.mark.slow
async def test_block_day_words_and_the_day_focused_first(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        for typed in ("next wed", "tomorrow", "fri"):
            await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, BlockForm)
            assert app.focused is app.screen.query_one("#block-day", Input)
            await pilot.press(*typed)  # the date shown is selected: typing replaces it
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
        await pilot.press("a")
        await pilot.pause()
        await set_input(pilot, "#block-day", "someday")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#block-error", Static).content)
        assert "cannot read 'someday' as a day" in error and "next tue" in error
    # today is Wednesday 11 March 2026
    assert [b["start_date"] for b in stored_blocks(empty_planner)] == [
        date(2026, 3, 18),
        date(2026, 3, 12),
        date(2026, 3, 13),
    ]


async def weekly_form(pilot) -> None:
    await settle(pilot)
    await pilot.press("a")
    await pilot.pause()
    pilot.app.screen.query_one("#block-repeat", Select).value = "weekly"
    await pilot.pause()


@pytest.mark.slow
async def test_block_form_at_80x24_keeps_save_and_every_weekday_in_view(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(80, 24)) as pilot:
        await weekly_form(pilot)
        screen = app.screen
        save = screen.query_one("#block-save").region
        assert save.bottom <= 24 and save.right <= 80
        boxes = list(screen.query(DayBox))
        boxes[6].focus()  # scrolls the fields to the weekdays
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        area = screen.query_one("#block-fields").content_region
        assert len(boxes) == 7 and len({box.region.y for box in boxes}) == 1
        for box in boxes:
            assert area.contains_region(box.region), (str(box.label), box.region, area)
            assert str(box.label) in box.render().plain
        assert screen.query_one("#block-save").region.bottom <= 24


@pytest.mark.slow
async def test_a_focused_weekday_shows_checked_or_not_in_every_theme(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await weekly_form(pilot)
        checked, unchecked = (
            app.screen.query_one("#block-wd-1", DayBox),
            app.screen.query_one("#block-wd-2", DayBox),
        )
        checked.value, unchecked.value = True, False
        themes = sorted(app.available_themes)
        assert set(THEME_NAMES) <= set(themes) and {"ansi-dark", "textual-light"} <= set(themes)
        for theme in themes:
            app.theme = theme
            for box, mark in ((checked, "✓"), (unchecked, " ")):
                box.focus()
                await pilot.pause()
                assert box.has_focus
                assert box.render().plain[:3] == f"▐{mark}▌", theme
            mark_style = checked.get_visual_style("toggle--button")
            assert mark_style.foreground != mark_style.background, theme


# Taking back a block deletion ---------------------------------------------------------


@pytest.mark.slow
async def test_a_deleted_block_comes_back_with_u(empty_planner, make_app):
    with empty_planner.session() as session:
        series = planning.add_block(
            session,
            empty_planner.clock,
            date(2026, 3, 2),
            time(19),
            60,
            "Europe/Berlin",
            planning.build_rrule([0, 2]),
            empty_planner.curriculum.topics[0].id,
        )
        planning.change_block(
            session, empty_planner.clock, series.id, "one", date(2026, 3, 11), start_time=time(20)
        )
        planning.add_block(
            session, empty_planner.clock, date(2026, 3, 12), time(9), 30, "Europe/Berlin"
        )
    before = stored_blocks(empty_planner)
    app = make_app(empty_planner)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await highlight_block(pilot, "19:00", "Mon 09")
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("s")  # the whole series
        await settle(pilot)
        assert "Block deleted — u to undo" in notices(app)
        await highlight_block(pilot, "09:00", "Thu 12")
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert len(stored_blocks(empty_planner)) == 1  # the changed occurrence stays
        await pilot.press("u")
        await settle(pilot)
        assert len(stored_blocks(empty_planner)) == 2
        await pilot.press("u")
        await settle(pilot)
        assert stored_blocks(empty_planner) == before
        week_row = app.screen.query_one("#week-list").get_option_at_index(1).prompt
        assert "19:00–20:00" in str(week_row)
        await pilot.press("u")
        await pilot.pause()
        assert "No block deletion to undo" in notices(app)
    assert stored_blocks(empty_planner) == before


# Writing the .ics file ----------------------------------------------------------------


@pytest.mark.slow
async def test_export_asks_where_and_says_what_is_wrong(empty_planner, make_app):
    home = Path(os.environ["HOME"])  # a folder of this test's own (tests/conftest.py)
    (home / "Documents").mkdir()
    with empty_planner.session() as session:
        planning.add_block(
            session, empty_planner.clock, date(2026, 3, 12), time(9), 30, "Europe/Berlin"
        )
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportForm)
        field = app.screen.query_one("#export-path", Input)
        assert field.value == str(home / "Documents" / "mlplanner-study-plan.ics")
        for typed, message in [
            ("~/missing/plan.ics", f"the folder {home / 'missing'} does not exist"),
            ("~", f"{home} is a folder"),
            ("", "enter a file to write"),
        ]:
            await set_input(pilot, "#export-path", typed)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExportForm)
            assert message in str(app.screen.query_one("#export-error", Static).content)
        await set_input(pilot, "#export-path", "~/plan.ics")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert f"Wrote {home / 'plan.ics'}" in notices(app)
    assert (home / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert sorted(p.name for p in home.iterdir() if p.is_file()) == ["plan.ics"]


@pytest.mark.slow
def test_export_defaults_to_home_without_a_documents_folder():
    assert default_target() == Path(os.environ["HOME"]) / "mlplanner-study-plan.ics"


# Appearance ---------------------------------------------------------------------------


@pytest.fixture
def form_app(tmp_path):
    planner = open_planner(resolve_paths(db=str(tmp_path / "form.db")), FixedClock(NOW))
    yield PlannerApp(planner, tz=BERLIN, user_config=UserConfig(), offer_setup=False)
    planner.close()


def _focused_weekday(checked: bool):
    async def run_before(pilot) -> None:
        await weekly_form(pilot)
        box = pilot.app.screen.query_one("#block-wd-2", DayBox)
        box.value = checked
        box.focus()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()  # the scroll to the focused box
        await asyncio.sleep(0.05)
        await pilot.pause()

    return run_before


@pytest.mark.slow
def test_block_form_focused_checked_weekday(snap_compare, form_app):
    assert snap_compare(form_app, terminal_size=(80, 24), run_before=_focused_weekday(True))


@pytest.mark.slow
def test_block_form_focused_unchecked_weekday(snap_compare, form_app):
    assert snap_compare(form_app, terminal_size=(80, 24), run_before=_focused_weekday(False))


@pytest.mark.slow
async def test_a_block_planned_after_a_deletion_ends_its_undo(empty_planner, make_app):
    """An undo restores rows as they were: after another change to the plan it could
    overwrite that change, so it is no longer offered."""
    with empty_planner.session() as session:
        planning.add_block(
            session, empty_planner.clock, date(2026, 3, 12), time(9), 30, "Europe/Berlin"
        )
    app = make_app(empty_planner)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await highlight_block(pilot, "09:00", "Thu 12")
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert stored_blocks(empty_planner) == []
        await pilot.press("a")  # plan a block: the form's defaults, saved
        await pilot.pause()
        await pilot.pause()  # (the form's worker waits on the form: no settle while it is open)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await settle(pilot)
        assert len(stored_blocks(empty_planner)) == 1
        await pilot.press("u")
        await pilot.pause()
        assert "No block deletion to undo" in notices(app)
    assert len(stored_blocks(empty_planner)) == 1
