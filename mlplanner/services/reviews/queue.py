"""Today's review queue: which cards come, in which order, and what a session has done."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from fsrs import Card as FsrsCard
from sqlalchemy import ColumnElement, func
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from ...curriculum import Curriculum
from ...store.models import CardRecord
from ...vocabulary import CardState
from .. import learner
from ..card_filters import active
from . import undo as actions
from .answers import Answered, StaleCard, apply_answer, store_answer
from .day_counters import done_today
from .new_cards import new_card_topics
from .scheduling import AGAIN, SCHEDULE_COLUMNS, ReviewCard, ReviewConfig, ReviewError
from .undo import Action

LEARN_AHEAD = timedelta(minutes=20)  # learning cards shown early when nothing else is left
STUDY_AHEAD_LIMIT = 50
LEARNING_BATCH = 100
CARD_COLUMNS = (
    "id",
    "topic_id",
    "front",
    "back",
    "tags",
    "origin",
    *SCHEDULE_COLUMNS,
    "updated_at",
)


def load_cards(
    session: Session | Connection,
    *where: ColumnElement[bool] | bool,
    order: Sequence[Any] = (),
    limit: int | None = None,
) -> list[ReviewCard]:
    statement = select(*(getattr(CardRecord, name) for name in CARD_COLUMNS)).where(*where)
    if order:
        statement = statement.order_by(*order)
    if limit is not None:
        statement = statement.limit(limit)
    if isinstance(session, Session):  # flushes what the session holds first
        return [ReviewCard(*row) for row in session.exec(statement)]
    return [ReviewCard(*row) for row in session.execute(statement)]


@dataclass
class _Stream:
    """The learning cards of one state, read soonest due first, a batch at a time."""

    where: tuple[ColumnElement[bool], ...]
    unloaded: int  # counted when the queue was built, less what has been read since
    cursor: datetime | None = None

    def read(self, session: Session | Connection) -> list[ReviewCard]:
        after = (col(CardRecord.due) > self.cursor,) if self.cursor is not None else ()
        rows = load_cards(
            session, *self.where, *after, order=(CardRecord.due,), limit=LEARNING_BATCH
        )
        if len(rows) < LEARNING_BATCH:
            self.unloaded = 0  # that was the last of them
        else:  # the next read starts after this due time: take all the cards sharing it now
            last = rows[-1].due
            held = {c.id for c in rows}
            rows += [
                c
                for c in load_cards(session, *self.where, col(CardRecord.due) == last)
                if c.id not in held
            ]
            self.unloaded = max(0, self.unloaded - len(rows))
        if rows:
            self.cursor = rows[-1].due
        return rows


@dataclass
class ReviewQueue:
    """Today's cards in the order they are shown, plus what the session has done.

    Every action on a card (answer, suspend, bury, hide, edit) goes on `history`, and
    `undo` takes the last one back, in the database too. Each writes through the caller's
    session and does not commit: the caller's unit of work does, once per action.

    A caller whose commit may fail (a busy, read-only or full database) takes each action
    in two steps: `store_*` writes and changes nothing held here, then, once the commit
    succeeded, `record_answer`, `record` or `record_undo` changes the cards, the queue,
    the counters and the history. A failed commit leaves the session as it was, and the
    learner can try again. `answer`, `suspend`, … and `undo` do both steps at once."""

    config: ReviewConfig
    day_end: datetime
    main: deque[ReviewCard]
    learning: list[tuple[datetime, int, ReviewCard]] = field(default_factory=list)
    ahead: bool = False
    history: list[Action] = field(default_factory=list)
    reviewed: int = 0
    again: int = 0
    time_ms: int = 0
    leeches: int = 0
    # Learning cards are read from the database a batch at a time, soonest due first: one
    # stream per learning state, each read in the order of the queue index.
    streams: list[_Stream] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    put_back_count: int = 0  # cards at the head of `main` put back: they come before all
    _seq: int = 0

    @property
    def unloaded(self) -> int:
        return sum(stream.unloaded for stream in self.streams)

    def _push_learning(self, card: ReviewCard) -> None:
        assert card.due is not None, "a learning card has a due time"
        self._seq += 1
        heapq.heappush(self.learning, (card.due, self._seq, card))

    def refill(self, session: Session | Connection) -> None:
        """Read more learning cards while some not yet read could be due before the
        soonest card held."""
        for stream in self.streams:
            while stream.unloaded > 0 and (
                stream.cursor is None or not self.learning or self.learning[0][0] >= stream.cursor
            ):
                for card in stream.read(session):
                    if card.id not in self.seen:
                        self.seen.add(card.id)
                        self._push_learning(card)

    def counts(self) -> tuple[int, int, int]:
        """Left today: (new, learning, review)."""
        new = sum(1 for c in self.main if c.state == CardState.NEW)
        review = sum(1 for c in self.main if c.state == CardState.REVIEW)
        learning = len(self.main) - new - review + len(self.learning) + self.unloaded
        return new, learning, review

    def next_card(self, now: datetime) -> ReviewCard | None:
        """The next card to show, or None when today's session is over."""
        if self.put_back_count:
            self.put_back_count -= 1
            return self.main.popleft()
        if self.learning and self.learning[0][0] <= now:
            return heapq.heappop(self.learning)[2]
        if self.main:
            return self.main.popleft()
        if self.learning and self.learning[0][0] <= now + LEARN_AHEAD:
            return heapq.heappop(self.learning)[2]
        return None

    def next_card_due_soon(self, now: datetime) -> bool:
        """Whether a learning card would be shown now (it is due, or due within the
        learn-ahead window)."""
        return bool(self.learning) and self.learning[0][0] <= now + LEARN_AHEAD

    def put_back(self, card: ReviewCard) -> None:
        """Show this card next, before any learning card falling due (after an undo, or
        when the screen closes mid-card)."""
        self.main.appendleft(card)
        self.put_back_count += 1

    def next_learning_due(self) -> datetime | None:
        return self.learning[0][0] if self.learning else None

    def answer(
        self,
        session: Session | Connection,
        card: ReviewCard,
        rating: int,
        now: datetime,
        outcome: FsrsCard | None = None,
        duration_ms: int = 0,
    ) -> Answered:
        """Grade a card and keep it for today if it is still being learned."""
        done = self.store_answer(session, card, rating, now, outcome, duration_ms)
        self.record_answer(done)
        return done

    def store_answer(
        self,
        session: Session | Connection,
        card: ReviewCard,
        rating: int,
        now: datetime,
        outcome: FsrsCard | None = None,
        duration_ms: int = 0,
    ) -> Answered:
        """Write a grade (see `answers.store_answer`); `record_answer` takes it in.

        Learning cards due before the ones held are read first, in the same transaction:
        stored cards, which the queue would read anyway, so nothing to take back if the
        commit fails."""
        self.refill(session)
        return store_answer(session, card, rating, now, self.config, outcome, duration_ms)

    def record_answer(self, done: Answered) -> None:
        """An answer committed: the card gets its new schedule and comes back later today
        if it is still being learned; the session counts it and can take it back."""
        apply_answer(done)
        card = done.card
        done.requeued = (
            not done.leech
            and card.state != CardState.REVIEW
            and card.due is not None
            and card.due < self.day_end
        )
        if done.requeued:
            self._push_learning(card)
        self.history.append(actions.answered(done))
        self.reviewed += 1
        self.again += done.rating == AGAIN
        self.time_ms += done.duration_ms
        self.leeches += done.leech

    # The other actions on the card shown: it leaves today's queue (an edit keeps it).

    def suspend(self, session: Session, card: ReviewCard, now: datetime) -> Action:
        return self.record(self.store_suspend(session, card, now))

    def bury(self, session: Session, card: ReviewCard, now: datetime) -> Action:
        return self.record(self.store_bury(session, card, now))

    def hide(self, session: Session, card: ReviewCard, now: datetime) -> Action:
        return self.record(self.store_hide(session, card, now))

    def edit(
        self, session: Session, card: ReviewCard, front: str, back: str, tags: str, now: datetime
    ) -> Action:
        return self.record(self.store_edit(session, card, front, back, tags, now))

    def store_suspend(self, session: Session, card: ReviewCard, now: datetime) -> Action:
        return actions.suspend(session, card, now)

    def store_bury(self, session: Session, card: ReviewCard, now: datetime) -> Action:
        return actions.bury(session, card, now, self.config)

    def store_hide(self, session: Session, card: ReviewCard, now: datetime) -> Action:
        return actions.hide(session, card, now)

    def store_edit(
        self, session: Session, card: ReviewCard, front: str, back: str, tags: str, now: datetime
    ) -> Action:
        return actions.edit(session, card, front, back, tags, now)

    def record(self, action: Action) -> Action:
        """A change committed (suspend, bury, hide, edit): the card gets it and the
        session can take it back."""
        actions.apply_change(action)
        self.history.append(action)
        return action

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    def reload(self, session: Session, card: ReviewCard, now: datetime) -> ReviewCard | None:
        """Read `card` again as it is stored now (after StaleCard: another window answered
        it) and queue it anew if it is still due today: shown next if due now, among the
        learning cards if later today. Returns it, or None when it is no longer due."""
        found = load_cards(session, col(CardRecord.id) == card.id, *active(now))
        if not found:
            return None
        fresh = found[0]
        due = fresh.due
        if fresh.state != CardState.NEW and (due is None or due >= self.day_end):
            return None
        if fresh.state in (CardState.NEW, CardState.REVIEW) or (due is not None and due <= now):
            self.put_back(fresh)
        else:  # a learning step later today
            self._push_learning(fresh)
        return fresh

    def undo(self, session: Session) -> Action:
        """Take back the last action, in the database too; its card is shown again next.

        Raises StaleCard when the card was changed elsewhere since: that action is then
        dropped (it can no longer be taken back) and the one before it comes next."""
        action = self.store_undo(session)
        self.record_undo(action)
        return action

    def store_undo(self, session: Session) -> Action:
        """Take back the last action in the database; `record_undo` takes that in.

        Raises StaleCard when the card was changed elsewhere since: the database refuses
        it whatever happens to this transaction, so that action is dropped at once (it
        can no longer be taken back) and the one before it comes next."""
        if not self.history:
            raise ReviewError("nothing to undo")
        action = self.history[-1]
        try:
            actions.revert(session, action, self.config)
        except StaleCard:
            self.history.pop()
            raise
        return action

    def record_undo(self, action: Action) -> None:
        """An undo committed: the card is as it was before the action and comes next;
        an answer is no longer counted."""
        assert self.history and self.history[-1] is action, "the last action is taken back"
        self.history.pop()
        actions.restore(action)
        card = action.card
        # Wherever the card waits now (back in learning, or put back on screen), it
        # comes next, once.
        self.put_back_count = sum(
            1 for c in islice(self.main, self.put_back_count) if c is not card
        )
        self.main = deque(c for c in self.main if c is not card)
        self.learning = [e for e in self.learning if e[2] is not card]
        heapq.heapify(self.learning)
        done = action.answered
        if done is not None:
            self.reviewed -= 1
            self.again -= done.rating == AGAIN
            self.time_ms -= done.duration_ms
            self.leeches -= done.leech
        self.put_back(card)


