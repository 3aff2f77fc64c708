from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from mlplanner.clock import FixedClock
from mlplanner.config import UserConfig, resolve_paths
from mlplanner.planner import open_planner
from mlplanner.services.demo import build_demo
from mlplanner.tui.app import PlannerApp
from tests.conftest import NOW

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def demo_planner(tmp_path):
    clock = FixedClock(NOW)
    planner = open_planner(resolve_paths(db=str(tmp_path / "demo.db")), clock)
    build_demo(planner.session, planner.curriculum, clock(), BERLIN)
    yield planner
    planner.close()


@pytest.fixture
def empty_planner(tmp_path):
    planner = open_planner(resolve_paths(db=str(tmp_path / "empty.db")), FixedClock(NOW))
    yield planner
    planner.close()


@pytest.fixture
def make_app():
    def make(planner, keys: dict[str, str] | None = None, offer_setup: bool = False) -> PlannerApp:
        """The setup a new database opens is tested on its own (test_setup.py)."""
        return PlannerApp(
            planner, tz=BERLIN, user_config=UserConfig(keys=keys or {}), offer_setup=offer_setup
        )

    return make


async def settle(pilot) -> None:
    """Let the screen's loading worker finish and its results paint."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
