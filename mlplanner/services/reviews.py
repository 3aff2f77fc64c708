"""Grading flashcards with FSRS; each answer is its own transaction."""

from __future__ import annotations

import json
from datetime import datetime

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from sqlmodel import Session

from ..clock import Clock
from ..store.models import CARD_NEW, Card, ReviewLog

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


def scheduler(desired_retention: float = 0.9, fuzz: bool = True) -> Scheduler:
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz)


def to_fsrs(card: Card, now: datetime) -> FsrsCard:
    if card.state == CARD_NEW:
        return FsrsCard(state=State.Learning, step=0, due=now)
    return FsrsCard(
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def snapshot(card: Card) -> str:
    values = {}
    for name in SCHEDULE_COLUMNS:
        value = getattr(card, name)
        values[name] = value.isoformat() if isinstance(value, datetime) else value
    return json.dumps(values)


def answer(
    session: Session,
    card: Card,
    rating: int,
    clock: Clock,
    duration_ms: int = 0,
    chosen: FsrsCard | None = None,
    sched: Scheduler | None = None,
) -> ReviewLog:
    """Store one answer: the card's new schedule and a log row holding the old one.

    `chosen` is the outcome already shown to the learner for this grade, so fuzzing
    cannot make the stored interval differ from the one on the button.
    """
    now = clock()
    before = snapshot(card)
    was_in_review = card.state == int(State.Review)
    if chosen is None:
        chosen, _ = (sched or scheduler()).review_card(to_fsrs(card, now), Rating(rating), now)
    card.state = int(chosen.state)
    card.step = chosen.step
    card.stability = chosen.stability
    card.difficulty = chosen.difficulty
    card.due = chosen.due
    card.last_review = now
    card.reps += 1
    if rating == int(Rating.Again) and was_in_review:
        card.lapses += 1
    card.updated_at = now
    log = ReviewLog(
        card_id=card.id,
        rating=rating,
        reviewed_at=now,
        duration_ms=duration_ms,
        state_before=before,
    )
    session.add(card)
    session.add(log)
    return log
