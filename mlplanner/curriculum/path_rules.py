"""Paths and elective groups: reading `[[paths]]` and `[[electives]]` and checking them
against the stages (ids that exist, pick ranges that fit, prerequisites on the path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import Curriculum, ElectiveGroup, LearningPath, PathElectives, Problem
from .reading import FileReader, Lines, type_name


def read_paths_file(
    reader: FileReader, data: dict[str, Any]
) -> tuple[list[LearningPath], list[ElectiveGroup]]:
    for key in sorted(set(data) - {"paths", "electives"}):
        reader.problem(
            reader.lines.of_key(key, None) or reader.lines.of_header(f"[{key}]"),
            f"unknown top-level key '{key}' (a paths file has [[paths]] and [[electives]])",
        )
    paths: list[LearningPath] = []
    groups: list[ElectiveGroup] = []
    for key, reader_fn, out in (
        ("electives", _read_group, groups),
        ("paths", _read_path, paths),
    ):
        raw = data.get(key, [])
        if not isinstance(raw, list):
            reader.problem(
                reader.lines.of_header(f"[{key}]"),
                f"'{key}' must be an array of tables ([[{key}]]), not {type_name(raw)}",
            )
            continue
        for index, item in enumerate(raw, start=1):
            made = reader_fn(reader, item, index)
            if made is not None:
                out.append(made)  # type: ignore[arg-type]
    return paths, groups


def _read_group(reader: FileReader, raw: Any, index: int) -> ElectiveGroup | None:
    group_id = raw.get("id") if isinstance(raw, dict) else None
    line = reader.lines.of_id(group_id)
    where = f"elective group '{group_id}'" if isinstance(group_id, str) else f"elective #{index}"
    values = reader.fields(
        raw,
        where,
        line,
        {"id": (str,), "title": (str,), "topics": (list,)},
        {"min": (int,), "max": (int,), "summary": (str,)},
    )
    if values is None:
        return None
    ok = reader.slug(values["id"], where, line)
    ok &= reader.text(values, "title", where, line)
    ok &= reader.string_list(values, "topics", where, line)
    low, high = values.get("min", 0), values.get("max", 1)
    if low < 0 or high < 0:
        reader.problem(line, f"{where}: 'min' and 'max' must not be negative")
        ok = False
    elif low > high:
        reader.problem(
            reader.lines.of_key("min", line), f"{where}: min {low} is greater than max {high}"
        )
        ok = False
    elif ok and low > len(values["topics"]):
        reader.problem(
            reader.lines.of_key("min", line),
            f"{where}: asks for at least {low} picks but has only {len(values['topics'])} topics",
        )
        ok = False
    if ok and len(set(values["topics"])) != len(values["topics"]):
        reader.problem(reader.lines.of_key("topics", line), f"{where}: a topic is listed twice")
        ok = False
    if not ok:
        return None
    return ElectiveGroup(
        id=values["id"],
        title=values["title"].strip(),
        topics=tuple(values["topics"]),
        min_picks=low,
        max_picks=high,
        summary=values.get("summary", "").strip(),
        source=reader.path,
    )


def _read_path(reader: FileReader, raw: Any, index: int) -> LearningPath | None:
    path_id = raw.get("id") if isinstance(raw, dict) else None
    line = reader.lines.of_id(path_id)
    where = f"path '{path_id}'" if isinstance(path_id, str) else f"path #{index}"
    default = raw.pop("default", False) if isinstance(raw, dict) else False
    values = reader.fields(
        raw,
        where,
        line,
        {"id": (str,), "title": (str,), "summary": (str,)},
        {
            "stages": (list,),
            "topics": (list,),
            "exclude": (list,),
            "assumed": (list,),
            "electives": (dict,),
        },
    )
    if not isinstance(default, bool):
        reader.problem(
            reader.lines.of_key("default", line),
            f"{where}: field 'default' must be true or false, not {type_name(default)}",
        )
        return None
    if values is None:
        return None
    ok = reader.slug(values["id"], where, line)
    ok &= reader.text(values, "title", where, line)
    ok &= reader.text(values, "summary", where, line)
    for key in ("stages", "topics", "exclude", "assumed"):
        ok &= reader.string_list(values, key, where, line)
    offers: list[PathElectives] = []
    for group_id, picks in values.get("electives", {}).items():
        if not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
            reader.problem(
                reader.lines.of_key(group_id, line),
                f"{where}: electives.{group_id} must be a list of default picks (topic ids)",
            )
            ok = False
            continue
        offers.append(PathElectives(group_id, tuple(picks)))
    if not values.get("stages") and not values.get("topics"):
        reader.problem(line, f"{where} names no stages and no topics")
        ok = False
    if not ok:
        return None
    return LearningPath(
        id=values["id"],
        title=values["title"].strip(),
        summary=values["summary"].strip(),
        stages=tuple(values.get("stages", [])),
        topics=tuple(values.get("topics", [])),
        exclude=tuple(values.get("exclude", [])),
        assumed=tuple(values.get("assumed", [])),
        electives=tuple(offers),
        default=default,
        source=reader.path,
    )


def check_paths(
    curriculum: Curriculum,
    paths: list[LearningPath],
    groups: list[ElectiveGroup],
    lines: dict[Path, Lines],
    *,
    require_default: bool = True,
) -> list[Problem]:
    """Paths and elective groups against the curriculum they name."""
    problems: list[Problem] = []

    def add(item: LearningPath | ElectiveGroup, source: Path | None, message: str) -> None:
        path = source or Path("?")
        found = lines.get(path)
        problems.append(Problem(path, found.of_id(item.id) if found else None, message))

    stage_ids = {s.id for s in curriculum.stages}
    known_groups = {g.id: g for g in groups}
    owner: dict[str, str] = {}
    group_seen: set[str] = set()
    for group in groups:
        if group.id in group_seen:
            add(group, group.source, f"duplicate elective group id '{group.id}'")
        group_seen.add(group.id)
        src = group.source
        for topic_id in group.topics:
            if not curriculum.has_topic(topic_id):
                add(group, src, f"elective group '{group.id}': unknown topic '{topic_id}'")
            elif topic_id in owner and owner[topic_id] != group.id:
                add(
                    group,
                    src,
                    f"elective group '{group.id}': topic '{topic_id}' is already in "
                    f"group '{owner[topic_id]}'",
                )
            owner.setdefault(topic_id, group.id)
    view = Curriculum(curriculum.track, curriculum.stages, tuple(paths), tuple(groups))
    seen: set[str] = set()
    for path in paths:
        if path.id in seen:
            add(path, path.source, f"duplicate path id '{path.id}'")
        seen.add(path.id)
        where = f"path '{path.id}'"
        broken = False
        for stage_id in path.stages:
            if stage_id not in stage_ids:
                add(path, path.source, f"{where}: unknown stage '{stage_id}'")
                broken = True
        for key in ("topics", "exclude", "assumed"):
            for topic_id in getattr(path, key):
                if not curriculum.has_topic(topic_id):
                    add(path, path.source, f"{where}: unknown topic '{topic_id}' in '{key}'")
                    broken = True
        for offer in path.electives:
            offered_group = known_groups.get(offer.group)
            if offered_group is None:
                add(path, path.source, f"{where}: unknown elective group '{offer.group}'")
                broken = True
                continue
            group = offered_group
            offered = view.offered(path, group)
            if len(offered) < group.min_picks:
                add(
                    path,
                    path.source,
                    f"{where}: offers {len(offered)} topics of '{group.id}', fewer than "
                    f"its minimum of {group.min_picks}",
                )
                broken = True
            for pick in offer.defaults:
                if pick not in group.topics:
                    add(
                        path,
                        path.source,
                        f"{where}: default pick '{pick}' is not in elective group '{group.id}'",
                    )
                    broken = True
                elif pick not in offered:
                    add(
                        path,
                        path.source,
                        f"{where}: default pick '{pick}' of '{group.id}' is not offered on "
                        "this path (compulsory or excluded)",
                    )
                    broken = True
            if not group.min_picks <= len(offer.defaults) <= group.max_picks:
                add(
                    path,
                    path.source,
                    f"{where}: {len(offer.defaults)} default picks for '{group.id}', "
                    f"which takes {_picks_range(group)}",
                )
                broken = True
        if broken:
            continue
        problems += _check_prerequisites(view, path, known_groups, add)
    defaults = [p.id for p in paths if p.default]
    if require_default and paths and len(defaults) != 1:
        first = paths[0]
        if not defaults:
            add(first, first.source, "no default path: set default = true on exactly one path")
        else:
            add(first, first.source, f"several default paths: {', '.join(defaults)}")
    return problems


def _picks_range(group: ElectiveGroup) -> str:
    if group.min_picks == group.max_picks:
        return f"exactly {group.min_picks}"
    return f"{group.min_picks} to {group.max_picks}"


def _check_prerequisites(
    view: Curriculum,
    path: LearningPath,
    groups: dict[str, ElectiveGroup],
    add: Any,
) -> list[Problem]:
    """Every topic on the path, and every single pick a learner may make, has its
    prerequisites on the path (without that pick's group neighbours) or assumed."""
    where = f"path '{path.id}'"
    compulsory = set(view.compulsory_topics(path))
    known = compulsory | set(path.assumed)
    for topic_id in view.compulsory_topics(path):
        for prerequisite in view.topic(topic_id).prerequisites:
            if prerequisite not in known:
                add(
                    path,
                    path.source,
                    f"{where}: topic '{topic_id}' needs '{prerequisite}', which is not on the "
                    "path (add it, or list it under 'assumed')",
                )
    for offer in path.electives:
        group = groups[offer.group]
        for pick in view.offered(path, group):
            for prerequisite in view.topic(pick).prerequisites:
                if prerequisite not in known:
                    add(
                        path,
                        path.source,
                        f"{where}: picking '{pick}' from '{group.id}' needs '{prerequisite}', "
                        "which is not on the path (add it, exclude the pick, or list it "
                        "under 'assumed')",
                    )
    return []
