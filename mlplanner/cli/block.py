"""`mlplanner block`: plan study blocks from the shell (add, list, remove)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from typing import Protocol

    from ..curriculum import Curriculum
    from ..curriculum.cache import TitleIndex
    from ..services.recurrence import BlockTimes
    from .context import Context
    from .registry import Commands

    class ListedBlock(BlockTimes, Protocol):
        @property
        def id(self) -> int | None: ...
        @property
        def topic_id(self) -> str | None: ...
        @property
        def note(self) -> str: ...


def register(commands: Commands) -> None:
    group = commands.group(
        commands.add(
            "block",
            help="add, list or remove study blocks",
            description="Plan study blocks from the shell, as the week pane does.",
        ),
        dest="block_command",
        metavar="ACTION",
    )
    add = group.add(
        "add",
        help="add a block (once, or repeating weekly)",
        description="e.g. mlplanner block add --day mon --at 19:00 --for 1h30 --weekly mon,wed",
        run=add_block,
    )
    add.add_argument("--day", default="today", help="today, tomorrow, mon, 'next tue', a date")
    add.add_argument("--at", required=True, metavar="TIME", help="start, e.g. 19:00")
    add.add_argument("--for", dest="length", required=True, metavar="DURATION", help="e.g. 1h30")
    add.add_argument("--topic", help="topic id or title")
    add.add_argument("--note", default="", help="a few words (the title of a block without topic)")
    add.add_argument("--weekly", metavar="DAYS", help="repeat on these days: mon,wed or mon-fri")
    add.add_argument("--every", type=int, default=1, metavar="N", help="every N weeks")
    ends = add.add_mutually_exclusive_group()
    ends.add_argument("--until", metavar="DATE", help="last day of the repetition")
    ends.add_argument("--count", type=int, metavar="N", help="number of occurrences")
    listing = group.add(
        "list",
        help="list the blocks",
        description="List stored blocks with their ids.",
        run=list_blocks,
    )
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    remove = group.add(
        "rm",
        help="delete a block, or one occurrence of a repeating one",
        description="Delete a block by id (see `block list`); --occurrence DATE deletes one day.",
        run=remove_block,
    )
    remove.add_argument("id", type=int)
    remove.add_argument("--occurrence", metavar="DATE", help="only the occurrence on this day")


def _weekdays(text: str) -> list[int]:
    from ..errors import BadInput
    from ..services.autoplan import DAY_NAMES

    days: list[int] = []
    for part in text.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise BadInput(f"--weekly: '{part}' is not a day; use mon,tue,… or a range mon-fri")
        start, end = DAY_NAMES[first], DAY_NAMES[last or first]
        days += list(range(start, end + 1)) if start <= end else [*range(start, 7), *range(end + 1)]
    return days


def add_block(args: argparse.Namespace, context: Context) -> None:
    from ..errors import BadInput
    from ..services import planning
    from ..services.durations import format_duration, parse_day, parse_duration, parse_moment
    from ..services.recurrence import weekly_rule
    from ..services.topics import resolve_topic

    planner = context.planner
    calendar, now = planner.calendar, planner.clock()
    today = calendar.today(now)
    day = parse_day(args.day, today)
    start = parse_moment(args.at, now, calendar).time() if ":" in args.at else None
    if start is None:
        raise BadInput(f"--at '{args.at}': give a time of day such as 19:00")
    length = parse_duration(args.length)
    topic_id = resolve_topic(planner.curriculum, args.topic) if args.topic else None
    rule = None
    if args.weekly or args.every != 1 or args.until or args.count:
        until = parse_day(args.until, today) if args.until else None
        weekdays = _weekdays(args.weekly) if args.weekly else [day.weekday()]
        rule = weekly_rule(weekdays, args.every, until, args.count)
    with planner.session() as session:
        block = planning.add_block(
            session,
            planner.clock,
            day,
            start,
            round(length.total_seconds() / 60),
            calendar.tz.key,
            rule,
            topic_id,
            args.note,
        )
        block_id = block.id
    title = planner.curriculum.topic_title(topic_id, args.note or "study")
    repeat = f", repeating ({rule})" if rule else ""
    print(
        f"block #{block_id}: {title}, {day:%a %d %b %Y} {start:%H:%M} "
        f"for {format_duration(length)}{repeat}"
    )


def list_blocks(args: argparse.Namespace, context: Context) -> None:
    quick = context.quick()
    if quick is not None:
        rows = [_block_row(b, quick.topic_names) for b in quick.store.blocks()]
    else:
        from ..services import planning

        planner = context.planner
        with planner.session() as session:
            rows = [_block_row(b, planner.curriculum) for b in planning.list_blocks(session)]
    if args.json:
        from .json_output import emit

        emit({"blocks": rows})
        return
    if not rows:
        print("no study blocks yet: mlplanner block add --day mon --at 19:00 --for 1h30")
        return
    from .output import print_lines

    print_lines(
        f"#{row['id']:<4} {row['start_date']} {row['start_time']} {row['minutes']:>4}m  "
        f"{row['title']}{'  ' + str(row['rule']) if row['rule'] else ''}"
        for row in rows
    )


def _block_row(block: ListedBlock, curriculum: TitleIndex | Curriculum) -> dict[str, object]:
    """A stored block as `block list` shows it, whichever way it was read."""
    return {
        "id": block.id,
        "title": curriculum.topic_title(block.topic_id, block.note or "study"),
        "topic_id": block.topic_id,
        "start_date": block.start_date.isoformat(),
        "start_time": f"{block.start_time.hour:02d}:{block.start_time.minute:02d}",
        "minutes": block.duration_min,
        "time_zone": block.tz,
        "rule": block.rrule,
        "skipped": [d for d in block.skipped_dates.split(",") if d],
        "note": block.note,
    }


def remove_block(args: argparse.Namespace, context: Context) -> None:
    from ..services import planning
    from ..services.durations import parse_day

    planner = context.planner
    today = planner.calendar.today(planner.clock())
    day = parse_day(args.occurrence, today) if args.occurrence else today
    scope = planning.Scope.ONE if args.occurrence else planning.Scope.SERIES
    with planner.session() as session:
        planning.remove_block(session, args.id, scope, day)
    what = (
        f"the occurrence on {day:%a %d %b %Y} of block #{args.id}"
        if args.occurrence
        else f"block #{args.id}"
    )
    print(f"deleted {what}")
