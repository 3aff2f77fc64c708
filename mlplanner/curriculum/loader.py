"""Read and validate curriculum TOML files into frozen objects.

Every problem is collected with its file and line instead of stopping at the
first, so `mlplanner check` can show an author everything at once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PlannerError
from .files import bundled_content_dir, content_files
from .model import (
    COSTS,
    RESOURCE_KINDS,
    Card,
    Curriculum,
    ElectiveGroup,
    LearningPath,
    LoadResult,
    Problem,
    Resource,
    Stage,
    Topic,
    Track,
)
from .path_rules import check_paths, read_paths_file
from .reading import FileReader, Lines, type_name, valid_url


class ContentError(PlannerError):
    """The curriculum cannot be used; carries every problem found."""

    title = "Curriculum"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class _Parsed:
    """What one file contributed."""

    path: Path
    track: Track | None = None
    stage: Stage | None = None
    paths: list[LearningPath] = field(default_factory=list)
    groups: list[ElectiveGroup] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lines: Lines | None = None

    @property
    def has_paths(self) -> bool:
        return bool(self.paths or self.groups)


def parse_file(path: Path) -> _Parsed:
    """Parse and validate one content file on its own (no cross-file checks)."""
    result = _Parsed(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        result.problems.append(Problem(path, None, f"cannot read file: {exc.strerror or exc}"))
        return result
    except UnicodeDecodeError as exc:
        result.problems.append(Problem(path, None, f"not UTF-8 text ({exc.reason})"))
        return result
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        message = getattr(exc, "msg", None) or str(exc)
        result.problems.append(Problem(path, line, f"invalid TOML: {message}"))
        return result
    lines = Lines(text)
    result.lines = lines
    reader = FileReader(path, lines)
    if "track" in data and "stage" not in data:
        extra = sorted(set(data) - {"track"})
        if extra:
            reader.problem(None, f"unknown top-level keys in a track file: {', '.join(extra)}")
        result.track = _read_track(reader, data["track"])
    elif "stage" in data:
        result.stage = _read_stage(reader, data)
    elif "paths" in data or "electives" in data:
        result.paths, result.groups = read_paths_file(reader, data)
    else:
        reader.problem(
            1, "neither a [track], a [stage] nor [[paths]]/[[electives]]: not a curriculum file"
        )
    result.problems.extend(reader.problems)
    return result


def _line_from_message(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def _read_track(reader: FileReader, table: Any) -> Track | None:
    line = reader.lines.of_header("[track]")
    values = reader.fields(
        table, "[track]", line, {"id": (str,), "title": (str,), "summary": (str,)}, {}
    )
    if values is None:
        return None
    ok = reader.slug(values["id"], "[track]", line)
    ok &= reader.text(values, "title", "[track]", line)
    return Track(values["id"], values["title"].strip(), values["summary"].strip()) if ok else None


def _read_stage(reader: FileReader, data: dict[str, Any]) -> Stage | None:
    extra = sorted(set(data) - {"stage", "topics"})
    for key in extra:
        reader.problem(
            reader.lines.of_key(key, None) or reader.lines.of_header(f"[{key}]"),
            f"unknown top-level key '{key}' (a stage file has [stage] and [[topics]])",
        )
    line = reader.lines.of_header("[stage]")
    values = reader.fields(
        data["stage"],
        "[stage]",
        line,
        {"id": (str,), "title": (str,), "order": (int,), "summary": (str,)},
        {},
    )
    topics_raw = data.get("topics", [])
    if not isinstance(topics_raw, list):
        reader.problem(line, f"'topics' must be an array of tables, not {type_name(topics_raw)}")
        topics_raw = []
    if values is None:
        return None
    stage_id = values["id"]
    where = f"stage '{stage_id}'"
    ok = reader.slug(stage_id, where, line)
    ok &= reader.text(values, "title", where, line)
    ok &= reader.text(values, "summary", where, line)
    if not topics_raw:
        reader.problem(line, f"{where} has no topics")
    # Good topics are kept even when others are broken, so cross-file checks still
    # run on them; the file's problems keep it out of use all the same.
    topics = [
        topic
        for index, raw in enumerate(topics_raw, start=1)
        if (topic := _read_topic(reader, raw, stage_id, index)) is not None
    ]
    if not ok:
        return None
    return Stage(
        id=stage_id,
        title=values["title"].strip(),
        order=values["order"],
        summary=values["summary"].strip(),
        topics=tuple(topics),
        source=reader.path,
    )


def _read_topic(reader: FileReader, raw: Any, stage_id: str, index: int) -> Topic | None:
    topic_id = raw.get("id") if isinstance(raw, dict) else None
    line = reader.lines.of_id(topic_id)
    where = f"topic '{topic_id}'" if isinstance(topic_id, str) else f"topic #{index}"
    values = reader.fields(
        raw,
        where,
        line,
        {
            "id": (str,),
            "title": (str,),
            "summary": (str,),
            "objectives": (list,),
            "hours": (int, float),
        },
        {"prerequisites": (list,), "resources": (list,), "cards": (list,)},
    )
    if values is None:
        return None
    topic_id = str(values["id"])
    ok = reader.slug(topic_id, where, line)
    ok &= reader.text(values, "title", where, line)
    ok &= reader.text(values, "summary", where, line)
    ok &= reader.string_list(values, "objectives", where, line)
    ok &= reader.string_list(values, "prerequisites", where, line)
    if not values["objectives"]:
        reader.problem(reader.lines.of_key("objectives", line), f"{where}: no objectives")
        ok = False
    if values["hours"] <= 0:
        reader.problem(
            reader.lines.of_key("hours", line), f"{where}: 'hours' must be greater than 0"
        )
        ok = False
    resources = [
        resource
        for number, item in enumerate(values.get("resources", []), start=1)
        if (resource := _read_resource(reader, item, where, number, line)) is not None
    ]
    cards = [
        card
        for number, item in enumerate(values.get("cards", []), start=1)
        if (card := _read_card(reader, item, topic_id, where, number, line)) is not None
    ]
    if not ok:
        return None
    return Topic(
        id=topic_id,
        stage_id=stage_id,
        title=values["title"].strip(),
        summary=values["summary"].strip(),
        objectives=tuple(o.strip() for o in values["objectives"]),
        hours=float(values["hours"]),
        prerequisites=tuple(values.get("prerequisites", [])),
        resources=tuple(resources),
        cards=tuple(cards),
    )


def _read_resource(
    reader: FileReader, raw: Any, topic: str, number: int, topic_line: int | None
) -> Resource | None:
    resource_id = raw.get("id") if isinstance(raw, dict) else None
    line = reader.lines.of_id(resource_id) or topic_line
    where = (
        f"resource '{resource_id}'"
        if isinstance(resource_id, str)
        else f"{topic}, resource #{number}"
    )
    values = reader.fields(
        raw,
        where,
        line,
        {"id": (str,), "title": (str,), "url": (str,), "kind": (str,), "cost": (str,)},
        {"hours": (int, float)},
    )
    if values is None:
        return None
    resource_id = str(values["id"])
    ok = reader.slug(resource_id, where, line)
    ok &= reader.text(values, "title", where, line)
    if not valid_url(values["url"]):
        reader.problem(
            reader.lines.of_key("url", line),
            f"{where}: url '{values['url']}' is not an http(s) URL",
        )
        ok = False
    if values["kind"] not in RESOURCE_KINDS:
        reader.problem(
            reader.lines.of_key("kind", line),
            f"{where}: kind '{values['kind']}' is not one of {', '.join(RESOURCE_KINDS)}",
        )
        ok = False
    if values["cost"] not in COSTS:
        reader.problem(
            reader.lines.of_key("cost", line),
            f"{where}: cost '{values['cost']}' must be 'free' or 'paid'",
        )
        ok = False
    hours = values.get("hours", 0)
    if hours < 0:
        reader.problem(reader.lines.of_key("hours", line), f"{where}: 'hours' is negative")
        ok = False
    if not ok:
        return None
    return Resource(
        id=resource_id,
        title=values["title"].strip(),
        url=values["url"],
        kind=values["kind"],
        cost=values["cost"],
        hours=float(hours),
    )


def _read_card(
    reader: FileReader,
    raw: Any,
    topic_id: str,
    topic: str,
    number: int,
    topic_line: int | None,
) -> Card | None:
    card_id = raw.get("id") if isinstance(raw, dict) else None
    line = reader.lines.of_id(card_id) or topic_line
    where = f"card '{card_id}'" if isinstance(card_id, str) else f"{topic}, card #{number}"
    values = reader.fields(
        raw, where, line, {"id": (str,), "front": (str,), "back": (str,)}, {"tags": (list,)}
    )
    if values is None:
        return None
    card_id = str(values["id"])
    ok = reader.slug(card_id, where, line)
    ok &= reader.text(values, "front", where, line)
    ok &= reader.text(values, "back", where, line)
    ok &= reader.string_list(values, "tags", where, line)
    if ok and values["front"].strip() == values["back"].strip():
        reader.problem(line, f"{where}: front and back are the same")
        ok = False
    if not ok:
        return None
    return Card(
        id=card_id,
        topic_id=topic_id,
        front=values["front"].strip(),
        back=values["back"].strip(),
        tags=tuple(t.strip() for t in values.get("tags", [])),
    )


def _cross_check(track: Track, stages: list[Stage], where: dict[str, _Parsed]) -> list[Problem]:
    """Checks that need the whole curriculum: unique ids, prerequisites, cycles."""
    problems: list[Problem] = []

    def locate(stage: Stage, item_id: str) -> tuple[Path, int | None]:
        parsed = where.get(stage.id)
        path = stage.source or Path("?")
        line = parsed.lines.of_id(item_id) if parsed and parsed.lines else None
        return path, line

    seen: dict[tuple[str, str], Stage] = {}
    for stage in stages:
        items = [("stage", stage.id)]
        for topic in stage.topics:
            items.append(("topic", topic.id))
            items += [("resource", r.id) for r in topic.resources]
            items += [("card", c.id) for c in topic.cards]
        for kind, item_id in items:
            first = seen.get((kind, item_id))
            if first is not None:
                path, line = locate(stage, item_id)
                problems.append(
                    Problem(
                        path,
                        line,
                        f"duplicate {kind} id '{item_id}' (also in {first.source})",
                    )
                )
            else:
                seen[(kind, item_id)] = stage

    topics = {t.id: (s, t) for s in stages for t in s.topics}
    for stage, topic in topics.values():
        for prerequisite in topic.prerequisites:
            if prerequisite not in topics:
                path, line = locate(stage, topic.id)
                problems.append(
                    Problem(
                        path,
                        line,
                        f"topic '{topic.id}': prerequisite '{prerequisite}' names no topic",
                    )
                )
            elif prerequisite == topic.id:
                path, line = locate(stage, topic.id)
                problems.append(
                    Problem(path, line, f"topic '{topic.id}' lists itself as a prerequisite")
                )

    for cycle in _cycles({tid: t.prerequisites for tid, (_, t) in topics.items()}):
        stage, _topic = topics[cycle[0]]
        path, line = locate(stage, cycle[0])
        problems.append(Problem(path, line, "prerequisite cycle: " + " -> ".join(cycle)))
    return problems


def _cycles(graph: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Each distinct cycle once, found by depth-first search (iterative: content can be deep)."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    found: list[list[str]] = []
    for root in graph:
        if colour[root] != white:
            continue
        path: list[str] = [root]
        stack = [iter(sorted(p for p in graph[root] if p in graph and p != root))]
        colour[root] = grey
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = black
                stack.pop()
            elif colour[nxt] == grey:
                found.append(path[path.index(nxt) :] + [nxt])
            elif colour[nxt] == white:
                colour[nxt] = grey
                path.append(nxt)
                stack.append(iter(sorted(p for p in graph[nxt] if p in graph and p != nxt)))
    return found


def check_directory(directory: Path) -> tuple[Curriculum | None, list[Problem]]:
    """Validate one folder on its own, as `mlplanner check DIR` does."""
    if not directory.is_dir():
        return None, [Problem(directory, None, "no such content folder")]
    files = content_files(directory)
    if not files:
        return None, [Problem(directory, None, "no .toml content files in this folder")]
    parsed = [parse_file(p) for p in files]
    problems = [problem for p in parsed for problem in p.problems]
    tracks = [p for p in parsed if p.track]
    if len(tracks) > 1:
        for extra in tracks[1:]:
            problems.append(
                Problem(extra.path, 1, f"a second [track] (the first is in {tracks[0].path})")
            )
    track = (tracks[0].track if tracks else None) or Track(
        "custom", "Custom track", "User content."
    )
    stages = [p.stage for p in parsed if p.stage]
    if not stages and not problems:
        problems.append(Problem(directory, None, "no stage files: nothing to study"))
    where = {p.stage.id: p for p in parsed if p.stage}
    problems += _cross_check(track, stages, where)
    if problems:
        return None, problems
    stages.sort(key=lambda s: (s.order, s.id))
    curriculum = Curriculum(track, tuple(stages))
    paths = [path for p in parsed for path in p.paths]
    groups = [group for p in parsed for group in p.groups]
    lines = {p.path: p.lines for p in parsed if p.lines is not None}
    problems += check_paths(curriculum, paths, groups, lines)
    if problems:
        return None, problems
    return Curriculum(track, tuple(stages), tuple(paths), tuple(groups)), []


def load_curriculum(extra: Path | None = None) -> LoadResult:
    """The bundled curriculum plus a user's folder; a broken user file never hides the rest."""
    bundled, problems = check_directory(bundled_content_dir())
    if bundled is None:
        return LoadResult(None, problems)
    if extra is None:
        return LoadResult(bundled, [])
    if not extra.is_dir():
        return LoadResult(bundled, [], [Problem(extra, None, "no such content folder")])
    user_problems: list[Problem] = []
    stages = {s.id: s for s in bundled.stages}
    track = bundled.track
    parsed_by_stage: dict[str, _Parsed] = {}
    path_files: list[_Parsed] = []
    for path in content_files(extra):
        parsed = parse_file(path)
        if parsed.problems:
            user_problems += parsed.problems
            continue
        if parsed.has_paths:
            path_files.append(parsed)  # checked once every stage is in
            continue
        if parsed.track:
            track = parsed.track
            continue
        assert parsed.stage is not None
        candidate = {**stages, parsed.stage.id: parsed.stage}
        cross = _cross_check(
            track, list(candidate.values()), {**parsed_by_stage, parsed.stage.id: parsed}
        )
        if cross:
            user_problems += [Problem(p.path, p.line, p.message + " (file skipped)") for p in cross]
            continue
        stages = candidate
        parsed_by_stage[parsed.stage.id] = parsed
    ordered = tuple(sorted(stages.values(), key=lambda s: (s.order, s.id)))
    paths = {p.id: p for p in bundled.paths}
    groups = {g.id: g for g in bundled.electives}
    for parsed in path_files:
        new_paths = {**paths, **{p.id: p for p in parsed.paths}}
        if any(p.default for p in parsed.paths):  # a user's default path replaces ours
            new_paths = {
                k: v if v.source == parsed.path else v._replace(default=False)
                for k, v in new_paths.items()
            }
        new_groups = {**groups, **{g.id: g for g in parsed.groups}}
        assert parsed.lines is not None
        cross = check_paths(
            Curriculum(track, ordered),
            list(new_paths.values()),
            list(new_groups.values()),
            {parsed.path: parsed.lines},
        )
        if cross:
            user_problems += [Problem(p.path, p.line, p.message + " (file skipped)") for p in cross]
            continue
        paths, groups = new_paths, new_groups
    try:
        final = Curriculum(track, ordered, tuple(paths.values()), tuple(groups.values()))
        if check_paths(final, list(final.paths), list(final.electives), {}):
            raise ValueError
    except ValueError:  # a user stage took a path's topic away: keep the paths that still hold
        final = Curriculum(track, ordered)
        user_problems.append(
            Problem(extra, None, "the paths no longer fit the changed stages (paths ignored)")
        )
    return LoadResult(final, [], user_problems)
