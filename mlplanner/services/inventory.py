"""Counts of what is stored, for `mlplanner doctor` and the statistics."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from ..store.models import (
    CardRecord,
    ResourceProgress,
    ReviewLog,
    StudyBlock,
    StudySession,
    TopicProgress,
)


def counts(session: Session) -> dict[str, int]:
    def count(model, *where) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    return {
        "topics touched": count(TopicProgress),
        "resources done": count(ResourceProgress, ResourceProgress.done_at.is_not(None)),
        "cards": count(CardRecord, CardRecord.removed == False),  # noqa: E712
        "  of them yours": count(CardRecord, CardRecord.origin == "user"),
        "reviews": count(ReviewLog),
        "study blocks": count(StudyBlock),
        "study sessions": count(StudySession),
    }
