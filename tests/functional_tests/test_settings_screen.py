"""The settings screen: the same rules as `mlplanner settings`, seen at once everywhere."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from mlplanner.services import settings as settings_service
from mlplanner.tui.components.week_pane import WeekPane
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.settings_screen import SettingsScreen

from .conftest import settle


def stored(planner):
    with planner.session() as session:
        return settings_service.load(session)


async def open_settings(pilot, key: str = "comma") -> SettingsScreen:
    await settle(pilot)
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    return pilot.app.screen


async def replace_text(pilot, selector: str, value: str) -> None:
    await pilot.click(selector)
    await pilot.press("end", "ctrl+u", *value)


@pytest.mark.slow
async def test_the_weekly_target_changes_and_the_week_pane_follows(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "target 10h" in app.screen.query_one(WeekPane).text()
        await open_settings(pilot)
        await replace_text(pilot, "#setting-weekly_target_hours", "14")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "target 14h" in app.screen.query_one(WeekPane).text()
        assert "/14h" in str(app.screen.query_one("#status-line").content)
    assert stored(demo_planner).weekly_target_hours == 14


@pytest.mark.slow
async def test_a_bad_value_is_shown_and_the_form_keeps_what_was_typed(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot, "f2")
        await replace_text(pilot, "#setting-desired_retention", "0.5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        error = str(screen.query_one(".form-error").content)
        assert "desired retention must be between 0.70 and 0.99" in error
        assert screen.query_one("#setting-desired_retention", Input).value == "0.5"
        await replace_text(pilot, "#setting-rollover_hour", "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not a whole number" in str(screen.query_one(".form-error").content)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert stored(demo_planner) == settings_service.Settings()


@pytest.mark.slow
async def test_the_time_zone_changes_and_the_week_follows(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.screen.query_one(WeekPane).text()
        await open_settings(pilot)
        await replace_text(pilot, "#setting-time_zone", "America/New_York")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_planner.tz.key == "America/New_York"
        after = app.screen.query_one(WeekPane).text()
        assert "09:30–12:30 Linear algebra" in before
        assert "04:30–07:30 Linear algebra" in after  # on New York's clock (EDT)
    assert stored(demo_planner).time_zone == "America/New_York"


@pytest.mark.slow
async def test_the_theme_changes_at_once(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        from textual.widgets import Select

        screen.query_one("#setting-theme", Select).value = "nord"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.theme == "nord"
    assert stored(demo_planner).theme == "nord"


@pytest.mark.slow
async def test_settings_and_setup_are_in_the_palette_and_help(demo_planner, make_app):
    from mlplanner.tui.keys import palette_actions

    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {title for title, _help, _action in palette_actions(app.screen, {})}
        assert {"Settings", "Set up my plan", "Hide / show topics off your path"} <= titles
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console

        from mlplanner.tui.screens.help_screen import key_table

        console = Console(width=120, record=True)
        console.print(key_table(type(app), {}))
        help_text = console.export_text()
        assert "Set up my plan" in help_text and "Settings" in help_text
