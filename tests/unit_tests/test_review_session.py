"""A whole day's review session on the demo history, drained through the services: what
the review screen does card by card (tests/functional_tests/test_review_screen.py drives
the keys on a short queue)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import select

from mlplanner.clock import FixedClock
from mlplanner.planner import open_planner
from mlplanner.services import progress, reviews
from mlplanner.services.demo import build_demo
from mlplanner.services.reviews import AGAIN, EASY
from mlplanner.store.models import CardRecord, ReviewLog
from tests.conftest import NOW

BERLIN = ZoneInfo("Europe/Berlin")


def log_count(planner) -> int:
    with planner.session() as s:
        return s.exec(select(func.count()).select_from(ReviewLog)).one()


def todays_queue(planner) -> reviews.ReviewQueue:
    """What opening the review screen builds."""
    with planner.session() as s:
        return reviews.build_queue(
            s, planner.curriculum, progress.statuses(s), planner.clock(), planner.review_config()
        )


def test_a_reopened_session_drains_the_days_queue_once_each_and_ends(paths):
    clock = FixedClock(NOW)
    planner = open_planner(paths, clock)
    try:
        build_demo(planner.session, planner.curriculum, clock(), BERLIN)
        before = log_count(planner)
        now = clock()

        # A first sitting: one card suspended, the next one failed, then the screen closed.
        queue = todays_queue(planner)
        suspended = queue.next_card(now)
        failed = queue.next_card(now)
        assert suspended is not None and failed is not None
        with planner.session() as s:
            queue.suspend(s, suspended, now)
        with planner.session() as s:
            queue.answer(s, failed, AGAIN, now, duration_ms=4000)
        assert log_count(planner) == before + 1

        # Come back: the day's queue, drained with Easy (each card graduates for today).
        queue = todays_queue(planner)
        left = sum(queue.counts())
        assert left > 20  # the whole of a realistic day, not a token few
        seen: list[str] = []
        while (card := queue.next_card(now)) is not None:
            assert len(seen) <= left, "the queue does not end"
            seen.append(card.id)
            with planner.session() as s:
                queue.answer(s, card, EASY, now, duration_ms=2000)
        assert suspended.id not in seen
        assert failed.id in seen  # failed earlier today: due again within the day
        assert len(seen) == len(set(seen)) == left  # each card once, as counted at the start
        assert queue.counts() == (0, 0, 0) and queue.reviewed == len(seen)
        assert log_count(planner) == before + 1 + len(seen)
        with planner.session() as s:
            assert s.get(CardRecord, suspended.id).suspended

        # After the end the last answer can still be taken back: that card comes next.
        with planner.session() as s:
            undone = queue.undo(s)
        assert undone.card.id == seen[-1] and queue.reviewed == len(seen) - 1
        assert log_count(planner) == before + len(seen)
        again = queue.next_card(now)
        assert again is not None and again.id == seen[-1]
        assert queue.next_card(now) is None

        # Opening the screen once more: only the card taken back is left today.
        reopened = todays_queue(planner)
        assert sum(reopened.counts()) == 1
        left_over = reopened.next_card(now)
        assert left_over is not None and left_over.id == seen[-1]
    finally:
        planner.close()
