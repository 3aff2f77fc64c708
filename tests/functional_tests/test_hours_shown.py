"""The same hours read the same on the main screen, in the logbook and from `mlplanner week`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.services import logbook
from mlplanner.tui.components.week_pane import WeekPane
from tests.conftest import NOW

from .conftest import BERLIN, settle


def test_screens_and_command_line_round_hours_alike(tmp_path, make_app, monkeypatch, capsys):
    from mlplanner.cli import main

    db = str(tmp_path / "hours.db")
    from mlplanner.planner import open_planner

    planner = open_planner(resolve_paths(db=db), FixedClock(NOW), BERLIN)
    # 2 h 15 min on Monday: 2.25 h, a half that Python's own rounding would take down to 2.2
    monday = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
    with planner.session() as session:
        logbook.log_session(session, planner.clock, timedelta(hours=2, minutes=15), monday)

    async def on_screen() -> tuple[str, str, str]:
        app = make_app(planner)
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            status = str(app.screen.query_one("#status-line").content)
            week = app.screen.query_one(WeekPane).text()
            await pilot.press("h")
            await settle(pilot)
            title = str(app.screen.query_one("#history-title").content)
        return status, week, title

    import asyncio

    status, week, title = asyncio.run(on_screen())
    planner.close()
    from mlplanner.cli import context

    monkeypatch.setattr(context, "CLOCK", FixedClock(NOW))
    assert main(["--db", db, "settings", "time_zone", "Europe/Berlin"]) == 0
    capsys.readouterr()
    assert main(["week", "--db", db]) == 0
    printed = capsys.readouterr().out

    assert "2.3/10h" in status
    assert "logged 2.3h" in week and "2.3h logged" in week
    assert "1 session, 2.3h" in title
    assert "logged 2.3h," in printed and "logged 2.3h  planned" in printed
    assert "2.2h" not in status + week + title + printed