def build_queue(
    session: Session,
    curriculum: Curriculum,
    status: dict[str, str],
    now: datetime,
    config: ReviewConfig,
    scope: Sequence[str] | None = None,
    ahead_days: int = 0,
) -> ReviewQueue:
    """Today's queue: learning cards due today, due reviews from every topic (or from the
    scope) up to the daily limit, and new cards up to theirs, spread among the reviews.

    With `ahead_days`, reviews due in the next days instead, without new cards: answering
    early is fine for FSRS, which schedules from the real time elapsed."""
    day_end = config.day_end(now)
    in_scope = (col(CardRecord.topic_id).in_(list(scope)),) if scope is not None else ()
    showable = (*active(now), *in_scope)
    streams = []
    for state in (CardState.LEARNING, CardState.RELEARNING):
        where = (*showable, col(CardRecord.state) == state, col(CardRecord.due) < day_end)
        count = session.exec(select(func.count()).select_from(CardRecord).where(*where)).one()
        streams.append(_Stream(where, count))
    new_done, reviews_done = done_today(session, config, now)
    reviewing = (*showable, col(CardRecord.state) == CardState.REVIEW)
    fresh: list[ReviewCard] = []
    if ahead_days:
        reviews = load_cards(
            session,
            *reviewing,
            col(CardRecord.due) >= day_end,
            col(CardRecord.due) < day_end + timedelta(days=ahead_days),
            order=(CardRecord.due,),
            limit=STUDY_AHEAD_LIMIT,
        )
    else:
        room = max(0, config.reviews_per_day - reviews_done)
        reviews = (
            load_cards(
                session,
                *reviewing,
                col(CardRecord.due) < day_end,
                order=(CardRecord.due,),
                limit=room,
            )
            if room
            else []
        )
        room = max(0, config.new_per_day - new_done)
        on_path = learner.plan_topics(session, curriculum) if room and scope is None else None
        for topic_id in new_card_topics(curriculum, status, scope, on_path) if room else ():
            fresh += load_cards(
                session,
                *active(now),
                col(CardRecord.topic_id) == topic_id,
                col(CardRecord.state) == CardState.NEW,
                order=(CardRecord.position, CardRecord.id),
                limit=room - len(fresh),
            )
            if len(fresh) >= room:
                break
    queue = ReviewQueue(
        config,
        day_end,
        deque(_interleave(reviews, fresh)),
        ahead=bool(ahead_days),
        streams=streams,
        seen={c.id for c in reviews} | {c.id for c in fresh},
    )
    queue.refill(session)
    return queue


