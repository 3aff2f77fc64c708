from __future__ import annotations

import shutil
from zoneinfo import ZoneInfo

import pytest

from mlplanner.clock import FixedClock
from mlplanner.config import UserConfig, resolve_paths
from mlplanner.planner import open_planner
from mlplanner.services.demo import build_demo
from mlplanner.tui.app import PlannerApp
from tests.conftest import NOW, isolate_user_dirs

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="session")
def _demo_database(tmp_path_factory):
    """The demo history, built once (it is the same every time: a fixed clock and seed)."""
    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        isolate_user_dirs(patch, folder / "home")
        clock = FixedClock(NOW)
        planner = open_planner(resolve_paths(db=str(path)), clock)
        build_demo(planner.session, planner.curriculum, clock(), BERLIN)
        planner.close()  # the last connection closed: the write-ahead log is folded in
    return path


@pytest.fixture
def demo_planner(tmp_path, _demo_database):
    """A planner on its own copy of the demo history."""
    path = tmp_path / "demo.db"
    shutil.copyfile(_demo_database, path)
    path.chmod(0o600)
    planner = open_planner(resolve_paths(db=str(path)), FixedClock(NOW))
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
