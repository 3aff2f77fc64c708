"""The `mlplanner` command: the TUI by default, plain-text jobs as subcommands.

Each command group is one module here with a `register(commands)` function that adds its
parsers and handlers (see `registry.py`). `main` runs the chosen handler and is the one
place where a `PlannerError` becomes a message on stderr and an exit status.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from .. import __version__
from ..config import resolve_paths
from ..errors import PlannerError
from . import (
    app,
    block,
    check,
    completion,
    doctor,
    export,
    importing,
    logbook,
    path,
    settings,
    stats,
    timer,
    topics,
    week,
)
from .context import Context
from .registry import Commands

# In the order `mlplanner --help` lists them.
COMMAND_GROUPS = (
    check,
    doctor,
    logbook,
    timer,
    stats,
    path,
    topics,
    export,
    settings,
    app,
    importing,
    week,
    block,
    completion,
)


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
    parser = build_parser()
    completion.complete_if_asked(parser)
    args = parser.parse_args(argv)
    context = None
    try:
        with human_output():
            context = Context(
                resolve_paths(getattr(args, "db", None), getattr(args, "content", None))
            )
            status = args.run(args, context)
            sys.stdout.flush()
    except PlannerError as exc:
        report(exc)
        return exc.exit_status
    except BrokenPipeError:
        # The reader went away (`mlplanner stats --json | head -1`): that is its choice,
        # not an error. Point stdout at nothing so the interpreter's last flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if context is not None:
            context.close()
    return status or 0


@contextmanager
def human_output() -> Iterator[None]:
    """Text printed for people is cleaned of escape sequences and control characters (a note
    or a card can hold any text), wherever it goes. Exports write bytes to `sys.stdout.buffer`
    and JSON escapes control characters itself: data is left as it is."""
    saved = sys.stdout, sys.stderr
    sys.stdout = SafeStream(sys.stdout)  # type: ignore[assignment]
    sys.stderr = SafeStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


class SafeStream:
    """A text stream whose writes pass through `printable` (carriage returns kept)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from ..safe_text import printable

        self._stream.write("\r".join(printable(part) for part in text.split("\r")))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def report(exc: PlannerError) -> None:
    """The error as the user sees it: `mlplanner: <message>`, a curriculum's problems one a line."""
    from ..curriculum import ContentError

    if isinstance(exc, ContentError):
        print("mlplanner: the curriculum has problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return
    print(f"mlplanner: {exc}", file=sys.stderr)
