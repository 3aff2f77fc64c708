"""Which stored cards count: the one definition of a card in the collection and of an
active card, shared by the queue, the browser, the status line and the statistics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, or_
from sqlmodel import col

from ..store.models import CardRecord
from ..vocabulary import SCHEDULED_STATES


def kept() -> tuple[ColumnElement[bool], ...]:
    """Cards still in the content or the learner's own (a removed one keeps its history)."""
    return (col(CardRecord.removed).is_(False),)


def in_collection() -> tuple[ColumnElement[bool], ...]:
    """Kept cards the learner has not hidden."""
    return (*kept(), col(CardRecord.hidden).is_(False))


def not_buried(now: datetime) -> ColumnElement[bool]:
    return or_(col(CardRecord.buried_until).is_(None), col(CardRecord.buried_until) <= now)


def active(now: datetime | None) -> tuple[ColumnElement[bool], ...]:
    """Cards that may be shown for review at `now`: in the collection, not suspended and
    not buried. With `now` None, burial (which lasts a day at most) is not looked at: a
    forecast of the coming days counts buried cards."""
    unsuspended = (*in_collection(), col(CardRecord.suspended).is_(False))
    return unsuspended if now is None else (*unsuspended, not_buried(now))


def scheduled(now: datetime | None) -> tuple[ColumnElement[bool], ...]:
    """Active cards the scheduler has seen: these have a due date."""
    return (*active(now), col(CardRecord.state).in_(SCHEDULED_STATES))
