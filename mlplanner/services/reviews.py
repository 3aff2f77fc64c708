"""Flashcard review with FSRS: today's queue, grading, undo, suspend and bury.

Each answer is its own transaction, written with a handful of plain statements (the
card's new schedule, a log row holding the old one, the day's counters), so a crash
loses nothing the screen already showed as answered, and grading stays well under a
millisecond on a collection of 100,000 cards.
"""

from __future__ import annotations

import heapq
import json
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from sqlalchemy import and_, bindparam, delete, func, insert, or_, update
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..errors import PlannerError
from ..store.models import (
    CARD_LEARNING,
    CARD_NEW,
    CARD_RELEARNING,
    CARD_REVIEW,
    CardRecord,
    ReviewDay,
    ReviewLog,
)
from . import progress
from .days import StudyCalendar

AGAIN, HARD, GOOD, EASY = (int(r) for r in Rating)
GRADES = (AGAIN, HARD, GOOD, EASY)
GRADE_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
LEECH_LAPSES = 8  # a card failed this often is a leech; again every half of it after that
LEECH_TAG = "leech"
LEARN_AHEAD = timedelta(minutes=20)  # learning cards shown early when nothing else is left
STUDY_AHEAD_LIMIT = 50
LEARNING_BATCH = 100

SCHEDULE_COLUMNS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)
# What an answer may change, so what an undo puts back.
SNAPSHOT_COLUMNS = (*SCHEDULE_COLUMNS, "suspended", "tags")
CARD_COLUMNS = ("id", "topic_id", "front", "back", "tags", "origin", *SCHEDULE_COLUMNS)


class ReviewError(PlannerError):
    """A review action that cannot be done, with a message for the learner."""

    title = "Review"


@dataclass(frozen=True)
class ReviewConfig:
    calendar: StudyCalendar
    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    fuzz: bool = True

    @classmethod
    def from_settings(cls, settings, calendar: StudyCalendar, fuzz: bool = True) -> ReviewConfig:
        return cls(
            calendar=calendar,
            new_per_day=settings.new_cards_per_day,
            reviews_per_day=settings.reviews_per_day,
            desired_retention=settings.desired_retention,
            fuzz=fuzz,
        )

    def scheduler(self) -> Scheduler:
        return scheduler(self.desired_retention, self.fuzz)

    def today(self, now: datetime):
        return self.calendar.today(now)

    def day_end(self, now: datetime) -> datetime:
        return self.calendar.day_end(self.today(now))


@dataclass
class ReviewCard:
    """A card as the review screen needs it: its text and its schedule, no ORM object."""

    id: str
    topic_id: str
    front: str
    back: str
    tags: str
    origin: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime | None
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool = False

    @property
    def is_leech(self) -> bool:
        return LEECH_TAG in self.tags.split()


@dataclass(frozen=True)
class Answered:
    log_id: int
    card: ReviewCard
    before: dict
    rating: int
    duration_ms: int
    leech: bool  # this answer made the card a leech: it is now tagged and suspended
    requeued: bool  # back in today's learning queue


def scheduler(desired_retention: float = 0.9, fuzz: bool = True) -> Scheduler:
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz)


