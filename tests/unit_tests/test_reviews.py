from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import bindparam, update
from sqlmodel import func, select

from mlplanner.curriculum import Card as ContentCard
from mlplanner.curriculum import Curriculum, Stage, Topic, Track
from mlplanner.services import cards, content_sync, dashboard, progress, review_stats, reviews
from mlplanner.services.days import StudyCalendar
from mlplanner.services.reviews import AGAIN, EASY, GOOD, ReviewConfig
from mlplanner.services.reviews import queue as review_queue
from mlplanner.store import unit_of_work
from mlplanner.store.models import CARD_NEW, CARD_REVIEW, CardRecord, ReviewDay, ReviewLog

BERLIN = ZoneInfo("Europe/Berlin")


def topic(tid: str, stage: str, cards: int, prerequisites=()) -> Topic:
    return Topic(
        tid,
        stage,
        tid.upper(),
        "s",
        ("o",),
        5.0,
        prerequisites=tuple(prerequisites),
        cards=tuple(
            ContentCard(f"{tid}-{n}", tid, f"{tid} front {n}", "back") for n in range(cards)
        ),
    )


def curriculum() -> Curriculum:
    a, b = topic("a", "s1", 4), topic("b", "s1", 4, ["a"])
    c, d = topic("c", "s2", 4), topic("d", "s2", 4, ["c"])
    return Curriculum(
        Track("t", "T", "s"),
        (Stage("s1", "One", 1, "s", (a, b)), Stage("s2", "Two", 2, "s", (c, d))),
    )


@pytest.fixture
def setup(engine, clock):
    cur = curriculum()
    with unit_of_work(engine) as s:
        content_sync.sync_content(s, cur, clock)
    return cur


def config(**kw) -> ReviewConfig:
    return ReviewConfig(StudyCalendar(BERLIN), fuzz=False, **kw)


def make_review_card(s, card_id: str, due: datetime, lapses: int = 0) -> None:
    card = s.get(CardRecord, card_id)
    card.state, card.stability, card.difficulty = CARD_REVIEW, 10.0, 5.0
    card.due, card.last_review, card.reps, card.lapses = due, due - timedelta(days=10), 3, lapses
    s.add(card)


def test_new_cards_come_from_topics_in_progress_then_next_up_in_roadmap_order(engine, clock, setup):
    with unit_of_work(engine) as s:
        progress.set_status(s, "c", "in_progress", clock)
        status = progress.statuses(s)
        queue = reviews.build_queue(s, setup, status, clock(), config(new_per_day=6))
    ids = [c.id for c in queue.main]
    # c is in progress (stage two); then a, the first topic up next; b and d wait.
    assert ids == ["c-0", "c-1", "c-2", "c-3", "a-0", "a-1"]
    assert queue.counts() == (6, 0, 0)


def test_limits_count_what_was_done_earlier_today(engine, clock, setup):
    cfg = config(new_per_day=3, reviews_per_day=2)
    with unit_of_work(engine) as s:
        for n in range(3):
            make_review_card(s, f"b-{n}", clock() - timedelta(days=n + 1))
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, clock(), cfg)
        assert [c.id for c in queue.main if c.state == CARD_REVIEW] == ["b-2", "b-1"]
        card = queue.next_card(clock())
        queue.answer(s, card, GOOD, clock())
        card = queue.next_card(clock())
        queue.answer(s, card, GOOD, clock())
    with unit_of_work(engine) as s:
        again = reviews.build_queue(s, setup, {}, clock(), cfg)
    # one review and one new card answered: one review and two new cards left
    # a review and a new card were answered (the new one is still learning): one review,
    # one learning and two new cards left
    assert again.counts() == (2, 1, 1)
    assert [c.id for c in again.main] == ["b-1", "a-1", "a-2"]


def test_the_day_rolls_over_at_the_rollover_hour(engine, clock, setup):
    cfg = config(new_per_day=1)
    late = datetime(2026, 3, 11, 23, 30, tzinfo=UTC)  # 00:30 on the 12th in Berlin
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, late, cfg)
        queue.answer(s, queue.next_card(late), EASY, late)
        # still the 11th's study day until 04:00 local: the new-card limit is used up
        assert reviews.build_queue(s, setup, {}, late + timedelta(hours=2), cfg).counts()[0] == 0
        after = datetime(2026, 3, 12, 3, 0, 1, tzinfo=UTC)  # 04:00:01 local
        assert reviews.build_queue(s, setup, {}, after, cfg).counts()[0] == 1
        days = s.exec(select(ReviewDay.day, ReviewDay.new_cards)).all()
    assert days == [(date(2026, 3, 11), 1)]


