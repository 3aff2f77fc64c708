"""`mlplanner topics`: topic ids with their titles and status, to use with --topic."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from .context import Context
    from .registry import Commands

MARKS = {"not_started": "○", "in_progress": "◐", "done": "●", "skipped": "⊘"}


def register(commands: Commands) -> None:
    parser = commands.add(
        "topics",
        help="list topic ids, titles and status",
        description="List the roadmap's topics (ids to use with --topic); words filter them.",
        run=topics,
    )
    parser.add_argument("search", nargs="*", help="words the id or title must hold")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def topics(args: argparse.Namespace, context: Context) -> int:
    from ..services.topics import search

    quick = context.quick()
    if quick is not None:
        from ..services.learner import plan_from_settings

        curriculum = quick.curriculum
        status = quick.store.topic_statuses()
        on_path = plan_from_settings(curriculum, quick.raw_settings).topic_ids
    else:
        from ..services import learner, progress

        planner = context.planner
        curriculum = planner.curriculum
        with planner.session() as session:
            status = progress.statuses(session)
            on_path = learner.plan(session, curriculum).topic_ids
    found = search(curriculum, " ".join(args.search))
    rows = [
        {
            "id": topic_id,
            "title": curriculum.topic(topic_id).title,
            "stage": curriculum.topic(topic_id).stage_id,
            "status": status.get(topic_id, "not_started"),
            "hours": curriculum.topic(topic_id).hours,
            "on_path": topic_id in on_path,
        }
        for topic_id in found
    ]
    if args.json:
        from .json_output import emit

        emit({"topics": rows})
        return 0
    if not rows:
        print(f"no topic holds '{' '.join(args.search)}'")
        return 1
    from .output import print_lines

    width = max(len(row["id"]) for row in rows)
    print_lines(
        f"{MARKS.get(str(row['status']), '○')} {row['id']:<{width}}  {row['title']}"
        f"{'' if row['on_path'] else '  (not on your path)'}"
        for row in rows
    )
    return 0
