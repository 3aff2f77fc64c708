"""Errors with a sentence for a person.

Every error that reaches the edge of the program (a file, a database, bad input) is a
`PlannerError`: the CLI prints its message and exits with `exit_status`; the TUI shows it
as a notification titled `title` and keeps running. Anything else is a bug.
"""

from __future__ import annotations


class PlannerError(Exception):
    """Something the user can act on; the message says what and where."""

    title = "Something went wrong"
    exit_status = 1

    def __init__(self, message: str = "", *, title: str | None = None) -> None:
        super().__init__(message)
        if title is not None:
            self.title = title

    @property
    def message(self) -> str:
        return str(self)


class BadInput(PlannerError, ValueError):
    """What the user typed or passed cannot be used; exit status 2 in the CLI."""

    title = "Not understood"
    exit_status = 2
