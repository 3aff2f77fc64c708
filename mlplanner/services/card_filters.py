"""Which stored cards count: the one definition of a card in the collection and of an
active card, shared by the queue, the browser, the status line and the statistics; and
the browser's search line and sorts, read into those filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_
from sqlmodel import col

from ..curriculum import Curriculum
from ..errors import BadInput
from ..store.models import CardRecord
from ..vocabulary import SCHEDULED_STATES, CardState
from .topics import resolve_topic


def kept() -> tuple[ColumnElement[bool], ...]:
    """Cards still in the content or the learner's own (a removed one keeps its history)."""
    return (col(CardRecord.removed).is_(False),)


def in_collection() -> tuple[ColumnElement[bool], ...]:
    """Kept cards the learner has not hidden."""
    return (*kept(), col(CardRecord.hidden).is_(False))


def not_buried(now: datetime) -> ColumnElement[bool]:
    return or_(col(CardRecord.buried_until).is_(None), col(CardRecord.buried_until) <= now)


def active(now: datetime | None) -> tuple[ColumnElement[bool], ...]:
    """Cards that may be shown for review at `now`: in the collection, not suspended and
    not buried. With `now` None, burial (which lasts a day at most) is not looked at: a
    forecast of the coming days counts buried cards."""
    unsuspended = (*in_collection(), col(CardRecord.suspended).is_(False))
    return unsuspended if now is None else (*unsuspended, not_buried(now))


def scheduled(now: datetime | None) -> tuple[ColumnElement[bool], ...]:
    """Active cards the scheduler has seen: these have a due date."""
    return (*active(now), col(CardRecord.state).in_(SCHEDULED_STATES))


# The browser's search: words, `topic:`, `tag:` and `is:` terms -------------------------

# `is:` terms, each a group of states (new, learning, review) or a mark on the card.
STATE_TERMS = ("new", "learning", "review", "suspended", "hidden", "buried")
_GROUPS = {
    group: tuple(s for s in CardState if s.group == group)
    for group in ("new", "learning", "review")
}
_KEYS = ("topic", "tag", "is")
# A term: an optional `key:` and a value, either "in quotes" (the closing quote may still
# be missing while it is being typed) or up to the next space.
_TERM = re.compile(r'(?:(?P<key>[A-Za-z]+):)?(?:"(?P<quoted>[^"]*)"?|(?P<word>\S+))')


class UnknownState(BadInput):
    title = "Card search"

    def __init__(self, state: str) -> None:
        super().__init__(f"no state '{state}'; is: takes {', '.join(STATE_TERMS)}")


@dataclass(frozen=True)
class CardQuery:
    """What a search line asks for. `topic_quoted` tells a title in quotes (resolved like
    `--topic`: an id or a unique title prefix) from a bare word (any topic whose id or title
    holds it)."""

    text: str = ""
    topic: str = ""
    topic_quoted: bool = False
    tag: str = ""
    state: str = ""


def parse_query(line: str) -> CardQuery:
    """'topic:"linear alg" is:review gradient' -> the filters of a card search. A term that
    is not a filter (an unknown key, an empty value) is searched for as text."""
    words: list[str] = []
    found: dict[str, str] = {}
    quoted = False
    for match in _TERM.finditer(line):
        key = (match["key"] or "").lower()
        value = match["quoted"] if match["quoted"] is not None else match["word"]
        if key in _KEYS and value and value.strip():
            found[key] = " ".join(value.split())
            if key == "topic":
                quoted = match["quoted"] is not None
        elif match.group().strip():
            words.append(value if not key and match["quoted"] is not None else match.group())
    return CardQuery(
        text=" ".join(" ".join(words).split()),
        topic=found.get("topic", ""),
        topic_quoted=quoted,
        tag=found.get("tag", ""),
        state=found.get("is", "").lower(),
    )