def test_answer_commits_and_undo_restores_card_log_and_counters(engine, clock, setup):
    cfg = config()
    with unit_of_work(engine) as s:
        make_review_card(s, "a-0", clock() - timedelta(hours=1))
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, clock(), cfg)
        card = queue.next_card(clock())
        assert card.id == "a-0"
        before = {k: getattr(card, k) for k in ("state", "due", "stability", "reps")}
        outcomes = reviews.preview(card, clock(), cfg.scheduler())
        queue.answer(s, card, AGAIN, clock(), outcomes[AGAIN], duration_ms=4200)
    with unit_of_work(engine) as s:  # committed: a new session sees it
        stored = s.get(CardRecord, "a-0")
        assert stored.lapses == 1 and stored.due == outcomes[AGAIN].due
        log = s.exec(select(ReviewLog)).one()
        assert log.duration_ms == 4200 and json.loads(log.state_before)["state"] == CARD_REVIEW
        assert s.exec(select(ReviewDay.first_fail, ReviewDay.again)).one() == (1, 1)
        assert queue.learning  # failed: back later today
        shown = queue.undo(s).card
    assert shown.id == "a-0" and queue.next_card(clock()).id == "a-0"
    with unit_of_work(engine) as s:
        stored = s.get(CardRecord, "a-0")
        assert {k: getattr(stored, k) for k in before} == before and stored.lapses == 0
        assert s.exec(select(ReviewLog)).all() == []
        assert s.exec(select(ReviewDay.reviews, ReviewDay.first_fail)).one() == (0, 0)
    assert not queue.learning and queue.reviewed == 0


def test_a_card_failed_eight_times_is_tagged_and_suspended(engine, clock, setup):
    cfg = config()
    with unit_of_work(engine) as s:
        make_review_card(s, "a-1", clock() - timedelta(hours=1), lapses=7)
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, clock(), cfg)
        card = queue.next_card(clock())
        result = queue.answer(s, card, AGAIN, clock())
    assert result.leech and not result.requeued
    with unit_of_work(engine) as s:
        stored = s.get(CardRecord, "a-1")
        assert stored.suspended and "leech" in stored.tags.split() and stored.lapses == 8
        queue.undo(s)
    with unit_of_work(engine) as s:
        stored = s.get(CardRecord, "a-1")
        assert not stored.suspended and stored.tags == "" and stored.lapses == 7


def test_suspended_and_buried_cards_stay_out_of_the_queue(engine, clock, setup):
    cfg = config(new_per_day=2)
    with unit_of_work(engine) as s:
        reviews.suspend(s, "a-0", clock())
        until = reviews.bury(s, "a-1", clock(), cfg)
        ids = [c.id for c in reviews.build_queue(s, setup, {}, clock(), cfg).main]
        assert ids == ["a-2", "a-3"]
        tomorrow = until + timedelta(minutes=1)
        ids = [c.id for c in reviews.build_queue(s, setup, {}, tomorrow, cfg).main]
    assert ids == ["a-1", "a-2"]
    assert until == datetime(2026, 3, 12, 3, 0, tzinfo=UTC)


def test_the_queue_the_status_line_and_the_forecast_agree_on_active_cards(engine, clock, setup):
    cfg = config()
    with unit_of_work(engine) as s:
        for n in range(4):
            make_review_card(s, f"a-{n}", clock() - timedelta(hours=1))
    with unit_of_work(engine) as s:
        reviews.suspend(s, "a-0", clock())
        reviews.bury(s, "a-1", clock(), cfg)
        cards.set_hidden(s, "a-2", True, clock())
        queue = reviews.build_queue(s, setup, {}, clock(), config(new_per_day=0))
        due = dashboard.due_today(s, clock(), cfg.calendar)
        figures = review_stats.review_stats(s, setup, clock(), cfg.calendar)
    assert [c.id for c in queue.main] == ["a-3"] and due == 1
    # buried until tomorrow, the card still counts in the forecast of what falls due
    assert figures.forecast[0] == 2


