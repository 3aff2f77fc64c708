"""Start-up: the first frame needs only the curriculum; the database opens behind it.

How fast it is, is measured by benchmarks/startup.py, never here."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap

from textual.widgets import OptionList

from mlplanner.cli import app as cli_app
from mlplanner.cli import main
from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.planner import prepare_planner
from mlplanner.store import StoreError
from mlplanner.tui.app import PlannerApp
from mlplanner.tui.components.status_line import StatusLine
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.setup_steps import PathStep
from tests.conftest import NOW

from .conftest import settle

FIRST_FRAME_ONLY = textwrap.dedent(
    """
    import asyncio, json, sys

    HEAVY = (
        "sqlalchemy",
        "sqlmodel",
        "mlplanner.store.engine",
        "mlplanner.store.models",
        "mlplanner.services.overview",
    )

    def heavy():
        return sorted(name for name in HEAVY if name in sys.modules)

    seen = {}
    from mlplanner.config import resolve_paths
    from mlplanner.planner import prepare_planner
    from mlplanner.tui.app import PlannerApp
    from mlplanner.tui.screens.main_screen import MainScreen
    seen["imported"] = heavy()
    planner = prepare_planner(resolve_paths(db=sys.argv[1]))
    seen["prepared"] = heavy()

    # The two workers that open the database and read the screen's data do nothing here:
    # what is on screen then is the first frame, drawn without them.
    PlannerApp.open_planner = lambda self: None
    MainScreen.reload = lambda self: None

    async def main():
        app = PlannerApp(planner)
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            await pilot.pause()
            screen = app.screen
            seen["screen"] = type(screen).__name__
            seen["stages"] = len(screen.query_one("#roadmap-tree").root.children)
            seen["status"] = str(screen.query_one("#status-line").content)
            seen["first_frame"] = heavy()
            seen["connected"] = planner.is_connected

    asyncio.run(main())
    print(json.dumps(seen))
    """
)


def test_the_first_frame_is_drawn_without_the_database_layer(tmp_path):
    """In a fresh interpreter: neither the app's modules, nor preparing the planner, nor
    drawing the main screen's roadmap and status line imports SQLAlchemy or SQLModel."""
    db = tmp_path / "first.db"
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_ONLY, str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["imported"] == [] and seen["prepared"] == [] and seen["first_frame"] == []
    assert seen["screen"] == "MainScreen" and seen["stages"] == 13
    assert "loading…" in seen["status"]
    assert seen["connected"] is False and not db.exists()  # nothing touched the database


async def test_the_first_frame_wears_the_saved_theme(tmp_path, make_app):
    """The theme is read with sqlite3 before the database is opened: no flash of the
    default theme while the database layer loads."""
    from mlplanner.planner import open_planner

    paths = resolve_paths(db=str(tmp_path / "themed.db"))
    opened = open_planner(paths, FixedClock(NOW))
    opened.update_settings(theme="nord")
    opened.close()
    planner = prepare_planner(paths, FixedClock(NOW))
    assert planner.stored_theme() == "nord"
    app = make_app(planner)
    try:
        assert not planner.is_connected and app.theme == "nord"
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert planner.is_connected and app.theme == "nord"
    finally:
        planner.close()


def test_no_saved_theme_is_read_from_a_database_not_yet_made(tmp_path):
    planner = prepare_planner(resolve_paths(db=str(tmp_path / "none.db")), FixedClock(NOW))
    assert planner.stored_theme() is None
    assert not (tmp_path / "none.db").exists()


async def test_a_planner_not_yet_opened_is_opened_by_the_app_and_the_screen_fills(
    tmp_path, make_app
):
    planner = prepare_planner(resolve_paths(db=str(tmp_path / "new.db")), FixedClock(NOW))
    assert not planner.is_connected
    app = make_app(planner)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            assert planner.is_connected
            assert isinstance(app.screen, MainScreen)
            status = str(app.screen.query_one(StatusLine).content)
            assert "streak" in status and "loading" not in status
            assert app.timer.running is None
            assert gc.isenabled()  # paused while starting, running again once loaded
    finally:
        planner.close()


async def test_a_new_database_opened_by_the_app_still_offers_the_setup(tmp_path, make_app):
    planner = prepare_planner(resolve_paths(db=str(tmp_path / "new.db")), FixedClock(NOW))
    app = make_app(planner, offer_setup=True)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(40):
                await pilot.pause(0.05)
                if isinstance(app.screen, PathStep) and app.screen.query("#path-list"):
                    break
            await pilot.pause()
            assert isinstance(app.screen, PathStep)
            paths = app.screen.query_one("#path-list", OptionList)
            assert paths.option_count == len(planner.curriculum.paths)
            assert planner.is_connected
    finally:
        planner.close()


async def test_a_database_that_cannot_be_opened_ends_the_app_with_the_reason(tmp_path, make_app):
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    planner = prepare_planner(resolve_paths(db=str(folder)), FixedClock(NOW))
    app = make_app(planner)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            if app.open_error is not None:
                break
    assert isinstance(app.open_error, StoreError)
    assert "is a folder, not a database file" in str(app.open_error)
    assert app.return_code == StoreError.exit_status
    assert not planner.is_connected
    assert gc.isenabled()  # the screen never loaded: running again when the app ended


def test_the_command_says_why_the_database_cannot_be_opened(tmp_path, monkeypatch, capsys):
    """`mlplanner` reports it on stderr with the exit status, as it did before drawing."""
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    run = PlannerApp.run
    monkeypatch.setattr(cli_app, "needs_a_terminal", lambda: None)
    monkeypatch.setattr(PlannerApp, "run", lambda self, **kwargs: run(self, headless=True))
    assert main(["--db", str(folder)]) == StoreError.exit_status
    assert "is a folder, not a database file" in capsys.readouterr().err
