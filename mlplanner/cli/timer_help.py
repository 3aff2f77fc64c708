"""The help of `timer start --pomodoro`, which gives the learner's own lengths.

Apart from the timer's handlers, so that `timer status` runs without argparse (see
`quick_args.py`).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..services.timer import Pomodoro


class PomodoroFlag(argparse.Action):
    """`--pomodoro`, whose help gives the learner's lengths: read from their settings
    only when the help is shown (the defaults when the database cannot be read)."""

    def __init__(
        self, option_strings: Sequence[str], dest: str, argv: Sequence[str] = (), **_: object
    ) -> None:
        super().__init__(option_strings, dest, nargs=0, default=False)
        self.argv = argv

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, True)

    @property  # type: ignore[override]
    def help(self) -> str:
        return f"work in a Pomodoro rhythm: {configured_rhythm(self.argv).words()}"

    @help.setter
    def help(self, value: str | None) -> None:
        pass


def configured_rhythm(argv: Sequence[str]) -> Pomodoro:
    """The Pomodoro lengths in the settings of the database `argv` names (or the default
    one), the defaults when it cannot be read quickly."""
    from ..config import resolve_paths
    from ..errors import PlannerError
    from ..services.settings import Settings, from_raw, pomodoro
    from ..store.lean import open_lean
    from .registry import option_value

    settings = Settings()
    try:
        store = open_lean(resolve_paths(option_value(argv, "--db")).db_url)
    except PlannerError:
        store = None
    if store is not None:
        try:
            settings = from_raw(store.settings())
        except PlannerError:
            pass
        finally:
            store.close()
    return pomodoro(settings)
