"""Finding a topic from what a learner typed: an id, a title, or close to one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..errors import BadInput


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...


class TopicNames(Protocol):
    """What finding a topic reads: the curriculum, or the titles cached for quick commands
    (`curriculum.cache.TitleIndex`)."""

    @property
    def topics(self) -> Sequence[Named]: ...
    def has_topic(self, topic_id: str) -> bool: ...


class UnknownTopic(BadInput):
    title = "Unknown topic"

    def __init__(self, text: str, suggestions: list[str]):
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no topic '{text}'{hint}")


class AmbiguousTopic(UnknownTopic):
    """A title prefix that several topics begin with: they are listed, none is chosen."""

    title = "Which topic?"

    def __init__(self, text: str, candidates: list[str]):
        BadInput.__init__(
            self,
            f"'{text}' begins the titles of {', '.join(candidates)}; "
            "type more of the title, or an id",
        )
        self.suggestions = candidates


def resolve_topic(curriculum: TopicNames, text: str) -> str:
    """An id, a title (any case), or a unique prefix of a title; else UnknownTopic with the
    closest topics, ranked by how many of the typed words their titles share and by how
    close the spelling of their ids is."""
    wanted = text.strip()
    if curriculum.has_topic(wanted):
        return wanted
    lowered = wanted.lower()
    for topic in curriculum.topics:
        if topic.title.lower() == lowered:
            return topic.id
    prefixed = [t.id for t in curriculum.topics if lowered and t.title.lower().startswith(lowered)]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        raise AmbiguousTopic(text, prefixed[:5])
    raise UnknownTopic(text, suggest(curriculum, lowered))


def suggest(curriculum: TopicNames, text: str, limit: int = 3) -> list[str]:
    import difflib  # only when a topic is not found: not on every command's start

    words = set(text.replace("-", " ").split())

    def score(topic_id: str, title: str) -> float:
        shared = len(words & set(title.lower().replace("-", " ").split()))
        spelling = difflib.SequenceMatcher(None, text, topic_id).ratio()
        return shared + spelling

    ranked = sorted(
        ((score(t.id, t.title), t.id) for t in curriculum.topics), key=lambda pair: -pair[0]
    )
    return [topic_id for value, topic_id in ranked[:limit] if value >= 0.5]


def search(curriculum: TopicNames, text: str = "") -> list[str]:
    """Topic ids whose id or title holds every typed word, in roadmap order."""
    words = text.lower().split()
    return [
        t.id
        for t in curriculum.topics
        if all(word in t.id or word in t.title.lower() for word in words)
    ]
