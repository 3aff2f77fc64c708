"""The learner's own cards, and the card browser's search and actions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Scheduler
from sqlalchemy import func, literal, or_, update
from sqlmodel import Session, col, select

from ..store.models import CardRecord
from ..vocabulary import CardState
from .card_filters import active, in_collection, kept
from .card_text import MAX_TEXT as MAX_TEXT  # the card text rules, as imported from here
from .card_text import CardError as CardError
from .card_text import check_text as check_text
from .card_text import clean_tags as clean_tags
from .reviews import LEECH_TAG, to_fsrs

# The browser's state filter: each group of states by the name a learner counts it under.
STATES = {
    group: tuple(s for s in CardState if s.group == group)
    for group in ("new", "learning", "review")
}


def _next_position(session: Session, topic_id: str) -> int:
    highest = session.exec(
        select(func.max(CardRecord.position)).where(CardRecord.topic_id == topic_id)
    ).one()
    return 0 if highest is None else highest + 1


def add_card(
    session: Session,
    topic_id: str,
    front: str,
    back: str,
    now: datetime,
    tags: str = "",
    card_id: str | None = None,
) -> CardRecord:
    """A new card of the learner's own, after the topic's other cards."""
    front, back = check_text(front, back)
    card = CardRecord(
        id=card_id or f"user-{uuid.uuid4().hex[:12]}",
        topic_id=topic_id,
        front=front,
        back=back,
        tags=clean_tags(tags),
        origin="user",
        position=_next_position(session, topic_id),
        created_at=now,
        updated_at=now,
    )
    session.add(card)
    return card


def edit_card(
    session: Session, card_id: str, front: str, back: str, tags: str, now: datetime
) -> CardRecord:
    """Change a card's wording; its schedule and history stay. Content cards are owned by
    the curriculum files: they can be hidden, not edited."""
    card = session.get(CardRecord, card_id)
    if card is None:
        raise CardError(f"no card {card_id!r}")
    if card.origin != "user":
        raise CardError("this card comes from the curriculum: hide it instead of editing it")
    card.front, card.back = check_text(front, back)
    card.tags = clean_tags(tags)
    card.updated_at = now
    session.add(card)
    return card


def set_hidden(session: Session, card_id: str, hidden: bool, now: datetime) -> None:
    session.exec(
        update(CardRecord)
        .where(col(CardRecord.id) == card_id)
        .values(hidden=hidden, updated_at=now)
    )


def reset(session: Session, card_id: str, now: datetime) -> None:
    """Make a card new again; its review history stays in the log."""
    card = session.get(CardRecord, card_id)
    if card is None:
        raise CardError(f"no card {card_id!r}")
    card.state, card.step, card.stability, card.difficulty = CardState.NEW, None, None, None
    card.due = card.last_review = card.buried_until = None
    card.suspended = False
    card.tags = " ".join(t for t in card.tags.split() if t != LEECH_TAG)
    card.updated_at = now
    session.add(card)


@dataclass(frozen=True)
class CardRow:
    id: str
    topic_id: str
    front: str
    back: str
    tags: str
    origin: str
    state: str
    suspended: bool
    hidden: bool
    due: datetime | None
    retrievability: float | None


def search(
    session: Session,
    now: datetime,
    sched: Scheduler,
    text: str = "",
    topic_ids: list[str] | None = None,
    tag: str = "",
    state: str = "",
    limit: int = 500,
) -> tuple[list[CardRow], int]:
    """Cards matching every filter given, soonest due first; and how many matched in all.

    `state` is new, learning, review, suspended or hidden; without it hidden cards are
    left out."""
    if state == "suspended":  # hidden or not
        where = [*kept(), col(CardRecord.suspended).is_(True)]
    elif state == "hidden":
        where = [*kept(), col(CardRecord.hidden).is_(True)]
    elif state and state not in STATES:
        raise CardError(f"unknown state {state!r}")
    elif state:
        where = [*active(None), col(CardRecord.state).in_(STATES[state])]
    else:
        where = [*in_collection()]
    if text.strip():
        pattern = f"%{text.strip()}%"
        where.append(or_(col(CardRecord.front).ilike(pattern), col(CardRecord.back).ilike(pattern)))
    if topic_ids is not None:
        where.append(col(CardRecord.topic_id).in_(topic_ids))
    if tag.strip():
        padded = literal(" ") + col(CardRecord.tags) + literal(" ")
        where.append(padded.like(f"% {tag.strip()} %"))
    total = session.exec(select(func.count()).select_from(CardRecord).where(*where)).one()
    cards = session.exec(
        select(CardRecord)
        .where(*where)
        .order_by(
            col(CardRecord.due).is_(None),
            col(CardRecord.due),
            col(CardRecord.topic_id),
            col(CardRecord.position),
        )
        .limit(limit)
    ).all()
    rows = []
    for card in cards:
        due = card.due
        retrievability = None
        if card.state != CardState.NEW and card.last_review is not None:
            retrievability = sched.get_card_retrievability(to_fsrs(card, now), now)
        rows.append(
            CardRow(
                card.id,
                card.topic_id,
                card.front,
                card.back,
                card.tags,
                card.origin,
                CardState(card.state).label,
                card.suspended,
                card.hidden,
                due if due is None or due.tzinfo else due.replace(tzinfo=UTC),
                retrievability,
            )
        )
    return rows, total