def _interleave(reviews: list[ReviewCard], fresh: list[ReviewCard]) -> list[ReviewCard]:
    """New cards spread evenly through the reviews, so neither comes in one block."""
    if not fresh or not reviews:
        return reviews + fresh
    result: list[ReviewCard] = []
    every = (len(reviews) + len(fresh)) / len(fresh)
    pending = iter(fresh)
    next_new = every / 2
    for index in range(len(reviews) + len(fresh)):
        if index >= next_new:
            card = next(pending, None)
            if card is not None:
                result.append(card)
                next_new += every
                continue
        if reviews:
            result.append(reviews.pop(0))
        else:
            result.extend(pending)
            break
    result.extend(pending)
    return result


def next_due(
    session: Session, now: datetime, scope: Sequence[str] | None = None
) -> datetime | None:
    """When the next learning or review card falls due (None when none is scheduled)."""
    where = [*active(now), col(CardRecord.state) != CardState.NEW, col(CardRecord.due).is_not(None)]
    if scope is not None:
        where.append(col(CardRecord.topic_id).in_(list(scope)))
    first: datetime | None = session.exec(select(func.min(CardRecord.due)).where(*where)).one()
    if first is not None and first.tzinfo is None:
        first = first.replace(tzinfo=UTC)
    return first