def test_scope_and_study_ahead(engine, clock, setup):
    cfg = config()
    with unit_of_work(engine) as s:
        make_review_card(s, "c-0", clock() - timedelta(days=1))
        make_review_card(s, "a-0", clock() - timedelta(days=1))
        make_review_card(s, "a-1", clock() + timedelta(days=2))
    with unit_of_work(engine) as s:
        scoped = reviews.build_queue(s, setup, {}, clock(), cfg, scope=["c", "d"])
        assert [c.id for c in scoped.main if c.state == CARD_REVIEW] == ["c-0"]
        new = [c.id for c in scoped.main if c.state == CARD_NEW]
        assert new == ["c-0", "c-1", "c-2", "c-3", "d-0", "d-1", "d-2", "d-3"][1:]
        ahead = reviews.build_queue(s, setup, {}, clock(), cfg, ahead_days=3)
        assert [c.id for c in ahead.main] == ["a-1"]
        assert reviews.next_due(s, clock()) == clock() - timedelta(days=1)


def test_rebuilt_day_counters_match_the_ones_kept_while_answering(engine, clock, setup):
    cfg = config(new_per_day=8)
    with unit_of_work(engine) as s:
        for day in range(3):
            now = clock() + timedelta(days=day)
            queue = reviews.build_queue(s, setup, {}, now, cfg)
            while (card := queue.next_card(now)) is not None:
                queue.answer(s, card, AGAIN if card.reps == 0 and day else GOOD, now, None, 1000)
                now += timedelta(minutes=5)
        kept = sorted(s.exec(select(ReviewDay)).all(), key=lambda r: (r.day, r.topic_id))
        kept = [r.model_dump() for r in kept]
        assert sum(r["reviews"] for r in kept) > 8
        reviews.rebuild_review_days(s, cfg)
        rebuilt = sorted(s.exec(select(ReviewDay)).all(), key=lambda r: (r.day, r.topic_id))
    assert [r.model_dump() for r in rebuilt] == kept


def test_interval_labels():
    now = datetime(2026, 1, 1, tzinfo=UTC)

    class Out:
        def __init__(self, delta):
            self.due = now + delta

    cases = {
        timedelta(seconds=30): "<1m",
        timedelta(minutes=10): "10m",
        timedelta(hours=5): "5h",
        timedelta(days=3): "3d",
        timedelta(days=75): "2.5mo",
        timedelta(days=730): "2y",
    }
    assert {d: reviews.interval_label(Out(d), now) for d in cases} == cases


def test_new_state_is_zero_until_first_answer(engine, clock, setup):
    with unit_of_work(engine) as s:
        assert s.get(CardRecord, "a-0").state == CARD_NEW


def test_learning_cards_are_read_in_batches_soonest_first(engine, clock, setup, monkeypatch):
    monkeypatch.setattr(review_queue, "LEARNING_BATCH", 3)
    now = clock()
    minutes = {"a-0": 50, "a-1": 10, "a-2": 10, "a-3": 10, "b-0": 10, "b-1": 5, "c-0": 30}
    with unit_of_work(engine) as s:
        for n, (card_id, ago) in enumerate(minutes.items()):
            card = s.get(CardRecord, card_id)
            card.state = 1 if n % 2 else 3  # both learning states
            card.step, card.stability, card.difficulty = 0, 1.0, 5.0
            card.due, card.last_review = now - timedelta(minutes=ago), now - timedelta(hours=1)
            s.add(card)
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, now, config(new_per_day=0))
        assert queue.counts() == (0, 7, 0)
        shown = []
        while (card := queue.next_card(now)) is not None:
            shown.append((card.due, card.id))
            queue.answer(s, card, EASY, now)  # graduates: not seen again today
    assert [d for d, _ in shown] == sorted(d for d, _ in shown)
    assert sorted(i for _, i in shown) == sorted(minutes)
    assert queue.counts() == (0, 0, 0)


