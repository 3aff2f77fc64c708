"""Flashcard review with FSRS, by job: scheduling (grades, previews, the leech rule),
the queue, answers (suspend, bury), undo (every action on a card taken back, last first)
and the per-day counters.

Each answer is its own transaction, written with a handful of plain statements, so a
crash loses nothing the screen already showed as answered.
"""

from __future__ import annotations

from .answers import SNAPSHOT_COLUMNS, Answered, StaleCard, answer, bury, suspend
from .day_counters import done_today, ensure_review_days, rebuild_review_days
from .queue import (
    CARD_COLUMNS,
    LEARN_AHEAD,
    LEARNING_BATCH,
    STUDY_AHEAD_LIMIT,
    ReviewQueue,
    build_queue,
    load_cards,
    new_card_topics,
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
    ReviewConfig,
    ReviewError,
    interval_label,
    preview,
    scheduler,
    to_fsrs,
)
from .undo import Action, take_back

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
    "to_fsrs",
    "take_back",
]