def to_fsrs(card, now: datetime) -> FsrsCard:
    # An explicit card_id: without one, fsrs makes it from the clock and sleeps a millisecond.
    if card.state == CARD_NEW:
        return FsrsCard(card_id=0, state=State.Learning, step=0, due=now)
    return FsrsCard(
        card_id=0,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def preview(card, now: datetime, sched: Scheduler) -> dict[int, FsrsCard]:
    """The four outcomes, computed once when the answer is shown: the grade the learner
    picks stores exactly the interval its button showed, fuzz included."""
    start = to_fsrs(card, now)
    return {grade: sched.review_card(start, Rating(grade), now)[0] for grade in GRADES}


def interval_label(outcome: FsrsCard, now: datetime) -> str:
    """'<1m', '10m', '5h', '3d', '2.5mo', '1.2y': how long until the card comes back."""
    seconds = max(0.0, (outcome.due - now).total_seconds())
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def _snapshot(card: ReviewCard) -> dict:
    values = {}
    for name in SNAPSHOT_COLUMNS:
        value = getattr(card, name)
        values[name] = value.isoformat() if isinstance(value, datetime) else value
    return values


def _restore(values: dict) -> dict:
    restored = dict(values)
    for name in ("due", "last_review"):
        if restored.get(name):
            restored[name] = datetime.fromisoformat(restored[name])
    return restored


def _active():
    return (
        col(CardRecord.suspended).is_(False),
        col(CardRecord.removed).is_(False),
        col(CardRecord.hidden).is_(False),
    )


def _not_buried(now: datetime):
    return or_(col(CardRecord.buried_until).is_(None), col(CardRecord.buried_until) <= now)


def load_cards(session: Session, *where, order=(), limit: int | None = None) -> list[ReviewCard]:
    statement = select(*(getattr(CardRecord, name) for name in CARD_COLUMNS)).where(*where)
    if order:
        statement = statement.order_by(*order)
    if limit is not None:
        statement = statement.limit(limit)
    return [ReviewCard(*row) for row in session.exec(statement)]


def done_today(session: Session, config: ReviewConfig, now: datetime) -> tuple[int, int]:
    """(new cards introduced, review cards answered) so far today, for the daily limits."""
    row = session.exec(
        select(
            func.coalesce(func.sum(ReviewDay.new_cards), 0),
            func.coalesce(func.sum(ReviewDay.first_pass + ReviewDay.first_fail), 0),
        ).where(ReviewDay.day == config.today(now))
    ).one()
    return int(row[0]), int(row[1])


def new_card_topics(
    curriculum: Curriculum, status: dict[str, str], scope: Sequence[str] | None
) -> list[str]:
    """Where new cards come from, in order: topics in progress, then those up next, each
    in roadmap order; within a scope (a topic or a stage) its topics in roadmap order."""
    if scope is not None:
        wanted = set(scope)
        return [t.id for t in curriculum.topics if t.id in wanted]
    doing = [t.id for t in curriculum.topics if status.get(t.id) == "in_progress"]
    return doing + [t for t in progress.next_up(curriculum, status) if t not in doing]


@dataclass
class _Stream:
    """The learning cards of one state, read soonest due first, a batch at a time."""

    where: tuple
    unloaded: int  # counted when the queue was built, less what has been read since
    cursor: datetime | None = None

    def read(self, session: Session) -> list[ReviewCard]:
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
    """Today's cards in the order they are shown, plus what the session has done."""

    config: ReviewConfig
    day_end: datetime
    main: deque[ReviewCard]
    learning: list[tuple[datetime, int, ReviewCard]] = field(default_factory=list)
    ahead: bool = False
    history: list[Answered] = field(default_factory=list)
    reviewed: int = 0
    again: int = 0
    time_ms: int = 0
    leeches: int = 0
    # Learning cards are read from the database a batch at a time, soonest due first: one
    # stream per learning state, each read in the order of the queue index.
    streams: list[_Stream] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    _seq: int = 0

    @property
    def unloaded(self) -> int:
        return sum(stream.unloaded for stream in self.streams)

    def _push_learning(self, card: ReviewCard) -> None:
        self._seq += 1
        heapq.heappush(self.learning, (card.due, self._seq, card))

    def refill(self, session: Session) -> None:
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
        new = sum(1 for c in self.main if c.state == CARD_NEW)
        review = sum(1 for c in self.main if c.state == CARD_REVIEW)
        learning = len(self.main) - new - review + len(self.learning) + self.unloaded
        return new, learning, review

    def next_card(self, now: datetime) -> ReviewCard | None:
        """The next card to show, or None when today's session is over."""
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
        """Show this card next (after an undo, or when the screen closes mid-card)."""
        self.main.appendleft(card)

    def next_learning_due(self) -> datetime | None:
        return self.learning[0][0] if self.learning else None

    def answer(
        self,
        session: Session,
        card: ReviewCard,
        rating: int,
        now: datetime,
        outcome: FsrsCard | None = None,
        duration_ms: int = 0,
    ) -> Answered:
        """Grade a card, commit it, and keep it for today if it is still being learned."""
        done = answer(session, card, rating, now, self.config, outcome, duration_ms)
        session.commit()
        requeued = False
        if not done.leech and card.state != CARD_REVIEW and card.due < self.day_end:
            self._push_learning(card)
            requeued = True
        self.refill(session)
        done = Answered(done.log_id, card, done.before, rating, duration_ms, done.leech, requeued)
        self.history.append(done)
        self.reviewed += 1
        self.again += rating == AGAIN
        self.time_ms += duration_ms
        self.leeches += done.leech
        return done

    def undo(self, session: Session) -> ReviewCard:
        """Take back the last answer, in the database too; the card is shown again next."""
        if not self.history:
            raise ReviewError("nothing to undo")
        done = self.history.pop()
        undo_answer(session, done.log_id, self.config)
        session.commit()
        # Wherever the card waits now (back in learning, or put back on screen), it
        # comes next, once.
        self.main = deque(c for c in self.main if c is not done.card)
        self.learning = [e for e in self.learning if e[2] is not done.card]
        heapq.heapify(self.learning)
        for name, value in _restore(done.before).items():
            setattr(done.card, name, value)
        self.reviewed -= 1
        self.again -= done.rating == AGAIN
        self.time_ms -= done.duration_ms
        self.leeches -= done.leech
        self.put_back(done.card)
        return done.card

    def drop(self, card: ReviewCard) -> None:
        """Forget a card for this session (suspended, buried or hidden while shown)."""
        self.main = deque(c for c in self.main if c.id != card.id)
        self.learning = [e for e in self.learning if e[2].id != card.id]
        heapq.heapify(self.learning)


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
    streams = []
    for state in (CARD_LEARNING, CARD_RELEARNING):
        where = (
            *_active(),
            col(CardRecord.state) == state,
            col(CardRecord.due) < day_end,
            _not_buried(now),
            *in_scope,
        )
        count = session.exec(select(func.count()).select_from(CardRecord).where(*where)).one()
        streams.append(_Stream(where, count))
    new_done, reviews_done = done_today(session, config, now)
    if ahead_days:
        reviews = load_cards(
            session,
            *_active(),
            col(CardRecord.state) == CARD_REVIEW,
            col(CardRecord.due) >= day_end,
            col(CardRecord.due) < day_end + timedelta(days=ahead_days),
            _not_buried(now),
            *in_scope,
            order=(CardRecord.due,),
            limit=STUDY_AHEAD_LIMIT,
        )
        fresh: list[ReviewCard] = []
    else:
        room = max(0, config.reviews_per_day - reviews_done)
        reviews = (
            load_cards(
                session,
                *_active(),
                col(CardRecord.state) == CARD_REVIEW,
                col(CardRecord.due) < day_end,
                _not_buried(now),
                *in_scope,
                order=(CardRecord.due,),
                limit=room,
            )
            if room
            else []
        )
        fresh = []
        room = max(0, config.new_per_day - new_done)
        for topic_id in new_card_topics(curriculum, status, scope) if room else ():
            fresh += load_cards(
                session,
                *_active(),
                col(CardRecord.topic_id) == topic_id,
                col(CardRecord.state) == CARD_NEW,
                _not_buried(now),
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
    result, every = [], (len(reviews) + len(fresh)) / len(fresh)
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


_CARDS = CardRecord.__table__
_DAYS = ReviewDay.__table__
_LOGS = ReviewLog.__table__
_COUNTERS = ("reviews", "new_cards", "first_pass", "first_fail", "again", "time_ms")
# Built once: answering runs these three statements, so they skip the ORM and reuse the
# compiled form (each bound value still goes through its column type).
_SAVE_CARD = (
    update(_CARDS)
    .where(_CARDS.c.id == bindparam("card_id"))
    .values({name: bindparam(name) for name in (*SNAPSHOT_COLUMNS, "updated_at")})
)
_ADD_LOG = insert(_LOGS).returning(_LOGS.c.id)
_BUMP_DAY = (
    update(_DAYS)
    .where(_DAYS.c.day == bindparam("the_day"), _DAYS.c.topic_id == bindparam("the_topic"))
    .values({name: _DAYS.c[name] + bindparam(f"add_{name}") for name in _COUNTERS})
)


def _bump_day(session: Session, day, topic_id: str, sign: int, **counts: int) -> None:
    connection = session.connection()
    params = {f"add_{name}": sign * counts.get(name, 0) for name in _COUNTERS}
    changed = connection.execute(
        _BUMP_DAY, {"the_day": day, "the_topic": topic_id, **params}
    ).rowcount
    if not changed and sign > 0:
        connection.execute(insert(_DAYS), {"day": day, "topic_id": topic_id, **counts})


def _day_counts(before: dict, rating: int, duration_ms: int, starts) -> dict[str, int]:
    """What one answer adds to its day's counters, from the card's state before it."""
    was_review = before["state"] == CARD_REVIEW
    last = before["last_review"]
    if isinstance(last, str):
        last = datetime.fromisoformat(last)
    first_today = last is None or last < starts
    return {
        "reviews": 1,
        "new_cards": int(before["state"] == CARD_NEW),
        "first_pass": int(was_review and first_today and rating != AGAIN),
        "first_fail": int(was_review and first_today and rating == AGAIN),
        "again": int(rating == AGAIN),
        "time_ms": duration_ms,
    }


def answer(
    session: Session,
    card: ReviewCard,
    rating: int,
    now: datetime,
    config: ReviewConfig,
    outcome: FsrsCard | None = None,
    duration_ms: int = 0,
) -> Answered:
    """Store one answer: the card's new schedule, a log row holding the old one, and the
    day's counters. The caller commits. `card` is updated in place.

    `outcome` is the result already shown to the learner for this grade (see `preview`);
    without it the grade is computed here."""
    if rating not in GRADES:
        raise ReviewError(f"a grade is 1-4, not {rating}")
    if outcome is None:
        outcome = config.scheduler().review_card(to_fsrs(card, now), Rating(rating), now)[0]
    before = _snapshot(card)
    was_review = card.state == CARD_REVIEW
    card.state = int(outcome.state)
    card.step = outcome.step
    card.stability = outcome.stability
    card.difficulty = outcome.difficulty
    card.due = outcome.due
    card.last_review = now
    card.reps += 1
    leech = False
    if rating == AGAIN and was_review:
        card.lapses += 1
        half = LEECH_LAPSES // 2
        if card.lapses >= LEECH_LAPSES and (card.lapses - LEECH_LAPSES) % half == 0:
            leech = True
            card.suspended = True
            if not card.is_leech:
                card.tags = f"{card.tags} {LEECH_TAG}".strip()
    connection = session.connection()
    connection.execute(
        _SAVE_CARD,
        {
            "card_id": card.id,
            **{name: getattr(card, name) for name in SNAPSHOT_COLUMNS},
            "updated_at": now,
        },
    )
    log_id = connection.execute(
        _ADD_LOG,
        {
            "card_id": card.id,
            "rating": rating,
            "reviewed_at": now,
            "duration_ms": duration_ms,
            "state_before": json.dumps(before),
        },
    ).scalar_one()
    today = config.today(now)
    starts = config.calendar.day_start(today)
    _bump_day(session, today, card.topic_id, 1, **_day_counts(before, rating, duration_ms, starts))
    return Answered(log_id, card, before, rating, duration_ms, leech, False)


def undo_answer(session: Session, log_id: int, config: ReviewConfig) -> None:
    """Put a card back as it was before an answer and forget the answer. The caller commits."""
    log = session.get(ReviewLog, log_id)
    if log is None:
        raise ReviewError("that answer is no longer in the log")
    before = json.loads(log.state_before)
    topic_id = session.exec(select(CardRecord.topic_id).where(CardRecord.id == log.card_id)).one()
    values = {k: v for k, v in _restore(before).items() if k in SNAPSHOT_COLUMNS}
    session.exec(update(CardRecord).where(col(CardRecord.id) == log.card_id).values(**values))
    day = config.today(log.reviewed_at)
    starts = config.calendar.day_start(day)
    counts = _day_counts(before, log.rating, log.duration_ms, starts)
    _bump_day(session, day, topic_id, -1, **counts)
    session.exec(delete(ReviewLog).where(col(ReviewLog.id) == log_id))


def suspend(session: Session, card_id: str, now: datetime, suspended: bool = True) -> None:
    session.exec(
        update(CardRecord)
        .where(col(CardRecord.id) == card_id)
        .values(suspended=suspended, updated_at=now)
    )


def bury(session: Session, card_id: str, now: datetime, config: ReviewConfig) -> datetime:
    """Hide a card until tomorrow's study day begins; returns that instant."""
    until = config.day_end(now)
    session.exec(
        update(CardRecord)
        .where(col(CardRecord.id) == card_id)
        .values(buried_until=until, updated_at=now)
    )
    return until


def next_due(session: Session, now: datetime, scope: Sequence[str] | None = None):
    """When the next learning or review card falls due (None when none is scheduled)."""
    where = [*_active(), col(CardRecord.state) != CARD_NEW, col(CardRecord.due).is_not(None)]
    if scope is not None:
        where.append(col(CardRecord.topic_id).in_(list(scope)))
    first = session.exec(select(func.min(CardRecord.due)).where(*where)).one()
    if first is not None and first.tzinfo is None:
        first = first.replace(tzinfo=UTC)
    return first


def rebuild_review_days(session: Session, config: ReviewConfig) -> int:
    """Recompute the per-day counters from the review log (after an upgrade or an import of
    a history); returns the number of log rows read."""
    session.exec(delete(ReviewDay))
    rows = session.exec(
        select(
            ReviewLog.card_id,
            CardRecord.topic_id,
            ReviewLog.rating,
            ReviewLog.reviewed_at,
            ReviewLog.duration_ms,
            ReviewLog.state_before,
        ).join(CardRecord, and_(col(CardRecord.id) == col(ReviewLog.card_id)))
    )
    totals: dict[tuple, dict[str, int]] = {}
    starts_of: dict = {}
    count = 0
    for _card_id, topic_id, rating, reviewed_at, duration_ms, state_before in rows:
        count += 1
        day = config.today(reviewed_at)
        starts = starts_of.get(day)
        if starts is None:
            starts = starts_of[day] = config.calendar.day_start(day)
        counts = _day_counts(json.loads(state_before), rating, duration_ms, starts)
        into = totals.setdefault((day, topic_id), dict.fromkeys(counts, 0))
        for name, n in counts.items():
            into[name] += n
    rows_out = [{"day": d, "topic_id": t, **c} for (d, t), c in totals.items()]
    for start in range(0, len(rows_out), 5000):
        session.exec(insert(ReviewDay), params=rows_out[start : start + 5000])
    return count


def ensure_review_days(session: Session, config: ReviewConfig) -> bool:
    """Fill the per-day counters once for a history logged before they existed."""
    has_days = session.exec(select(ReviewDay.day).limit(1)).first() is not None
    if has_days or session.exec(select(ReviewLog.id).limit(1)).first() is None:
        return False
    rebuild_review_days(session, config)
    return True