def test_undoing_two_answers_of_the_same_card_shows_it_once(engine, clock, setup):
    cfg = config(new_per_day=2)
    now = clock()
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, now, cfg)
        card = queue.next_card(now)
        queue.answer(s, card, AGAIN, now)  # back in learning in a minute
        later = now + timedelta(minutes=2)
        assert queue.next_card(later) is card
        queue.answer(s, card, GOOD, later)
        queue.put_back(queue.next_card(later))  # what the screen does with the card shown
        assert queue.undo(s).card is card
        shown = queue.next_card(later)
        assert shown is card
        queue.put_back(shown)
        queue.undo(s)
        ids = [c.id for c in queue.main] + [e[2].id for e in queue.learning]
    assert ids.count(card.id) == 1 and queue.reviewed == 0
    with unit_of_work(engine) as s:
        assert s.get(CardRecord, card.id).state == CARD_NEW
        assert s.exec(select(ReviewLog)).all() == []


def test_an_undone_card_comes_next_even_when_a_learning_card_falls_due(engine, clock, setup):
    now = clock()
    with unit_of_work(engine) as s:
        card = s.get(CardRecord, "c-0")
        card.state, card.step, card.stability, card.difficulty = 1, 0, 1.0, 5.0
        card.due, card.last_review = now + timedelta(minutes=5), now - timedelta(minutes=5)
        s.add(card)
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, now, config(new_per_day=2))
        first = queue.next_card(now)
        queue.answer(s, first, GOOD, now)
        second = queue.next_card(now)
        later = now + timedelta(minutes=6)  # the learning card is due by now
        queue.put_back(second)  # the screen puts back the card it shows, then undoes
        queue.undo(s)
        shown = [queue.next_card(later).id for _ in range(3)]
    assert shown == [first.id, second.id, "c-0"]


# Undo: every action on a card, last first, conditional on the card being as it was left.


def card_row(s, card_id: str) -> dict:
    card = s.get(CardRecord, card_id)
    return card.model_dump(exclude={"created_at"})


def one_card(s, card_id: str) -> reviews.ReviewCard:
    return reviews.load_cards(s, CardRecord.id == card_id)[0]


def test_undo_takes_back_each_kind_of_action_last_first(engine, clock, setup):
    cfg = config(new_per_day=20)
    now = clock()
    with unit_of_work(engine) as s:
        make_review_card(s, "a-0", now - timedelta(hours=1))
        mine = cards.add_card(s, "a", "my front", "my back", now - timedelta(days=2), "x").id
    ids = ["a-0", "a-1", "a-2", "a-3", mine]
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, now, cfg)
        untouched = {card_id: card_row(s, card_id) for card_id in ids}
        held = {c.id: c for c in queue.main}
    steps = []  # (what the action changed, as stored after it)
    later = now
    for card_id, act in [
        ("a-0", lambda s, c, t: queue.answer(s, c, GOOD, t, None, 3000)),
        ("a-1", queue.suspend),
        ("a-2", queue.bury),
        ("a-3", queue.hide),
        (mine, lambda s, c, t: queue.edit(s, c, "new front", " new back ", "y, z", t)),
    ]:
        later += timedelta(seconds=10)
        with unit_of_work(engine) as s:
            act(s, held[card_id], later)
        with unit_of_work(engine) as s:
            steps.append(card_row(s, card_id))
    a0, a1, a2, a3, edited = steps
    assert a0["reps"] == 4 and a0["due"] > now + timedelta(days=1)
    assert a1["suspended"] and a2["buried_until"] == cfg.day_end(now) and a3["hidden"]
    assert (edited["front"], edited["back"], edited["tags"]) == ("new front", "new back", "y z")
    with unit_of_work(engine) as s:
        assert s.exec(select(ReviewDay.reviews, ReviewDay.time_ms)).one() == (1, 3000)
    kinds = []
    for card_id in reversed(ids):
        with unit_of_work(engine) as s:
            action = queue.undo(s)
        kinds.append(action.kind)
        with unit_of_work(engine) as s:
            assert card_row(s, card_id) == untouched[card_id]  # updated_at included
        assert action.card is held[card_id] and queue.next_card(later) is held[card_id]
        queue.put_back(held[card_id])  # as the screen does with the card it shows
    assert kinds == ["edit", "hide", "bury", "suspend", "answer"]
    assert held[mine].front == "my front" and held["a-0"].reps == 3
    assert not queue.can_undo and queue.reviewed == 0 and queue.time_ms == 0
    with unit_of_work(engine) as s:
        assert s.exec(select(ReviewLog)).all() == []
        assert s.exec(select(ReviewDay.reviews, ReviewDay.time_ms)).one() == (0, 0)
        with pytest.raises(reviews.ReviewError, match="nothing to undo"):
            queue.undo(s)


