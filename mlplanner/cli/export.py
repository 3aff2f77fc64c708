"""`mlplanner export sessions|ics|cards`: the logbook as CSV, study blocks as iCalendar,
cards for Anki."""

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
        description=(
            "Write the study blocks as iCalendar (.ics); importing it again updates events. "
            "With --vdir, keep a folder of one file per block (as khal and vdirsyncer read "
            "it): changed blocks are rewritten and the files of deleted blocks removed. "
            "The reminder_minutes setting adds an alarm before each block."
        ),
        run=ics,
    )
    target = ics_.add_mutually_exclusive_group()
    target.add_argument(
        "-o", "--output", type=Path, help="file to write (default or -: standard output)"
    )
    target.add_argument(
        "--vdir", type=Path, metavar="DIR", help="folder to keep as a vdir, one file per block"
    )

    cards_ = what.add(
        "cards",
        help="flashcards for Anki (.apkg or .txt)",
        description=(
            "Write the cards for Anki: FILE.apkg is an Anki package (File > Import in Anki), "
            "FILE.txt Anki's 'Notes in Plain Text' with its header lines (also read by "
            "`mlplanner import cards`). Each topic becomes the subdeck "
            "mlplanner::<stage>::<topic>, the cards' tags Anki tags; the notes' ids come from "
            "the cards' ids, so importing a later export into Anki updates the notes. "
            "Without -o, the text format goes to standard output."
        ),
        run=cards,
    )
    chosen = cards_.add_mutually_exclusive_group()
    chosen.add_argument("--topic", metavar="ID", help="only this topic's cards")
    chosen.add_argument("--stage", metavar="ID", help="only this stage's cards")
    cards_.add_argument(
        "-o", "--output", type=Path, help="FILE.apkg or FILE.txt (default or -: text to stdout)"
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
        count = logbook.export_csv(
            session, buffer, titles, planner.tz, planner.settings.rollover_hour
        )
    if write_output(args.output, buffer.getvalue().encode("utf-8")):
        print(f"wrote {count} sessions to {args.output}", file=sys.stderr)


def ics(args: argparse.Namespace, context: Context) -> None:
    from ..services.calendar_export import export_ics, sync_vdir, vdir_files

    planner = context.planner
    reminder = planner.settings.reminder_minutes
    if args.vdir is not None:
        with planner.session() as session:
            files = vdir_files(session, planner.curriculum, planner.clock(), reminder)
        report = sync_vdir(args.vdir, files)
        print(
            f"{args.vdir}: {report.written} written, {report.unchanged} unchanged, "
            f"{report.removed} removed",
            file=sys.stderr,
        )
        return
    with planner.session() as session:
        data = export_ics(session, planner.curriculum, planner.clock(), reminder)
    if write_output(args.output, data):
        print(f"wrote {args.output}", file=sys.stderr)


def cards(args: argparse.Namespace, context: Context) -> None:
    from ..errors import BadInput
    from ..services.card_export import apkg_bytes, select_cards, text_export
    from ..services.topics import resolve_topic

    planner = context.planner
    topic = resolve_topic(planner.curriculum, args.topic) if args.topic else None
    target = args.output
    suffix = target.suffix.lower() if target is not None and str(target) != "-" else ".txt"
    if suffix not in (".apkg", ".txt"):
        raise BadInput(f"{target}: write a .apkg (Anki package) or a .txt (Anki text) file")
    with planner.session() as session:
        chosen = select_cards(session, planner.curriculum, topic, args.stage)
    data = apkg_bytes(chosen) if suffix == ".apkg" else text_export(chosen).encode("utf-8")
    if write_output(target, data):
        print(f"wrote {len(chosen)} card(s) to {target}", file=sys.stderr)
