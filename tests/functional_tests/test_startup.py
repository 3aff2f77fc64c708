"""Start-up: the first frame needs only the curriculum; the database opens behind it.

How fast it is, is measured by benchmarks/startup.py, never here."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

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


async def until(pilot, condition, seconds: float = 20.0) -> None:
    """Let the app run until `condition()` holds or `seconds` pass: an idle machine goes
    on at once, a busy one gets the time it needs (the assertion after says what failed)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await pilot.pause(0.05)


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
            await until(
                pilot, lambda: isinstance(app.screen, PathStep) and app.screen.query("#path-list")
            )
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
        await until(pilot, lambda: app.open_error is not None)
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


FILLED_BEFORE_THE_DATABASE_LAYER = textwrap.dedent(
    """
    import asyncio, json, sys

    HEAVY = ("sqlalchemy", "sqlmodel", "mlplanner.store.engine", "mlplanner.store.models")

    def heavy():
        return sorted(name for name in HEAVY if name in sys.modules)

    from mlplanner.config import resolve_paths
    from mlplanner.planner import prepare_planner
    from mlplanner.tui.app import PlannerApp
    from mlplanner.tui.components.status_line import StatusLine
    from mlplanner.tui.components.week_pane import WeekPane

    seen = {}
    show = StatusLine.show

    def noting_show(self, board):  # the main screen's first data reaches the status line
        seen.setdefault("imported_when_filled", heavy())
        seen.setdefault("connected_when_filled", planner.is_connected)
        show(self, board)

    StatusLine.show = noting_show
    planner = prepare_planner(resolve_paths(db=sys.argv[1]))

    async def main():
        app = PlannerApp(planner, offer_setup=False)
        async with app.run_test(size=(160, 50)) as pilot:
            for _ in range(1000):
                await pilot.pause(0.02)
                if "imported_when_filled" in seen and planner.is_connected:
                    break
            await app.workers.wait_for_complete()
            await pilot.pause()
            seen["status"] = str(app.screen.query_one(StatusLine).content)
            seen["week"] = app.screen.query_one(WeekPane).text()
            seen["connected_later"] = planner.is_connected
            seen["imported_later"] = heavy()

    asyncio.run(main())
    print(json.dumps(seen))
    """
)