def topic_ids(curriculum: Curriculum, query: CardQuery) -> list[str] | None:
    """The topics a query's `topic:` term means; None without one. A title in quotes names
    one topic (UnknownTopic, with the candidates, if it names none or several); a bare word
    is an exact id, else every topic whose id or title holds it."""
    if not query.topic:
        return None
    if query.topic_quoted:
        return [resolve_topic(curriculum, query.topic)]
    if curriculum.has_topic(query.topic):
        return [query.topic]
    wanted = query.topic.lower()
    return [t.id for t in curriculum.topics if wanted in t.id.lower() or wanted in t.title.lower()]


def buried(now: datetime) -> ColumnElement[bool]:
    return col(CardRecord.buried_until) > now


def with_state(state: str, now: datetime) -> list[ColumnElement[bool]]:
    """The cards an `is:` term keeps. Without one, the collection (hidden cards left out);
    `is:suspended` and `is:hidden` find such cards whatever else they are; `is:buried`
    finds cards buried until a later time, hidden ones left out."""
    if state == "suspended":
        return [*kept(), col(CardRecord.suspended).is_(True)]
    if state == "hidden":
        return [*kept(), col(CardRecord.hidden).is_(True)]
    if state == "buried":
        return [*in_collection(), buried(now)]
    if state in _GROUPS:
        return [*active(None), col(CardRecord.state).in_(_GROUPS[state])]
    if state:
        raise UnknownState(state)
    return [*in_collection()]


# Markdown marks a side may begin with (emphasis, code, headings, quotes, links): the
# browser shows the text without them, so a sort by the text passes over them.
LEADING_MARKS = "*_`#>[ "
# The browser's columns, in the order a sort by each reads them.
SORTS = ("front", "back", "topic", "state", "due", "recall")
# The state column's words, in the order they sort: how far a card has come, then marks.
STATE_ORDER = ("new", "learning", "relearning", "review", "buried", "suspended", "hidden")


def state_word(state: CardState, suspended: bool, hidden: bool, is_buried: bool) -> str:
    """The one word the browser shows for a card's state: a mark, else its FSRS state."""
    if suspended:
        return "suspended"
    if hidden:
        return "hidden"
    if is_buried:
        return "buried"
    return state.label


def _state_rank(now: datetime) -> ColumnElement[int]:
    rank = {word: index for index, word in enumerate(STATE_ORDER)}
    return case(
        (col(CardRecord.suspended).is_(True), rank["suspended"]),
        (col(CardRecord.hidden).is_(True), rank["hidden"]),
        (buried(now), rank["buried"]),
        *((col(CardRecord.state) == s.value, rank[s.label]) for s in CardState),
        else_=len(STATE_ORDER),
    )


def default_order() -> tuple[Any, ...]:
    """Soonest due first (never-seen cards last), then by topic and the content's order;
    the id makes the order total, so every sort is stable."""
    return (
        col(CardRecord.due).is_(None),
        col(CardRecord.due),
        col(CardRecord.topic_id),
        col(CardRecord.position),
        col(CardRecord.id),
    )


def ordering(sort: str, descending: bool, now: datetime) -> tuple[Any, ...]:
    """ORDER BY for a sort on a stored column: that column (cards without a due date last
    either way), then the default order for ties. Recall is computed, not stored: see
    cards.search."""
    keys: tuple[Any, ...]
    if sort in ("front", "back"):
        side = col(CardRecord.front if sort == "front" else CardRecord.back)
        keys = (func.lower(func.ltrim(side, LEADING_MARKS)), side)
    elif sort == "topic":
        keys = (col(CardRecord.topic_id),)
    elif sort == "state":
        keys = (_state_rank(now),)
    elif sort == "due":
        keys = (col(CardRecord.due),)
        if descending:
            return (col(CardRecord.due).is_(None), col(CardRecord.due).desc(), *default_order())
        return default_order()
    else:
        raise BadInput(f"cannot sort by {sort!r}; columns: {', '.join(SORTS)}")
    if descending:
        keys = tuple(key.desc() for key in keys)
    return (*keys, *default_order())
