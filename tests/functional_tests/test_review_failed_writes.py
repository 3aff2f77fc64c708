"""The review screen when the database refuses a write: the answer, suspension, burying,
hiding, edit or undo is not saved, the screen says so, the card stays on screen, the
session's counters and undo history stay as they were, and the same key tries again.

The failures are SQLite's own: a COMMIT interrupted on the screen's connection (as a full
disk or an I/O error fails it), or another connection holding the write lock past the
busy timeout."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from textual.widgets import Markdown, TextArea

from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.planner import open_planner
from mlplanner.store import revisions
from mlplanner.tui.screens.card_form import CardForm
from tests.conftest import NOW

from .conftest import settle
from .test_review_undo import (
    due_reviews,
    log_count,
    notifications,
    open_review,
    reviews_today,
    stored,
)

pytestmark = pytest.mark.slow  # each drives a screen session of a few seconds


@contextmanager
def failing_commits(engine: Engine, statement: str = "COMMIT") -> Iterator[None]:
    """Every COMMIT (or other statement starting so) on the engine's connections fails,
    as SQLite fails one it cannot finish: the statement is interrupted (SQLITE_INTERRUPT)
    and the transaction rolled back, so nothing is stored."""

    def arm(dbapi_connection, _record, _proxy) -> None:
        running = [""]
        dbapi_connection.set_trace_callback(lambda sql: running.__setitem__(0, sql))
        dbapi_connection.set_progress_handler(lambda: running[0].startswith(statement), 1)

    def disarm(dbapi_connection, _record) -> None:
        dbapi_connection.set_trace_callback(None)
        dbapi_connection.set_progress_handler(None, 1)

    event.listen(engine, "checkout", arm)
    event.listen(engine, "checkin", disarm)
    try:
        yield
    finally:
        event.remove(engine, "checkout", arm)
        event.remove(engine, "checkin", disarm)


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another connection (another mlplanner, say) holding the write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def titles(app) -> list[str]:
    return [title for title, _message in notifications(app)]


async def test_a_failed_answer_changes_nothing_and_can_be_given_again(empty_planner, make_app):
    planner = empty_planner
    first, second = due_reviews(planner, [120, 60])
    before = stored(planner, first)
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("space")
        shown = screen.card
        assert shown.id == first and screen.phase == "revealed"

        with failing_commits(planner.connect()):
            await pilot.press("3")
            await pilot.pause()
        # the screen: the same card, still revealed, nothing counted, nothing to undo
        assert screen.card is shown and screen.phase == "revealed"
        assert shown.reps == before.reps and shown.updated_at == before.updated_at
        assert screen.queue.reviewed == 0 and screen.queue.time_ms == 0
        assert not screen.queue.can_undo
        assert screen.queue.counts() == (0, 0, 1)  # the second card, still to come
        # the database: as it was
        assert stored(planner, first).model_dump() == before.model_dump()
        assert log_count(planner) == 0 and reviews_today(planner) == 0
        title, message = notifications(app)[-1]  # and the learner is told
        assert title == "Answer not saved" and "grade it again" in message

        await pilot.press("3")  # the database works again: the same key saves it
        await pilot.pause()
        assert stored(planner, first).reps == before.reps + 1
        assert log_count(planner) == 1 and reviews_today(planner) == 1
        assert screen.queue.reviewed == 1 and screen.queue.can_undo
        assert screen.card.id == second


async def test_a_failed_undo_keeps_the_card_shown_and_the_action_to_undo(empty_planner, make_app):
    planner = empty_planner
    first, second, third = due_reviews(planner, [180, 120, 60])
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("space", "3")  # answered
        await pilot.pause()
        await pilot.press("exclamation_mark")  # suspended
        await pilot.pause()
        await pilot.press("space")
        assert screen.card.id == third and screen.phase == "revealed"
        history = list(screen.queue.history)

        with failing_commits(planner.connect()):
            await pilot.press("u")
            await pilot.pause()
            await pilot.press("ctrl+z")
            await pilot.pause()
        assert screen.card.id == third and screen.phase == "revealed"
        assert screen.queue.history == history and screen.queue.reviewed == 1
        assert stored(planner, second).suspended and log_count(planner) == 1
        assert titles(app)[-2:] == ["Undo not saved", "Undo not saved"]

        await pilot.press("u")  # the suspension, taken back now
        await pilot.pause()
        assert not stored(planner, second).suspended and screen.card.id == second
        await pilot.press("u")  # then the answer
        await pilot.pause()
        assert log_count(planner) == 0 and screen.card.id == first
        assert screen.queue.reviewed == 0 and not screen.queue.can_undo


async def test_failed_suspend_bury_hide_and_edit_leave_the_card_shown(empty_planner, make_app):
    planner = empty_planner
    first, mine = due_reviews(planner, [120, 60], mine=True)
    before = {card_id: stored(planner, card_id) for card_id in (first, mine)}
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await open_review(app, pilot)
        assert screen.card.id == first
        with failing_commits(planner.connect()):
            await pilot.press("exclamation_mark")
            await pilot.pause()
            await pilot.press("minus")
            await pilot.pause()
            await pilot.press("e", "y")  # a curriculum card: hide it
            await pilot.pause()
        assert screen.card.id == first and not screen.queue.can_undo
        assert not screen.card.suspended
        assert screen.card.updated_at == before[first].updated_at
        assert stored(planner, first).model_dump() == before[first].model_dump()
        assert titles(app)[-3:] == ["Suspension not saved", "Burying not saved", "Hiding not saved"]

        await pilot.press("minus")  # saved this time
        await pilot.pause()
        assert stored(planner, first).buried_until is not None and screen.card.id == mine

        with failing_commits(planner.connect()):
            await pilot.press("e")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, CardForm)
            form.query_one("#card-front", TextArea).load_text("My better front")
            await pilot.press("ctrl+s")
            await pilot.pause()
        front = screen.query_one("#review-front", Markdown)
        assert app.screen is screen and screen.card.id == mine
        assert screen.card.front == "My front" and front.source == "My front"
        assert [action.kind for action in screen.queue.history] == ["bury"]
        assert stored(planner, mine).model_dump() == before[mine].model_dump()
        assert titles(app)[-1] == "Edit not saved"

        await pilot.press("e")  # the form comes back with what was typed
        await pilot.pause()
        form = app.screen
        assert form.query_one("#card-front", TextArea).text == "My better front"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stored(planner, mine).front == "My better front"
        assert front.source == "My better front"
        assert [action.kind for action in screen.queue.history] == ["bury", "edit"]


async def test_answer_and_undo_wait_for_another_writer_then_say_so(tmp_path, make_app, monkeypatch):
    monkeypatch.setattr(revisions, "BUSY_TIMEOUT_MS", 100)  # read as each connection opens
    path = tmp_path / "busy.db"
    planner = open_planner(resolve_paths(db=str(path)), FixedClock(NOW))
    try:
        first, second = due_reviews(planner, [120, 60])
        app = make_app(planner)
        async with app.run_test(size=(110, 32)) as pilot:
            screen = await open_review(app, pilot)
            await pilot.press("space")
            with write_lock(path):
                await pilot.press("1")
                await pilot.pause()
            assert screen.card.id == first and screen.phase == "revealed"
            assert screen.queue.reviewed == 0 and log_count(planner) == 0
            title, message = notifications(app)[-1]
            assert title == "Answer not saved" and "busy" in message

            await pilot.press("1")
            await pilot.pause()
            assert screen.card.id == second and log_count(planner) == 1
            with write_lock(path):
                await pilot.press("u")
                await pilot.pause()
            assert screen.card.id == second and screen.queue.reviewed == 1
            assert log_count(planner) == 1 and screen.queue.can_undo
            assert titles(app)[-1] == "Undo not saved"
            await settle(pilot)
    finally:
        planner.close()


async def test_an_answer_failing_halfway_is_not_saved(empty_planner, make_app):
    """The answer's statements go to sqlite3 directly: when one fails after the card's
    UPDATE (here the review log's INSERT), the error still reaches the learner as the
    database's, the app runs on, and the card on screen is as stored."""
    planner = empty_planner
    first, _second = due_reviews(planner, [120, 60])
    before = stored(planner, first)
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("space")
        with failing_commits(planner.connect(), "INSERT INTO review_log"):
            await pilot.press("4")
            await pilot.pause()
        assert screen.card.id == first and screen.card.reps == before.reps
        assert screen.queue.reviewed == 0 and not screen.queue.can_undo
        assert log_count(planner) == 0
        assert stored(planner, first).model_dump() == before.model_dump()
        assert titles(app)[-1] == "Answer not saved"
        await pilot.press("4")
        await pilot.pause()
        assert log_count(planner) == 1 and screen.queue.reviewed == 1


async def test_an_edit_that_failed_is_not_offered_again_once_the_card_has_gone(
    empty_planner, make_app
):
    """The typed text is kept for a retry while the card stays shown; once another card
    is shown, the card coming back (here by undo) is edited from its own text."""
    planner = empty_planner
    first, mine = due_reviews(planner, [120, 60], mine=True)
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("minus")  # bury the first: `mine` is shown
        await pilot.pause()
        assert screen.card.id == mine
        with failing_commits(planner.connect()):
            await pilot.press("e")
            await pilot.pause()
            app.screen.query_one("#card-front", TextArea).load_text("Typed, never saved")
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert titles(app)[-1] == "Edit not saved"
        await pilot.press("minus")  # bury it too: no card left
        await pilot.pause()
        await pilot.press("u")  # `mine` comes back
        await pilot.pause()
        assert screen.card is not None and screen.card.id == mine
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        assert form.query_one("#card-front", TextArea).text == "My front"
