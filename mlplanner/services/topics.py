"""Finding a topic from what a learner typed: an id, a title, or close to one."""

from __future__ import annotations

import difflib

from ..curriculum import Curriculum
from ..errors import BadInput


class UnknownTopic(BadInput):
    title = "Unknown topic"

    def __init__(self, text: str, suggestions: list[str]):
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no topic '{text}'{hint}")


def resolve_topic(curriculum: Curriculum, text: str) -> str:
    wanted = text.strip()
    if curriculum.has_topic(wanted):
        return wanted
    lowered = wanted.lower()
    for topic in curriculum.topics:
        if topic.title.lower() == lowered:
            return topic.id
    ids = [t.id for t in curriculum.topics]
    close = difflib.get_close_matches(lowered, ids, n=3, cutoff=0.5)
    if not close:
        close = [t.id for t in curriculum.topics if lowered and lowered in t.title.lower()][:3]
    raise UnknownTopic(text, close)
