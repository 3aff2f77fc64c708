"""Appearance of the screens on the demo data with a fixed clock."""

from __future__ import annotations

import asyncio
import random

import pytest

from mlplanner.clock import FixedClock
from mlplanner.config import UserConfig, resolve_paths
from mlplanner.planner import open_planner
from mlplanner.services.demo import build_demo
from mlplanner.tui.app import PlannerApp
from tests.conftest import NOW

from .conftest import BERLIN


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


def test_main_screen_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_loaded)


def test_main_screen_160x50(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(160, 50), run_before=_loaded)


def test_help_screen(snap_compare, demo_app):
    async def open_help(pilot):
        await _loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(100, 34), run_before=open_help)


async def _review_revealed(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("r")
    await pilot.pause()
    random.seed(5)  # intervals are fuzzed with the random module: fix what they show
    await pilot.press("space")
    await _loaded(pilot)


def test_review_screen_revealed(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(100, 30), run_before=_review_revealed)


async def _card_form(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("c")
    await pilot.pause()
    await pilot.press(*"Why scale features?")
    # the form is awaited by a worker: wait for the paint, not for the workers
    await pilot.pause()
    await asyncio.sleep(0.1)
    await pilot.pause()


def test_card_form(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(120, 34), run_before=_card_form)
