"""Frozen curriculum objects: what the content files say, validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

RESOURCE_KINDS = ("course", "book", "docs", "video", "article", "practice", "tool")
COSTS = ("free", "paid")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, located as precisely as the format allows."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Resource:
    id: str
    title: str
    url: str
    kind: str
    cost: str
    hours: float = 0.0

    @property
    def free(self) -> bool:
        return self.cost == "free"


@dataclass(frozen=True)
class Card:
    id: str
    topic_id: str
    front: str
    back: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    id: str
    stage_id: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    hours: float
    prerequisites: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    cards: tuple[Card, ...] = ()


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    order: int
    summary: str
    topics: tuple[Topic, ...] = ()
    source: Path | None = None

    @property
    def hours(self) -> float:
        return sum(t.hours for t in self.topics)


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    summary: str


@dataclass(frozen=True)
class Curriculum:
    """The whole roadmap, with lookups by id."""

    track: Track
    stages: tuple[Stage, ...]
    _topics: dict[str, Topic] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._topics.update({t.id: t for s in self.stages for t in s.topics})

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(t for s in self.stages for t in s.topics)

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(c for t in self.topics for c in t.cards)

    @property
    def resources(self) -> tuple[Resource, ...]:
        return tuple(r for t in self.topics for r in t.resources)

    def topic(self, topic_id: str) -> Topic:
        """A topic known to be in the content (raises KeyError otherwise)."""
        return self._topics[topic_id]

    def find_topic(self, topic_id: str | None) -> Topic | None:
        """A topic by id, or None: ids in the database may have left the content."""
        return self._topics.get(topic_id) if topic_id else None

    def topic_title(self, topic_id: str | None, default: str = "") -> str:
        topic = self.find_topic(topic_id)
        return topic.title if topic else default

    def has_topic(self, topic_id: str) -> bool:
        return topic_id in self._topics

    def find_stage(self, stage_id: str | None) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def summary_line(self) -> str:
        return (
            f"{len(self.stages)} stages, {len(self.topics)} topics, "
            f"{len(self.resources)} resources, {len(self.cards)} cards"
        )
