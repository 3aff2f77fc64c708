"""Failures are shown and survived; ids gone from the content; help and palette from the
bindings; screens that reload themselves; the review's phase driving its keys."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest
from rich.console import Console
from sqlalchemy import func
from sqlmodel import select
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

import mlplanner.tui.screens
from mlplanner.errors import PlannerError
from mlplanner.services import overview, progress
from mlplanner.services import settings as settings_service
from mlplanner.store.models import CARD_REVIEW, CardRecord, ReviewLog
from mlplanner.tui.components.status_line import StatusLine
from mlplanner.tui.components.week_pane import WeekPane
from mlplanner.tui.errors import GENERIC_TITLE
from mlplanner.tui.keys import bound_keys
from mlplanner.tui.screens import stats_screen
from mlplanner.tui.screens.card_form import CardForm
from mlplanner.tui.screens.help_screen import HelpScreen
from mlplanner.tui.screens.history_screen import HistoryScreen
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.review_screen import ReviewScreen
from mlplanner.tui.screens.stats_screen import StatsScreen

from .conftest import settle


def rendered(renderable, width: int = 200) -> str:
    console = Console(width=width, record=True)
    console.print(renderable)
    return console.export_text()


def notifications(app) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


def review_logs(planner) -> int:
    with planner.session() as s:
        return s.exec(select(func.count()).select_from(ReviewLog)).one()


# Failures ------------------------------------------------------------------------


@pytest.mark.slow
async def test_a_failing_statistics_load_says_so_and_the_app_runs_on(
    demo_planner, make_app, monkeypatch
):
    def broken(*args, **kwargs):
        raise PlannerError("the database is locked by another program", title="Database busy")

    monkeypatch.setattr(stats_screen.stats, "study_stats", broken)
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        body = rendered(app.screen.query_one("#stats-body", Static).content)
        assert "Reading your logbook…" not in body
        assert "Reading your logbook failed" in body and "locked by another program" in body
        assert ("Database busy", "the database is locked by another program") in notifications(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_a_bug_in_a_load_is_reported_under_a_generic_title(
    empty_planner, make_app, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom [bold]not markup[/bold]")

    monkeypatch.setattr(overview, "load_overview", broken)  # imported by the loading worker
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        status = str(app.screen.query_one(StatusLine).content)
        assert "loading…" not in status and "Reading your plan failed" in status
        week = app.screen.query_one(WeekPane).text()
        assert "Loading the week" not in week and "[bold]not markup[/bold]" in week
        assert (GENERIC_TITLE, "boom [bold]not markup[/bold]") in notifications(app)


async def test_a_planner_error_in_an_action_is_a_notification(empty_planner, make_app, monkeypatch):
    def refused(*args, **kwargs):
        raise PlannerError("read-only database", title="Not saved")

    monkeypatch.setattr(progress, "set_status", refused)
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert ("Not saved", "read-only database") in notifications(app)
        assert app.is_running and isinstance(app.screen, MainScreen)


# Ids that left the content ------------------------------------------------------


@pytest.mark.slow
async def test_a_card_whose_topic_left_the_content_reviews_fine(empty_planner, make_app):
    now = empty_planner.clock()
    with empty_planner.session() as s:
        settings_service.update(s, new_cards_per_day=0)
        s.add(
            CardRecord(
                id="user-gone-1",
                topic_id="gone-topic",
                front="What is left when the topic goes?",
                back="Its cards and their history.",
                origin="user",
                state=CARD_REVIEW,
                stability=5.0,
                difficulty=5.0,
                due=now - timedelta(days=1),
                last_review=now - timedelta(days=6),
                created_at=now - timedelta(days=10),
                updated_at=now - timedelta(days=6),
            )
        )
    app = make_app(empty_planner)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.card is not None and screen.card.topic_id == "gone-topic"
        assert "gone-topic" in str(screen.query_one("#review-topic", Static).content)
        await pilot.press("e")  # the edit form opens on a topic it cannot find
        await pilot.pause()  # (a worker awaits the form: wait for the paint, not for it)
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        assert app.screen.query_one("#card-topic", Input).value == "gone-topic"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("space", "3")
        await settle(pilot)
        assert screen.phase == "ended"
    assert review_logs(empty_planner) == 1


# The review's phase --------------------------------------------------------------


@pytest.mark.slow
async def test_review_keys_follow_the_phase(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.phase == "question"

        def actions() -> set[str]:
            return {b.binding.action for b in screen.active_bindings.values()}

        assert "reveal" in actions() and "grade(3)" not in actions()
        await pilot.press("space")
        await pilot.pause()
        assert screen.phase == "revealed" and screen.has_class("-revealed")
        assert "grade(3)" in actions() and "reveal" not in actions()
        await pilot.press("3")
        await pilot.pause()
        assert screen.phase == "question" and "undo" in actions()


# Screens that reload themselves ----------------------------------------------


@pytest.mark.slow
async def test_the_main_screen_reloads_when_a_screen_above_it_closes(empty_planner, make_app):
    first = empty_planner.curriculum.topics[0].id
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        with empty_planner.session() as session:  # another window marks the topic done
            progress.set_status(session, first, "done", empty_planner.clock)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        tree = app.screen.query_one("#roadmap-tree")
        assert "●" in str(tree.root.children[0].children[0].label)


# Help and the palette ----------------------------------------------------------


def screen_classes() -> list[type[Screen]]:
    found = []
    for info in pkgutil.iter_modules(mlplanner.tui.screens.__path__):
        module = importlib.import_module(f"mlplanner.tui.screens.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


async def help_text(pilot) -> str:
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    return rendered(pilot.app.screen.query_one("#help-table", Static).content, width=160)


async def test_help_lists_every_binding_of_every_screen(empty_planner, make_app):
    classes = screen_classes()
    assert {"HistoryScreen", "StatsScreen", "ReviewScreen", "CardBrowser"} <= {
        c.__name__ for c in classes
    }
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = await help_text(pilot)
    lines = text.splitlines()
    for cls in classes:
        for base in cls.__mro__:
            if not base.__module__.startswith("mlplanner."):
                continue  # Textual's own (tab, shift+tab) are listed among the widget keys
            for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
                if binding.id:
                    assert any(line.split()[-1:] == [binding.id] for line in lines), (
                        cls.__name__,
                        binding.id,
                    )
                elif binding.description:
                    assert binding.description in text, (cls.__name__, binding.description)


@pytest.mark.slow
async def test_a_rebound_key_shows_in_help_and_works(empty_planner, make_app):
    app = make_app(empty_planner, keys={"mark-done": "ctrl+d", "history-back": "q"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = await help_text(pilot)
        (done,) = [line for line in text.splitlines() if line.rstrip().endswith(" mark-done")]
        assert done.split()[0] == "ctrl+d"
        (back,) = [line for line in text.splitlines() if line.rstrip().endswith(" history-back")]
        assert back.split()[0] == "q"
        await pilot.press("escape")
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


def test_bound_keys_apply_the_keymap():
    rows = {row.binding_id: row for row in bound_keys(HistoryScreen, {"history-edit": "x"})}
    assert rows["history-edit"].keys == "x"
    assert rows["history-delete"].keys == "delete / backspace"
    assert rows["history-back"].keys == "escape"


@pytest.mark.slow
async def test_the_palette_offers_the_keys_of_the_screen_in_front(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.week_offset is None
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.week_offset == 0
        await pilot.press("ctrl+p")
        await pilot.press(*"all weeks")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.week_offset is None
