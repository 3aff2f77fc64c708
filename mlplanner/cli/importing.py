"""`mlplanner import cards`: flashcards from CSV/TSV or Anki's text export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from .context import Context


def register(commands: Commands) -> None:
    parser = commands.add(
        "import",
        help="import cards, sessions or busy time",
        description="Import data made elsewhere.",
    )
    what = commands.group(parser, dest="import_what", metavar="WHAT")
    cards_ = what.add(
        "cards",
        help="flashcards from CSV/TSV or Anki's text export",
        description=(
            "Add cards from a CSV or TSV file, or from Anki's 'Notes in Plain Text' export "
            "(its #separator, #html, #columns and #tags column header lines are read). "
            "Columns: front, back, and optionally tags and topic. Bad rows are reported by "
            "line and the others imported; importing the same file again adds nothing twice. "
            "Exit status 1 when some rows were bad, 2 when nothing could be read."
        ),
        run=cards,
    )
    cards_.add_argument("file", type=Path, help="the file to read (UTF-8)")
    cards_.add_argument("--topic", help="topic for rows without a topic column")
    register_calendars_and_sessions(what)


def cards(args: argparse.Namespace, context: Context) -> int:
    """Exit status 1 when some rows were skipped (the others are imported)."""
    from ..services.card_import import BATCH_ROWS, import_cards
    from ..store.engine import batched_units_of_work

    planner = context.planner

    def progress(line: int, lines: int) -> None:
        if lines > BATCH_ROWS:  # a long import says how far it is, a batch at a time
            print(f"{args.file}: line {line:,} of {lines:,} ({line / lines:.0%})", file=sys.stderr)

    report = import_cards(
        batched_units_of_work(planner.engine),
        planner.curriculum,
        args.file,
        planner.clock(),
        args.topic,
        progress=progress,
    )
    for line, message in report.problems:
        print(f"{args.file}:{line}: {message}", file=sys.stderr)
    print(
        f"{args.file}: added {report.added} card(s)"
        + (f", {report.already_there} already there" if report.already_there else "")
        + (f", {len(report.problems)} row(s) skipped" if report.problems else "")
    )
    return 1 if report.problems else 0


def register_calendars_and_sessions(what: Commands) -> None:
    calendar_ = what.add(
        "calendar",
        help="busy time from another calendar (.ics)",
        description=(
            "Read another calendar (work, family) from an iCalendar file as busy time: "
            "repeating events are expanded with their exceptions, events marked free or "
            "cancelled are left out, and 'plan my week' never proposes a block over the rest. "
            "Importing the same file again replaces what it brought before."
        ),
        run=calendar,
    )
    calendar_.add_argument("file", type=Path, help="the .ics file to read")
    sessions_ = what.add(
        "sessions",
        help="study sessions from Timewarrior, Toggl Track or mlplanner's CSV",
        description=(
            "Log sessions from Timewarrior's `timew export` JSON, Toggl Track's detailed CSV "
            "export, or mlplanner's own `export sessions` CSV. Sessions already logged or "
            "overlapping logged time are reported and skipped, so importing again adds "
            "nothing. Bad rows are reported as FILE:LINE: message. Exit status 1 when some "
            "rows were bad, 2 when nothing could be read."
        ),
        run=sessions,
    )
    sessions_.add_argument("file", type=Path, help="the file to read (UTF-8)")
    sessions_.add_argument(
        "--format",
        choices=("timewarrior", "toggl", "csv"),
        help="the file's format (default: told from its name and first line)",
    )
    sessions_.add_argument(
        "--tz",
        metavar="ZONE",
        help="IANA zone of a Toggl export's times, as in the Toggl profile (default: local)",
    )
    sessions_.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="LABEL=TOPIC",
        help="a tag or project and the topic its sessions count for (repeatable)",
    )


def calendar(args: argparse.Namespace, context: Context) -> None:
    from ..services.busy_time import import_calendar

    planner = context.planner
    with planner.session() as session:
        report = import_calendar(session, args.file, planner.tz, planner.clock())
    print(
        f"{args.file}: {report.intervals} busy interval(s) from {report.events} event(s)"
        + (f", {report.free} free or cancelled left out" if report.free else "")
        + (f"; replaced {report.replaced} from the last import" if report.replaced else "")
    )


def sessions(args: argparse.Namespace, context: Context) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from ..errors import BadInput
    from ..services.session_import import import_sessions, parse_map

    planner = context.planner
    zone = planner.tz
    if args.tz:
        try:
            zone = ZoneInfo(args.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise BadInput(f"unknown time zone '{args.tz}'") from None
    mapping = parse_map(planner.curriculum, args.map)
    with planner.session() as session:
        report = import_sessions(
            session, planner.clock, planner.curriculum, args.file, args.format, zone, mapping
        )
    for line, message in sorted(report.problems + report.skipped):
        print(f"{args.file}:{line}: {message}", file=sys.stderr)
    print(
        f"{args.file}: added {report.added} session(s)"
        + (f", {len(report.skipped)} skipped" if report.skipped else "")
        + (f", {len(report.problems)} bad row(s)" if report.problems else "")
    )
    if report.nothing_read:
        return 2
    return 1 if report.problems else 0
