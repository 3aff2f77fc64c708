"""The review screen's actions, each one undoable: an answer, a suspend, a bury, a hide,
an edit of the card's text.

Every action records the card's columns it changed as they were before and as it left
them. Taking it back writes the old values only if the card is still as the action left
it: a card answered, edited or suspended elsewhere since (every write sets `updated_at`,
an answer also `reps`) is refused with StaleCard rather than overwritten. An answer's undo
also deletes its log row and takes its counts off the day's counters.

Writing and changing what the screen holds are two steps: these functions write through
the caller's session and leave the card alone; `apply_change` (after an action) and
`restore` (after taking one back) change the card once the caller's transaction committed,
so a failed commit leaves the card as the database still has it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, update
from sqlalchemy import select as sa_select
from sqlmodel import Session

from ...store.models import CardRecord, ReviewLog
from ..card_text import CardError, check_text, clean_tags
from .answers import SNAPSHOT_COLUMNS, Answered, StaleCard
from .day_counters import bump_day, day_counts
from .scheduling import ReviewCard, ReviewConfig, ReviewError

ANSWER, SUSPEND, BURY, HIDE, EDIT = "answer", "suspend", "bury", "hide", "edit"
# The columns each kind of action changes (an answer: the schedule, and the tag and the
# suspension a leech gets).
CHANGES: dict[str, tuple[str, ...]] = {
    ANSWER: SNAPSHOT_COLUMNS,
    SUSPEND: ("suspended",),
    BURY: ("buried_until",),
    HIDE: ("hidden",),
    EDIT: ("front", "back", "tags"),
}
# Read with every action and compared before taking it back: any later answer or change.
WATCHED = ("reps", "last_review", "updated_at")
# How a notice names what was taken back.
NAMES = {
    ANSWER: "answer",
    SUSPEND: "suspension",
    BURY: "burying",
    HIDE: "hiding",
    EDIT: "edit",
}

_CARDS = CardRecord.__table__  # type: ignore[attr-defined]
_LOGS = ReviewLog.__table__  # type: ignore[attr-defined]
_CARD_FIELDS = {f.name for f in dataclasses.fields(ReviewCard)}


@dataclass(frozen=True)
class Action:
    """One action on a card, with what taking it back puts back."""

    kind: str
    card: ReviewCard
    before: dict[str, Any]  # the changed and watched columns as they were
    after: dict[str, Any]  # the same columns as the action left them
    answered: Answered | None = None

    @property
    def name(self) -> str:
        return NAMES[self.kind]


def _columns(kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*CHANGES[kind], *WATCHED)))


def answered(done: Answered) -> Action:
    """The action of an answer stored (see `answers.store_answer`)."""
    before = {**done.before, "updated_at": done.updated_before}
    return Action(ANSWER, done.card, before, dict(done.after), done)


def change(
    session: Session, card: ReviewCard, kind: str, values: dict[str, Any], now: datetime
) -> Action:
    """Write `values` (columns of CHANGES[kind]) to the card, keeping what they were;
    `card` itself changes with `apply_change`.

    The card is read under the write lock (SQLite's immediate transactions, a row lock on
    PostgreSQL), so what is kept is what was stored, whatever `card` says."""
    assert set(values) <= set(CHANGES[kind]), f"{kind} does not change {set(values)}"
    columns = _columns(kind)
    connection = session.connection()
    row = connection.execute(
        sa_select(*(_CARDS.c[name] for name in columns))
        .where(_CARDS.c.id == card.id)
        .with_for_update()
    ).one_or_none()
    if row is None:
        raise ReviewError("this card is no longer in the collection")
    before = dict(zip(columns, row, strict=True))
    after = {**before, **values, "updated_at": now}
    connection.execute(
        update(_CARDS).where(_CARDS.c.id == card.id).values(**values, updated_at=now)
    )
    return Action(kind, card, before, after)


def apply_change(action: Action) -> None:
    """Give `action.card` what a change (not an answer) stored, once it is committed.

    A copy read before another window's answer keeps its old `updated_at`, so answering
    it later is refused (and it is read again) instead of storing a stale schedule."""
    card = action.card
    values = {name: action.after[name] for name in CHANGES[action.kind]}
    if all(getattr(card, name) == action.before[name] for name in WATCHED):
        values["updated_at"] = action.after["updated_at"]
    _apply(card, values)


def suspend(session: Session, card: ReviewCard, now: datetime) -> Action:
    return change(session, card, SUSPEND, {"suspended": True}, now)


def bury(session: Session, card: ReviewCard, now: datetime, config: ReviewConfig) -> Action:
    """Hide the card until the next study day begins."""
    return change(session, card, BURY, {"buried_until": config.day_end(now)}, now)


def hide(session: Session, card: ReviewCard, now: datetime) -> Action:
    return change(session, card, HIDE, {"hidden": True}, now)


def edit(
    session: Session, card: ReviewCard, front: str, back: str, tags: str, now: datetime
) -> Action:
    """Change the wording of one of the learner's own cards; its schedule stays. Cards from
    the curriculum belong to its files: they can be hidden, not edited."""
    if card.origin != "user":
        raise CardError("this card comes from the curriculum: hide it instead of editing it")
    front, back = check_text(front, back)
    return change(
        session, card, EDIT, {"front": front, "back": back, "tags": clean_tags(tags)}, now
    )


def take_back(session: Session, action: Action, config: ReviewConfig) -> None:
    """Put the card back as it was before `action`, in the database and in `action.card`.

    Raises StaleCard, changing nothing, when the card is no longer as the action left it."""
    revert(session, action, config)
    restore(action)


def revert(session: Session, action: Action, config: ReviewConfig) -> None:
    """Put the card back as it was before `action` in the database; `action.card`
    changes with `restore`.

    Raises StaleCard, changing nothing, when the card is no longer as the action left it."""
    unchanged: list[ColumnElement[bool]] = [
        _CARDS.c[name].is_not_distinct_from(value) for name, value in action.after.items()
    ]
    restored = session.connection().execute(
        update(_CARDS)
        .where(_CARDS.c.id == action.card.id, and_(*unchanged))
        .values(**action.before)
    )
    if restored.rowcount != 1:
        raise StaleCard(
            f"This card was changed in another window after your {action.name}; "
            f"the {action.name} was not taken back."
        )
    done = action.answered
    if done is not None:
        deleted = session.connection().execute(delete(_LOGS).where(_LOGS.c.id == done.log_id))
        if deleted.rowcount != 1:
            raise StaleCard(
                "This answer is no longer in the review log (taken back in another window); "
                "it was not taken back again."
            )
        day = config.today(action.after["last_review"])  # an answer's time is its review's
        starts = config.calendar.day_start(day)
        counts = day_counts(done.before, done.rating, done.duration_ms, starts)
        bump_day(session, day, done.card.topic_id, -1, **counts)


def restore(action: Action) -> None:
    """Give `action.card` back what it held before `action`, once `revert` is committed."""
    card = action.card
    values = {name: action.before[name] for name in CHANGES[action.kind]}
    if card.updated_at == action.after["updated_at"]:  # the copy was up to date: still is
        values["updated_at"] = action.before["updated_at"]
    _apply(card, values)


def _apply(card: ReviewCard, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name in _CARD_FIELDS:
            setattr(card, name, value)