def test_undo_of_several_actions_on_one_card(engine, clock, setup):
    now = clock()
    with unit_of_work(engine) as s:
        mine = cards.add_card(s, "a", "q", "a", now - timedelta(days=1)).id
        original = card_row(s, mine)
        queue = reviews.build_queue(s, setup, {}, now, config(new_per_day=0))
        card = one_card(s, mine)
    with unit_of_work(engine) as s:  # edited, then answered: the answer sees the edit
        queue.edit(s, card, "q2", "a2", "", now + timedelta(seconds=1))
    with unit_of_work(engine) as s:
        queue.answer(s, card, AGAIN, now + timedelta(seconds=2))
    with unit_of_work(engine) as s:
        queue.answer(s, card, EASY, now + timedelta(minutes=2))
        assert s.exec(select(func.count()).select_from(ReviewLog)).one() == 2
    for remaining in (1, 0):
        with unit_of_work(engine) as s:
            assert queue.undo(s).kind == "answer"
        with unit_of_work(engine) as s:
            assert s.exec(select(func.count()).select_from(ReviewLog)).one() == remaining
            stored = s.get(CardRecord, mine)
            assert (stored.front, stored.reps) == ("q2", remaining)
    with unit_of_work(engine) as s:
        assert queue.undo(s).kind == "edit"
    with unit_of_work(engine) as s:
        assert card_row(s, mine) == original
        assert s.exec(select(ReviewDay.reviews, ReviewDay.new_cards)).one() == (0, 0)


def test_undo_refuses_when_another_window_answered_the_card_since(engine, clock, setup):
    cfg = config()
    now = clock()
    with unit_of_work(engine) as s:
        make_review_card(s, "a-0", now - timedelta(hours=1))
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, now, config(new_per_day=0))
        queue.answer(s, queue.next_card(now), AGAIN, now)
    later = now + timedelta(minutes=5)
    with unit_of_work(engine) as s:  # another window answers the same card later
        reviews.answer(s, one_card(s, "a-0"), GOOD, later, cfg)
    with unit_of_work(engine) as s:
        theirs = card_row(s, "a-0")
    with unit_of_work(engine) as s, pytest.raises(reviews.StaleCard, match="another window"):
        queue.undo(s)
    with unit_of_work(engine) as s:  # nothing overwritten: both answers stay
        assert card_row(s, "a-0") == theirs and theirs["reps"] == 5
        assert s.exec(select(func.count()).select_from(ReviewLog)).one() == 2
        assert s.exec(select(ReviewDay.reviews)).one() == 2
    assert not queue.can_undo  # that answer can no longer be taken back


def test_undo_refuses_when_the_card_was_changed_elsewhere_since(engine, clock, setup):
    now = clock()
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, now, config(new_per_day=3))
        first, second = queue.next_card(now), queue.next_card(now)
        queue.bury(s, first, now)
        queue.suspend(s, second, now)
    with unit_of_work(engine) as s:  # the browser hides the suspended card later
        cards.set_hidden(s, second.id, True, now + timedelta(minutes=1))
    with unit_of_work(engine) as s, pytest.raises(reviews.StaleCard, match="suspension"):
        queue.undo(s)
    with unit_of_work(engine) as s:
        stored = s.get(CardRecord, second.id)
        assert stored.suspended and stored.hidden
        assert queue.undo(s).card is first  # the action before it is still taken back
    with unit_of_work(engine) as s:
        assert s.get(CardRecord, first.id).buried_until is None


