"""The words the layers share: card states and topic statuses."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class CardState(IntEnum):
    """FSRS's card states, plus NEW for a card never reviewed (stored as these integers)."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def group(self) -> str:
        """How a learner counts it: new, learning (relearning included) or review."""
        return "learning" if self is CardState.RELEARNING else self.label


# Cards the scheduler has seen: these have a due date.
SCHEDULED_STATES = (CardState.LEARNING, CardState.REVIEW, CardState.RELEARNING)


class TopicStatus(StrEnum):
    """Where a learner stands on a topic (stored as these strings)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"

    @property
    def finished(self) -> bool:
        """Done or skipped: counts as behind the learner."""
        return self in (TopicStatus.DONE, TopicStatus.SKIPPED)


FINISHED_STATUSES = (TopicStatus.DONE, TopicStatus.SKIPPED)
