"""Moving between the filters and their results, and keys the learner rebinds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from mlplanner.tui.app import PlannerApp
from mlplanner.tui.components.roadmap_pane import RoadmapPane, RoadmapTree
from mlplanner.tui.keys import key_conflicts
from mlplanner.tui.screens.card_browser import CardBrowser
from mlplanner.tui.screens.history_screen import HistoryScreen
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.review_screen import ReviewScreen
from mlplanner.tui.screens.stats_screen import StatsScreen

from .conftest import settle

README = Path(__file__).parents[2] / "README.md"


def notifications(app) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


@pytest.mark.slow
async def test_down_from_the_roadmap_filter_goes_into_the_results(empty_planner, make_app):
    target = empty_planner.curriculum.topics[-1]
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *target.title.lower())
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(app.focused, RoadmapTree)
        assert app.screen.query_one(RoadmapPane).selected_topic() == target.id
        assert app.screen.query_one("#resources").topic.id == target.id


async def test_escape_in_the_roadmap_filter_clears_then_closes(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(RoadmapTree)
        box = app.screen.query_one("#topic-filter", Input)
        await pilot.press("slash", *"calculus")
        await settle(pilot)
        assert len(tree.root.children) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert box.value == "" and box.display and box.has_focus  # cleared, still open
        assert len(tree.root.children) == len(empty_planner.curriculum.stages)
        await pilot.press("escape")
        await settle(pilot)
        assert not box.display and tree.has_focus
        assert isinstance(app.screen, MainScreen)


@pytest.mark.slow
async def test_escape_in_the_logbook_filter_clears_before_leaving(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        everything = len(screen.rows)
        await pilot.press("slash", *"git", "enter")
        await settle(pilot)
        assert 0 < len(screen.rows) < everything
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert app.screen is screen and len(screen.rows) == everything
        await pilot.press("down")
        assert isinstance(app.focused, DataTable)
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


@pytest.mark.slow
async def test_a_key_taken_twice_is_reported_at_start(empty_planner, make_app):
    app = make_app(empty_planner, keys={"previous-week": "h", "mark-done": "ctrl+d"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        taken = [m for title, m in notifications(app) if title == "Key taken twice"]
        assert len(taken) == 1
        (message,) = taken
        assert "'h'" in message and "previous-week" in message and "history" in message
        assert "Previous week" in message and "Logbook" in message


@pytest.mark.slow
async def test_keys_rebound_to_free_keys_are_not_reported(empty_planner, make_app):
    app = make_app(empty_planner, keys={"mark-done": "ctrl+d", "history-back": "q"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not [t for t, _m in notifications(app) if t == "Key taken twice"]


def test_swapping_two_keys_is_no_conflict():
    scopes = {"main screen": MainScreen.BINDINGS}
    swapped = {"previous-week": "right_square_bracket", "next-week": "left_square_bracket"}
    assert key_conflicts(scopes, swapped) == []
    (conflict,) = key_conflicts(scopes, {"previous-week": "right_square_bracket"})
    assert (conflict.rebound, conflict.other) == ("previous-week", "next-week")


def test_the_readme_keys_example_uses_free_keys():
    block = re.search(r"```toml\n(\[keys\].*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block is not None
    keys = tomllib.loads(block.group(1))["keys"]
    assert keys
    screens = [MainScreen, ReviewScreen, HistoryScreen, CardBrowser, StatsScreen]
    scopes = {cls.__name__: [*cls.BINDINGS, *PlannerApp.BINDINGS] for cls in screens}
    ids = {b.id for bindings in scopes.values() for b in bindings}
    assert set(keys) <= ids  # every example entry names a real binding
    assert key_conflicts(scopes, keys) == []


async def shown_keys(pilot) -> list[str]:
    """The footer's entries on screen; each must end before the palette key."""
    await pilot.pause()
    await pilot.pause()
    footer = pilot.app.screen.query_one("FittedFooter")
    palette = [k for k in footer.children if k.has_class("-command-palette")]
    limit = palette[0].region.x if palette else footer.region.right
    shown = [k for k in footer.children if k.display and not k.has_class("-command-palette")]
    for entry in shown:
        assert entry.region.width > 0 and entry.region.right <= limit, entry
    return [str(getattr(k, "description", "") or k.render()) for k in shown]


@pytest.mark.slow
async def test_no_footer_key_is_cut_at_80_columns(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = await shown_keys(pilot)
        assert "Find" in main and "Help" not in main  # what does not fit whole is left out
        await pilot.press("h")
        await settle(pilot)
        assert "Back" in await shown_keys(pilot)
        await pilot.press("escape", "g")
        await settle(pilot)
        assert "Back" in await shown_keys(pilot)
    app = make_app(demo_planner)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        assert "Help" in await shown_keys(pilot)


@pytest.mark.slow
async def test_the_resources_pane_names_the_topic_id(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[3]
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one(RoadmapPane).select_topic(topic.id)
        await settle(pilot)
        title = app.screen.query_one("#resources").border_title
        assert title is not None and topic.id in title and title.startswith("Topic ")
