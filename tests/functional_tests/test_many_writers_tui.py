"""The TUI when another process writes too: a card answered in another window, a save
that fails on a busy database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select
from textual.widgets import Input, Static

from mlplanner.services import logbook
from mlplanner.store import StoreError
from mlplanner.store.models import CardRecord, ReviewLog, StudySession
from mlplanner.tui.screens.log_form import LogForm
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.review_screen import ReviewScreen

from .conftest import settle

pytestmark = pytest.mark.slow  # another process writing at the same time: `make test-slow`

ROOT = Path(__file__).resolve().parents[2]

# Another window answering a card: its own process, its own connection.
ANSWER_ELSEWHERE = """
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo
from sqlmodel import col
from mlplanner.services.days import StudyCalendar
from mlplanner.services.reviews import GOOD, ReviewConfig, answer, load_cards
from mlplanner.store import make_engine, unit_of_work
from mlplanner.store.models import CardRecord

engine = make_engine(sys.argv[1])
with unit_of_work(engine) as session:
    (card,) = load_cards(session, col(CardRecord.id) == sys.argv[2])
    answer(session, card, GOOD, datetime.fromisoformat(sys.argv[3]),
           ReviewConfig(StudyCalendar(ZoneInfo("UTC")), fuzz=False))
engine.dispose()
"""


def notifications(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_card_answered_in_another_window_is_not_counted_twice(empty_planner, make_app):
    planner = empty_planner
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        shown = screen.card
        await pilot.press("space")
        await pilot.pause()
        other = subprocess.run(
            [
                sys.executable,
                "-c",
                ANSWER_ELSEWHERE,
                planner.paths.db_url,
                shown.id,
                planner.clock().isoformat(),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert other.returncode == 0, other.stderr
        await pilot.press("3")
        await pilot.pause()
        assert any("answered in another window" in n for n in notifications(app))
        # The card comes back as it is now (a learning step, due again in minutes).
        assert screen.queue is not None and screen.queue.reviewed == 0
    with planner.session() as session:
        assert session.exec(select(func.count()).select_from(ReviewLog)).one() == 1
        assert session.get(CardRecord, shown.id).reps == 1


async def test_the_log_form_keeps_what_was_typed_when_saving_fails(
    empty_planner, make_app, monkeypatch
):
    def busy(*args, **kwargs):
        raise StoreError("planner.db: the database stayed busy for 5 s; nothing was saved.")

    monkeypatch.setattr(logbook, "log_session", busy)
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        form = app.screen
        assert isinstance(form, LogForm)
        form.query_one("#log-duration", Input).value = "45m"
        form.query_one("#log-note", Input).value = "chapter 3 exercises"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, with what was typed
        assert form.query_one("#log-duration", Input).value == "45m"
        assert form.query_one("#log-note", Input).value == "chapter 3 exercises"
        error = str(form.query_one("#log-error", Static).content)
        assert "Not saved" in error and "stayed busy" in error
        assert any("stayed busy" in n for n in notifications(app))

        monkeypatch.undo()  # the database is free again: the same values save
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with empty_planner.session() as session:
        (row,) = session.exec(select(StudySession)).all()
    assert row.duration_s == 45 * 60 and row.note == "chapter 3 exercises"
