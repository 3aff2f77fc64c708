"""Frozen curriculum objects: what the content files say, validated.

They are named tuples (and `Curriculum` a small class of its own) rather than frozen
dataclasses: the quick commands rebuild them from the cache, and defining a frozen
dataclass, with the import of `dataclasses` and `inspect` behind it, costs such a
command more than reading its rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

RESOURCE_KINDS = ("course", "book", "docs", "video", "article", "practice", "tool")
COSTS = ("free", "paid")


class Problem(NamedTuple):
    """One thing wrong in a content file, located as precisely as the format allows."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


class Resource(NamedTuple):
    id: str
    title: str
    url: str
    kind: str
    cost: str
    hours: float = 0.0

    @property
    def free(self) -> bool:
        return self.cost == "free"


class Card(NamedTuple):
    id: str
    topic_id: str
    front: str
    back: str
    tags: tuple[str, ...] = ()


class Topic(NamedTuple):
    id: str
    stage_id: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    hours: float
    prerequisites: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    cards: tuple[Card, ...] = ()


class Stage(NamedTuple):
    id: str
    title: str
    order: int
    summary: str
    topics: tuple[Topic, ...] = ()
    source: Path | None = None

    @property
    def hours(self) -> float:
        return sum(t.hours for t in self.topics)


class Track(NamedTuple):
    id: str
    title: str
    summary: str


class ElectiveGroup(NamedTuple):
    """Topics of which a learner picks between `min_picks` and `max_picks`."""

    id: str
    title: str
    topics: tuple[str, ...]
    min_picks: int = 0
    max_picks: int = 1
    summary: str = ""
    source: Path | None = None


class PathElectives(NamedTuple):
    """One elective group as a path offers it, with the picks a learner starts with."""

    group: str
    defaults: tuple[str, ...] = ()


class LearningPath(NamedTuple):
    """A named route through the track for a target role.

    Its compulsory topics are the topics of `stages` plus `topics`, less `exclude` and
    less every topic of an elective group (unless `topics` names it): elective topics are
    on a path only when picked. `assumed` topics are prerequisites taken as known.
    """

    id: str
    title: str
    summary: str
    stages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    assumed: tuple[str, ...] = ()
    electives: tuple[PathElectives, ...] = ()
    default: bool = False
    source: Path | None = None

    def defaults(self) -> dict[str, tuple[str, ...]]:
        return {e.group: e.defaults for e in self.electives}


class Curriculum:
    """The whole roadmap, with lookups by id. Immutable; equal when the track, stages,
    paths and elective groups are."""

    __slots__ = ("track", "stages", "paths", "electives", "_topics")

    track: Track
    stages: tuple[Stage, ...]
    paths: tuple[LearningPath, ...]
    electives: tuple[ElectiveGroup, ...]
    _topics: dict[str, Topic]

    def __init__(
        self,
        track: Track,
        stages: tuple[Stage, ...],
        paths: tuple[LearningPath, ...] = (),
        electives: tuple[ElectiveGroup, ...] = (),
    ) -> None:
        init = object.__setattr__
        init(self, "track", track)
        init(self, "stages", stages)
        init(self, "paths", paths)
        init(self, "electives", electives)
        init(self, "_topics", {t.id: t for s in stages for t in s.topics})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a Curriculum is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a Curriculum is immutable")

    def _key(self) -> tuple[Any, ...]:
        return (self.track, self.stages, self.paths, self.electives)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Curriculum):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Curriculum(track={self.track!r}, stages={self.stages!r}, "
            f"paths={self.paths!r}, electives={self.electives!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its four parts; the lookups are rebuilt when it is read back."""
        return (self.__class__, self._key())

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

    def find_path(self, path_id: str | None) -> LearningPath | None:
        return next((p for p in self.paths if p.id == path_id), None)

    @property
    def default_path(self) -> LearningPath | None:
        return next((p for p in self.paths if p.default), self.paths[0] if self.paths else None)

    def find_group(self, group_id: str | None) -> ElectiveGroup | None:
        return next((g for g in self.electives if g.id == group_id), None)

    def elective_topic_ids(self) -> frozenset[str]:
        return frozenset(t for g in self.electives for t in g.topics)

    def compulsory_topics(self, path: LearningPath) -> tuple[str, ...]:
        """The topics a path always includes, in roadmap order."""
        elective = self.elective_topic_ids()
        chosen_stages = set(path.stages)
        named = set(path.topics)
        excluded = set(path.exclude)
        return tuple(
            t.id
            for t in self.topics
            if t.id not in excluded
            and (t.id in named or (t.stage_id in chosen_stages and t.id not in elective))
        )

    def offered(self, path: LearningPath, group: ElectiveGroup) -> tuple[str, ...]:
        """The topics of a group a learner on this path may pick."""
        compulsory = set(self.compulsory_topics(path))
        return tuple(
            t
            for t in group.topics
            if t not in compulsory and t not in path.exclude and self.has_topic(t)
        )

    def path_topic_ids(
        self, path: LearningPath, picks: Mapping[str, Sequence[str]] | None = None
    ) -> frozenset[str]:
        """The topic ids on a path for a choice of electives (the path's defaults for a
        group the choice does not mention). Picks a path does not offer are ignored."""
        chosen = dict(path.defaults())
        if picks:
            chosen.update({k: tuple(v) for k, v in picks.items() if k in chosen})
        ids = set(self.compulsory_topics(path))
        for offer in path.electives:
            group = self.find_group(offer.group)
            if group is None:
                continue
            allowed = set(self.offered(path, group))
            ids.update(t for t in chosen.get(offer.group, ()) if t in allowed)
        return frozenset(ids)

    def path_hours(
        self, path: LearningPath, picks: Mapping[str, Sequence[str]] | None = None
    ) -> float:
        ids = self.path_topic_ids(path, picks)
        return sum(t.hours for t in self.topics if t.id in ids)

    def summary_line(self) -> str:
        return (
            f"{len(self.stages)} stages, {len(self.topics)} topics, "
            f"{len(self.resources)} resources, {len(self.cards)} cards"
        )


class LoadResult:
    """What loading the content gave: the curriculum (None when the bundled content is
    unusable), problems in the bundled content (fatal) and in user content (that file
    skipped)."""

    __slots__ = ("curriculum", "problems", "user_problems")

    def __init__(
        self,
        curriculum: Curriculum | None,
        problems: list[Problem],
        user_problems: list[Problem] | None = None,
    ) -> None:
        self.curriculum = curriculum
        self.problems = problems
        self.user_problems: list[Problem] = [] if user_problems is None else user_problems

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LoadResult):
            return NotImplemented
        return (self.curriculum, self.problems, self.user_problems) == (
            other.curriculum,
            other.problems,
            other.user_problems,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"LoadResult(curriculum={self.curriculum!r}, problems={self.problems!r}, "
            f"user_problems={self.user_problems!r})"
        )
