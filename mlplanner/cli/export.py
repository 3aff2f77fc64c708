"""`mlplanner export sessions|ics`: the logbook as CSV, study blocks as iCalendar."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from .context import Context


def register(commands: Commands) -> None:
    parser = commands.add("export", help="export data", description="Export data for other tools.")
    what = commands.group(parser, dest="export_what", metavar="WHAT")
    sessions_ = what.add(
        "sessions",
        help="the logbook as CSV",
        description="Write every logged study session as CSV.",
        run=sessions,
    )
    sessions_.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    ics_ = what.add(
        "ics",
        help="study blocks as an iCalendar file",
        description="Write the study blocks as iCalendar (.ics); importing it again updates events.",
        run=ics,
    )
    ics_.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")


def _cannot_write(path: Path, exc: OSError):
    from ..errors import BadInput

    return BadInput(f"{path}: cannot write: {exc.strerror}")


def sessions(args: argparse.Namespace, context: Context) -> None:
    from ..services import logbook

    planner = context.planner
    titles = {t.id: t.title for t in planner.curriculum.topics}
    if not args.output:
        with planner.session() as session:
            logbook.export_csv(session, sys.stdout, titles)
        return
    try:
        out = args.output.open("w", newline="", encoding="utf-8")
    except OSError as exc:
        raise _cannot_write(args.output, exc) from None
    with out, planner.session() as session:
        count = logbook.export_csv(session, out, titles)
    print(f"wrote {count} sessions to {args.output}", file=sys.stderr)


def ics(args: argparse.Namespace, context: Context) -> None:
    from ..services.calendar_export import export_ics

    planner = context.planner
    with planner.session() as session:
        data = export_ics(session, planner.curriculum, planner.clock())
    if not args.output:
        sys.stdout.write(data.decode("utf-8"))
        return
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise _cannot_write(args.output, exc) from None
    print(f"wrote {args.output}", file=sys.stderr)
