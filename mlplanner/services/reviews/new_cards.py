"""Where a day's new cards come from: one rule for the queue and the status line."""

from __future__ import annotations

from collections.abc import Sequence, Set

from ...curriculum import Curriculum
from ...vocabulary import TopicStatus
from ..progress import next_up


def new_card_topics(
    curriculum: Curriculum,
    status: dict[str, str],
    scope: Sequence[str] | None,
    on_path: Set[str] | None = None,
) -> list[str]:
    """Where new cards come from, in order: topics in progress, then those up next, each
    in roadmap order, only from the learner's path; within a scope (a topic or a stage the
    learner chose to review) its topics in roadmap order."""
    if scope is not None:
        wanted = set(scope)
        return [t.id for t in curriculum.topics if t.id in wanted]
    doing = [
        t.id
        for t in curriculum.topics
        if status.get(t.id) == TopicStatus.IN_PROGRESS and (on_path is None or t.id in on_path)
    ]
    return doing + [t for t in next_up(curriculum, status, on_path) if t not in doing]
