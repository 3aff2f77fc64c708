"""How a command module adds its subcommands: a parser and the handler that runs it.

Command modules import only argparse-level things at the top, so building the whole
parser stays cheap; each handler imports the services it needs when it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context

Handler = Callable[[argparse.Namespace, "Context"], "int | None"]
"""Runs a command; returns an exit status for a partial outcome, else None (success).

Errors are raised as `PlannerError`, never printed by the handler."""


class Commands:
    """The subcommands of one parser; `add` registers a parser and its handler."""

    def __init__(
        self,
        parser: argparse.ArgumentParser,
        common: argparse.ArgumentParser,
        dest: str,
        metavar: str,
        required: bool = False,
        argv: Sequence[str] = (),
    ) -> None:
        self.parser = parser
        self.common = common
        self.argv = argv  # what the parser is built to read (help texts may look at it)
        self._subparsers = parser.add_subparsers(dest=dest, metavar=metavar, required=required)

    def add(
        self, name: str, *, help: str, description: str, run: Handler | None = None
    ) -> argparse.ArgumentParser:
        """A subcommand that takes the common options; `run` unless it has subcommands."""
        parser = self._subparsers.add_parser(
            name, parents=[self.common], help=help, description=description
        )
        if run is not None:
            parser.set_defaults(run=run)
        return parser

    def group(
        self, parser: argparse.ArgumentParser, dest: str, metavar: str, required: bool = True
    ) -> Commands:
        """The subcommands of `parser` (e.g. `timer start|stop|status`); when not
        required, `parser`'s own handler runs without one (`path` and `path choose`)."""
        return Commands(parser, self.common, dest, metavar, required=required, argv=self.argv)


def option_value(argv: Sequence[str], name: str) -> str | None:
    """The value given to option `name` (`--db PATH` or `--db=PATH`) in `argv`, if any."""
    found = None
    for index, word in enumerate(argv):
        if word == name and index + 1 < len(argv):
            found = argv[index + 1]
        elif word.startswith(name + "="):
            found = word.split("=", 1)[1]
    return found
