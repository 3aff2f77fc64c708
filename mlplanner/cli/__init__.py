"""The `mlplanner` command: the TUI by default, plain-text jobs as subcommands.

Each command group is one module here with a `register(commands)` function that adds its
parsers and handlers (see `registry.py`). `main` runs the chosen handler and is the one
place where a `PlannerError` becomes a message on stderr and an exit status.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from .. import __version__
from ..errors import PlannerError
from ..safe_text import is_plain, printable
from .context import Context

if TYPE_CHECKING:
    import argparse
    from types import ModuleType

# Each command and the module that registers it (with its subcommands), in the order
# `mlplanner --help` lists them. `review` and the bare `mlplanner` are `app`'s. A quick
# command builds only its own parsers: argparse takes longer to build every command's
# than `timer status` takes to answer.
COMMAND_MODULES = {
    "check": "check",
    "doctor": "doctor",
    "log": "logbook",
    "timer": "timer",
    "stats": "stats",
    "path": "path",
    "topics": "topics",
    "export": "export",
    "settings": "settings",
    "review": "app",
    "serve": "serve",
    "import": "importing",
    "week": "week",
    "block": "block",
    "completion": "completion",
}
OPTIONS_WITH_VALUES = ("--db", "--content")


def _module(name: str) -> ModuleType:
    from importlib import import_module

    return import_module(f"{__name__}.{name}")


def _common() -> argparse.ArgumentParser:
    import argparse

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


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command `argv` runs, when only its parsers are needed to read it: None when
    the whole parser is (no command, an unknown one, or help before it)."""
    values = iter(argv)
    for word in values:
        if word in OPTIONS_WITH_VALUES:
            next(values, None)
        elif word.startswith("-"):
            if word.split("=", 1)[0] not in OPTIONS_WITH_VALUES:
                return None  # --help, --version, --demo, or a mistake: the full parser
        else:
            return word if word in COMMAND_MODULES else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command-line parser: every command's, or (given the `argv` it will read) only
    the parsers that `argv` needs."""
    import argparse

    from .registry import Commands

    common = _common()
    parser = argparse.ArgumentParser(
        prog="mlplanner",
        description="A terminal study planner for the path to machine-learning engineer.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"mlplanner {__version__}")
    commands = Commands(parser, common, dest="command", metavar="COMMAND", argv=argv or ())
    command = chosen_command(argv) if argv is not None else None
    # The bare `mlplanner` (the app, and its --demo) only when no command is chosen.
    wanted = (
        [COMMAND_MODULES[command]] if command else list(dict.fromkeys(COMMAND_MODULES.values()))
    )
    for name in wanted:
        _module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    if "_ARGCOMPLETE" in os.environ:  # the shell completes: it needs every command
        from . import completion

        completion.complete_if_asked(build_parser())
    from .quick_args import read

    # A quick command's plain form is read without argparse (see quick_args.py).
    args = None if "_ARGCOMPLETE" in os.environ else read(words)
    quick = args is not None
    if args is None:
        args = build_parser(words).parse_args(words)
    from ..config import resolve_paths

    # A quick command makes thousands of objects (imports, the curriculum) and frees few
    # before it ends: Python's cyclic collector would only walk them again and again.
    paused = quick and gc.isenabled()
    if paused:
        gc.disable()
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
        if paused:
            gc.enable()
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
        if is_plain(text):  # nothing to clean (most text): written as it is
            self._stream.write(text)
        else:
            self._stream.write("\r".join(printable(part) for part in text.split("\r")))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def report(exc: PlannerError) -> None:
    """The error as the user sees it: `mlplanner: <message>`, a curriculum's problems one a line."""
    # A ContentError comes from the loader; unloaded, it raised none (and is not loaded
    # just to tell: a quick command's `no topic …` stays quick).
    loader = sys.modules.get("mlplanner.curriculum.loader")
    if loader is not None and isinstance(exc, loader.ContentError):
        print("mlplanner: the curriculum has problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {printable(str(problem))}", file=sys.stderr)
        return
    print(f"mlplanner: {printable(str(exc))}", file=sys.stderr)
