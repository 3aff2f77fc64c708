"""Appearance of the screens on the demo data with a fixed clock."""

from __future__ import annotations

import asyncio
import random

import pytest
from textual.widgets import Input, TextArea

from mlplanner.clock import FixedClock
from mlplanner.config import UserConfig, resolve_paths
from mlplanner.planner import open_planner
from mlplanner.services.demo import build_demo
from mlplanner.tui.app import PlannerApp
from tests.conftest import NOW

from .conftest import BERLIN


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch):
    """A focused field's cursor stays drawn: a blink would land in some shots and not others."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
def demo_app(tmp_path):
    clock = FixedClock(NOW)
    planner = open_planner(resolve_paths(db=str(tmp_path / "snap.db")), clock)
    build_demo(planner.session, planner.curriculum, clock(), BERLIN)
    app = PlannerApp(planner, tz=BERLIN, user_config=UserConfig())
    yield app
    planner.close()


async def _loaded(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await asyncio.sleep(0.05)
    await pilot.pause()


# The small terminal in the quick set; the larger ones with the slow tests (CI runs both).
SIZES = [
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40", marks=pytest.mark.slow),
    pytest.param((200, 60), id="200x60", marks=pytest.mark.slow),
]


def _after(*keys: str):
    """Open a screen from the main screen with these keys, then let it load and paint."""

    async def run_before(pilot) -> None:
        await _loaded(pilot)
        await _loaded(pilot)  # the panes behind settle their heights before a dialog opens
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await _loaded(pilot)
        await _loaded(pilot)  # a scrolling dialog sizes its scrollbar on a second pass

    return run_before


async def _review_revealed(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("r")
    await _loaded(pilot)
    random.seed(5)  # intervals are fuzzed with the random module: fix what they show
    await pilot.press("space")
    await _loaded(pilot)


async def _review_notice(pilot) -> None:
    """A notice on the review screen stays clear of the grade buttons."""
    await _review_revealed(pilot)
    pilot.app.notify("Leech: failed 8 times, suspended. Rewrite it.", title="Leech", timeout=60)
    await pilot.pause()
    await asyncio.sleep(0.1)
    await pilot.pause()


async def _form(pilot, key: str) -> None:
    await _loaded(pilot)
    await pilot.press(key)
    # the form is awaited by a worker: wait for the paint, not for the workers
    for _ in range(3):
        await pilot.pause()
    await asyncio.sleep(0.1)
    await pilot.pause()


async def _block_form(pilot) -> None:
    await _form(pilot, "a")


async def _log_form(pilot) -> None:
    await _form(pilot, "l")


# Every main screen, on the demo history, at a small, a common and a large terminal.
SCREENS = {
    "main": _loaded,
    "review": _review_revealed,
    "review-notice": _review_notice,
    "cards": _after("b"),
    "logbook": _after("h"),
    "stats": _after("g"),
    "settings": _after("comma"),
    "help": _after("question_mark"),
    "block-form": _block_form,
    "log-form": _log_form,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "screen",
    # the main screen at 80x24 in the quick set, every other screen and size in the slow one
    [name if name == "main" else pytest.param(name, marks=pytest.mark.slow) for name in SCREENS],
)
def test_screen(snap_compare, demo_app, screen, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=SCREENS[screen])


async def _card_form(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("c")
    await pilot.pause()
    await pilot.press(*"Why scale features?")
    # the form is awaited by a worker: wait for the paint, not for the workers
    await pilot.pause()
    await asyncio.sleep(0.1)
    await pilot.pause()


@pytest.mark.slow
def test_card_form(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(120, 34), run_before=_card_form)


# The setup a new database opens, and the settings screen ----------------------------


@pytest.fixture
def new_app(tmp_path):
    planner = open_planner(resolve_paths(db=str(tmp_path / "new.db")), FixedClock(NOW))
    app = PlannerApp(planner, tz=BERLIN, user_config=UserConfig())
    yield app
    planner.close()


async def _calm(pilot) -> None:
    """Paint, letting the main screen load (the setup's worker waits on the learner)."""
    shown = None
    for _ in range(20):  # until the screen in front stays the same over a pass
        await pilot.pause()
        for worker in list(pilot.app.workers):
            if worker.group != "setup" and not worker.is_finished:
                await worker.wait()
        await asyncio.sleep(0.05)
        await pilot.pause()
        if pilot.app.screen is shown:
            break
        shown = pilot.app.screen


def _setup_at(step: int):
    """Keys to reach a step: the LLM path, a certification, a known stage, a target date."""
    keys: list[list[str]] = [
        ["down", "down"],  # highlighted: the roadmap behind shows the LLM path
        ["enter", "tab", "space"],
        ["ctrl+s", "ctrl+a"],
        ["ctrl+s", "tab", "tab", "end", *"2028-03-11", "ctrl+t"],
        ["ctrl+s"],
    ]

    async def run_before(pilot) -> None:
        await _calm(pilot)
        for group in keys[:step]:
            for key in group:
                await pilot.press(key)
            await _calm(pilot)

    return run_before


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])  # the first step, untouched: below
def test_setup_step(snap_compare, new_app, step, size):
    assert snap_compare(new_app, terminal_size=size, run_before=_setup_at(step))


@pytest.mark.parametrize("size", SIZES)
def test_setup_first_step(snap_compare, new_app, size):
    assert snap_compare(new_app, terminal_size=size, run_before=_setup_at(0))
