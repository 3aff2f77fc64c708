"""`mlplanner log`: log a study session from the shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from .context import Context
    from .registry import Commands


def register(commands: Commands) -> None:
    parser = commands.add(
        "log",
        help="log a study session",
        description="Log hours studied, e.g. `mlplanner log 1h30 --topic linear-algebra`.",
        run=log,
    )
    parser.add_argument(
        "duration",
        nargs="?",
        help="how long (90m, 1h30, 1.5h, 1:30, 01:30:00, PT1H30M) or when (19:00-20:30)",
    )
    parser.add_argument("--topic", help="topic id or title")
    when = parser.add_mutually_exclusive_group()
    when.add_argument(
        "--at",
        metavar="WHEN",
        help="when it started (default: it ended now): 19:00, 'yesterday 19:00', "
        "'fri 10:00', '1 hour ago', 2026-03-10 18:30",
    )
    when.add_argument("--end", metavar="WHEN", help="when it ended, in the same forms")
    parser.add_argument("--note", default="", help="a few words on what you did")
    parser.add_argument(
        "--allow-overlap",
        action="store_true",
        help="keep it even if it overlaps a logged session (an exact copy is never stored)",
    )


def log(args: argparse.Namespace, context: Context) -> None:
    from ..errors import BadInput
    from ..services.durations import (
        DURATION_FORMS,
        INTERVAL_FORMS,
        format_duration,
        parse_duration,
        parse_interval,
        parse_moment,
    )
    from ..services.topics import resolve_topic

    quick = context.quick(write=True)
    if quick is not None:
        calendar, names = quick.calendar, quick.topic_names
    else:
        planner = context.planner
        calendar, names = planner.calendar, planner.curriculum
    now = context.clock()
    interval = parse_interval(args.duration, now, calendar) if args.duration else None
    if interval is not None:
        if args.at or args.end:
            raise BadInput("give either an interval (19:00-20:30) or --at/--end, not both")
        started, duration = interval[0], interval[1] - interval[0]
    elif args.duration:
        duration = parse_duration(args.duration)
        started = parse_moment(args.at, now, calendar) if args.at else None
        if args.end:
            started = parse_moment(args.end, now, calendar) - duration
    else:
        raise BadInput(
            f"say how long ({DURATION_FORMS}) or when ({INTERVAL_FORMS}); "
            "e.g. mlplanner log 1h30 --topic linear-algebra"
        )
    topic_id = resolve_topic(names, args.topic) if args.topic else None
    if quick is not None:
        from ..services import lean_logbook

        row = lean_logbook.log_session(
            quick.store,
            context.clock,
            duration,
            started,
            topic_id,
            args.note,
            allow_overlap=args.allow_overlap,
            tz=calendar.tz,
        )
        row_id, row_start = row.id, row.started_at
    else:
        from ..services import logbook

        with planner.session() as session:
            stored = logbook.log_session(
                session,
                planner.clock,
                duration,
                started,
                topic_id,
                args.note,
                allow_overlap=args.allow_overlap,
                tz=calendar.tz,
            )
        row_id, row_start = stored.id, stored.started_at  # the id is known once committed
    title = names.topic_title(topic_id, "no topic")
    local = row_start.astimezone(calendar.tz)
    print(
        f"logged {format_duration(duration)} on {title} "
        f"from {local:%a %d %b %Y %H:%M} (session #{row_id})"
    )
