from __future__ import annotations

from unittest.mock import patch

import pytest
from sqlmodel import select
from textual.widgets import Input, Static

from mlplanner.services import progress
from mlplanner.services import settings as settings_service
from mlplanner.store.models import ResourceProgress, TopicProgress
from mlplanner.tui.components.resources_pane import ResourcesPane
from mlplanner.tui.components.roadmap_pane import RoadmapPane
from mlplanner.tui.components.week_pane import WeekPane
from mlplanner.tui.screens.help_screen import HelpScreen
from mlplanner.tui.screens.main_screen import MainScreen

from .conftest import settle


def text_of(app, selector: str) -> str:
    if selector == "#week-body":
        return app.screen.query_one(WeekPane).text()
    return str(app.screen.query_one(selector, Static).content)


def status_in_db(planner, topic_id: str) -> str | None:
    with planner.session() as session:
        row = session.get(TopicProgress, topic_id)
        return row.status if row else None


async def test_main_screen_shows_roadmap_week_and_status(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        tree = app.screen.query_one("#roadmap-tree")
        labels = [str(node.label) for node in tree.root.children]
        assert len(labels) == len(demo_planner.curriculum.stages)
        assert labels[0].startswith(demo_planner.curriculum.stages[0].title)
        status = text_of(app, "#status-line")
        assert (
            "new" in status and "review" in status and "this week" in status and "streak" in status
        )
        week = text_of(app, "#week-body")
        assert "Mon 09 Mar" in week and "this week" in week and "19:00" in week
        assert app.screen.has_class("-wide")


async def test_status_keys_change_the_topic_and_save_at_once(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        roadmap = app.screen.query_one(RoadmapPane)
        first = roadmap.selected_topic()
        assert first == empty_planner.curriculum.topics[0].id
        await pilot.press("i")
        await settle(pilot)
        assert status_in_db(empty_planner, first) == "in_progress"
        await pilot.press("d")
        await settle(pilot)
        assert status_in_db(empty_planner, first) == "done"
        assert "●" in str(app.screen.query_one("#roadmap-tree").cursor_node.label)
        await pilot.press("n")
        await settle(pilot)
        assert status_in_db(empty_planner, first) == "not_started"


async def test_moving_in_the_tree_shows_that_topic(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        second = empty_planner.curriculum.topics[1]
        assert app.screen.query_one(ResourcesPane).topic.id == second.id
        assert second.title in text_of(app, "#topic-details")


@pytest.mark.slow
async def test_filter_finds_a_topic(empty_planner, make_app):
    target = empty_planner.curriculum.topics[-1]
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*target.title.lower())
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(RoadmapPane).selected_topic() == target.id
        tree = app.screen.query_one("#roadmap-tree")
        assert len(tree.root.children) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert len(tree.root.children) == len(empty_planner.curriculum.stages)


async def test_collapse_and_expand_stages(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#roadmap-tree")
        await pilot.press("plus")
        assert all(node.is_expanded for node in tree.root.children)
        await pilot.press("minus")
        assert not any(node.is_expanded for node in tree.root.children)


async def test_week_navigation(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "Mon 16 Mar" in text_of(app, "#week-body")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert "Mon 02 Mar" in text_of(app, "#week-body")
        await pilot.press("w")
        await settle(pilot)
        assert "Mon 09 Mar" in text_of(app, "#week-body")


async def test_resource_opens_in_browser_and_is_marked_done(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[0]
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        with patch.object(type(app), "open_url") as opened:
            await pilot.press("enter")
        opened.assert_called_once_with(topic.resources[0].url)
        await pilot.press("m")
        await settle(pilot)
        with empty_planner.session() as session:
            rows = session.exec(select(ResourceProgress)).all()
        assert [r.resource_id for r in rows] == [topic.resources[0].id]
        assert "✓" in str(app.screen.query_one("#resource-list").get_option_at_index(0).prompt)


@pytest.mark.slow
async def test_help_screen_lists_every_key_and_closes(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table", Static).content
        from rich.console import Console

        console = Console(width=100, record=True)
        console.print(table)
        text = console.export_text()
        for needle in (
            "Mark topic done",
            "Previous week",
            "Open the highlighted resource",
            "ctrl+q",
        ):
            assert needle in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_rebound_key_from_config(empty_planner, make_app):
    app = make_app(empty_planner, keys={"mark-done": "ctrl+d"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = empty_planner.curriculum.topics[0].id
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert status_in_db(empty_planner, first) == "done"


@pytest.mark.slow
async def test_palette_command_runs(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = empty_planner.curriculum.topics[0].id
        await pilot.press("ctrl+p")
        await pilot.press(*"mark topic in progress")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert status_in_db(empty_planner, first) == "in_progress"


async def test_theme_choice_is_persisted(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    with empty_planner.session() as session:
        assert settings_service.load(session).theme == "nord"
    second = make_app(empty_planner)
    assert second.theme == "nord"


async def test_narrow_layout_stacks_panes_and_keeps_them_usable(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.has_class("-wide")
        for selector in ("#roadmap", "#week", "#resources"):
            region = app.screen.query_one(selector).region
            assert region.width >= 20 and region.height >= 5, selector
        await pilot.press("2")
        assert app.focused.id == "week-list"
        await pilot.press("tab")
        assert app.focused.id != "week-list"


@pytest.mark.slow
async def test_status_survives_a_restart(empty_planner, make_app):
    first = empty_planner.curriculum.topics[0].id
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
    with empty_planner.session() as session:
        assert progress.statuses(session)[first] == "done"
    again = make_app(empty_planner)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "●" in str(
            again.screen.query_one("#roadmap-tree").root.children[0].children[0].label
        )


async def test_an_overlap_shows_on_a_narrow_week_however_long_the_title(empty_planner, make_app):
    """Each block takes one line of the week; a long title is cut, the warning is not."""
    from datetime import date, time

    from mlplanner.services import planning

    long_note = "Reading the attention paper again, slowly, with every footnote " * 3
    with empty_planner.session() as session:
        for at, note in ((time(19), long_note), (time(19, 30), long_note)):
            planning.add_block(
                session,
                empty_planner.clock,
                date(2026, 3, 11),
                at,
                90,
                "Europe/Berlin",
                note=note,
            )
    app = make_app(empty_planner)
    async with app.run_test(size=(80, 60)) as pilot:  # narrow, and tall enough for Wednesday
        await settle(pilot)
        week_list = app.screen.query_one("#week-list")
        width = week_list.scrollable_content_region.width
        rows = [
            "".join(s.text for s in week_list.render_line(y))
            for y in range(week_list.scrollable_content_region.height)
        ]
        shown = [row for row in rows if "19:00–20:30" in row or "19:30–21:00" in row]
        assert len(shown) == 2 and all("⚠ overlaps" in row for row in shown)
        assert all(row.rstrip().endswith("…") for row in shown)  # the title is cut
        assert all(len(row) <= width + 2 for row in rows)
