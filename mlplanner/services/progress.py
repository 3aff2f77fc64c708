"""Topic status and resource completion: what the learner has done on the roadmap."""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..clock import Clock
from ..curriculum import Curriculum, Stage
from ..errors import BadInput
from ..vocabulary import FINISHED_STATUSES, TopicStatus
from .log_rules import status_times

if TYPE_CHECKING:  # the status line's first read computes progress without SQLAlchemy
    from sqlmodel import Session

    from ..store.models import TopicProgress


def statuses(session: Session) -> dict[str, str]:
    """Status of every topic the learner has touched; others are 'not_started'."""
    from sqlmodel import select

    from ..store.models import TopicProgress

    return dict(session.exec(select(TopicProgress.topic_id, TopicProgress.status)).all())


def set_status(session: Session, topic_id: str, status: str, clock: Clock) -> TopicProgress:
    if status not in set(TopicStatus):
        names = ", ".join(TopicStatus)
        raise BadInput(f"unknown status {status!r}; use one of {names}", title="Topic status")
    from ..store.models import TopicProgress

    status = TopicStatus(status)
    now = clock()
    row = session.get(TopicProgress, topic_id) or TopicProgress(topic_id=topic_id, updated_at=now)
    row.started_at, row.completed_at = status_times(status, now, row.started_at, row.completed_at)
    row.status = status
    row.updated_at = now
    session.add(row)
    return row


def set_statuses(
    session: Session, topic_ids: Iterable[str], status: str, clock: Clock
) -> list[TopicProgress]:
    """The same status for many topics at once ("what I already know" in the setup);
    the caller's unit of work commits them together."""
    return [set_status(session, topic_id, status, clock) for topic_id in topic_ids]


def done_resources(session: Session) -> set[str]:
    from sqlmodel import col, select

    from ..store.models import ResourceProgress

    return set(
        session.exec(
            select(ResourceProgress.resource_id).where(col(ResourceProgress.done_at).is_not(None))
        ).all()
    )


def toggle_resource(session: Session, resource_id: str, clock: Clock) -> bool:
    """Mark a resource done, or not done again; returns the new state."""
    from ..store.models import ResourceProgress

    row = session.get(ResourceProgress, resource_id)
    if row is None:
        session.add(ResourceProgress(resource_id=resource_id, done_at=clock()))
        return True
    row.done_at = None if row.done_at else clock()
    session.add(row)
    return row.done_at is not None


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    done: int
    total: int
    hours_done: float
    hours_total: float


def stage_progress(
    curriculum: Curriculum, status: dict[str, str], on_path: Set[str] | None = None
) -> list[StageProgress]:
    """Per stage: topics done (skipped counts as done) and their estimated hours, counting
    only the topics on the learner's path (all topics when `on_path` is None)."""
    result = []
    for stage in curriculum.stages:
        topics = [t for t in stage.topics if on_path is None or t.id in on_path]
        finished = [t for t in topics if status.get(t.id) in FINISHED_STATUSES]
        result.append(
            StageProgress(
                stage,
                len(finished),
                len(topics),
                sum(t.hours for t in finished),
                sum(t.hours for t in topics),
            )
        )
    return result


def next_up(
    curriculum: Curriculum, status: dict[str, str], on_path: Set[str] | None = None
) -> list[str]:
    """Topics not yet started whose prerequisites are all done or skipped, in roadmap order.

    With a path, only its topics; a prerequisite off the path is assumed known."""
    finished = {tid for tid, s in status.items() if s in FINISHED_STATUSES}
    return [
        t.id
        for t in curriculum.topics
        if (on_path is None or t.id in on_path)
        and status.get(t.id, TopicStatus.NOT_STARTED) == TopicStatus.NOT_STARTED
        and all(
            p in finished or (on_path is not None and p not in on_path) for p in t.prerequisites
        )
    ]
