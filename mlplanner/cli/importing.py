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
    parser = commands.add("import", help="import cards", description="Import data made elsewhere.")
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
