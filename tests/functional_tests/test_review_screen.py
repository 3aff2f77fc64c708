"""Reviewing by keys: reveal, grade, undo, suspend, quit and resume; cards; the browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select
from textual.widgets import Button, DataTable, Input, Markdown, Static, TextArea

from mlplanner.config import UserConfig
from mlplanner.services import progress, reviews
from mlplanner.services import settings as settings_service
from mlplanner.services.reviews import EASY
from mlplanner.store.models import CARD_REVIEW, CardRecord, ReviewLog
from mlplanner.tui.app import PlannerApp
from mlplanner.tui.screens.card_browser import CardBrowser
from mlplanner.tui.screens.card_form import CardForm
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.review_screen import ReviewScreen

from .conftest import BERLIN, settle


def log_count(planner) -> int:
    with planner.session() as s:
        return s.exec(select(func.count()).select_from(ReviewLog)).one()


def stored(planner, card_id: str) -> CardRecord:
    with planner.session() as s:
        card = s.get(CardRecord, card_id)
        s.expunge(card)
        return card


def todays_queue_ids(planner) -> list[str]:
    """The cards the review screen would show now, in order."""
    with planner.session() as s:
        queue = reviews.build_queue(
            s, planner.curriculum, progress.statuses(s), planner.clock(), planner.review_config()
        )
        ids = []
        while (card := queue.next_card(planner.clock())) is not None:
            ids.append(card.id)
        return ids


def answer_all_but(planner, keep: int) -> int:
    """Answer today's cards Easy through the services until `keep` are left; returns how
    many were answered."""
    now = planner.clock()
    answered = 0
    with planner.session() as s:
        queue = reviews.build_queue(
            s, planner.curriculum, progress.statuses(s), now, planner.review_config()
        )
        while sum(queue.counts()) > keep:
            card = queue.next_card(now)
            assert card is not None
            queue.answer(s, card, EASY, now)
            answered += 1
    return answered


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


@pytest.mark.slow
async def test_a_review_session_by_keys(demo_planner, make_app):
    app = make_app(demo_planner)
    before = log_count(demo_planner)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "Left today" in text_of(app, "#review-progress")
        first = screen.card
        assert first is not None
        assert screen.query_one("#review-front", Markdown).source == first.front
        assert not screen.has_class("-revealed")

        await pilot.press("3")  # grading before the answer is shown does nothing
        assert log_count(demo_planner) == before and screen.card is first

        await pilot.press("space")
        await pilot.pause()
        assert screen.has_class("-revealed")
        assert screen.query_one("#review-back", Markdown).source == first.back
        good = str(screen.query_one("#grade-3", Button).label)
        shown_due = screen.outcomes[3].due
        assert good.startswith("3 Good · ")

        await pilot.press("3")
        await pilot.pause()
        assert log_count(demo_planner) == before + 1
        assert stored(demo_planner, first.id).due == shown_due  # the interval on the button
        second = screen.card
        assert second is not None and second.id != first.id

        await pilot.press("u")  # take the answer back: the first card comes again
        await pilot.pause()
        assert log_count(demo_planner) == before
        assert screen.card.id == first.id and not screen.has_class("-revealed")

        await pilot.press("exclamation_mark")  # suspend it
        await pilot.pause()
        assert stored(demo_planner, first.id).suspended
        assert screen.card.id == second.id

        await pilot.press("space", "1")  # Again on the second card
        await pilot.pause()
        assert log_count(demo_planner) == before + 1

        await pilot.press("escape")  # end mid-way: a summary first
        await pilot.pause()
        assert screen.has_class("-ended")
        summary = text_of(app, "#review-summary")
        assert "Cards reviewed: 1" in summary and "Again: 100%" in summary
        assert "Still due today" in summary
        await pilot.press("space")  # go on after all
        await pilot.pause()
        assert not screen.has_class("-ended") and screen.card is not None
        await pilot.press("escape")
        await pilot.pause()
        assert screen.has_class("-ended")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    # Quit and come back: what was answered stays answered. All but three of the day's
    # cards are answered elsewhere first, so the keys drain a short queue to its end
    # (tests/unit_tests/test_review_session.py drains the whole of it).
    elsewhere = answer_all_but(demo_planner, 3)
    left = set(todays_queue_ids(demo_planner))
    assert len(left) == 3 and first.id not in left  # suspended
    again = make_app(demo_planner)
    async with again.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = again.screen
        seen = []
        while screen.card is not None and len(seen) < 4:
            seen.append(screen.card.id)
            await pilot.press("space", "4")
            await pilot.pause()
        assert set(seen) == left and len(seen) == 3
        assert screen.has_class("-ended")
        assert f"Cards reviewed: {len(seen)}" in text_of(again, "#review-summary")
        await pilot.press("u")  # from the summary, the last answer can still be taken back
        await pilot.pause()
        assert screen.card.id == seen[-1] and not screen.has_class("-ended")
        await pilot.press("escape")  # ends with a summary again, not straight out
        await pilot.pause()
        assert screen.has_class("-ended") and again.screen is screen
        seen.pop()
    assert log_count(demo_planner) == before + 1 + elsewhere + len(seen)


@pytest.mark.slow
async def test_nothing_due_then_study_ahead(empty_planner, make_app):
    now = empty_planner.clock()
    with empty_planner.session() as s:
        settings_service.update(s, new_cards_per_day=0)
        card = s.exec(select(CardRecord).order_by(CardRecord.id)).first()
        card.state, card.stability, card.difficulty = CARD_REVIEW, 5.0, 5.0
        card.due, card.last_review = now + timedelta(days=2), now - timedelta(days=3)
        s.add(card)
        card_id = card.id
    app = make_app(empty_planner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-ended")
        summary = text_of(app, "#review-summary")
        assert "Nothing is due" in summary and "The next card is due on Fri 13 Mar" in summary
        await pilot.press("a")
        await pilot.pause()
        assert screen.card is not None and screen.card.id == card_id
        assert "studying ahead" in text_of(app, "#review-progress")
        await pilot.press("space", "3")
        await pilot.pause()
        assert stored(empty_planner, card_id).due > now + timedelta(days=2)


@pytest.mark.slow
async def test_adding_a_card_with_the_form(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        topic_id = app.screen.query_one("#roadmap").selected_topic()
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        form.query_one("#card-front", TextArea).insert("What does `len` return?")
        await pilot.press("ctrl+s")  # no back yet: refused with a message
        await pilot.pause()
        assert "back is empty" in str(form.query_one("#card-error", Static).content)
        form.query_one("#card-back", TextArea).focus()
        await pilot.press(*"The number of items")
        await pilot.pause()
        assert form.query_one("#card-preview-back", Markdown).source == "The number of items"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    with empty_planner.session() as s:
        mine = s.exec(select(CardRecord).where(CardRecord.origin == "user")).one()
    assert (mine.topic_id, mine.front, mine.back) == (
        topic_id,
        "What does `len` return?",
        "The number of items",
    )


@pytest.mark.slow
async def test_card_browser_search_and_suspend(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, CardBrowser)
        search = browser.query_one("#cards-search", Input)
        search.value = "is:review"
        await pilot.pause()
        rows = browser.rows
        assert rows and all(r.state == "review" for r in rows)
        assert browser.query_one(DataTable).row_count == len(rows)
        first = rows[0]
        browser.query_one(DataTable).focus()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert stored(demo_planner, first.id).suspended
        assert first.id not in [r.id for r in browser.rows]  # no longer "review"
        search.value = "is:suspended"
        await pilot.pause()
        assert [r.id for r in browser.rows] == [first.id]


async def test_review_opens_directly_on_a_stage(demo_planner):
    stage = demo_planner.curriculum.stages[1]
    app = PlannerApp(
        demo_planner, tz=BERLIN, user_config=UserConfig(), start_review=("stage", stage.id)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert stage.title in text_of(app, "#review-progress")
        wanted = {t.id for t in stage.topics}
        assert screen.card is None or screen.card.topic_id in wanted
        assert all(c.topic_id in wanted for c in screen.queue.main)


@pytest.mark.slow
async def test_a_long_answer_scrolls(empty_planner, make_app):
    with empty_planner.session() as s:
        settings_service.update(s, new_cards_per_day=1)
    app = make_app(empty_planner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        screen.card.back = "\n\n".join(f"Paragraph {n}." for n in range(60))
        await pilot.press("space")
        await pilot.pause()
        scroller = screen.query_one("#review-card")
        assert scroller.max_scroll_y > 0 and scroller.scroll_y == 0
        await pilot.press("pagedown", "down")
        await pilot.pause()
        assert scroller.scroll_y == 11
