"""The learner's own cards, and the card browser's search and actions."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Scheduler
from sqlalchemy import func, literal, or_, update
from sqlmodel import Session, col, select

from ..store.models import CardRecord
from ..vocabulary import CardState
from .card_filters import default_order, ordering, with_state
from .card_text import MAX_TEXT as MAX_TEXT  # the card text rules, as imported from here
from .card_text import CardError as CardError
from .card_text import check_text as check_text
from .card_text import clean_tags as clean_tags
from .reviews import LEECH_TAG, to_fsrs


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
    buried: bool = False


def search(
    session: Session,
    now: datetime,
    sched: Scheduler,
    text: str = "",
    topic_ids: list[str] | None = None,
    tag: str = "",
    state: str = "",
    limit: int = 500,
    sort: str = "due",
    descending: bool = False,
) -> tuple[list[CardRow], int]:
    """Cards matching every filter given, in the order of `sort` (a column of the browser:
    card_filters.SORTS), ties in the default order; and how many matched in all.

    `state` is an `is:` term (card_filters.STATE_TERMS); without it hidden cards are left
    out."""
    where = with_state(state, now)
    if text.strip():
        pattern = f"%{text.strip()}%"
        where.append(or_(col(CardRecord.front).ilike(pattern), col(CardRecord.back).ilike(pattern)))
    if topic_ids is not None:
        where.append(col(CardRecord.topic_id).in_(topic_ids))
    if tag.strip():
        padded = literal(" ") + col(CardRecord.tags) + literal(" ")
        where.append(padded.like(f"% {tag.strip()} %"))
    total = session.exec(select(func.count()).select_from(CardRecord).where(*where)).one()
    if sort == "recall":
        cards = _by_recall(session, where, now, descending, limit)
    else:
        cards = list(
            session.exec(
                select(CardRecord)
                .where(*where)
                .order_by(*ordering(sort, descending, now))
                .limit(limit)
            ).all()
        )
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
                _aware(card.buried_until) > now if card.buried_until else False,
            )
        )
    return rows, total


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _by_recall(
    session: Session, where: list[Any], now: datetime, descending: bool, limit: int
) -> list[CardRecord]:
    """The first `limit` cards by their chance of recall now (lowest first, or highest),
    cards never reviewed last; ties in the default order. FSRS's recall falls as the whole
    days since the last review grow against the stability, so that ratio orders them."""
    found = session.exec(
        select(CardRecord.id, CardRecord.state, CardRecord.last_review, CardRecord.stability)
        .where(*where)
        .order_by(*default_order())
    ).all()

    def key(card: tuple[str, int, datetime | None, float | None]) -> tuple[int, float]:
        _, state, last, stability = card
        if state == CardState.NEW or last is None:
            return (1, 0.0)
        days = max(0, (now - _aware(last)).days)
        ratio = days / stability if stability else math.inf  # no stability: recall 0
        return (0, ratio if descending else -ratio)

    wanted = [card[0] for card in sorted(found, key=key)[:limit]]
    loaded = {
        card.id: card
        for card in session.exec(select(CardRecord).where(col(CardRecord.id).in_(wanted))).all()
    }
    return [loaded[card_id] for card_id in wanted]
