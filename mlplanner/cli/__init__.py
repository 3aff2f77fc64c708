"""The `mlplanner` command: the TUI by default, plain-text jobs as subcommands.

Each command group is one module here with a `register(commands)` function that adds its
parsers and handlers (see `registry.py`). `main` runs the chosen handler and is the one
place where a `PlannerError` becomes a message on stderr and an exit status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..config import resolve_paths
from ..errors import PlannerError
from . import app, check, doctor, export, importing, logbook, settings, stats, timer, week
from .context import Context
from .registry import Commands

# In the order `mlplanner --help` lists them.
COMMAND_GROUPS = (check, doctor, logbook, timer, stats, export, settings, app, importing, week)


def _common() -> argparse.ArgumentParser:
    # SUPPRESS lets the same options appear before or after a subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: user data dir; env MLPLANNER_DB)",
    )
    common.add_argument(
        "--content",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="extra curriculum folder that adds or overrides stages (env MLPLANNER_CONTENT)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="mlplanner",
        description="A terminal study planner for the path to machine-learning engineer.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"mlplanner {__version__}")
    commands = Commands(parser, common, dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    context = None
    try:
        context = Context(resolve_paths(getattr(args, "db", None), getattr(args, "content", None)))
        status = args.run(args, context)
    except PlannerError as exc:
        report(exc)
        return exc.exit_status
    finally:
        if context is not None:
            context.close()
    return status or 0


def report(exc: PlannerError) -> None:
    """The error as the user sees it: `mlplanner: <message>`, a curriculum's problems one a line."""
    from ..curriculum import ContentError

    if isinstance(exc, ContentError):
        print("mlplanner: the curriculum has problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return
    print(f"mlplanner: {exc}", file=sys.stderr)