def test_the_screen_is_filled_before_the_database_layer_loads_then_it_loads(tmp_path):
    """In a fresh interpreter, on a database at the current schema with synced content:
    the status line and the week are filled from sqlite3 alone; the database is opened the
    ordinary way afterwards, without being asked."""
    from datetime import UTC, datetime

    from mlplanner.clock import system_clock
    from mlplanner.planner import open_planner
    from mlplanner.services import logbook

    db = tmp_path / "current.db"
    planner = open_planner(resolve_paths(db=str(db)), system_clock)
    with planner.session() as session:
        logbook.log_session(
            session,
            planner.clock,
            timedelta(minutes=50),
            started_at=datetime.now(UTC) - timedelta(hours=2),
            topic_id="python-basics",
        )
    planner.close()
    done = subprocess.run(
        [sys.executable, "-c", FILLED_BEFORE_THE_DATABASE_LAYER, str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["imported_when_filled"] == [] and seen["connected_when_filled"] is False
    assert "streak" in seen["status"] and "loading" not in seen["status"]
    assert "0.8h" in seen["status"] or "0.8h logged" in seen["week"]  # the 50 minutes
    assert seen["connected_later"] is True and "sqlmodel" in seen["imported_later"]


async def test_after_a_lean_start_the_keys_write_to_the_database(tmp_path, make_app):
    """The first screen comes from sqlite3; marking a topic and starting the timer then
    go through the database opened behind it."""
    from mlplanner.planner import open_planner
    from mlplanner.services import progress
    from mlplanner.services import timer as timer_service

    paths = resolve_paths(db=str(tmp_path / "lean.db"))
    open_planner(paths, FixedClock(NOW)).close()
    planner = prepare_planner(paths, FixedClock(NOW))
    with planner.lean_reads() as view:
        assert view is not None  # this start takes the lean way
    app = make_app(planner)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert planner.is_connected  # opened behind the filled screen
            topic = app.screen.query_one("#roadmap").selected_topic()
            await pilot.press("i")
            await pilot.press("s")
            await settle(pilot)
            with planner.session() as session:
                assert progress.statuses(session).get(topic) == "in_progress"
                running = timer_service.current(session)
            assert running is not None and running.topic_id == topic
            assert "⏱" in str(app.screen.query_one(StatusLine).content)
    finally:
        planner.close()


async def test_a_running_timer_read_the_lean_way_is_shown_and_stops(tmp_path, make_app):
    from sqlmodel import select

    from mlplanner.planner import open_planner
    from mlplanner.services import timer as timer_service
    from mlplanner.store.models import StudySession

    paths = resolve_paths(db=str(tmp_path / "timer.db"))
    opened = open_planner(paths, FixedClock(NOW - timedelta(minutes=25)))
    with opened.session() as session:
        timer_service.start(session, opened.clock, "python-basics")
    opened.close()
    planner = prepare_planner(paths, FixedClock(NOW))
    app = make_app(planner)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert "25:00" in app.timer.text() and "Python" in app.timer.text()
            await pilot.press("s")  # stops it: a session of 25 minutes
            await settle(pilot)
            with planner.session() as session:
                logged = session.exec(select(StudySession)).all()
            assert [s.duration_s for s in logged] == [25 * 60]
    finally:
        planner.close()


async def test_a_new_learner_started_the_lean_way_is_offered_the_setup_once_loaded(
    tmp_path, make_app
):
    """A database made earlier but never set up: the main screen fills first (from
    sqlite3), then the setup opens over it."""
    from mlplanner.planner import open_planner

    paths = resolve_paths(db=str(tmp_path / "made.db"))
    open_planner(paths, FixedClock(NOW)).close()
    planner = prepare_planner(paths, FixedClock(NOW))
    app = make_app(planner, offer_setup=True)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(
                pilot, lambda: isinstance(app.screen, PathStep) and app.screen.query("#path-list")
            )
            await pilot.pause()
            assert isinstance(app.screen, PathStep)
            main_screen = app.screen_stack[-2]
            assert isinstance(main_screen, MainScreen) and main_screen.overview is not None
            assert "streak" in str(main_screen.query_one(StatusLine).content)
    finally:
        planner.close()


def test_the_saved_theme_is_not_waited_for_while_another_process_writes(tmp_path):
    """Before the first frame the theme is read with a short wait: a database locked by a
    writer (a rollback-journal file, where writers block readers) gives no theme at once,
    and the theme follows when the database is open."""
    import sqlite3
    import time

    from mlplanner.planner import THEME_WAIT_MS, open_planner
    from mlplanner.store.revisions import BUSY_TIMEOUT_MS

    paths = resolve_paths(db=str(tmp_path / "busy.db"))
    opened = open_planner(paths, FixedClock(NOW))
    opened.update_settings(theme="nord")
    opened.close()
    writer = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    writer.execute("PRAGMA journal_mode=DELETE")
    planner = prepare_planner(paths, FixedClock(NOW))
    assert planner.stored_theme() == "nord"
    writer.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        assert planner.stored_theme() is None
        assert time.monotonic() - started < (THEME_WAIT_MS + BUSY_TIMEOUT_MS) / 2000
    finally:
        writer.execute("ROLLBACK")
        writer.close()


async def test_a_first_read_that_fails_the_lean_way_is_read_the_ordinary_way(
    tmp_path, make_app, monkeypatch
):
    from mlplanner.planner import open_planner
    from mlplanner.services.lean_reads import LeanReads

    def locked(*args, **kwargs):
        raise StoreError("database is locked")

    monkeypatch.setattr(LeanReads, "week", locked)
    paths = resolve_paths(db=str(tmp_path / "flaky.db"))
    open_planner(paths, FixedClock(NOW)).close()
    planner = prepare_planner(paths, FixedClock(NOW))
    app = make_app(planner)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.screen.overview is not None and planner.is_connected
            assert "streak" in str(app.screen.query_one(StatusLine).content)
    finally:
        planner.close()


async def test_a_first_read_that_fails_both_ways_still_offers_the_setup(
    tmp_path, make_app, monkeypatch
):
    """The screen says why it has no data; the start-up goes on (the setup for a new
    learner opens) instead of waiting for data that will not come."""
    from mlplanner.planner import open_planner
    from mlplanner.services import overview
    from mlplanner.services.lean_reads import LeanReads

    def locked(*args, **kwargs):
        raise StoreError("database is locked")

    monkeypatch.setattr(LeanReads, "week", locked)
    monkeypatch.setattr(overview, "load_overview", locked)
    paths = resolve_paths(db=str(tmp_path / "locked.db"))
    open_planner(paths, FixedClock(NOW)).close()
    planner = prepare_planner(paths, FixedClock(NOW))
    app = make_app(planner, offer_setup=True)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(
                pilot, lambda: isinstance(app.screen, PathStep) and app.screen.query("#path-list")
            )
            await pilot.pause()
            assert isinstance(app.screen, PathStep)
            assert app.screen_stack[-2].overview is None
    finally:
        planner.close()
