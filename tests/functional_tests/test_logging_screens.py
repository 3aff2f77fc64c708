from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from mlplanner.services import logbook, review_stats
from mlplanner.services import stats as stats_service
from mlplanner.store.models import FocusTimer, StudySession
from mlplanner.tui.components.status_line import StatusLine
from mlplanner.tui.screens.history_screen import HistoryScreen
from mlplanner.tui.screens.log_form import LogForm
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.stats_screen import StatsScreen

from .conftest import BERLIN, settle


def stored_sessions(planner) -> list[StudySession]:
    with planner.session() as session:
        return list(session.exec(select(StudySession).order_by(StudySession.id)).all())


async def fill(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.value = ""
    field.focus()
    await pilot.press(*text) if text else None


@pytest.mark.slow
async def test_log_from_the_form(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[0]
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LogForm)
        assert app.screen.query_one("#log-topic", Input).value == topic.title
        await fill(pilot, "#log-duration", "1h30")
        await fill(pilot, "#log-when", "yesterday 19:00")
        await fill(pilot, "#log-note", "exercises")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    (row,) = stored_sessions(empty_planner)
    assert row.duration_s == 5400 and row.topic_id == topic.id and row.note == "exercises"
    assert row.started_at.astimezone(BERLIN).strftime("%d %H:%M") == "10 19:00"


@pytest.mark.slow
async def test_form_refuses_bad_input_and_saves_nothing(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        for field, text, message in [
            ("#log-duration", "soon", "cannot read 'soon'"),
            ("#log-duration", "0", "more than zero"),
            ("#log-duration", "17h", "16 hours"),
        ]:
            await fill(pilot, field, text)
            await pilot.press("enter")
            await pilot.pause()
            assert message in str(app.screen.query_one("#log-error", Static).content)
        await fill(pilot, "#log-duration", "30m")
        await fill(pilot, "#log-when", "2099-01-01 10:00")
        await pilot.press("enter")
        await pilot.pause()
        assert "future" in str(app.screen.query_one("#log-error", Static).content)
        await fill(pilot, "#log-when", "now")
        await fill(pilot, "#log-topic", "no such topic at all")
        await pilot.press("enter")
        await pilot.pause()
        assert "no topic" in str(app.screen.query_one("#log-error", Static).content)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert stored_sessions(empty_planner) == []


@pytest.mark.slow
async def test_history_edit_delete_and_undo(empty_planner, make_app):
    with empty_planner.session() as session:
        for hours_ago, minutes in ((3, 30), (1, 60)):
            started = empty_planner.clock() - timedelta(hours=hours_ago)
            logbook.log_session(session, empty_planner.clock, timedelta(minutes=minutes), started)
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, LogForm)
        await fill(pilot, "#log-duration", "45m")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sorted(r.duration_s for r in stored_sessions(empty_planner)) == [1800, 2700]
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert len(stored_sessions(empty_planner)) == 2
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert len(stored_sessions(empty_planner)) == 1 and table.row_count == 1
        await pilot.press("u")
        await settle(pilot)
        assert len(stored_sessions(empty_planner)) == 2 and table.row_count == 2


async def test_timer_start_and_stop_with_a_fake_clock(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[0]
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        with empty_planner.session() as session:
            assert session.get(FocusTimer, 1).topic_id == topic.id
        empty_planner.clock.advance(minutes=42, seconds=10)
        app.timer.tick()
        await pilot.pause()
        assert "0:42:10" in app.screen.query_one(StatusLine).timer_text
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.query_one(StatusLine).timer_text == ""
    (row,) = stored_sessions(empty_planner)
    assert row.duration_s == 42 * 60 and row.source == "timer" and row.topic_id == topic.id


@pytest.mark.slow
async def test_running_timer_is_shown_after_a_restart(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
    empty_planner.clock.advance(minutes=5)
    again = make_app(empty_planner)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "0:05:00" in again.screen.query_one(StatusLine).timer_text


@pytest.mark.slow
async def test_statistics_screen_shows_the_demo_totals(demo_planner, make_app):
    with demo_planner.session() as session:
        expected = stats_service.study_stats(
            session, demo_planner.curriculum, demo_planner.clock(), demo_planner.calendar, 10
        )
        cards = review_stats.review_stats(
            session, demo_planner.curriculum, demo_planner.clock(), demo_planner.calendar
        )
    assert cards.total_reviews > 0 and cards.retention is not None
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.figures.total_hours == expected.total_hours
        from rich.console import Console

        console = Console(width=120, record=True)
        console.print(app.screen.query_one("#stats-body", Static).content)
        text = console.export_text()
        assert f"{expected.total_hours:.1f}h studied in all" in text
        assert f"{expected.weeks[-1].logged:.1f}" in text
        assert f"{cards.total_reviews} in all · true retention {cards.retention:.0%}" in text
        assert f"{cards.forecast[0]} due today" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
