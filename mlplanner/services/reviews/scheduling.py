"""Grades and the FSRS scheduler: the settings of a review, the four outcomes shown on
the buttons, how long each waits, and the leech rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Protocol

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from ...errors import PlannerError
from ...vocabulary import CardState
from .config import ReviewConfig as ReviewConfig  # re-exported for the scheduling callers

if TYPE_CHECKING:
    pass

AGAIN, HARD, GOOD, EASY = (int(r) for r in Rating)
GRADES = (AGAIN, HARD, GOOD, EASY)
GRADE_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
LEECH_LAPSES = 8  # a card failed this often is a leech; again every half of it after that
LEECH_TAG = "leech"

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


class ReviewError(PlannerError):
    """A review action that cannot be done, with a message for the learner."""

    title = "Review"


class Schedule(Protocol):
    """What the scheduler reads of a card: a stored record or a `ReviewCard`."""

    @property
    def state(self) -> int: ...
    @property
    def step(self) -> int | None: ...
    @property
    def stability(self) -> float | None: ...
    @property
    def difficulty(self) -> float | None: ...
    @property
    def due(self) -> datetime | None: ...
    @property
    def last_review(self) -> datetime | None: ...


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
    updated_at: datetime | None = None  # as read: a write elsewhere since changes it
    suspended: bool = False

    @property
    def is_leech(self) -> bool:
        return LEECH_TAG in self.tags.split()


@cache
def scheduler(desired_retention: float = 0.9, fuzz: bool = True) -> Scheduler:
    """One scheduler per setting, kept: it holds only its parameters (the fuzz draws from
    `random`), and each reveal and answer would otherwise build it anew."""
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz)


def to_fsrs(card: Schedule, now: datetime) -> FsrsCard:
    # An explicit card_id: without one, fsrs makes it from the clock and sleeps a millisecond.
    if card.state == CardState.NEW:
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


def preview(card: Schedule, now: datetime, sched: Scheduler) -> dict[int, FsrsCard]:
    """The four outcomes, computed once when the answer is shown: the grade the learner
    picks stores exactly the interval its button showed, fuzz included."""
    start = to_fsrs(card, now)
    outcomes = {grade: sched.review_card(start, Rating(grade), now)[0] for grade in GRADES}
    # Fuzz spreads each interval by a few percent on its own, which can put Easy before
    # Good ("Hard 5d, Good 6d, Easy 5d"). A better grade never brings a card back sooner.
    for worse, better in zip(GRADES, GRADES[1:], strict=False):
        if outcomes[better].due < outcomes[worse].due:
            outcomes[better].due = outcomes[worse].due
    return outcomes


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


def becomes_leech(lapses: int) -> bool:
    """The leech rule: a card turns leech at its eighth lapse, and again every fourth
    lapse after that (each time it is suspended anew)."""
    half = LEECH_LAPSES // 2
    return lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % half == 0


def apply_outcome(card: ReviewCard, rating: int, outcome: FsrsCard, now: datetime) -> bool:
    """Give `card` the schedule of `outcome`; returns whether this answer made it a leech
    (it is then tagged and suspended)."""
    was_review = card.state == CardState.REVIEW
    card.state = int(outcome.state)
    card.step = outcome.step
    card.stability = outcome.stability
    card.difficulty = outcome.difficulty
    card.due = outcome.due
    card.last_review = now
    card.reps += 1
    if rating != AGAIN or not was_review:
        return False
    card.lapses += 1
    if not becomes_leech(card.lapses):
        return False
    card.suspended = True
    if not card.is_leech:
        card.tags = f"{card.tags} {LEECH_TAG}".strip()
    return True
