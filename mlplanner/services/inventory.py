"""Counts of what is stored, for `mlplanner doctor` and the statistics."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, SQLModel, col, select

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
