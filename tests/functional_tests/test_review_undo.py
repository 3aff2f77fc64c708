"""Undo on the review screen: every action taken back, last first, on screen and in the
database; refused when another window changed the card since."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select
from textual.widgets import Markdown, TextArea

from mlplanner.services import cards as card_service
from mlplanner.services import reviews
from mlplanner.services import settings as settings_service
from mlplanner.store.models import CARD_REVIEW, CardRecord, ReviewDay, ReviewLog
from mlplanner.tui.screens.card_form import CardForm
from mlplanner.tui.screens.review_screen import ReviewScreen

from .conftest import settle

pytestmark = pytest.mark.slow  # each drives a screen session of several seconds


def notifications(app) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


def stored(planner, card_id: str) -> CardRecord:
    with planner.session() as s:
        card = s.get(CardRecord, card_id)
        s.expunge(card)
        return card


def log_count(planner) -> int:
    with planner.session() as s:
        return s.exec(select(func.count()).select_from(ReviewLog)).one()


def reviews_today(planner) -> int:
    with planner.session() as s:
        return s.exec(select(func.coalesce(func.sum(ReviewDay.reviews), 0))).one()


def due_reviews(planner, minutes_ago: list[int], mine: bool = False) -> list[str]:
    """Review cards due that long ago (the queue shows them oldest first), no new cards;
    with `mine`, the last one is a card of the learner's own."""
    now = planner.clock()
    with planner.session() as s:
        settings_service.update(s, new_cards_per_day=0)
        picked = s.exec(select(CardRecord).order_by(CardRecord.id).limit(len(minutes_ago))).all()
        if mine:
            picked[-1] = card_service.add_card(
                s, picked[0].topic_id, "My front", "My back", now - timedelta(days=9), "own"
            )
        for card, ago in zip(picked, minutes_ago, strict=True):
            card.state, card.stability, card.difficulty = CARD_REVIEW, 5.0, 5.0
            card.due, card.last_review = now - timedelta(minutes=ago), now - timedelta(days=5)
            card.reps, card.lapses = 3, 0
            s.add(card)
        return [card.id for card in picked]


async def open_review(app, pilot) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("r")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_answer_suspend_bury_edit_then_undo_four_times(empty_planner, make_app):
    planner = empty_planner
    first, second, third, mine = due_reviews(planner, [240, 180, 120, 60], mine=True)
    before = {card_id: stored(planner, card_id) for card_id in (first, second, third, mine)}
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await open_review(app, pilot)
        front = screen.query_one("#review-front", Markdown)
        assert screen.card.id == first

        await pilot.press("space", "3")  # answer
        await pilot.pause()
        assert stored(planner, first).reps == 4 and log_count(planner) == 1
        assert reviews_today(planner) == 1 and screen.card.id == second

        await pilot.press("exclamation_mark")  # suspend
        await pilot.pause()
        assert stored(planner, second).suspended and screen.card.id == third

        await pilot.press("minus")  # bury
        await pilot.pause()
        assert stored(planner, third).buried_until is not None and screen.card.id == mine

        await pilot.press("e")  # edit the learner's own card
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        form.query_one("#card-front", TextArea).load_text("My better front")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and screen.card.id == mine
        assert stored(planner, mine).front == "My better front"
        assert front.source == "My better front"

        await pilot.press("u")  # 1: the edit
        await pilot.pause()
        assert stored(planner, mine).front == "My front"
        assert screen.card.id == mine and front.source == "My front"
        assert ("", "Edit taken back.") in notifications(app)

        await pilot.press("u")  # 2: the burying
        await pilot.pause()
        assert stored(planner, third).buried_until is None
        assert screen.card.id == third and front.source == before[third].front

        await pilot.press("u")  # 3: the suspension
        await pilot.pause()
        assert not stored(planner, second).suspended
        assert screen.card.id == second and not screen.has_class("-revealed")

        await pilot.press("ctrl+z")  # 4: the answer (ctrl+z is undo too)
        await pilot.pause()
        assert log_count(planner) == 0 and reviews_today(planner) == 0
        assert screen.card.id == first and front.source == before[first].front
        assert not screen.queue.can_undo

    for card_id, card in before.items():  # the database as it was, to the last column
        assert stored(planner, card_id).model_dump() == card.model_dump()


async def test_undo_is_refused_when_another_window_answered_the_card(empty_planner, make_app):
    planner = empty_planner
    first, second = due_reviews(planner, [120, 60])
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("space", "1")  # Again: the card comes back later today
        await pilot.pause()
        assert screen.card.id == second
        later = planner.clock() + timedelta(minutes=5)
        with planner.session() as s:  # another window answers it meanwhile
            card = reviews.load_cards(s, CardRecord.id == first)[0]
            reviews.answer(s, card, 3, later, planner.review_config())
        theirs = stored(planner, first)

        await pilot.press("u")
        await pilot.pause()
        assert stored(planner, first).model_dump() == theirs.model_dump()  # not overwritten
        assert log_count(planner) == 2
        title, message = notifications(app)[-1]
        assert title == "Card changed" and "the answer was not taken back" in message
        assert screen.card.id == second  # the card shown before comes back
        assert not screen.queue.can_undo


async def test_the_leech_notice_counts_the_card_s_lapses(empty_planner, make_app):
    planner = empty_planner
    (card_id,) = due_reviews(planner, [60])
    with planner.session() as s:
        s.get(CardRecord, card_id).lapses = 11  # the twelfth lapse makes it a leech again
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        await open_review(app, pilot)
        await pilot.press("space", "1")
        await pilot.pause()
        leech = [m for title, m in notifications(app) if title == "Leech"]
    assert leech and leech[0].startswith("Failed 12 times: tagged 'leech' and suspended.")
    assert stored(planner, card_id).suspended


async def test_hiding_a_curriculum_card_is_taken_back_too(empty_planner, make_app):
    planner = empty_planner
    first, second = due_reviews(planner, [120, 60])
    app = make_app(planner)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await open_review(app, pilot)
        assert screen.card.id == first
        await pilot.press("e", "y")  # not the learner's to edit: hide it instead
        await pilot.pause()
        assert app.screen is screen and stored(planner, first).hidden
        assert screen.card.id == second
        await pilot.press("u")
        await pilot.pause()
        assert not stored(planner, first).hidden and screen.card.id == first
        assert ("", "Hiding taken back.") in notifications(app)
