"""What a handler runs with: the resolved locations and, opened on first use, the planner
(or, for the quick commands, the lean way in: `quick.py`)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..clock import Clock, system_clock

CLOCK: Clock = system_clock
"""The time every command runs at (tests fix it)."""

if TYPE_CHECKING:
    from ..config import Paths
    from ..planner import Planner
    from .quick import Quick


def open_planner(paths: Paths, clock: Clock | None = None) -> Planner:
    """The planner over `paths`, with any problem in the user's extra content as a warning.

    Raises ContentError or StoreError; the caller closes the planner.
    """
    from ..planner import open_planner as open_

    planner = open_(paths, clock=clock or CLOCK)
    for warning in planner.content_warnings:
        print(f"mlplanner: warning: {warning}", file=sys.stderr)
    return planner


class Context:
    """Shared by one run of `main`; `main` closes what was opened whatever the outcome."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.clock = CLOCK
        self._planner: Planner | None = None
        self._quick: Quick | None = None

    @property
    def planner(self) -> Planner:
        if self._planner is None:
            self._planner = open_planner(self.paths, self.clock)
        return self._planner

    def quick(self, write: bool = False) -> Quick | None:
        """The lean way in when the database allows it, else None (use `planner`)."""
        if self._quick is None:
            from .quick import open_quick

            self._quick = open_quick(self.paths, write=write)
        return self._quick

    def close(self) -> None:
        if self._quick is not None:
            self._quick.close()
            self._quick = None
        if self._planner is not None:
            self._planner.close()
            self._planner = None
