"""The learner's own plan: the chosen path and their picks in its elective groups.

Stored in the settings table (`learner.path`, `learner.picks`); read by everything that
counts totals. Until the learner chooses, the plan is the default path with its default
picks (`LearnerPlan.chosen` is False, so a front end can offer the setup).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..curriculum import Curriculum, ElectiveGroup, LearningPath
from ..errors import BadInput
from .settings import get_raw, set_raw

if TYPE_CHECKING:
    from sqlmodel import Session

PATH_KEY = "learner.path"
PICKS_KEY = "learner.picks"


class GroupChoice(NamedTuple):
    """One elective group as the learner's path offers it, and what is picked."""

    group: ElectiveGroup
    offered: tuple[str, ...]
    picked: tuple[str, ...]


class LearnerPlan(NamedTuple):
    """The topics the learner means to study: totals count these and nothing else."""

    path: LearningPath | None  # None only when the content has no paths at all
    picks: Mapping[str, tuple[str, ...]]
    topic_ids: frozenset[str]
    groups: tuple[GroupChoice, ...] = ()
    chosen: bool = False  # the learner chose a path (False: the default, never confirmed)
    hours: float = 0.0
    assumed: tuple[str, ...] = ()

    def on_path(self, topic_id: str) -> bool:
        return topic_id in self.topic_ids


class PathSummary(NamedTuple):
    """A path as a chooser lists it: its hours with the default electives."""

    id: str
    title: str
    summary: str
    default: bool
    topics: int
    hours: float
    groups: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "default": self.default,
            "topics": self.topics,
            "hours": self.hours,
            "elective_groups": list(self.groups),
        }


def suggest(wanted: str, known: Iterable[str], what: str, message: str = "") -> BadInput:
    """A BadInput naming the closest known ids (or all of them when none is close)."""
    import difflib  # only when something is misspelt: not on every command's start

    known = list(known)
    message = message or f"no {what} '{wanted}'"
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
    if close:
        hint = "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    else:
        hint = "known: " + ", ".join(known) if known else f"there are no {what}s"
    return BadInput(f"{message}; {hint}", title="Path")


def list_paths(curriculum: Curriculum) -> list[PathSummary]:
    """Every path with its topic count and hours (default electives)."""
    result = []
    for path in curriculum.paths:
        ids = curriculum.path_topic_ids(path)
        result.append(
            PathSummary(
                id=path.id,
                title=path.title,
                summary=path.summary,
                default=path.default,
                topics=len(ids),
                hours=curriculum.path_hours(path),
                groups=tuple(e.group for e in path.electives),
            )
        )
    return result


def _stored(session: Session) -> tuple[str | None, dict[str, list[str]]]:
    return _read_stored(get_raw(session, PATH_KEY), get_raw(session, PICKS_KEY))


def _read_stored(path_id: str | None, raw: str | None) -> tuple[str | None, dict[str, list[str]]]:
    picks: dict[str, list[str]] = {}
    if raw:
        try:
            loaded = json.loads(raw)
        except json.JSONDecodeError:
            loaded = {}
        if isinstance(loaded, dict):
            picks = {
                str(k): [str(t) for t in v]
                for k, v in loaded.items()
                if isinstance(v, list) and all(isinstance(t, str) for t in v)
            }
    return path_id, picks


def _build(
    curriculum: Curriculum,
    path: LearningPath | None,
    stored: Mapping[str, Sequence[str]],
    chosen: bool,
) -> LearnerPlan:
    if path is None:
        ids = frozenset(t.id for t in curriculum.topics)
        return LearnerPlan(None, {}, ids, chosen=chosen, hours=_hours(curriculum, ids))
    defaults = path.defaults()
    picks: dict[str, tuple[str, ...]] = {}
    groups = []
    for offer in path.electives:
        group = curriculum.find_group(offer.group)
        if group is None:
            continue
        offered = curriculum.offered(path, group)
        wanted = stored.get(group.id, defaults.get(group.id, ()))
        picked = tuple(t for t in offered if t in set(wanted))[: group.max_picks]
        if len(picked) < group.min_picks:  # content changed under the stored picks
            picked = tuple(t for t in offered if t in set(defaults.get(group.id, ())))
        picks[group.id] = picked
        groups.append(GroupChoice(group, offered, picked))
    ids = curriculum.path_topic_ids(path, picks)
    return LearnerPlan(
        path,
        picks,
        ids,
        tuple(groups),
        chosen,
        _hours(curriculum, ids),
        path.assumed,
    )


def _hours(curriculum: Curriculum, ids: frozenset[str]) -> float:
    return sum(t.hours for t in curriculum.topics if t.id in ids)


def plan(session: Session, curriculum: Curriculum) -> LearnerPlan:
    """The learner's plan: the stored path (or the default one) and picks."""
    return _plan(curriculum, *_stored(session))


def plan_from_settings(curriculum: Curriculum, stored: Mapping[str, str]) -> LearnerPlan:
    """The same plan from the raw settings rows (key to value), read without a session."""
    return _plan(curriculum, *_read_stored(stored.get(PATH_KEY), stored.get(PICKS_KEY)))


def _plan(
    curriculum: Curriculum, path_id: str | None, picks: Mapping[str, Sequence[str]]
) -> LearnerPlan:
    path = curriculum.find_path(path_id)
    chosen = path is not None
    return _build(curriculum, path or curriculum.default_path, picks, chosen)


def plan_topics(session: Session, curriculum: Curriculum) -> frozenset[str]:
    """Just the topic ids on the learner's plan."""
    return plan(session, curriculum).topic_ids


