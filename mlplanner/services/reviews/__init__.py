"""Flashcard review with FSRS, by job: scheduling (grades, previews, the leech rule),
the queue, answers (suspend, bury), undo (every action on a card taken back, last first)
and the per-day counters.

Each answer is its own transaction, written with a handful of plain statements, so a
crash loses nothing the screen already showed as answered.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .answers import (
        SNAPSHOT_COLUMNS,
        Answered,
        StaleCard,
        answer,
        bury,
        suspend,
    )
    from .config import (
        ReviewConfig,
    )
    from .day_counters import (
        done_today,
        ensure_review_days,
        rebuild_review_days,
    )
    from .new_cards import (
        new_card_topics,
    )
    from .queue import (
        CARD_COLUMNS,
        LEARN_AHEAD,
        LEARNING_BATCH,
        STUDY_AHEAD_LIMIT,
        ReviewQueue,
        build_queue,
        load_cards,
        next_due,
    )
    from .scheduling import (
        AGAIN,
        EASY,
        GOOD,
        GRADE_NAMES,
        GRADES,
        HARD,
        LEECH_LAPSES,
        LEECH_TAG,
        SCHEDULE_COLUMNS,
        ReviewCard,
        ReviewError,
        interval_label,
        preview,
        scheduler,
        to_fsrs,
    )
    from .undo import (
        Action,
        take_back,
    )

# Where each name lives: importing the package loads none of them (the status line's
# first read needs `config` and `new_cards` only, without SQLAlchemy).
_HOMES = {
    "AGAIN": "scheduling",
    "Action": "undo",
    "Answered": "answers",
    "CARD_COLUMNS": "queue",
    "EASY": "scheduling",
    "GOOD": "scheduling",
    "GRADES": "scheduling",
    "GRADE_NAMES": "scheduling",
    "HARD": "scheduling",
    "LEARNING_BATCH": "queue",
    "LEARN_AHEAD": "queue",
    "LEECH_LAPSES": "scheduling",
    "LEECH_TAG": "scheduling",
    "ReviewCard": "scheduling",
    "ReviewConfig": "config",
    "ReviewError": "scheduling",
    "ReviewQueue": "queue",
    "SCHEDULE_COLUMNS": "scheduling",
    "SNAPSHOT_COLUMNS": "answers",
    "STUDY_AHEAD_LIMIT": "queue",
    "StaleCard": "answers",
    "answer": "answers",
    "build_queue": "queue",
    "bury": "answers",
    "done_today": "day_counters",
    "ensure_review_days": "day_counters",
    "interval_label": "scheduling",
    "load_cards": "queue",
    "new_card_topics": "new_cards",
    "next_due": "queue",
    "preview": "scheduling",
    "rebuild_review_days": "day_counters",
    "scheduler": "scheduling",
    "suspend": "answers",
    "take_back": "undo",
    "to_fsrs": "scheduling",
}

__all__ = [
    "AGAIN",
    "CARD_COLUMNS",
    "EASY",
    "GOOD",
    "GRADES",
    "GRADE_NAMES",
    "HARD",
    "LEARNING_BATCH",
    "LEARN_AHEAD",
    "LEECH_LAPSES",
    "LEECH_TAG",
    "SCHEDULE_COLUMNS",
    "SNAPSHOT_COLUMNS",
    "STUDY_AHEAD_LIMIT",
    "Action",
    "Answered",
    "ReviewCard",
    "ReviewConfig",
    "ReviewError",
    "ReviewQueue",
    "StaleCard",
    "answer",
    "build_queue",
    "bury",
    "done_today",
    "ensure_review_days",
    "interval_label",
    "load_cards",
    "new_card_topics",
    "next_due",
    "preview",
    "rebuild_review_days",
    "scheduler",
    "suspend",
    "take_back",
    "to_fsrs",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{home}", __name__), name)
