"""What a handler runs with: the resolved locations and, opened on first use, the planner."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Paths
    from ..planner import Planner


def open_planner(paths: Paths) -> Planner:
    """The planner over `paths`, with any problem in the user's extra content as a warning.

    Raises ContentError or StoreError; the caller closes the planner.
    """
    from ..planner import open_planner as open_

    planner = open_(paths)
    for warning in planner.content_warnings:
        print(f"mlplanner: warning: {warning}", file=sys.stderr)
    return planner


class Context:
    """Shared by one run of `main`; `main` closes the planner whatever the outcome."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self._planner: Planner | None = None

    @property
    def planner(self) -> Planner:
        if self._planner is None:
            self._planner = open_planner(self.paths)
        return self._planner

    def close(self) -> None:
        if self._planner is not None:
            self._planner.close()
            self._planner = None
