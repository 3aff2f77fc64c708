"""`mlplanner log`: log a study session from the shell."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from .context import Context


def register(commands: Commands) -> None:
    parser = commands.add(
        "log",
        help="log a study session",
        description="Log hours studied, e.g. `mlplanner log 1h30 --topic linear-algebra`.",
        run=log,
    )
    parser.add_argument("duration", help="how long: 90m, 1h30, 1.5h, 1:30 or minutes")
    parser.add_argument("--topic", help="topic id or title")
    parser.add_argument(
        "--at",
        metavar="WHEN",
        help="when it started: now (default: it ended now), 19:00, 'yesterday 19:00', 2026-03-10 18:30",
    )
    parser.add_argument("--note", default="", help="a few words on what you did")


def log(args: argparse.Namespace, context: Context) -> None:
    from ..services import logbook
    from ..services.durations import format_duration, parse_duration, parse_moment
    from ..services.topics import resolve_topic

    planner = context.planner
    tz = planner.tz
    duration = parse_duration(args.duration)
    topic_id = resolve_topic(planner.curriculum, args.topic) if args.topic else None
    started = parse_moment(args.at, planner.clock(), tz) if args.at else None
    with planner.session() as session:
        row = logbook.log_session(session, planner.clock, duration, started, topic_id, args.note)
    title = planner.curriculum.topic_title(topic_id, "no topic")
    local = row.started_at.astimezone(tz)
    print(
        f"logged {format_duration(duration)} on {title} "
        f"from {local:%a %d %b %Y %H:%M} (session #{row.id})"
    )
