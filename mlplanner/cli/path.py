"""`mlplanner path`: the learner's path and electives; list, choose, elect, unelect."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .json_output import emit
from .registry import Commands

if TYPE_CHECKING:
    from ..services.learner import LearnerPlan
    from .context import Context


def register(commands: Commands) -> None:
    parser = commands.add(
        "path",
        help="show or choose your path and electives",
        description=(
            "Without arguments, the chosen path, its electives, hours and what remains. "
            "`path --list` lists the paths; `path choose ID` chooses one; "
            "`path elect GROUP TOPIC` picks an elective, `path unelect GROUP TOPIC` drops it."
        ),
        run=show,
    )
    parser.add_argument("--list", action="store_true", help="list every path with its hours")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    actions = commands.group(parser, "action", "ACTION", required=False)
    choose = actions.add(
        "choose", help="choose a path", description="Choose a path by id.", run=choose_path
    )
    choose.add_argument("id", help="path id (see `mlplanner path --list`)")
    elect = actions.add(
        "elect",
        help="pick an elective topic",
        description="Pick a topic of an elective group (in a group of one pick it replaces it).",
        run=elect_topic,
    )
    elect.add_argument("group", help="elective group id")
    elect.add_argument("topic", help="topic id")
    unelect = actions.add(
        "unelect",
        help="drop an elective pick",
        description="Drop a picked topic of an elective group.",
        run=unelect_topic,
    )
    unelect.add_argument("group", help="elective group id")
    unelect.add_argument("topic", help="topic id")


def show(args: argparse.Namespace, context: Context) -> None:
    from ..services import learner, progress, stats

    planner = context.planner
    curriculum = planner.curriculum
    if args.list:
        paths = learner.list_paths(curriculum)
        if args.json:
            emit({"paths": [p.to_json() for p in paths]})
            return
        chosen = planner.plan().path
        for p in paths:
            mark = "*" if chosen and p.id == chosen.id else " "
            default = " (default)" if p.default else ""
            print(f"{mark} {p.id:<16} {p.title}{default}: {p.topics} topics, {p.hours:,.0f}h")
        print("\nHours with each path's default electives; * your path.")
        return
    with planner.session() as session:
        plan = learner.plan(session, curriculum)
        figures = stats.study_stats(
            session,
            curriculum,
            planner.clock(),
            planner.calendar,
            planner.settings.weekly_target_hours,
        )
        status = progress.statuses(session)
    done = [t for t in plan.topic_ids if status.get(t) in ("done", "skipped")]
    remaining = figures.projection.remaining_hours
    if args.json:
        emit(
            {
                **plan_json(plan),
                "topics_finished": len(done),
                "remaining_hours": remaining,
                "projection": figures.projection.to_json(),
            }
        )
        return
    print_plan(plan)
    print(f"  finished {len(done)} of {len(plan.topic_ids)} topics; {remaining:,.0f}h remaining")
    print(f"  {figures.projection.finish_words()}")
    if not plan.chosen:
        print("\nNot chosen yet: this is the default. `mlplanner path --list` shows the others.")


def plan_json(plan: LearnerPlan) -> dict[str, object]:
    return {
        "path": plan.path.id if plan.path else None,
        "title": plan.path.title if plan.path else None,
        "chosen": plan.chosen,
        "topics": len(plan.topic_ids),
        "hours": plan.hours,
        "electives": {
            g.group.id: {
                "title": g.group.title,
                "min": g.group.min_picks,
                "max": g.group.max_picks,
                "offered": list(g.offered),
                "picked": list(g.picked),
            }
            for g in plan.groups
        },
        "assumed": list(plan.assumed),
    }


def print_plan(plan: LearnerPlan) -> None:
    if plan.path is None:
        print(f"All topics: {len(plan.topic_ids)} topics, {plan.hours:,.0f}h (no paths defined)")
        return
    print(
        f"Path: {plan.path.title} ({plan.path.id}): "
        f"{len(plan.topic_ids)} topics, {plan.hours:,.0f}h"
    )
    for g in plan.groups:
        picked = ", ".join(g.picked) or "none"
        span = (
            f"pick {g.group.min_picks}"
            if g.group.min_picks == g.group.max_picks
            else f"pick {g.group.min_picks}-{g.group.max_picks}"
        )
        print(f"  {g.group.title} ({g.group.id}, {span}): {picked}")
        print(f"    offered: {', '.join(g.offered)}")
    if plan.assumed:
        print(f"  assumed known: {', '.join(plan.assumed)}")


def _changed(context: Context, change: str, args: argparse.Namespace) -> None:
    from ..services import learner

    planner = context.planner
    with planner.session() as session:
        if change == "choose":
            plan = learner.choose_path(session, planner.curriculum, args.id)
        elif change == "elect":
            plan = learner.elect(session, planner.curriculum, args.group, args.topic)
        else:
            plan = learner.unelect(session, planner.curriculum, args.group, args.topic)
    if getattr(args, "json", False):
        emit(plan_json(plan))
    else:
        print_plan(plan)


def choose_path(args: argparse.Namespace, context: Context) -> None:
    _changed(context, "choose", args)


def elect_topic(args: argparse.Namespace, context: Context) -> None:
    _changed(context, "elect", args)


def unelect_topic(args: argparse.Namespace, context: Context) -> None:
    _changed(context, "unelect", args)
