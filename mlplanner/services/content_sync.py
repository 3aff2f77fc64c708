"""Mirror the curriculum's cards into the database without touching their history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlmodel import Session, col

from ..clock import Clock
from ..curriculum import Curriculum
from ..store.models import CardRecord
from ..store.upserts import insert_ignoring_duplicates
from . import settings
from .fingerprint import FINGERPRINT_KEY, fingerprint


@dataclass(frozen=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    restored: int = 0
    unchanged: bool = False


def sync_content(session: Session, curriculum: Curriculum, clock: Clock) -> SyncReport:
    """Add new content cards, update changed wording, hide cards gone from the files.

    Cards are matched by id, so scheduling state and review history stay with a card
    whatever happens to its text. A fingerprint makes the common case (nothing changed)
    a single row read.
    """
    current = fingerprint(curriculum)
    if settings.get_raw(session, FINGERPRINT_KEY) == current:
        return SyncReport(unchanged=True)
    now = clock()
    stored = {
        row.id: row
        for row in session.execute(  # sqlmodel's select types up to four columns
            sa_select(
                col(CardRecord.id),
                col(CardRecord.topic_id),
                col(CardRecord.front),
                col(CardRecord.back),
                col(CardRecord.tags),
                col(CardRecord.removed),
                col(CardRecord.position),
            ).where(col(CardRecord.origin) == "content")
        )
    }
    new_rows, added, updated, restored = [], 0, 0, 0
    positions: dict[str, int] = {}
    for card in curriculum.cards:
        position = positions[card.topic_id] = positions.get(card.topic_id, -1) + 1
        tags = " ".join(card.tags)
        old = stored.pop(card.id, None)
        if old is None:
            new_rows.append(
                {
                    "id": card.id,
                    "topic_id": card.topic_id,
                    "front": card.front,
                    "back": card.back,
                    "tags": tags,
                    "origin": "content",
                    "position": position,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            added += 1
        elif (old.topic_id, old.front, old.back, old.tags, old.removed, old.position) != (
            card.topic_id,
            card.front,
            card.back,
            tags,
            False,
            position,
        ):
            restored += int(old.removed)
            updated += int(not old.removed)
            session.exec(
                update(CardRecord)
                .where(col(CardRecord.id) == card.id)
                .values(
                    topic_id=card.topic_id,
                    front=card.front,
                    back=card.back,
                    tags=tags,
                    removed=False,
                    position=position,
                    updated_at=now,
                )
            )
    if new_rows:  # another process opening a new database may be storing them too
        table = CardRecord.__table__  # type: ignore[attr-defined]
        dialect = session.get_bind().dialect.name
        session.execute(insert_ignoring_duplicates(dialect, table, ["id"]), new_rows)
    gone = [card_id for card_id, row in stored.items() if not row.removed]
    for start in range(0, len(gone), 500):
        session.exec(
            update(CardRecord)
            .where(col(CardRecord.id).in_(gone[start : start + 500]))
            .values(removed=True, updated_at=now)
        )
    settings.set_raw(session, FINGERPRINT_KEY, current)
    return SyncReport(added=added, updated=updated, removed=len(gone), restored=restored)
