"""Counts of what is stored, for `mlplanner doctor` and the statistics."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from ..store import StoreError, make_engine, unit_of_work
from ..store.engine import display_url, stored_revision
from ..store.models import (
    CardRecord,
    ResourceProgress,
    ReviewLog,
    StudyBlock,
    StudySession,
    TopicProgress,
)
from .card_filters import kept


def counts(session: Session) -> dict[str, int]:
    def count(model: type[SQLModel], *where: ColumnElement[bool] | bool) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    return {
        "topics touched": count(TopicProgress),
        "resources done": count(ResourceProgress, col(ResourceProgress.done_at).is_not(None)),
        "cards": count(CardRecord, *kept()),
        "  of them yours": count(CardRecord, col(CardRecord.origin) == "user"),
        "reviews": count(ReviewLog),
        "study blocks": count(StudyBlock),
        "study sessions": count(StudySession),
    }


@dataclass(frozen=True)
class DatabaseStatus:
    """What `doctor` reports of a database, read without writing to it."""

    revision: str | None  # None: no mlplanner schema yet
    current: bool
    counts: dict[str, int]


def database_status(url: str, head: str) -> DatabaseStatus:
    """Schema and counts, read through a connection that writes nothing.

    Raises StoreError (with the URL's password masked) when the database cannot be read."""
    engine = make_engine(url)
    try:
        revision = stored_revision(engine)
        if revision != head:
            return DatabaseStatus(revision, False, {})
        with unit_of_work(engine) as session:
            return DatabaseStatus(revision, True, counts(session))
    except SQLAlchemyError as exc:
        raise StoreError(f"{display_url(url)}: cannot read the database: {exc}") from None
    finally:
        engine.dispose()