def preview(
    curriculum: Curriculum, path_id: str, picks: Mapping[str, Sequence[str]] | None = None
) -> LearnerPlan:
    """The plan a choice would give, validated, without storing anything (for a chooser
    that shows each option's hours before the learner confirms)."""
    path = _path(curriculum, path_id)
    chosen = dict(path.defaults())
    for group_id, topics in (picks or {}).items():
        group = _group(curriculum, path, group_id)
        _check_picks(curriculum, path, group, topics)
        chosen[group_id] = tuple(topics)
    return _build(curriculum, path, chosen, True)


def choose_path(
    session: Session,
    curriculum: Curriculum,
    path_id: str,
    picks: Mapping[str, Sequence[str]] | None = None,
) -> LearnerPlan:
    """Choose a path (its default picks for the groups `picks` does not name)."""
    result = preview(curriculum, path_id, picks)
    _store(session, result)
    return result


def set_picks(
    session: Session, curriculum: Curriculum, group_id: str, topic_ids: Sequence[str]
) -> LearnerPlan:
    """Replace the picks of one group of the learner's path."""
    current = plan(session, curriculum)
    path = _require_path(current)
    group = _group(curriculum, path, group_id)
    _check_picks(curriculum, path, group, topic_ids)
    picks = {**current.picks, group.id: tuple(topic_ids)}
    result = _build(curriculum, path, picks, True)
    _store(session, result)
    return result


def elect(session: Session, curriculum: Curriculum, group_id: str, topic_id: str) -> LearnerPlan:
    """Pick a topic; in a group of one pick it replaces the current pick."""
    current = plan(session, curriculum)
    path = _require_path(current)
    group = _group(curriculum, path, group_id)
    _check_topic(curriculum, path, group, topic_id)
    picked = current.picks.get(group.id, ())
    if topic_id in picked:
        return set_picks(session, curriculum, group.id, picked)
    new: tuple[str, ...]
    if group.max_picks == 1:
        new = (topic_id,)
    elif len(picked) >= group.max_picks:
        raise BadInput(
            f"'{group.id}' takes at most {group.max_picks} picks and has "
            f"{', '.join(picked)}; drop one first (mlplanner path unelect {group.id} TOPIC)",
            title="Path",
        )
    else:
        new = (*picked, topic_id)
    return set_picks(session, curriculum, group.id, new)


def unelect(session: Session, curriculum: Curriculum, group_id: str, topic_id: str) -> LearnerPlan:
    """Drop a pick (refused when the group would have fewer than its minimum)."""
    current = plan(session, curriculum)
    path = _require_path(current)
    group = _group(curriculum, path, group_id)
    picked = current.picks.get(group.id, ())
    if topic_id not in picked:
        raise suggest(topic_id, picked, "pick", f"'{topic_id}' is not picked in '{group.id}'")
    return set_picks(session, curriculum, group.id, tuple(t for t in picked if t != topic_id))


def _store(session: Session, result: LearnerPlan) -> None:
    assert result.path is not None
    set_raw(session, PATH_KEY, result.path.id)
    set_raw(session, PICKS_KEY, json.dumps({k: list(v) for k, v in result.picks.items()}))


def _require_path(current: LearnerPlan) -> LearningPath:
    if current.path is None:
        raise BadInput("the curriculum has no paths to choose from", title="Path")
    return current.path


def _path(curriculum: Curriculum, path_id: str) -> LearningPath:
    path = curriculum.find_path(path_id)
    if path is None:
        raise suggest(path_id, [p.id for p in curriculum.paths], "path")
    return path


def _group(curriculum: Curriculum, path: LearningPath, group_id: str) -> ElectiveGroup:
    offered = [e.group for e in path.electives]
    group = curriculum.find_group(group_id) if group_id in offered else None
    if group is None:
        raise suggest(
            group_id,
            offered,
            "elective group",
            f"path '{path.id}' offers no elective group '{group_id}'",
        )
    return group


def _check_topic(
    curriculum: Curriculum, path: LearningPath, group: ElectiveGroup, topic_id: str
) -> None:
    offered = curriculum.offered(path, group)
    if topic_id not in offered:
        raise suggest(
            topic_id,
            offered,
            "topic",
            f"'{topic_id}' is not offered in '{group.id}' on path '{path.id}'",
        )


def _check_picks(
    curriculum: Curriculum, path: LearningPath, group: ElectiveGroup, topic_ids: Sequence[str]
) -> None:
    for topic_id in topic_ids:
        _check_topic(curriculum, path, group, topic_id)
    if len(set(topic_ids)) != len(topic_ids):
        raise BadInput(f"a topic is picked twice in '{group.id}'", title="Path")
    if not group.min_picks <= len(topic_ids) <= group.max_picks:
        span = (
            f"exactly {group.min_picks}"
            if group.min_picks == group.max_picks
            else f"{group.min_picks} to {group.max_picks}"
        )
        noun = "pick" if group.max_picks == 1 else "picks"
        raise BadInput(
            f"'{group.id}' takes {span} {noun}, not {len(topic_ids)}; offered: "
            + ", ".join(curriculum.offered(path, group)),
            title="Path",
        )


def needs_setup(session: Session, curriculum: Curriculum) -> bool:
    """A new learner: no path chosen, nothing logged or marked yet (a front end opens its
    setup; a learner with history is not interrupted, and can run it when they like)."""
    from sqlmodel import select

    from ..store.models import StudySession, TopicProgress

    if plan(session, curriculum).chosen:
        return False
    logged = session.exec(select(StudySession.id).limit(1)).first()
    marked = session.exec(select(TopicProgress.topic_id).limit(1)).first()
    return logged is None and marked is None
