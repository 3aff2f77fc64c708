"""`mlplanner export sessions|ics`: the logbook as CSV, study blocks as iCalendar."""

from __future__ import annotations

import argparse
import io
import os
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
    sessions_.add_argument(
        "-o", "--output", type=Path, help="file to write (default or -: standard output)"
    )
    ics_ = what.add(
        "ics",
        help="study blocks as an iCalendar file",
        description="Write the study blocks as iCalendar (.ics); importing it again updates events.",
        run=ics,
    )
    ics_.add_argument(
        "-o", "--output", type=Path, help="file to write (default or -: standard output)"
    )


def write_output(target: Path | None, data: bytes) -> bool:
    """Write to a file (whole, or not at all: a temporary file renamed into place), or to
    standard output for no file or `-`. Returns whether a file was written."""
    from ..errors import BadInput, PlannerError

    if target is None or str(target) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return False
    regular = not target.exists() or target.is_file()
    temporary = target.with_name(f".{target.name}.part") if regular else target
    try:
        handle = temporary.open("wb")
    except OSError as exc:
        raise BadInput(f"{target}: cannot write: {exc.strerror}") from None
    try:
        with handle:
            handle.write(data)
        if regular:
            os.replace(temporary, target)
    except OSError as exc:
        if regular:
            temporary.unlink(missing_ok=True)
        raise PlannerError(
            f"{target}: writing failed: {exc.strerror}; nothing was written"
        ) from None
    return True


def sessions(args: argparse.Namespace, context: Context) -> None:
    from ..services import logbook

    planner = context.planner
    titles = {t.id: t.title for t in planner.curriculum.topics}
    buffer = io.StringIO(newline="")
    with planner.session() as session:
        count = logbook.export_csv(session, buffer, titles)
    if write_output(args.output, buffer.getvalue().encode("utf-8")):
        print(f"wrote {count} sessions to {args.output}", file=sys.stderr)


def ics(args: argparse.Namespace, context: Context) -> None:
    from ..services.calendar_export import export_ics

    planner = context.planner
    with planner.session() as session:
        data = export_ics(session, planner.curriculum, planner.clock())
    if write_output(args.output, data):
        print(f"wrote {args.output}", file=sys.stderr)