def test_an_answer_to_a_card_changed_elsewhere_since_it_was_read_is_refused(engine, clock, setup):
    now = clock()
    with unit_of_work(engine) as s:
        make_review_card(s, "a-0", now - timedelta(hours=1))
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, now, config(new_per_day=0))
        card = queue.next_card(now)
    with unit_of_work(engine) as s:  # suspended from the browser meanwhile
        reviews.suspend(s, "a-0", now + timedelta(seconds=5))
    with unit_of_work(engine) as s, pytest.raises(reviews.StaleCard):
        queue.answer(s, card, GOOD, now + timedelta(seconds=10))
    with unit_of_work(engine) as s:
        stored = s.get(CardRecord, "a-0")
        assert stored.suspended and stored.reps == 3  # not answered, still suspended
        assert s.exec(select(ReviewLog)).all() == []
    assert not queue.can_undo


def test_every_path_stores_instants_as_the_same_text():
    """Queries compare stored instants as text on SQLite (an answer checks the card's last
    review and change): the column type, the answer's prepared statements and the quick
    commands' sqlite3 path must all write what SQLAlchemy's own DATETIME writes for the
    same UTC instant, which databases already hold."""
    from sqlalchemy.dialects import sqlite

    from mlplanner.store import lean, prepared
    from mlplanner.store.instants import instant as read_instant
    from mlplanner.store.instants import stored_instant
    from mlplanner.store.models import CardRecord
    from mlplanner.store.types import UTCDateTime

    dialect = sqlite.dialect()
    column_type = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    stock = sqlite.DATETIME().bind_processor(dialect)  # SQLAlchemy's format, naive UTC
    save = prepared.Prepared(
        update(CardRecord.__table__).values(due=bindparam("due"), reps=bindparam("reps"))
    )
    to_text = dict(zip(save.names, save.processors, strict=True))["due"]
    zones = [UTC, BERLIN, ZoneInfo("America/St_Johns"), ZoneInfo("Pacific/Kiritimati")]
    instants = [
        datetime(2026, 1, 1, tzinfo=zones[n % 4])
        + timedelta(days=n * 3.7, microseconds=0 if n % 3 else n * 997)
        for n in range(500)
    ] + [datetime(999, 12, 31, 23, 59, 59, 5, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC)]
    for value in instants:
        text = stock(value.astimezone(UTC).replace(tzinfo=None))
        assert column_type(value) == to_text(value) == lean.stored_instant(value) == text
        assert stored_instant(value) == text and read_instant(text) == value
    assert column_type(None) is None and to_text(None) is None
    for write in (column_type, to_text, lean.stored_instant):
        with pytest.raises(ValueError, match="naive"):
            write(datetime(2026, 1, 1))


def test_answers_through_a_bare_transaction_are_stored_and_taken_back(engine, clock, setup):
    """The screen answers in `store.transaction` (no ORM session): same rows, same undo."""
    from mlplanner.store import transaction

    now = clock()
    with unit_of_work(engine) as s:
        make_review_card(s, "b-0", now - timedelta(hours=1))
        before = card_row(s, "b-0")
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, now, config(new_per_day=1))
    first, second = queue.next_card(now), queue.next_card(now)
    as_read = copy.copy(first)
    with transaction(engine) as db:
        queue.answer(db, first, GOOD, now, None, 2000)
    with transaction(engine) as db:
        queue.answer(db, second, AGAIN, now + timedelta(seconds=5), None, 1000)
    with unit_of_work(engine) as s:
        logs = s.exec(select(ReviewLog).order_by(ReviewLog.id)).all()
        assert [(log.card_id, log.rating, log.duration_ms) for log in logs] == [
            ("b-0", GOOD, 2000),
            ("a-0", AGAIN, 1000),
        ]
        assert json.loads(logs[0].state_before)["last_review"] == before["last_review"].isoformat()
        assert s.exec(select(ReviewDay.reviews, ReviewDay.new_cards)).all() == [(1, 0), (1, 1)]
    with transaction(engine) as db, pytest.raises(reviews.StaleCard):  # already answered
        reviews.answer(db, as_read, GOOD, now + timedelta(seconds=9), config())
    for _ in range(2):
        with unit_of_work(engine) as s:
            queue.undo(s)
    with unit_of_work(engine) as s:
        assert card_row(s, "b-0") == before and s.exec(select(ReviewLog)).all() == []
        assert s.exec(select(func.sum(ReviewDay.reviews))).one() == 0
    assert as_read.reps == 3  # a refused answer leaves the card as it was
