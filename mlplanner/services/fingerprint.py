"""The content's cards in one digest: when it matches the one stored by the last sync,
the database holds every card of the curriculum as it is (`content_sync`)."""

from __future__ import annotations

import hashlib

from ..curriculum import Curriculum

FINGERPRINT_KEY = "content_fingerprint"


def fingerprint(curriculum: Curriculum) -> str:
    digest = hashlib.sha256()
    for card in curriculum.cards:
        for part in (card.id, card.topic_id, card.front, card.back, "\x1f".join(card.tags)):
            digest.update(part.encode())
            digest.update(b"\x00")
    return digest.hexdigest()
